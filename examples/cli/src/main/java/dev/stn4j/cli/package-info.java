/**
 * The {@code stn} command line: {@code classify} (image files and folders to JSON lines or CSV,
 * with a summary for labelled trees, warped images and the seed's figure), {@code info} (model
 * metadata and execution providers), {@code evaluate} (test accuracy with ONNX Runtime) and {@code
 * robustness} (models on rotated, scaled and shifted test images: accuracy, recovered θ, plots).
 * Entry point: {@link dev.stn4j.cli.StnCli}; everything else is package-private.
 */
package dev.stn4j.cli;
