package dev.lanes.core.internal;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** The one place outside the kernels that touches the Vector API: can the Panama kernels run here? */
final class PanamaProbe {

    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private PanamaProbe() {
    }

    static String problem() {
        if (SPECIES.vectorBitSize() < 128) {
            return "the preferred vector size is " + SPECIES.vectorBitSize() + " bits; SIMD would not pay";
        }
        return null;
    }

    static String describe() {
        return SPECIES.vectorBitSize() + "-bit vectors, " + SPECIES.length() + " float lanes";
    }

    static int floatLanes() {
        return SPECIES.length();
    }
}
