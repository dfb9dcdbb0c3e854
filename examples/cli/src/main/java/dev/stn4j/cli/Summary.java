package dev.stn4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;

/**
 * Counts of a {@code stn classify} run and, for inputs in a labelled tree ({@code <class
 * name>/<file>}), accuracy, per-class accuracy and the confusion matrix (rows: true class, columns:
 * predicted class). Accuracy is over the labelled images that were classified; failed files are
 * counted apart, never as wrong answers.
 */
final class Summary {
  private final List<String> classNames;
  private final long[][] confusion;
  private int images;
  private int failed;

  Summary(List<String> classNames) {
    this.classNames = List.copyOf(classNames);
    this.confusion = new long[classNames.size()][classNames.size()];
  }

  void add(Outcome outcome) {
    images++;
    if (!outcome.ok()) {
      failed++;
    } else if (outcome.input().labelled()) {
      confusion[outcome.input().trueClass()][outcome.prediction().classIndex()]++;
    }
  }

  int images() {
    return images;
  }

  int failed() {
    return failed;
  }

  /** Classified images that sat in a class-named folder. */
  long labelled() {
    long n = 0;
    for (long[] row : confusion) {
      for (long v : row) {
        n += v;
      }
    }
    return n;
  }

  long correct() {
    long n = 0;
    for (int i = 0; i < confusion.length; i++) {
      n += confusion[i][i];
    }
    return n;
  }

  /** Accuracy over labelled classified images, or NaN when there are none. */
  double accuracy() {
    long labelled = labelled();
    return labelled == 0 ? Double.NaN : (double) correct() / labelled;
  }

  long classImages(int c) {
    long n = 0;
    for (long v : confusion[c]) {
      n += v;
    }
    return n;
  }

  /** The summary as JSON: images, classified, failed, labelled, accuracy, per_class, confusion. */
  ObjectNode toJson(ObjectMapper mapper) {
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
      ObjectNode entry = perClass.putObject(classNames.get(c));
      long n = classImages(c);
      entry.put("images", n);
      entry.put("correct", confusion[c][c]);
      if (n == 0) {
        entry.putNull("accuracy");
      } else {
        entry.put("accuracy", (double) confusion[c][c] / n);
      }
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

  /** The human-readable summary printed on stderr. */
  String toText() {
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
}
