package dev.stn4j.bench;

import dev.stn4j.sdk.PredictionResult;
import dev.stn4j.sdk.StnClassifier;
import dev.stn4j.sdk.StnException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the SDK does in process, measured in the same run as the load so that a row's requests/s can
 * be read as a fraction of it; and the classes every valid request must get. One classifier of one
 * intra-op thread, as the server builds it, called by a fixed number of threads in place of the
 * server's workers.
 *
 * @param imagesPerSecond {@code predictEach} on lists of all the images, by {@code CALLERS} threads
 * @param expectedClasses the SDK's class of each image
 */
record PredictEachReference(double imagesPerSecond, int[] expectedClasses) {
  private static final int CALLERS = 2;

  PredictEachReference {
    expectedClasses = expectedClasses.clone();
  }

  @Override
  public int[] expectedClasses() {
    return expectedClasses.clone();
  }

  static PredictEachReference measure(List<float[]> images, double warmupSeconds, double seconds)
      throws StnException, InterruptedException {
    try (StnClassifier classifier = StnClassifier.builder().intraOpThreads(1).build()) {
      int[] expected =
          classifier.predictAll(images).stream().mapToInt(p -> p.classIndex()).toArray();
      AtomicLong done = new AtomicLong();
      long warmupEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
      long end = warmupEnd + (long) (seconds * 1e9);
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < CALLERS; t++) {
        Thread thread =
            new Thread(
                () -> {
                  while (System.nanoTime() < end) {
                    List<PredictionResult> r = classifier.predictEach(images);
                    if (System.nanoTime() > warmupEnd && System.nanoTime() < end) {
                      done.addAndGet(r.size());
                    }
                  }
                });
        threads.add(thread);
        thread.start();
      }
      for (Thread t : threads) {
        t.join();
      }
      return new PredictEachReference(done.get() / seconds, expected);
    }
  }
}
