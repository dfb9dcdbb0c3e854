/**
 * The data end of the pipeline: CIFAR-10's facts ({@link dev.stn4j.data.Cifar10}) and its official
 * binary record format ({@link dev.stn4j.data.CifarBatch}), shared by the trainer, the exporter,
 * the SDK's tests, the CLI and the benchmarks.
 */
package dev.stn4j.data;
