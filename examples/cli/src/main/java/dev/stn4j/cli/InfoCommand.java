package dev.stn4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stn4j.image.ImageLoader;
import dev.stn4j.sdk.ModelInfo;
import dev.stn4j.sdk.Provider;
import dev.stn4j.sdk.ProviderSelection;
import dev.stn4j.sdk.StnClassifier;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code stn info}: what the model says about itself, and where it would run. */
@Command(
    name = "info",
    mixinStandardHelpOptions = true,
    description = {
      "Show the model's metadata (classes, image size, normalization, architecture, format"
          + " version, accuracy, training data, producer, checksum, opset, sample set and the"
          + " self-check of embedded samples), the execution providers in this ONNX Runtime build"
          + " and which one would run.",
      "Exit status: 1 when the model's embedded sample images do not give their recorded answers."
    })
final class InfoCommand implements Callable<Integer> {
  /** Class names shown in the text before "...". */
  static final int CLASSES_SHOWN = 20;

  @Spec CommandSpec spec;

  @Mixin ModelOptions model;

  @Option(names = "--json", description = "print one JSON object instead of text")
  boolean json;

  @Override
  public Integer call() throws Exception {
    // The self-check runs below, so a failing model is described rather than refused.
    try (StnClassifier classifier = model.open(0, 0, true, false)) {
      ModelInfo info = classifier.modelInfo();
      SampleSetInfo samples = SampleSetInfo.of(info, classifier);
      String source =
          model.model.model().map(Path::toString).orElse("default (shipped in stn4j-sdk)");
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(json(source, info, samples, classifier.providerSelection()));
      } else {
        text(out, source, info, samples, classifier.providerSelection());
      }
      out.flush();
      return samples.checkFailed() ? 1 : 0;
    }
  }

  private String json(
      String source, ModelInfo info, SampleSetInfo samples, ProviderSelection selection)
      throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode root = mapper.createObjectNode();
    root.put("model", source);
    root.put("format_version", info.formatVersion());
    root.put("architecture", info.architecture());
    root.put("image_size", info.imageSize());
    root.put("class_count", info.classNames().size());
    root.set("classes", mapper.valueToTree(info.classNames()));
    ObjectNode stats = root.putObject("normalization");
    stats.set("mean", mapper.valueToTree(info.normalization().mean()));
    stats.set("std", mapper.valueToTree(info.normalization().std()));
    if (info.testAccuracy().isPresent()) {
      root.put("test_accuracy", info.testAccuracy().getAsDouble());
    } else {
      root.putNull("test_accuracy");
    }
    root.put("training_data", info.trainingData());
    root.put("producer", info.producer());
    root.put("created", info.created());
    root.put("parameters_sha256", info.parametersSha256());
    root.put("opset", info.opset());
    root.put("sample_predictions", info.samplePredictions().map(p -> p.length).orElse(0));
    root.set("sample_set", samples.toJson(mapper));
    root.set(
        "metadata", mapper.valueToTree(SampleSetInfo.shortened(new TreeMap<>(info.metadata()))));
    root.set("providers_in_build", mapper.valueToTree(Provider.availableInBuild()));
    root.put("provider_requested", model.provider.provider().displayName());
    root.put("provider_active", selection.active());
    root.set("providers_skipped", mapper.valueToTree(selection.skipped()));
    root.put("grid_sample", selection.gridSample().description());
    root.put("jpeg_decoder", ImageLoader.jpegDecoder());
    return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root);
  }

  private void text(
      PrintWriter out,
      String source,
      ModelInfo info,
      SampleSetInfo samples,
      ProviderSelection selection) {
    row(out, "model", source);
    row(out, "format version", info.formatVersion());
    row(
        out,
        "architecture",
        info.architecture()
            + (info.hasTransformer()
                ? ": spatial transformer network"
                : ": plain CNN (no spatial transformer; theta is the identity)"));
    row(out, "image size", info.imageSize() + "x" + info.imageSize() + " RGB");
    row(out, "classes", classes(info.classNames()));
    row(
        out,
        "normalization",
        "mean "
            + numbers(info.normalization().mean())
            + "; std "
            + numbers(info.normalization().std()));
    row(
        out,
        "test accuracy",
        info.testAccuracy().isPresent()
            ? String.format(Locale.ROOT, "%.2f %%", 100 * info.testAccuracy().getAsDouble())
            : "not recorded (untrained model?)");
    row(out, "training data", orNone(info.trainingData()));
    row(out, "producer", orNone(info.producer()));
    row(out, "created", orNone(info.created()));
    row(out, "parameters sha256", orNone(info.parametersSha256()));
    row(out, "opset", info.opset() < 0 ? "unknown" : Long.toString(info.opset()));
    row(out, "sample set", samples.describe());
    samples.checkText().ifPresent(check -> row(out, "self-check", check));
    row(out, "providers in build", String.join(", ", Provider.availableInBuild()));
    row(
        out,
        "provider",
        selection.active() + " (requested: " + model.provider.provider().displayName() + ")");
    for (String skipped : selection.skipped()) {
      row(out, "skipped", skipped);
    }
    row(out, "GridSample kernel", selection.gridSample().description());
    row(out, "JPEG decoder", ImageLoader.jpegDecoder());
  }

  /** "3: cat, dog, ship", or the count and the first {@link #CLASSES_SHOWN} when there are more. */
  static String classes(List<String> names) {
    if (names.size() <= CLASSES_SHOWN) {
      return names.size() + ": " + String.join(", ", names);
    }
    return names.size()
        + ": "
        + String.join(", ", names.subList(0, CLASSES_SHOWN))
        + ", ... (first "
        + CLASSES_SHOWN
        + "; --json lists all)";
  }

  private static String numbers(List<Double> values) {
    StringBuilder s = new StringBuilder();
    for (double v : values) {
      s.append(s.length() > 0 ? ", " : "").append(String.format(Locale.ROOT, "%.4f", v));
    }
    return s.toString();
  }

  private static void row(PrintWriter out, String name, String value) {
    out.printf(Locale.ROOT, "%-19s %s%n", name, value);
  }

  private static String orNone(String s) {
    return s == null || s.isEmpty() ? "(not recorded)" : s;
  }
}
