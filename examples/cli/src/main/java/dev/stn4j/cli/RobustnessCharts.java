package dev.stn4j.cli;

import dev.stn4j.cli.RobustnessResults.LevelResult;
import dev.stn4j.cli.RobustnessResults.ModelResult;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * {@code stn robustness}'s plots as PNG, with XChart: accuracy against each kind of distortion
 * given (one line per model), and the rotation (and scale) the transformer models recovered against
 * those applied, beside the identity line that a perfect inverse would follow.
 */
final class RobustnessCharts {
  static final String IDENTITY = "recovered = applied";

  private final RobustnessResults results;

  RobustnessCharts(RobustnessResults results) {
    this.results = results;
  }

  /** Writes the plots that have data into {@code dir}; returns the files written. */
  List<Path> write(Path dir) throws IOException {
    List<Path> written = new ArrayList<>();
    for (Distortion.Kind kind : Distortion.Kind.values()) {
      String axis = kind == Distortion.Kind.ROTATION ? "angle" : kind.label;
      XYChart accuracy =
          chart("Accuracy vs " + axis, axis(kind), "accuracy (%)", kind, l -> 100 * l.accuracy());
      if (accuracy != null) {
        written.add(save(accuracy, dir.resolve("accuracy-vs-" + axis + ".png")));
      }
    }
    for (Distortion.Kind kind : List.of(Distortion.Kind.ROTATION, Distortion.Kind.SCALE)) {
      Function<LevelResult, Double> recovered =
          kind == Distortion.Kind.ROTATION
              ? l -> l.rotation() == null ? null : l.rotation().median()
              : l -> l.scale() == null ? null : l.scale().median();
      XYChart chart =
          chart(
              "Recovered vs applied " + kind.label + " (median over images)",
              "applied " + axis(kind),
              "recovered " + axis(kind),
              kind,
              recovered);
      if (chart != null) {
        double[] levels = levels(kind);
        XYSeries identity = chart.addSeries(IDENTITY, levels, levels);
        identity.setMarker(SeriesMarkers.NONE);
        identity.setLineStyle(SeriesLines.DASH_DASH);
        identity.setLineColor(Color.GRAY);
        written.add(save(chart, dir.resolve("recovered-" + kind.label + ".png")));
      }
    }
    return written;
  }

  private static String axis(Distortion.Kind kind) {
    return kind.label + " (" + kind.unit + ")";
  }

  /** A chart with one line per model that has a value at every level, or null if none has. */
  private XYChart chart(
      String title,
      String xTitle,
      String yTitle,
      Distortion.Kind kind,
      Function<LevelResult, Double> value) {
    XYChart chart = null;
    for (ModelResult m : results.models()) {
      List<LevelResult> levels = sorted(results.levels(m.name(), kind));
      if (levels.isEmpty() || levels.stream().anyMatch(l -> value.apply(l) == null)) {
        continue;
      }
      if (chart == null) {
        chart =
            new XYChartBuilder()
                .width(700)
                .height(450)
                .title(title)
                .xAxisTitle(xTitle)
                .yAxisTitle(yTitle)
                .build();
      }
      chart.addSeries(
          m.name(),
          levels.stream().mapToDouble(l -> l.distortion().level()).toArray(),
          levels.stream().mapToDouble(value::apply).toArray());
    }
    return chart;
  }

  private double[] levels(Distortion.Kind kind) {
    return sorted(results.levels(results.models().get(0).name(), kind)).stream()
        .mapToDouble(l -> l.distortion().level())
        .toArray();
  }

  private static List<LevelResult> sorted(List<LevelResult> levels) {
    return levels.stream().sorted(Comparator.comparingDouble(l -> l.distortion().level())).toList();
  }

  private static Path save(XYChart chart, Path file) throws IOException {
    BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    // XChart adds ".png" to a name that does not end in it; the name given does.
    return file;
  }
}
