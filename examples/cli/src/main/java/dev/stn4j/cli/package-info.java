/**
 * The {@code stn} command line: {@code classify} (image files and folders to JSON lines or CSV,
 * with a summary for labelled trees, warped images and the seed's figure), {@code info} (model
 * metadata and execution providers) and {@code evaluate} (test accuracy with ONNX Runtime). Entry
 * point: {@link dev.stn4j.cli.StnCli}; everything else is package-private.
 */
package dev.stn4j.cli;
