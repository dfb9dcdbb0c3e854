package dev.stn4j.train.data;

import dev.stn4j.sdk.StnException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Decodes every file of a tree once, on a few threads, and writes the floats in tree order
 * (unreadable files left out) into a data file: the slow half of {@link DecodeCache}.
 */
final class CacheBuilder {
  /** Turns one file into 3·S·S floats; the SDK's loader and pre-processor by default. */
  interface Decoder {
    void decode(Path file, float[] dst) throws StnException;
  }

  /** What was written: the labels of the images kept, and the files left out. */
  record Built(int[] labels, List<DecodeCache.Unreadable> unreadable) {}

  private record Decoded(float[] values, String error) {}

  // Decoded images waiting to be written: up to 8 per thread keeps the threads busy while the
  // writer catches up; at most 32 MiB of them (but 1 per thread) bounds the heap at large S.
  private static final int QUEUED_PER_THREAD = 8;
  private static final long QUEUED_BYTES = 32L << 20;

  private final ImageTree tree;
  private final int values;
  private final Decoder decoder;
  private final int threads;
  private final int queued;

  CacheBuilder(ImageTree tree, int imageSize, Decoder decoder, int threads) {
    this.tree = tree;
    this.values = 3 * imageSize * imageSize;
    this.decoder = decoder;
    this.threads = threads;
    long fit = QUEUED_BYTES / ((long) values * Float.BYTES);
    this.queued = (int) Math.max(threads, Math.min(threads * QUEUED_PER_THREAD, fit));
  }

  Built write(Path data, PrintStream progress) throws IOException {
    int n = tree.size();
    int[] labels = new int[n];
    int kept = 0;
    List<DecodeCache.Unreadable> unreadable = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(threads, CacheBuilder::daemon);
    ByteBuffer bytes = ByteBuffer.allocate(values * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    try (FileChannel out =
            FileChannel.open(data, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        ProgressBar bar = progressBar(progress, n)) {
      ArrayDeque<Future<Decoded>> queue = new ArrayDeque<>();
      int next = 0;
      for (int i = 0; i < n; i++) {
        while (next < n && queue.size() < queued) {
          Path file = tree.file(next++);
          queue.add(pool.submit(() -> decode(file)));
        }
        Decoded d = take(queue.poll());
        if (d.error() != null) {
          unreadable.add(new DecodeCache.Unreadable(tree.relativePath(i), d.error()));
          checkUnreadable(unreadable, n);
        } else {
          bytes.clear();
          bytes.asFloatBuffer().put(d.values());
          while (bytes.hasRemaining()) {
            out.write(bytes);
          }
          labels[kept++] = tree.label(i);
        }
        if (bar != null) {
          bar.step();
        }
      }
      out.force(false);
    } finally {
      pool.shutdownNow();
    }
    return new Built(Arrays.copyOf(labels, kept), List.copyOf(unreadable));
  }

  private Decoded decode(Path file) {
    float[] dst = new float[values];
    try {
      decoder.decode(file, dst);
      return new Decoded(dst, null);
    } catch (StnException e) {
      return new Decoded(null, e.getMessage());
    } catch (RuntimeException e) {
      // A decoder tripping over odd pixel data: one bad file, not a reason to stop the run.
      return new Decoded(null, file + ": cannot pre-process: " + e);
    }
  }

  private static Decoded take(Future<Decoded> future) throws IOException {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while decoding images");
    } catch (ExecutionException e) {
      throw new IOException("decoding failed: " + e.getCause(), e.getCause());
    }
  }

  /**
   * More than 1 % unreadable stops the run: a tree that broken is more likely a wrong folder or a
   * failed copy than a few bad files worth training around.
   */
  void checkUnreadable(List<DecodeCache.Unreadable> unreadable, int total)
      throws ImageTreeException {
    if ((long) unreadable.size() * 100 <= total) {
      return;
    }
    StringBuilder first = new StringBuilder();
    for (int i = 0; i < Math.min(3, unreadable.size()); i++) {
      first.append(i == 0 ? "" : "; ").append(unreadable.get(i).message());
    }
    throw new ImageTreeException(
        String.format(
            "%s: %,d or more of %,d image files are unreadable (more than 1 %%), e.g. %s",
            tree.root(), unreadable.size(), total, first));
  }

  private static ProgressBar progressBar(PrintStream progress, int n) {
    if (progress == null) {
      return null;
    }
    return new ProgressBarBuilder()
        .setTaskName("decoding images")
        .setInitialMax(n)
        .setStyle(ProgressBarStyle.ASCII)
        .setUpdateIntervalMillis(1000)
        .setConsumer(new ConsoleProgressBarConsumer(progress))
        .build();
  }

  private static Thread daemon(Runnable r) {
    Thread t = new Thread(r, "stn4j-decode");
    t.setDaemon(true);
    return t;
  }
}
