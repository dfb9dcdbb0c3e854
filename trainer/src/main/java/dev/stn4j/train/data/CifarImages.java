package dev.stn4j.train.data;

import dev.stn4j.data.Cifar10;
import dev.stn4j.data.CifarBatch;
import java.util.Objects;

/** {@link TrainingImages} over CIFAR-10's records held in memory. */
final class CifarImages implements TrainingImages {
  private final CifarBatch batch;

  CifarImages(CifarBatch batch) {
    this.batch = Objects.requireNonNull(batch, "batch");
  }

  @Override
  public int size() {
    return batch.size();
  }

  @Override
  public int imageSize() {
    return Cifar10.WIDTH;
  }

  @Override
  public int label(int i) {
    return batch.label(i);
  }

  @Override
  public void copyImage(int i, float[] dst, int offset) {
    batch.copyImage(i, dst, offset);
  }

  @Override
  public String toString() {
    return batch.source();
  }
}
