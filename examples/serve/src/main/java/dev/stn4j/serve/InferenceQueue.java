package dev.stn4j.serve;

import dev.stn4j.sdk.ErrorCode;
import dev.stn4j.sdk.Prediction;
import dev.stn4j.sdk.PredictionResult;
import dev.stn4j.sdk.StnException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The inference endpoints' way to the {@link DynamicBatcher}: it queues a request's images and
 * answers the request once, with the predictions or with the error that kept them, so that infer
 * and classify, over REST and gRPC, refuse and time out alike.
 */
final class InferenceQueue {
  /** What an endpoint sends once all of a request's images are predicted. */
  interface Answer {
    void send(List<Prediction> predictions) throws IOException;
  }

  private final DynamicBatcher batcher;
  private final long timeoutMs;
  private final AtomicInteger inFlight;

  /** {@code inFlight} counts the requests queued and not yet answered. */
  InferenceQueue(DynamicBatcher batcher, Duration requestTimeout, AtomicInteger inFlight) {
    this.batcher = batcher;
    this.timeoutMs = requestTimeout.toMillis();
    this.inFlight = inFlight;
  }

  /**
   * Where a request's outcome goes, for any protocol: its predictions, or the error that kept them
   * (a request answered with an error never sees its predictions).
   */
  interface Outcome {
    void predicted(List<Prediction> predictions) throws HttpError, IOException;

    void failed(HttpError error);
  }

  /**
   * Queues the images; answers with {@code answer} when all of them are predicted, with 400/500
   * when one failed, with 503 when the request waited past its timeout.
   *
   * @throws HttpError 400 when the request could never fit the queue, 503 when it is full now
   */
  void submit(Exchange ex, List<float[]> images, Answer answer) throws HttpError {
    submit(
        images,
        timeoutMs,
        new Outcome() {
          @Override
          public void predicted(List<Prediction> predictions) throws IOException {
            answer.send(predictions);
          }

          @Override
          public void failed(HttpError error) {
            ex.error(error);
          }
        });
  }

  /** The request timeout, in milliseconds. */
  long timeoutMs() {
    return timeoutMs;
  }

  /**
   * Queues the images for at most {@code timeoutMs}; tells {@code outcome} once, when all of them
   * are predicted or when the request failed, waited past its timeout or was cancelled.
   *
   * @return the request's result: cancelling it drops the request from the queue
   * @throws HttpError 400 when the request could never fit the queue, 503 when it is full now
   */
  CompletableFuture<?> submit(List<float[]> images, long timeoutMs, Outcome outcome)
      throws HttpError {
    if (images.size() > batcher.maxQueueImages()) {
      // Not 503: that would tell the client to retry a request that can never be queued.
      throw HttpError.badRequest(
          "the request has "
              + images.size()
              + " images; the server queues at most "
              + batcher.maxQueueImages()
              + " (--max-queue)");
    }
    DynamicBatcher.Job job;
    try {
      job = batcher.submit(images);
    } catch (DynamicBatcher.Rejected e) {
      throw new HttpError(503, e.shuttingDown ? "shutting_down" : "queue_full", e.getMessage());
    }
    inFlight.incrementAndGet();
    job.result
        .orTimeout(timeoutMs, TimeUnit.MILLISECONDS)
        .whenComplete(
            (results, failure) -> {
              inFlight.decrementAndGet();
              try {
                if (failure != null) {
                  outcome.failed(failed(failure, timeoutMs));
                } else {
                  outcome.predicted(predictions(results));
                }
              } catch (HttpError e) {
                outcome.failed(e);
              } catch (RuntimeException | IOException e) {
                outcome.failed(new HttpError(500, "internal", "internal error: " + e));
              }
            });
    return job.result;
  }

  private static HttpError failed(Throwable failure, long timeoutMs) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (cause instanceof CancellationException) {
      return new HttpError(499, "cancelled", "the client cancelled the request");
    }
    if (cause instanceof TimeoutException) {
      return new HttpError(
          503, "timeout", "no answer within the request timeout of " + timeoutMs + " ms");
    }
    return new HttpError(500, "internal", "inference failed: " + cause);
  }

  /** The predictions, or the first image's failure as 400 (bad input) or 500. */
  private static List<Prediction> predictions(List<PredictionResult> results) throws HttpError {
    List<Prediction> predictions = new ArrayList<>(results.size());
    for (int i = 0; i < results.size(); i++) {
      PredictionResult r = results.get(i);
      if (r instanceof PredictionResult.Failure bad) {
        StnException e = bad.error();
        boolean invalid = e.code() == ErrorCode.INVALID_INPUT;
        throw new HttpError(
            invalid ? 400 : 500,
            invalid ? "bad_request" : "internal",
            "image " + i + ": " + e.getMessage());
      }
      predictions.add(((PredictionResult.Success) r).prediction());
    }
    return predictions;
  }
}
