package dev.stn4j.bench;

import java.util.List;

/**
 * What every {@link Runner} over the sample set shares: the spec it was opened with, the sample
 * images cut into batches of the spec's size, and which batch a step classifies (cycling through
 * them), so all runtimes are timed on the same inputs in the same order.
 */
abstract class SampleRunner implements Runner {
  private final RunSpec spec;
  private final List<SampleImages.Batch> batches;
  private final int imageSize;

  SampleRunner(RunSpec spec, SampleImages images) {
    this.spec = spec;
    this.batches = images.batches(spec.batch());
    this.imageSize = images.imageSize();
  }

  /** Side S of the input images: the model's. */
  final int imageSize() {
    return imageSize;
  }

  @Override
  public final RunSpec spec() {
    return spec;
  }

  /** The batch that step {@code step} classifies. */
  final SampleImages.Batch batch(int step) {
    return batches.get(step % batches.size());
  }
}
