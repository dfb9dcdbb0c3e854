/**
 * The STN in DJL: its shape (image size and classes, {@link dev.stn4j.train.model.StnShape}), its
 * parameter layout ({@link dev.stn4j.train.model.StnParameter}), engine-free weights ({@link
 * dev.stn4j.train.model.StnWeights}), the input normalisation ({@link
 * dev.stn4j.train.model.Normalization}), the network ({@link dev.stn4j.train.model.StnModel}) and
 * PyTorch's affine grid sampler rebuilt from DJL operations ({@link
 * dev.stn4j.train.model.AffineSampler}).
 */
package dev.stn4j.train.model;
