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
 * {@link dev.lanes.gradcheck.LayerAdapter} adapts an autoencoder layer at a batch size and
 * {@link dev.lanes.gradcheck.ModelAdapter} a whole model's loss. A JUnit test class that implements
 * {@link dev.lanes.gradcheck.LayerGradientContract} gets gradient checks over several seeds and batch
 * sizes, a row-independence check and a determinism check for its layer (the only class here that
 * needs junit-jupiter-api).
 */
package dev.lanes.gradcheck;
