package dev.stn4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stn4j.cli.RobustnessResults.LevelResult;
import dev.stn4j.cli.RobustnessResults.ModelResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code stn robustness}'s files and summary: {@code results.json} (everything, with the
 * conventions spelled out), {@code results.csv} (one row per model × kind × level, columns {@link
 * #CSV_COLUMNS}) and a short table on stdout.
 */
final class RobustnessReport {
  static final String JSON_FILE = "results.json";
  static final String CSV_FILE = "results.csv";

  /** The CSV header; the recovered columns are empty for a model without a transformer. */
  static final List<String> CSV_COLUMNS =
      List.of(
          "model",
          "architecture",
          "kind",
          "level",
          "unit",
          "images",
          "correct",
          "accuracy",
          "rotation_median",
          "rotation_q1",
          "rotation_q3",
          "scale_median",
          "scale_q1",
          "scale_q3",
          "shift_median",
          "shift_q1",
          "shift_q3",
          "unrecovered");

  static final String ROTATION_CONVENTION =
      "each image turned by +level or -level degrees (sign drawn per image from the seed),"
          + " positive = counter-clockwise as displayed, about the centre, scale 1, no shift";
  static final String SHIFT_CONVENTION =
      "each image moved level pixels along a direction drawn per image from the seed (uniform over"
          + " the circle), no rotation or scaling";
  static final String SCALE_CONVENTION =
      "content scaled by level about the centre (above 1: enlarged), no rotation or shift";
  static final String RECOVERED_CONVENTION =
      "from theta_rel = theta_distorted composed with the inverse of theta_undistorted (the"
          + " distortion's forward map when the transformer undoes it exactly, so recovered ="
          + " applied): rotation = atan2(M01 - M10, M00 + M11) in degrees, counter-clockwise as"
          + " displayed, multiplied by the image's drawn sign for rotation levels; scale ="
          + " sqrt(|det M|); shift = theta_rel's translation along the applied direction, in"
          + " pixels; median and quartiles (linear interpolation) over the images";
  static final String AT_REST_CONVENTION =
      "what the transformer does to each undistorted image: the warp theta^-1 (content at p"
          + " appears at theta^-1 p), read as the recovered values against the identity: rotation"
          + " in degrees, counter-clockwise as displayed; scale = sqrt(|det|), above 1 = content"
          + " enlarged (zoomed in); shift = length of the move in pixels; median and quartiles over"
          + " the images. Rotation 0, scale 1, shift 0 without spread: theta stayed at the"
          + " identity";
  static final String SPEED_NOTE =
      "images/s: inference time of this run (batches of the run's ranges, decoding and warping"
          + " excluded), on a machine doing other work too: not a benchmark (see 'stn bench')";

  private final RobustnessResults results;

  RobustnessReport(RobustnessResults results) {
    this.results = results;
  }

  void writeJson(Path file) throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode root = mapper.createObjectNode();
    root.put("data", results.data().toString());
    root.put("data_kind", results.tree() ? "tree" : "cifar10-binary");
    root.put("images", results.images());
    root.put("failed", results.failed());
    root.put("seed", results.seed());
    root.put("image_size", results.imageSize());
    ArrayNode classes = root.putArray("classes");
    results.classes().forEach(classes::add);
    ObjectNode conventions = root.putObject("conventions");
    conventions.put("rotation", ROTATION_CONVENTION);
    conventions.put("scale", SCALE_CONVENTION);
    conventions.put("shift", SHIFT_CONVENTION);
    conventions.put("recovered", RECOVERED_CONVENTION);
    conventions.put("theta_at_rest", AT_REST_CONVENTION);
    conventions.put("fill", "the model's normalisation mean, what its sampler fills with");
    conventions.put("images_per_second", SPEED_NOTE);
    ArrayNode models = root.putArray("models");
    for (ModelResult m : results.models()) {
      ObjectNode node = models.addObject();
      node.put("name", m.name());
      node.put("source", m.source());
      node.put("architecture", m.architecture());
      node.put("transformer", m.transformer());
      ArrayNode mean = node.putArray("fill");
      m.mean().forEach(mean::add);
      node.put("undistorted_accuracy", m.accuracy(results.images()));
      node.put("images_classified", m.classified());
      node.put("inference_seconds", m.seconds());
      node.put("images_per_second", m.imagesPerSecond());
      if (m.atRest() != null) {
        ObjectNode rest = node.putObject("theta_at_rest");
        spread(rest, "rotation_degrees", m.atRest().rotation());
        spread(rest, "scale", m.atRest().scale());
        spread(rest, "shift_pixels", m.atRest().shift());
        rest.put("singular", m.atRest().singular());
      }
    }
    ArrayNode levels = root.putArray("results");
    for (LevelResult l : results.levels()) {
      ObjectNode node = levels.addObject();
      node.put("model", l.model());
      node.put("kind", l.distortion().kind().label);
      node.put("level", l.distortion().level());
      node.put("unit", l.distortion().kind().unit);
      node.put("images", l.images());
      node.put("correct", l.correct());
      node.put("accuracy", l.accuracy());
      if (l.rotation() != null || l.unrecovered() > 0) {
        ObjectNode recovered = node.putObject("recovered");
        spread(recovered, "rotation_degrees", l.rotation());
        spread(recovered, "scale", l.scale());
        if (l.distortion().kind() == Distortion.Kind.SHIFT) {
          spread(recovered, "shift_pixels", l.shift());
        }
        recovered.put("unrecovered", l.unrecovered());
      }
    }
    Files.writeString(
        file, mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
  }

  private static void spread(ObjectNode parent, String name, Spread s) {
    if (s == null) {
      parent.putNull(name);
      return;
    }
    ObjectNode node = parent.putObject(name);
    node.put("median", s.median());
    node.put("q1", s.q1());
    node.put("q3", s.q3());
    node.put("iqr", s.iqr());
    node.put("count", s.count());
  }

  void writeCsv(Path file) throws IOException {
    StringBuilder csv = new StringBuilder(String.join(",", CSV_COLUMNS)).append('\n');
    for (LevelResult l : results.levels()) {
      String architecture =
          results.models().stream()
              .filter(m -> m.name().equals(l.model()))
              .findFirst()
              .orElseThrow()
              .architecture();
      List<String> row = new ArrayList<>();
      row.add(l.model());
      row.add(architecture);
      row.add(l.distortion().kind().label);
      row.add(Distortion.format(l.distortion().level()));
      row.add(l.distortion().kind().unit);
      row.add(Long.toString(l.images()));
      row.add(Long.toString(l.correct()));
      row.add(Double.toString(l.accuracy()));
      cells(row, l.rotation());
      cells(row, l.scale());
      cells(row, l.shift());
      row.add(l.rotation() == null && l.unrecovered() == 0 ? "" : Long.toString(l.unrecovered()));
      for (int i = 0; i < row.size(); i++) {
        csv.append(i > 0 ? "," : "").append(CsvWriter.quote(row.get(i)));
      }
      csv.append('\n');
    }
    Files.writeString(file, csv.toString(), StandardCharsets.UTF_8);
  }

  private static void cells(List<String> row, Spread s) {
    row.add(s == null ? "" : Double.toString(s.median()));
    row.add(s == null ? "" : Double.toString(s.q1()));
    row.add(s == null ? "" : Double.toString(s.q3()));
  }

  /** The table on stdout: accuracy per level (one column per model), recovered values, speed. */
  void printText(PrintWriter out) {
    out.printf(
        Locale.ROOT,
        "robustness on %,d images of %s (seed %d, %dx%d)%s%n",
        results.images(),
        results.data(),
        results.seed(),
        results.imageSize(),
        results.imageSize(),
        results.failed() > 0 ? ", " + results.failed() + " unreadable left out" : "");
    for (Distortion.Kind kind : Distortion.Kind.values()) {
      List<LevelResult> first = results.levels(results.models().get(0).name(), kind);
      if (first.isEmpty()) {
        continue;
      }
      out.printf(Locale.ROOT, "%n%s (%s): accuracy", kind.label, kind.unit);
      boolean anyRecovered = false;
      for (ModelResult m : results.models()) {
        anyRecovered |= m.transformer();
      }
      out.println(anyRecovered ? "; recovered median [q1, q3] for transformer models" : "");
      for (int i = 0; i < first.size(); i++) {
        out.printf(Locale.ROOT, "  %-8s", Distortion.format(first.get(i).distortion().level()));
        for (ModelResult m : results.models()) {
          LevelResult l = results.levels(m.name(), kind).get(i);
          out.printf(Locale.ROOT, "  %s %6.2f %%", m.name(), 100 * l.accuracy());
          Spread s = kind == Distortion.Kind.SCALE ? l.scale() : recoveredOf(l, kind);
          if (s != null) {
            String f = kind == Distortion.Kind.SCALE ? "%.3f" : "%.2f";
            out.printf(
                Locale.ROOT, " (" + f + " [" + f + ", " + f + "])", s.median(), s.q1(), s.q3());
          }
        }
        out.println();
      }
    }
    out.println();
    for (ModelResult m : results.models()) {
      out.printf(
          Locale.ROOT,
          "%s (%s): undistorted %.2f %%, %,.0f images/s%n",
          m.name(),
          m.architecture(),
          100 * m.accuracy(results.images()),
          m.imagesPerSecond());
      if (m.atRest() != null && m.atRest().scale() != null) {
        Spread r = m.atRest().rotation();
        Spread z = m.atRest().scale();
        Spread d = m.atRest().shift();
        out.printf(
            Locale.ROOT,
            "  theta on the undistorted images, median [q1, q3]: turns %.2f° [%.2f, %.2f],"
                + " scales %.3f [%.3f, %.3f], moves %.2f px [%.2f, %.2f]%n",
            r.median(),
            r.q1(),
            r.q3(),
            z.median(),
            z.q1(),
            z.q3(),
            d.median(),
            d.q1(),
            d.q3());
      }
    }
    out.println("(" + SPEED_NOTE + ")");
  }

  private static Spread recoveredOf(LevelResult l, Distortion.Kind kind) {
    return kind == Distortion.Kind.SHIFT ? l.shift() : l.rotation();
  }
}
