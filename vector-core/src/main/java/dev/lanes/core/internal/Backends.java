package dev.lanes.core.internal;

import java.lang.reflect.InvocationTargetException;
import java.util.Locale;
import java.util.Optional;

/**
 * Chooses, once, between the scalar references and the Panama (Vector API) kernels, and builds the
 * kernel objects of each family.
 *
 * <p>Panama is chosen when the {@code jdk.incubator.vector} module is in the boot layer and readable,
 * the C2 compiler is on (C1 or the interpreter run the Vector API orders of magnitude slower than
 * scalar code), and the preferred species has at least 128 bits. Otherwise the scalar references
 * are used, and one log line says why. {@code -Dlanes.simd=false} forces the scalar references,
 * {@code -Dlanes.simd=true} asks for Panama even where C2 looks off (it still needs the module).
 *
 * <p>Each family {@code XKernel} has a package-private {@code ScalarX} and {@code PanamaX} in this
 * package, each with a no-argument constructor; {@link #load(Class, Kind)} builds them by that
 * naming rule. Only the {@code Panama*} classes import {@code jdk.incubator.vector}, and they are
 * loaded reflectively, so that a JVM without the module never links against it.
 */
public final class Backends {

    /** The two implementations every family has. */
    public enum Kind {
        SCALAR("Scalar"), PANAMA("Panama");

        private final String prefix;

        Kind(String prefix) {
            this.prefix = prefix;
        }

        /** Lower-case name, as {@code dev.lanes.core.Lanes#implementation()} reports it. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final String VECTOR_MODULE = "jdk.incubator.vector";
    private static final System.Logger LOG = System.getLogger("dev.lanes.core");

    private static final String PANAMA_PROBLEM = panamaProblem();
    private static final Kind SELECTED;
    private static final String REASON;

    static {
        String forced = System.getProperty("lanes.simd");
        if ("false".equalsIgnoreCase(forced)) {
            SELECTED = Kind.SCALAR;
            REASON = "forced by -Dlanes.simd=false";
        } else if (PANAMA_PROBLEM != null) {
            SELECTED = Kind.SCALAR;
            REASON = PANAMA_PROBLEM;
        } else {
            String c2 = "true".equalsIgnoreCase(forced) ? null : c2Problem();
            SELECTED = c2 == null ? Kind.PANAMA : Kind.SCALAR;
            REASON = c2 == null ? "Vector API available, " + PanamaProbe.describe() : c2;
        }
        if (SELECTED == Kind.SCALAR) {
            LOG.log(System.Logger.Level.INFO, "Lanes uses its scalar kernels: " + REASON);
        } else {
            LOG.log(System.Logger.Level.DEBUG, "Lanes uses its Panama kernels: " + REASON);
        }
    }

    private Backends() {
    }

    /** The implementation chosen at class initialisation. */
    public static Kind selected() {
        return SELECTED;
    }

    /** Why {@link #selected()} is what it is, in one sentence. */
    public static String reason() {
        return REASON;
    }

    /** Whether the Panama kernels can be built in this JVM (even if the scalar ones were chosen). */
    public static boolean panamaAvailable() {
        return PANAMA_PROBLEM == null;
    }

    /** Builds the selected implementation of a family. */
    public static <T> T load(Class<T> family) {
        return load(family, SELECTED);
    }

    /**
     * Builds one implementation of a family: {@code Scalar<Name>} or {@code Panama<Name>} for the
     * interface {@code <Name>Kernel}. Tests and benchmarks use this to run both in one JVM.
     *
     * @throws IllegalStateException if Panama is asked for and is not available
     */
    public static <T> T load(Class<T> family, Kind kind) {
        if (kind == Kind.PANAMA && PANAMA_PROBLEM != null) {
            throw new IllegalStateException("Panama kernels unavailable: " + PANAMA_PROBLEM);
        }
        String simple = family.getSimpleName();
        if (!family.isInterface() || !simple.endsWith("Kernel")) {
            throw new IllegalArgumentException("not a kernel family interface: " + family.getName());
        }
        String name = Backends.class.getPackageName() + "." + kind.prefix
                + simple.substring(0, simple.length() - "Kernel".length());
        try {
            return family.cast(Class.forName(name).getDeclaredConstructor().newInstance());
        } catch (ClassNotFoundException | NoSuchMethodException | InstantiationException
                 | IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot build " + name + " for " + family.getName(), e);
        }
    }

    private static String panamaProblem() {
        Optional<Module> vector = ModuleLayer.boot().findModule(VECTOR_MODULE);
        if (vector.isEmpty()) {
            return "module " + VECTOR_MODULE + " is not in the boot layer (run java with --add-modules "
                    + VECTOR_MODULE + ")";
        }
        Module self = Backends.class.getModule();
        if (!self.canRead(vector.get())) {
            self.addReads(vector.get());
        }
        try {
            return PanamaProbe.problem();
        } catch (LinkageError e) {
            return "the Vector API could not be linked: " + e;
        }
    }

    /** C2 off means -Xint, -XX:TieredStopAtLevel below 4, or a client VM. */
    private static String c2Problem() {
        String info = System.getProperty("java.vm.info", "");
        if (info.contains("interpreted mode")) {
            return "the JVM runs interpreted (-Xint); the Vector API needs the C2 compiler";
        }
        try {
            return HotSpotFlags.c2Problem();
        } catch (LinkageError | RuntimeException e) {
            return null; // no HotSpot management interface: assume a normal server VM
        }
    }
}
