package dev.stn4j.bench;

/**
 * One runtime loaded with the model and ready to classify batches of sample images. Not thread-safe
 * unless the runtime says so: each caller thread of the harness owns its step counter.
 *
 * <pre>{@code
 * try (Runner r = Runners.open(spec, SampleImages.load(root))) {
 *   Object out = r.run(0); // classifies the first batch
 * }
 * }</pre>
 */
public interface Runner extends AutoCloseable {
  /** The configuration this runner was opened with. */
  RunSpec spec();

  /**
   * Classifies batch number {@code step} (cycling through the sample set) and copies the outputs
   * (probabilities, θ, warped image) into Java memory, as a user would.
   *
   * @return something derived from the outputs, for the caller to consume (JMH's Blackhole)
   */
  Object run(int step) throws Exception;

  @Override
  void close() throws Exception;
}
