/**
 * PNG pictures drawn off-screen (headless): decoder filters as a grid of images, originals above their
 * reconstructions, and line charts such as the loss curve. Written atomically by
 * {@link dev.lanes.autoencoder.pictures.Png}.
 */
package dev.lanes.autoencoder.pictures;
