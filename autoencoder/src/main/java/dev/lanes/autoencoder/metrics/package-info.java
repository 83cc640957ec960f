/**
 * Evaluation metrics as pure functions over float arrays: reconstruction (MSE, FVU), sparsity (L0, zeros,
 * dead latents, mean activation), dictionary recovery (MMCS and the Hungarian-matched cosine), the
 * linear probe, and PCA with principal angles. Plain Java, double accumulation, deterministic.
 */
package dev.lanes.autoencoder.metrics;
