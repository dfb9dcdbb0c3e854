package dev.stn4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stn4j.sdk.ModelInfo;
import dev.stn4j.sdk.Provider;
import dev.stn4j.sdk.ProviderSelection;
import dev.stn4j.sdk.StnClassifier;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
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
    description =
        "Show the model's metadata (classes, accuracy, training data, producer, checksum, opset),"
            + " the execution providers in this ONNX Runtime build and which one would run.")
final class InfoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ModelOptions model;

  @Option(names = "--json", description = "print one JSON object instead of text")
  boolean json;

  @Override
  public Integer call() throws Exception {
    try (StnClassifier classifier = model.open(0, 0, true)) {
      ModelInfo info = classifier.modelInfo();
      ProviderSelection selection = classifier.providerSelection();
      List<String> inBuild = Provider.availableInBuild();
      String source =
          model.model.model().map(Path::toString).orElse("default (shipped in stn4j-sdk)");
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("model", source);
        root.set("classes", mapper.valueToTree(info.classNames()));
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
        root.set("metadata", mapper.valueToTree(info.metadata()));
        root.set("providers_in_build", mapper.valueToTree(inBuild));
        root.put("provider_requested", model.provider.provider().displayName());
        root.put("provider_active", selection.active());
        root.set("providers_skipped", mapper.valueToTree(selection.skipped()));
        root.put("grid_sample", selection.gridSample().description());
        out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root));
      } else {
        row(out, "model", source);
        row(out, "classes", String.join(", ", info.classNames()));
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
        row(
            out,
            "sample answers",
            info.samplePredictions()
                .map(p -> p.length + " recorded at export")
                .orElse("not recorded"));
        row(out, "providers in build", String.join(", ", inBuild));
        row(
            out,
            "provider",
            selection.active() + " (requested: " + model.provider.provider().displayName() + ")");
        for (String skipped : selection.skipped()) {
          row(out, "skipped", skipped);
        }
        row(out, "GridSample kernel", selection.gridSample().description());
      }
      out.flush();
      return 0;
    }
  }

  private static void row(PrintWriter out, String name, String value) {
    out.printf(Locale.ROOT, "%-19s %s%n", name, value);
  }

  private static String orNone(String s) {
    return s == null || s.isEmpty() ? "(not recorded)" : s;
  }
}
