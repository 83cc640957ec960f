package dev.lanes.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Runs in its own surefire execution without {@code --add-modules jdk.incubator.vector}: the library
 * must fall back to the scalar references, say why, and still compute.
 */
class WithoutVectorModuleTest {

    @Test
    void fallsBackToScalarAndWorks() {
        assertTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty(),
                "this test must run without the vector module");
        assertEquals("scalar", Lanes.implementation());
        assertTrue(Lanes.implementationReason().contains("--add-modules"), Lanes.implementationReason());
    }
}
