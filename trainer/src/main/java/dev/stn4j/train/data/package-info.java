/**
 * Getting CIFAR-10 to the trainer: locating and checking the binary files ({@link
 * dev.stn4j.train.data.CifarFiles}), downloading them once into a per-user cache ({@link
 * dev.stn4j.train.data.CifarDownloader}) and filling mini-batches ({@link
 * dev.stn4j.train.data.BatchFiller}).
 */
package dev.stn4j.train.data;
