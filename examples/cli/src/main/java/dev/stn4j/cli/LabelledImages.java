package dev.stn4j.cli;

import dev.stn4j.data.CifarBatch;
import dev.stn4j.files.ImageFile;
import dev.stn4j.files.ImageWalk;
import dev.stn4j.image.ImageLoader;
import dev.stn4j.image.Preprocessor;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The labelled test images of {@link TestData}, read a range at a time so that memory stays flat:
 * CIFAR-10's records, or a tree's files decoded (on worker threads) and pre-processed as {@code stn
 * evaluate} does them. A file that cannot be decoded is a failed image, not the end of the run.
 */
final class LabelledImages implements AutoCloseable {
  /**
   * One test image: pre-processed pixels and true class, or why there are none.
   *
   * @param image 3×S×S floats in [0,1], or null on failure
   * @param label the true class, or -1 on failure
   * @param error why the image is missing, with its name, or null
   */
  record Image(float[] image, int label, String error) {}

  private final CifarBatch batch;
  private final List<ImageFile> files;
  private final Preprocessor preprocessor;
  private final ExecutorService workers;

  private LabelledImages(
      CifarBatch batch, List<ImageFile> files, Preprocessor preprocessor, int threads) {
    this.batch = batch;
    this.files = files;
    this.preprocessor = preprocessor;
    this.workers =
        files == null
            ? null
            : Executors.newFixedThreadPool(
                Math.max(1, threads),
                r -> {
                  Thread t = new Thread(r, "stn-decode");
                  t.setDaemon(true);
                  return t;
                });
  }

  /**
   * The images of {@code data} for models of these classes and size: with {@code limit} > 0 at most
   * that many, CIFAR's first records (the batch is in random order) or, from a tree (sorted by
   * class), a sample drawn with {@code seed}, kept in tree order.
   */
  static LabelledImages open(
      TestData data,
      List<String> classes,
      int size,
      int limit,
      long seed,
      int threads,
      PrintWriter warnings)
      throws IOException {
    if (!data.tree()) {
      CifarBatch batch = CifarBatch.read(data.path());
      if (limit > 0 && limit < batch.size()) {
        batch = batch.head(limit);
      }
      return new LabelledImages(batch, null, null, threads);
    }
    List<ImageFile> files =
        ImageWalk.of(classes, w -> warnings.println("stn robustness: " + w)).findTree(data.path());
    if (limit > 0 && limit < files.size()) {
      files = sample(files, limit, seed);
    }
    return new LabelledImages(null, files, Preprocessor.ofSize(size), threads);
  }

  /** {@code n} of {@code files}, drawn with {@code seed}, in their original order. */
  static List<ImageFile> sample(List<ImageFile> files, int n, long seed) {
    // Selection sampling (Knuth's algorithm S): one pass, every subset of n equally likely.
    SplittableRandom random = new SplittableRandom(seed);
    List<ImageFile> chosen = new ArrayList<>(n);
    for (int i = 0; i < files.size() && chosen.size() < n; i++) {
      if (random.nextInt(files.size() - i) < n - chosen.size()) {
        chosen.add(files.get(i));
      }
    }
    return chosen;
  }

  int size() {
    return batch != null ? batch.size() : files.size();
  }

  /** Images {@code [from, to)}, in order. */
  List<Image> load(int from, int to) throws IOException {
    List<Image> images = new ArrayList<>(to - from);
    if (batch != null) {
      for (int i = from; i < to; i++) {
        images.add(new Image(batch.image(i), batch.label(i), null));
      }
      return images;
    }
    List<Future<Outcome>> pending = new ArrayList<>(to - from);
    ImageLoader loader = ImageLoader.defaults();
    for (int i = from; i < to; i++) {
      ImageFile file = files.get(i);
      pending.add(workers.submit(() -> BatchPipeline.decode(file, loader, preprocessor)));
    }
    for (int i = from; i < to; i++) {
      Outcome o;
      try {
        o = pending.get(i - from).get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while decoding " + files.get(i).path(), e);
      } catch (java.util.concurrent.ExecutionException e) {
        o = Outcome.failure(files.get(i), "cannot decode: " + e.getCause());
      }
      images.add(
          o.image() != null
              ? new Image(o.image(), o.input().trueClass(), null)
              : new Image(null, -1, o.input().path() + ": " + o.error()));
    }
    return images;
  }

  @Override
  public void close() {
    if (workers != null) {
      workers.shutdownNow();
    }
  }
}
