package dev.lanes.core.internal;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;

/** Reads HotSpot flags; a separate class so that a JVM without jdk.management never links it. */
final class HotSpotFlags {

    private HotSpotFlags() {
    }

    static String c2Problem() {
        HotSpotDiagnosticMXBean bean = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        if (bean == null) {
            return null;
        }
        if ("false".equals(bean.getVMOption("UseCompiler").getValue())) {
            return "the JIT is off (-Xint or -XX:-UseCompiler); the Vector API needs the C2 compiler";
        }
        if ("true".equals(bean.getVMOption("TieredCompilation").getValue())) {
            int level = Integer.parseInt(bean.getVMOption("TieredStopAtLevel").getValue());
            if (level < 4) {
                return "-XX:TieredStopAtLevel=" + level + " keeps C2 off; the Vector API needs it";
            }
        }
        return null;
    }
}
