package dev.stn4j.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stn4j.data.CifarBatch;
import dev.stn4j.image.TestImages;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ConcurrencyTest {
  private static final int THREADS = 8;

  @Test
  void eightThreadsSharingOneClassifierGiveExactlyTheSequentialResults() throws Exception {
    CifarBatch sample = TestImages.sampleSet();
    int n = 400;
    try (StnClassifier c = StnClassifier.builder().intraOpThreads(2).maxBatchSize(32).build()) {
      List<Prediction> sequential = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        sequential.add(c.predict(sample.image(i)));
      }
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      try {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<Prediction>>> futures = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
          int offset = t * 50;
          Callable<List<Prediction>> job =
              () -> {
                start.await();
                // Each thread walks all images from a different start, so calls overlap.
                Prediction[] mine = new Prediction[n];
                for (int k = 0; k < n; k++) {
                  int i = (offset + k) % n;
                  mine[i] = c.predict(sample.image(i));
                }
                return List.of(mine);
              };
          futures.add(pool.submit(job));
        }
        start.countDown();
        for (Future<List<Prediction>> f : futures) {
          assertEquals(sequential, f.get());
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void closingWhileThreadsPredictEndsEachCallCleanly() throws Exception {
    CifarBatch sample = TestImages.sampleSet();
    StnClassifier c = StnClassifier.builder().intraOpThreads(1).build();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      CountDownLatch running = new CountDownLatch(4);
      List<Future<Integer>> futures = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        futures.add(
            pool.submit(
                () -> {
                  int done = 0;
                  running.countDown();
                  try {
                    while (true) {
                      c.predictAll(List.of(sample.image(done % 100), sample.image(1)));
                      done++;
                    }
                  } catch (IllegalStateException closed) {
                    return done;
                  }
                }));
      }
      running.await();
      Thread.sleep(50);
      c.close();
      for (Future<Integer> f : futures) {
        // Anything but IllegalStateException (a crash, a RUNTIME error) fails here.
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
