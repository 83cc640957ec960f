/**
 * Data sets: the {@link dev.lanes.autoencoder.data.Dataset} record, readers for IDX (MNIST family,
 * raw or gzip) and NumPy {@code .npy} files, the Fashion-MNIST loader, the synthetic known-dictionary
 * generator (the embedded default data) and square patches for the rank-ordered autoencoder.
 * Readers check every header size against the file before allocating and report bad files with a
 * {@link dev.lanes.autoencoder.io.FileFormatException} naming the file.
 */
package dev.lanes.autoencoder.data;
