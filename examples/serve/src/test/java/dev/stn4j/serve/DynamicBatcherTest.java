package dev.stn4j.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stn4j.sdk.ErrorCode;
import dev.stn4j.sdk.Prediction;
import dev.stn4j.sdk.PredictionResult;
import dev.stn4j.sdk.StnClassifier;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DynamicBatcherTest {
  private static StnClassifier classifier;

  @BeforeAll
  static void load() throws Exception {
    classifier = StnClassifier.builder().intraOpThreads(1).build();
  }

  @AfterAll
  static void close() {
    classifier.close();
  }

  private static ServeMetrics metrics() {
    return new ServeMetrics(() -> 0, () -> 0, () -> 0, () -> 0, () -> 0);
  }

  private static String scrape(ServeMetrics m) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    m.write(out);
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void queuedRequestsRunTogetherUpToMaxBatchAndEachGetsItsOwnAnswers() throws Exception {
    List<float[]> images = Samples.images(40);
    List<Prediction> expected = classifier.predictAll(images);
    ServeMetrics m = metrics();
    try (DynamicBatcher batcher = new DynamicBatcher(classifier, 16, 1_000_000, 1024, 1, m)) {
      batcher.hold(true);
      List<DynamicBatcher.Job> jobs = new ArrayList<>();
      for (float[] image : images) {
        jobs.add(batcher.submit(List.of(image)));
      }
      assertEquals(40, batcher.queuedImages());
      batcher.hold(false);
      for (int i = 0; i < jobs.size(); i++) {
        List<PredictionResult> r = jobs.get(i).result.get(10, TimeUnit.SECONDS);
        assertEquals(1, r.size());
        assertEquals(expected.get(i), r.get(0).get());
      }
    }
    // 40 queued images, at most 16 per run: 16 + 16 + 8.
    String text = scrape(m);
    assertTrue(text.contains("stn_batch_images_count 3"), text);
    assertTrue(text.contains("stn_batch_images_sum 40.0"), text);
  }

  @Test
  void maxBatchOneRunsEveryRequestAlone() throws Exception {
    ServeMetrics m = metrics();
    try (DynamicBatcher batcher = new DynamicBatcher(classifier, 1, 1_000_000, 1024, 1, m)) {
      batcher.hold(true);
      List<DynamicBatcher.Job> jobs = new ArrayList<>();
      for (float[] image : Samples.images(5)) {
        jobs.add(batcher.submit(List.of(image)));
      }
      batcher.hold(false);
      for (DynamicBatcher.Job job : jobs) {
        assertTrue(job.result.get(10, TimeUnit.SECONDS).get(0).succeeded());
      }
    }
    assertTrue(scrape(m).contains("stn_batch_images_sum 5.0"));
    assertTrue(scrape(m).contains("stn_batch_images_bucket{le=\"1.0\"} 5"));
  }

  @Test
  void aBadRequestInABatchFailsAloneAndTheOthersAreAnswered() throws Exception {
    List<float[]> images = Samples.images(3);
    float[] bad = images.get(1).clone();
    bad[100] = Float.NaN;
    ServeMetrics m = metrics();
    try (DynamicBatcher batcher = new DynamicBatcher(classifier, 64, 1_000_000, 1024, 1, m)) {
      batcher.hold(true);
      DynamicBatcher.Job first = batcher.submit(List.of(images.get(0)));
      DynamicBatcher.Job broken = batcher.submit(List.of(images.get(1), bad));
      DynamicBatcher.Job last = batcher.submit(List.of(images.get(2)));
      batcher.hold(false);
      assertEquals(
          classifier.predict(images.get(0)), first.result.get(10, TimeUnit.SECONDS).get(0).get());
      assertEquals(
          classifier.predict(images.get(2)), last.result.get(10, TimeUnit.SECONDS).get(0).get());
      List<PredictionResult> b = broken.result.get(10, TimeUnit.SECONDS);
      assertTrue(b.get(0).succeeded());
      assertFalse(b.get(1).succeeded());
      assertEquals(ErrorCode.INVALID_INPUT, ((PredictionResult.Failure) b.get(1)).error().code());
    }
    // All four images went through one run.
    assertTrue(scrape(m).contains("stn_batch_images_count 1"));
  }

  @Test
  void aFullQueueRefusesAndClosingAnswersWhatWasQueued() throws Exception {
    List<float[]> images = Samples.images(4);
    DynamicBatcher batcher = new DynamicBatcher(classifier, 64, 0, 3, 2, metrics());
    batcher.hold(true);
    DynamicBatcher.Job a = batcher.submit(List.of(images.get(0), images.get(1)));
    DynamicBatcher.Job b = batcher.submit(List.of(images.get(2)));
    DynamicBatcher.Rejected full =
        assertThrows(DynamicBatcher.Rejected.class, () -> batcher.submit(List.of(images.get(3))));
    assertFalse(full.shuttingDown);
    assertTrue(full.getMessage().contains("queue full: 3 images waiting, room for 3"));
    batcher.hold(false);
    batcher.close();
    assertTrue(a.result.isDone() && b.result.isDone(), "close() answers the queued requests");
    assertArrayEquals(
        classifier.predict(images.get(2)).probabilities(),
        b.result.get().get(0).get().probabilities());
    DynamicBatcher.Rejected closed =
        assertThrows(DynamicBatcher.Rejected.class, () -> batcher.submit(List.of(images.get(3))));
    assertTrue(closed.shuttingDown);
  }

  @Test
  void requestsThatTimedOutInAFullQueueMakeRoomAtOnce() throws Exception {
    List<float[]> images = Samples.images(4);
    try (DynamicBatcher batcher = new DynamicBatcher(classifier, 64, 0, 3, 2, metrics())) {
      batcher.hold(true);
      DynamicBatcher.Job a = batcher.submit(List.of(images.get(0), images.get(1)));
      batcher.submit(List.of(images.get(2)));
      // The server's request timeout answers a waiting request before any worker has seen it.
      a.result.completeExceptionally(new java.util.concurrent.TimeoutException());
      DynamicBatcher.Job d = batcher.submit(List.of(images.get(3)));
      assertEquals(2, batcher.queuedImages());
      batcher.hold(false);
      assertArrayEquals(
          classifier.predict(images.get(3)).probabilities(),
          d.result.get().get(0).get().probabilities());
    }
  }

  @Test
  void aRequestThatTimedOutInTheQueueIsSkipped() throws Exception {
    ServeMetrics m = metrics();
    try (DynamicBatcher batcher = new DynamicBatcher(classifier, 64, 0, 10, 1, m)) {
      batcher.hold(true);
      DynamicBatcher.Job late = batcher.submit(Samples.images(1));
      late.result.orTimeout(1, TimeUnit.MILLISECONDS);
      Thread.sleep(50);
      assertTrue(late.result.isCompletedExceptionally());
      DynamicBatcher.Job next = batcher.submit(Samples.images(2));
      batcher.hold(false);
      assertEquals(2, next.result.get(10, TimeUnit.SECONDS).size());
    }
    assertTrue(scrape(m).contains("stn_batch_images_sum 2.0"), "the timed-out image never ran");
  }
}
