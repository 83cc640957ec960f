package dev.lanes.jmh.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.autoencoder.model.Model;
import dev.lanes.autoencoder.train.Trainer;
import dev.lanes.core.Lanes;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The benchmarks' set-up checks on small batches: every preset's first training steps and its codes
 * agree with the double-precision reference, and the implementation label is checked.
 */
class ReferenceTest {

    static List<String> presets() {
        return Presets.NAMES;
    }

    @ParameterizedTest
    @MethodSource("presets")
    void everyPresetAgreesWithTheReference(String name) {
        Model m = Presets.build(name);
        assertEquals(Presets.hidden(name), m.codes(), name);
        float[][] batches = Presets.prepare(m, 3, 7);
        Trainer t = Presets.trainer(m, 3);
        Reference.checkStep(m, t, 3, batches[0]);
        // the second step replays the noise of step 1 (dae) from the trained parameters
        Reference.checkStep(m, t, 3, batches[1]);
        Reference.checkEncode(m, 3, batches[2], new float[3 * m.codes()]);
    }

    @Test
    void implementationLabelMustMatchTheJvm() {
        String other = Lanes.implementation().equals("panama") ? "scalar" : "panama";
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Presets.configure(other, 1));
        assertTrue(e.getMessage().contains("impl=" + other), e.getMessage());
    }
}
