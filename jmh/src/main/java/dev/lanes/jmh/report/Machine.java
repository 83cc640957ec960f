package dev.lanes.jmh.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine the report is generated on (the same sitting as the benchmarks). */
final class Machine {

    private Machine() {
    }

    /** The {@code model name} of the first CPU in /proc/cpuinfo, or the OS architecture elsewhere. */
    static String cpuModel() {
        Path info = Path.of("/proc/cpuinfo");
        if (Files.isReadable(info)) {
            try {
                for (String line : Files.readAllLines(info)) {
                    if (line.startsWith("model name")) {
                        return line.substring(line.indexOf(':') + 1).strip();
                    }
                }
            } catch (IOException e) {
                return "unknown CPU (" + e.getMessage() + ")";
            }
        }
        return "unknown CPU (" + System.getProperty("os.arch") + ")";
    }

    /** Logical CPUs this JVM may use (affinity and container limits included). */
    static int logicalCpus() {
        return Runtime.getRuntime().availableProcessors();
    }
}
