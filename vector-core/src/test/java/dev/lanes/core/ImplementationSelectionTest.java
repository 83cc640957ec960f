package dev.lanes.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ImplementationSelectionTest {

    @Test
    void implementationIsTheExpectedOne() {
        // The surefire executions say which implementation each run must get; a plain IDE run
        // with --add-modules gets panama.
        String expected = System.getProperty("lanes.expect.implementation", "panama");
        assertEquals(expected, Lanes.implementation(), Lanes.implementationReason());
        assertFalse(Lanes.implementationReason().isBlank());
    }

    @Test
    void threadsCanBeSetAndAreValidated() {
        int before = Lanes.threads();
        try {
            Lanes.setThreads(1);
            assertEquals(1, Lanes.threads());
            Lanes.setThreads(3);
            assertEquals(3, Lanes.threads());
        } finally {
            Lanes.setThreads(before);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Lanes.setThreads(0));
        assertEquals("setThreads: threads=0 < 1", e.getMessage());
    }
}
