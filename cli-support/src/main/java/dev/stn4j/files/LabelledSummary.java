package dev.stn4j.files;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Counts of a classification run and, for inputs in a labelled tree ({@code <class name>/<file>},
 * see {@link ImageWalk}), accuracy, per-class accuracy and the confusion matrix (rows: true class,
 * columns: predicted class). Accuracy is over the labelled images that were classified; failed
 * files are counted apart, never as wrong answers. The summary of {@code stn classify} and {@code
 * stn spark}, as text ({@link #toText()}) and JSON ({@link #toJson()}).
 *
 * <pre>{@code
 * LabelledSummary summary = LabelledSummary.of(classifier.modelInfo().classNames());
 * summary.addClassified(file.trueClass(), prediction.classIndex());   // or addFailed()
 * System.err.print(summary.toText());
 * }</pre>
 *
 * <p>With many classes (more than {@link #MATRIX_MAX_CLASSES}, e.g. 1,000) the confusion matrix
 * would be unreadable and huge: the text and the JSON then give the {@link #TOP_CONFUSIONS} most
 * frequent confusions instead ({@link #topConfusions(int)}), and the per-class table lists only the
 * classes that have images.
 *
 * <p>A mutable accumulator: not thread-safe; counts are added, never taken back.
 */
public final class LabelledSummary {
  /** The most classes for which the full confusion matrix is printed and written to JSON. */
  public static final int MATRIX_MAX_CLASSES = 20;

  /** How many of the most frequent confusions the summary lists. */
  public static final int TOP_CONFUSIONS = 20;

  /**
   * One cell of the confusion matrix off its diagonal.
   *
   * <pre>{@code
   * for (LabelledSummary.Confusion c : summary.topConfusions(5)) {
   *   System.out.println(names.get(c.trueClass()) + " -> " + names.get(c.predictedClass()));
   * }
   * }</pre>
   *
   * @param trueClass the folder's class
   * @param predictedClass the class the model gave
   * @param count how many images
   */
  public record Confusion(int trueClass, int predictedClass, long count) {}

  private final List<String> classNames;
  private final long[][] confusion;
  private long images;
  private long failed;

  private LabelledSummary(List<String> classNames) {
    this.classNames = List.copyOf(classNames);
    this.confusion = new long[classNames.size()][classNames.size()];
  }

  /** An empty summary over the model's classes, in index order. */
  public static LabelledSummary of(List<String> classNames) {
    if (classNames.isEmpty()) {
      throw new IllegalArgumentException("classNames is empty");
    }
    return new LabelledSummary(classNames);
  }

  /**
   * One classified image.
   *
   * @param trueClass the class its folder names, or -1 when unlabelled
   * @param predictedClass the class the model gave it
   */
  public void addClassified(int trueClass, int predictedClass) {
    addClassified(trueClass, predictedClass, 1);
  }

  /** {@code count} classified images with the same true and predicted class (counts of a job). */
  public void addClassified(int trueClass, int predictedClass, long count) {
    int n = classNames.size();
    if (trueClass < -1 || trueClass >= n) {
      throw new IllegalArgumentException(
          "trueClass must be in -1.." + (n - 1) + ", got " + trueClass);
    }
    if (predictedClass < 0 || predictedClass >= n) {
      throw new IllegalArgumentException(
          "predictedClass must be in 0.." + (n - 1) + ", got " + predictedClass);
    }
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0, got " + count);
    }
    images += count;
    if (trueClass >= 0) {
      confusion[trueClass][predictedClass] += count;
    }
  }

  /** One input that got no prediction (it is not a wrong answer). */
  public void addFailed() {
    addFailed(1);
  }

  /** {@code count} inputs that got no prediction. */
  public void addFailed(long count) {
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0, got " + count);
    }
    images += count;
    failed += count;
  }

  /** The class names, in index order. */
  public List<String> classNames() {
    return classNames;
  }

  /** Inputs counted, classified or failed. */
  public long images() {
    return images;
  }

  /** Inputs that got a prediction. */
  public long classified() {
    return images - failed;
  }

  /** Inputs that got no prediction. */
  public long failed() {
    return failed;
  }

  /** Classified images that sat in a class-named folder. */
  public long labelled() {
    long n = 0;
    for (long[] row : confusion) {
      for (long v : row) {
        n += v;
      }
    }
    return n;
  }

  /** Labelled images whose prediction is their folder's class. */
  public long correct() {
    long n = 0;
    for (int i = 0; i < confusion.length; i++) {
      n += confusion[i][i];
    }
    return n;
  }

  /** The confusion matrix, {@code [true][predicted]} (a copy). */
  public long[][] confusion() {
    long[][] copy = new long[confusion.length][];
    for (int i = 0; i < confusion.length; i++) {
      copy[i] = confusion[i].clone();
    }
    return copy;
  }

  /**
   * The {@code n} most frequent confusions (true class ≠ predicted class, count > 0), most frequent
   * first, ties by true then predicted class.
   */
  public List<Confusion> topConfusions(int n) {
    List<Confusion> all = new ArrayList<>();
    for (int t = 0; t < confusion.length; t++) {
      for (int p = 0; p < confusion.length; p++) {
        if (t != p && confusion[t][p] > 0) {
          all.add(new Confusion(t, p, confusion[t][p]));
        }
      }
    }
    all.sort(
        Comparator.comparingLong(Confusion::count)
            .reversed()
            .thenComparingInt(Confusion::trueClass)
            .thenComparingInt(Confusion::predictedClass));
    return List.copyOf(all.subList(0, Math.min(n, all.size())));
  }

  private boolean fullMatrix() {
    return classNames.size() <= MATRIX_MAX_CLASSES;
  }

  /** Accuracy over labelled classified images, or NaN when there are none. */
  public double accuracy() {
    long labelled = labelled();
    return labelled == 0 ? Double.NaN : (double) correct() / labelled;
  }

  private long classImages(int c) {
    long n = 0;
    for (long v : confusion[c]) {
      n += v;
    }
    return n;
  }

  /**
   * The summary as one pretty-printed JSON object: {@code images, classified, failed, labelled,
   * accuracy} (null when nothing is labelled){@code , classes, per_class, top_confusions} ({@code
   * [{"true":name,"predicted":name,"count":n}]}) and, up to {@link #MATRIX_MAX_CLASSES} classes,
   * {@code confusion}; beyond that {@code per_class} holds only the classes with images.
   */
  public String toJson() {
    ObjectMapper mapper = new ObjectMapper();
    try {
      return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(toJsonTree(mapper));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e); // a tree of numbers and strings always serialises
    }
  }

  private ObjectNode toJsonTree(ObjectMapper mapper) {
    ObjectNode root = mapper.createObjectNode();
    root.put("images", images);
    root.put("classified", images - failed);
    root.put("failed", failed);
    root.put("labelled", labelled());
    long labelled = labelled();
    if (labelled == 0) {
      root.putNull("accuracy");
    } else {
      root.put("accuracy", accuracy());
    }
    root.set("classes", mapper.valueToTree(classNames));
    ObjectNode perClass = root.putObject("per_class");
    for (int c = 0; c < classNames.size(); c++) {
      long n = classImages(c);
      if (n == 0 && !fullMatrix()) {
        continue;
      }
      ObjectNode entry = perClass.putObject(classNames.get(c));
      entry.put("images", n);
      entry.put("correct", confusion[c][c]);
      if (n == 0) {
        entry.putNull("accuracy");
      } else {
        entry.put("accuracy", (double) confusion[c][c] / n);
      }
    }
    ArrayNode top = root.putArray("top_confusions");
    for (Confusion c : topConfusions(TOP_CONFUSIONS)) {
      ObjectNode entry = top.addObject();
      entry.put("true", classNames.get(c.trueClass()));
      entry.put("predicted", classNames.get(c.predictedClass()));
      entry.put("count", c.count());
    }
    if (!fullMatrix()) {
      return root;
    }
    ArrayNode matrix = root.putArray("confusion");
    for (long[] row : confusion) {
      ArrayNode r = matrix.addArray();
      for (long v : row) {
        r.add(v);
      }
    }
    return root;
  }

  /** The human-readable summary: counts, then accuracy, per class and confusion if labelled. */
  public String toText() {
    StringBuilder s = new StringBuilder();
    s.append(
        String.format(
            Locale.ROOT,
            "%,d file%s: %,d classified, %,d failed%n",
            images,
            images == 1 ? "" : "s",
            images - failed,
            failed));
    long labelled = labelled();
    if (labelled == 0) {
      return s.toString();
    }
    s.append(
        String.format(
            Locale.ROOT,
            "accuracy %.2f %% (%,d of %,d images in class-named folders)%n",
            100 * accuracy(),
            correct(),
            labelled));
    int nameWidth = classNames.stream().mapToInt(String::length).max().orElse(5);
    s.append("per class:\n");
    for (int c = 0; c < classNames.size(); c++) {
      long n = classImages(c);
      if (n > 0) {
        s.append(
            String.format(
                Locale.ROOT,
                "  %-" + nameWidth + "s %6.2f %% (%d/%d)%n",
                classNames.get(c),
                100.0 * confusion[c][c] / n,
                confusion[c][c],
                n));
      }
    }
    if (!fullMatrix()) {
      appendTopConfusions(s, nameWidth);
      return s.toString();
    }
    s.append("confusion matrix (rows: true class, columns: predicted class):\n");
    int cell = 6;
    for (long[] row : confusion) {
      for (long v : row) {
        cell = Math.max(cell, Long.toString(v).length() + 1);
      }
    }
    s.append(" ".repeat(nameWidth + 2));
    for (String name : classNames) {
      String head = name.length() > cell - 1 ? name.substring(0, cell - 1) : name;
      s.append(String.format(Locale.ROOT, "%" + cell + "s", head));
    }
    s.append('\n');
    for (int c = 0; c < classNames.size(); c++) {
      s.append(String.format(Locale.ROOT, "  %-" + nameWidth + "s", classNames.get(c)));
      for (long v : confusion[c]) {
        s.append(String.format(Locale.ROOT, "%" + cell + "d", v));
      }
      s.append('\n');
    }
    return s.toString();
  }

  private void appendTopConfusions(StringBuilder s, int nameWidth) {
    List<Confusion> top = topConfusions(TOP_CONFUSIONS);
    if (top.isEmpty()) {
      s.append("no confusions\n");
      return;
    }
    s.append(
        String.format(
            Locale.ROOT, "most frequent confusions (%d classes: no matrix):%n", classNames.size()));
    for (Confusion c : top) {
      s.append(
          String.format(
              Locale.ROOT,
              "  %-" + nameWidth + "s -> %-" + nameWidth + "s %,d%n",
              classNames.get(c.trueClass()),
              classNames.get(c.predictedClass()),
              c.count()));
    }
  }
}
