/**
 * Files: atomic writes ({@link dev.lanes.autoencoder.io.AtomicFiles}), safetensors weights
 * ({@link dev.lanes.autoencoder.io.Safetensors}, F32), JSON settings and the {@code metrics.jsonl}
 * appender, and {@link dev.lanes.autoencoder.io.FileFormatException}, the one error type for a file that
 * cannot be used.
 */
package dev.lanes.autoencoder.io;
