/**
 * A gradient checker for float32 functions and layers: central differences on a random probe loss,
 * compared with the analytic backward for the input and every parameter tensor, with kinks skipped
 * and surrogate gradients checked in their true-gradient mode. Plain Java, no test-framework
 * dependency: {@link dev.lanes.gradcheck.GradientReport#assertGradients()} throws an
 * {@link java.lang.AssertionError}.
 *
 * <p>Implement {@link dev.lanes.gradcheck.Differentiable} (or adapt a layer to it), then
 * {@code GradientCheck.of(f).seed(s).run().assertGradients()}; see
 * {@link dev.lanes.gradcheck.GradientCheck} for the step size, thresholds and sampling.
 */
package dev.lanes.gradcheck;
