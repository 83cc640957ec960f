/**
 * Lanes' own property harness: seeded generators with integrated shrinking, and a runner.
 *
 * <p>{@link dev.lanes.property.Gen} draws a {@link dev.lanes.property.Shrinkable} (a value plus the
 * lazy tree of its smaller candidates) from a {@link java.util.SplittableRandom} and a size hint;
 * {@link dev.lanes.property.Gens} has ints, floats with corner values, float arrays, SIMD-aware sizes
 * and strided {@link dev.lanes.property.MatrixCase}s; {@link dev.lanes.property.Property} runs N
 * tries, shrinks the first failure and reports the seed that replays it ({@code -Dlanes.seed},
 * {@code -Dlanes.tries}).
 *
 * <p>Everything is plain Java with no dependency, so the generators also work from other tools:
 * {@code gen.sample(seed, size)} gives a value, and {@code gen.generate(random, size).shrinks()} the
 * candidates, for a framework that brings its own runner and shrinker.
 */
package dev.lanes.property;
