/**
 * {@code stn train}: the training loop ({@link dev.stn4j.train.TrainCommand}), its settings ({@link
 * dev.stn4j.train.TrainSettings}) and checkpoints ({@link dev.stn4j.train.Checkpoint}), which the
 * exporter reads.
 */
package dev.stn4j.train;
