/**
 * Lanes vector-core: float32 kernels for neural-network math on the JDK Vector API, each with a
 * plain-Java scalar reference. Only {@code dev.lanes.core} is exported; the implementations live in
 * a package that is not.
 *
 * <p>The Vector API is optional at run time ({@code requires static}): without
 * {@code --add-modules jdk.incubator.vector} every kernel runs its scalar reference.
 */
module dev.lanes.core {
    requires static jdk.incubator.vector;
    requires static jdk.management;
    requires static java.management;

    exports dev.lanes.core;
}
