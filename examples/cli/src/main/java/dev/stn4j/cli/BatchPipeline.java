package dev.stn4j.cli;

import dev.stn4j.files.ImageFile;
import dev.stn4j.image.ImageLoader;
import dev.stn4j.image.Preprocessor;
import dev.stn4j.sdk.PredictionResult;
import dev.stn4j.sdk.StnClassifier;
import dev.stn4j.sdk.StnException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Decodes inputs on a pool of worker threads and classifies them in batches on the calling thread,
 * handing every outcome on in input order. Decoding runs ahead of inference by a bounded window
 * (two batches), so memory stays flat however many files there are, and a file that cannot be
 * decoded or classified becomes a failure outcome without stopping the run.
 */
final class BatchPipeline implements AutoCloseable {
  /** Receives outcomes in input order. */
  interface Sink {
    void accept(Outcome outcome) throws IOException;
  }

  private final StnClassifier classifier;
  private final ImageLoader loader;
  private final int batchSize;
  private final ExecutorService workers;

  BatchPipeline(StnClassifier classifier, ImageLoader loader, int workers, int batchSize) {
    this.classifier = classifier;
    this.loader = loader;
    this.batchSize = batchSize;
    this.workers =
        Executors.newFixedThreadPool(
            workers,
            r -> {
              Thread t = new Thread(r, "stn-decode");
              t.setDaemon(true);
              return t;
            });
  }

  /** Runs every input through decoding and inference; outcomes reach {@code sink} in order. */
  void run(List<ImageFile> inputs, Sink sink) throws IOException {
    int window = Math.max(2 * batchSize, 64);
    ArrayDeque<Future<Outcome>> pending = new ArrayDeque<>();
    List<Outcome> batch = new ArrayList<>();
    int decoded = 0;
    int submitted = 0;
    for (int i = 0; i < inputs.size(); i++) {
      while (submitted < inputs.size() && submitted < i + window) {
        ImageFile input = inputs.get(submitted++);
        pending.add(workers.submit(() -> decode(input, loader, classifier.preprocessor())));
      }
      Outcome outcome = await(pending.poll(), inputs.get(i));
      batch.add(outcome);
      if (outcome.image() != null && ++decoded == batchSize) {
        classify(batch, sink);
        decoded = 0;
      }
    }
    classify(batch, sink);
  }

  /**
   * Decodes and pre-processes one file; a decoded image is an outcome without a prediction yet, a
   * file that cannot be decoded a failure saying why (never an exception).
   */
  static Outcome decode(ImageFile input, ImageLoader loader, Preprocessor preprocessor) {
    if (input.problem() != null) {
      return Outcome.failure(input, input.problem());
    }
    try {
      BufferedImage image = loader.read(input.path(), preprocessor.size());
      return new Outcome(input, preprocessor.chw(image), null, null);
    } catch (StnException e) {
      return Outcome.failure(input, withoutPath(e.getMessage(), input.path()));
    } catch (RuntimeException e) {
      // A decoder plug-in's own bug on a malformed file must not end the run.
      return Outcome.failure(input, "cannot decode: " + e);
    } catch (OutOfMemoryError e) {
      return Outcome.failure(
          input, "not enough memory to decode it (raise -Xmx with STN_JAVA_OPTS)");
    }
  }

  private void classify(List<Outcome> batch, Sink sink) throws IOException {
    List<float[]> images = new ArrayList<>();
    for (Outcome o : batch) {
      if (o.image() != null) {
        images.add(o.image());
      }
    }
    // One result per image: an image the SDK refuses, or a failed run, does not take the others.
    List<PredictionResult> results = images.isEmpty() ? List.of() : classifier.predictEach(images);
    int k = 0;
    for (Outcome o : batch) {
      if (o.image() == null) {
        sink.accept(o);
        continue;
      }
      PredictionResult r = results.get(k++);
      if (r instanceof PredictionResult.Success s) {
        sink.accept(Outcome.success(o.input(), o.image(), s.prediction()));
      } else if (r instanceof PredictionResult.Failure f) {
        sink.accept(Outcome.failure(o.input(), "inference failed: " + f.error().getMessage()));
      }
    }
    batch.clear();
  }

  private static Outcome await(Future<Outcome> future, ImageFile input) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Outcome.failure(input, "interrupted");
    } catch (ExecutionException e) {
      return Outcome.failure(input, "cannot decode: " + e.getCause());
    }
  }

  /** The SDK's messages start with the file name, which the record already carries. */
  static String withoutPath(String message, Path path) {
    if (message == null) {
      return "cannot read it";
    }
    String prefix = path + ": ";
    return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
  }

  @Override
  public void close() {
    workers.shutdownNow();
  }
}
