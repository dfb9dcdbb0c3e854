package dev.stn4j.bench;

import dev.stn4j.sdk.ErrorCode;
import dev.stn4j.sdk.Prediction;
import dev.stn4j.sdk.StnClassifier;
import dev.stn4j.sdk.StnException;

/**
 * The stn4j SDK as a user calls it: {@code predict(float[])} at batch 1, {@code predictAll} with
 * {@code maxBatchSize} = the batch otherwise; the timed work includes building the {@link
 * Prediction} objects. The classifier is thread-safe, so one runner may serve many caller threads.
 */
final class SdkRunner extends SampleRunner {
  private final StnClassifier classifier;

  /**
   * @param maxBatchSize the classifier's {@code maxBatchSize}: how many images one ONNX Runtime run
   *     takes; {@code predictAll} splits larger batches into runs of this size
   */
  SdkRunner(RunSpec spec, SampleImages images, int maxBatchSize)
      throws StnException, UnavailableException {
    super(spec, images);
    try {
      classifier =
          StnClassifier.builder()
              .model(spec.model())
              .provider(spec.provider().toProvider())
              .intraOpThreads(spec.threads())
              .maxBatchSize(maxBatchSize)
              .build();
    } catch (StnException e) {
      if (e.code() == ErrorCode.PROVIDER_UNAVAILABLE) {
        throw new UnavailableException(e.getMessage(), e);
      }
      throw e;
    }
  }

  /** The classifier, for the multi-threaded and memory runs. */
  StnClassifier classifier() {
    return classifier;
  }

  @Override
  public Object run(int step) throws StnException {
    SampleImages.Batch batch = batch(step);
    if (batch.size() == 1) {
      return classifier.predict(batch.images().get(0));
    }
    return classifier.predictAll(batch.images());
  }

  @Override
  public void close() {
    classifier.close();
  }
}
