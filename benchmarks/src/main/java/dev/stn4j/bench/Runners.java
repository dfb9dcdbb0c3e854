package dev.stn4j.bench;

/** Opens the {@link Runner} for a {@link RunSpec}. */
public final class Runners {
  private Runners() {}

  /**
   * Loads the model into the spec's runtime on the spec's provider.
   *
   * @throws UnavailableException when that runtime or provider cannot run here, with the reason
   * @throws Exception when the model cannot be loaded
   */
  public static Runner open(RunSpec spec, SampleImages images) throws Exception {
    return open(spec, images, spec.batch());
  }

  /**
   * Like {@link #open(RunSpec, SampleImages)}, with the SDK classifier's {@code maxBatchSize} set
   * apart from the batch handed to {@code predictAll} (other runtimes ignore it).
   */
  public static Runner open(RunSpec spec, SampleImages images, int sdkMaxBatch) throws Exception {
    return switch (spec.runtime()) {
      case SDK -> new SdkRunner(spec, images, sdkMaxBatch);
      case ORT_RAW -> new OrtRawRunner(spec, spec.sessionSettings(), images);
      case DJL_ORT -> new DjlOrtRunner(spec, spec.sessionSettings(), images);
      case DJL_PYTORCH -> new DjlPytorchRunner(spec, images);
    };
  }
}
