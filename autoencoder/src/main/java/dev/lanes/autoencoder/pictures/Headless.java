package dev.lanes.autoencoder.pictures;

/** Pictures are drawn off-screen; this keeps AWT from looking for a display unless the user asked for one. */
final class Headless {
    private Headless() {
    }

    static void ensure() {
        // Must run before AWT initialises; an explicit -Djava.awt.headless=... from the user wins.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }
}
