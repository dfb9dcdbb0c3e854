/**
 * Getting images to the trainer.
 *
 * <p>CIFAR-10's binary batches: locating and checking the files ({@link
 * dev.stn4j.train.data.CifarFiles}) and downloading them once into a per-user cache ({@link
 * dev.stn4j.train.data.CifarDownloader}).
 *
 * <p>Labelled image folders: scanning one ({@link dev.stn4j.train.data.ImageTree}, errors as {@link
 * dev.stn4j.train.data.ImageTreeException}, what was left out as {@link
 * dev.stn4j.train.data.SkippedFiles}), decoding it once into a memory-mapped cache of the SDK's
 * pre-processed floats ({@link dev.stn4j.train.data.DecodeCache}), holding out a stratified
 * validation split ({@link dev.stn4j.train.data.StratifiedSplit}) and the per-channel statistics of
 * the training split ({@link dev.stn4j.train.data.ChannelStats}).
 *
 * <p>Both meet in {@link dev.stn4j.train.data.TrainingImages} (labelled 3×S×S images in [0,1]),
 * from which {@link dev.stn4j.train.data.BatchFiller} fills augmented mini-batches.
 */
package dev.stn4j.train.data;
