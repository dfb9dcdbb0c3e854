package dev.stn4j.train.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a scan of an image folder left out and why: hidden files and folders, files that are not
 * images by their extension, files outside the class folders, symbolic-link loops and the like.
 * Counted per reason, with the first few paths as examples for the log.
 *
 * <pre>{@code
 * SkippedFiles skipped = tree.skipped();
 * if (skipped.total() > 0) System.out.println(skipped.summary()); // "3 skipped: 2 hidden, ..."
 * }</pre>
 *
 * @param counts files (or folders, for hidden ones and loops) per reason, reasons sorted
 * @param examples up to {@link #MAX_EXAMPLES} {@code "path (reason)"} strings, in scan order
 */
public record SkippedFiles(SortedMap<String, Integer> counts, List<String> examples) {
  /** How many example paths are kept. */
  public static final int MAX_EXAMPLES = 5;

  /** Reason: the name starts with a dot. */
  public static final String HIDDEN = "hidden";

  /** Reason: the extension is not one the SDK's image loader reads. */
  public static final String NOT_AN_IMAGE = "not an image file";

  /** Reason: a file directly in the tree's folder, not in a class folder. */
  public static final String OUTSIDE_CLASSES = "outside the class folders";

  /** Reason: a symbolic link leads back to a folder it is in. */
  public static final String LINK_LOOP = "symbolic link loop";

  public SkippedFiles {
    counts = Collections.unmodifiableSortedMap(new TreeMap<>(counts));
    examples = List.copyOf(examples);
  }

  /** Nothing skipped. */
  public static final SkippedFiles NONE = new SkippedFiles(new TreeMap<>(), List.of());

  /** The number skipped, all reasons together. */
  public int total() {
    int n = 0;
    for (int c : counts.values()) {
      n += c;
    }
    return n;
  }

  /**
   * One line for a log or message: {@code "3 skipped: 2 hidden, 1 not an image file (e.g.
   * cats/notes.txt (not an image file))"}, or {@code "nothing skipped"}.
   */
  public String summary() {
    if (counts.isEmpty()) {
      return "nothing skipped";
    }
    StringBuilder s = new StringBuilder().append(total()).append(" skipped: ");
    String sep = "";
    for (Map.Entry<String, Integer> e : counts.entrySet()) {
      s.append(sep).append(e.getValue()).append(' ').append(e.getKey());
      sep = ", ";
    }
    return s.append(" (e.g. ").append(String.join(", ", examples)).append(')').toString();
  }

  /** Collects skipped files during a scan. */
  static final class Tally {
    private final TreeMap<String, Integer> counts = new TreeMap<>();
    private final List<String> examples = new ArrayList<>();

    void add(String path, String reason) {
      counts.merge(reason, 1, Integer::sum);
      if (examples.size() < MAX_EXAMPLES) {
        examples.add(path + " (" + reason + ")");
      }
    }

    void addAll(SkippedFiles other) {
      other.counts.forEach((reason, n) -> counts.merge(reason, n, Integer::sum));
      for (String e : other.examples) {
        if (examples.size() < MAX_EXAMPLES) {
          examples.add(e);
        }
      }
    }

    SkippedFiles result() {
      return new SkippedFiles(counts, examples);
    }
  }
}
