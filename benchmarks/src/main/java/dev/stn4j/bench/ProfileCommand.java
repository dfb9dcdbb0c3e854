package dev.stn4j.bench;

import ai.onnxruntime.OrtSession.SessionOptions;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./stn bench profile}: runs the raw ONNX Runtime baseline with ORT's profiler on and prints
 * the time per operator type (GridSample, Conv, ...) and per node.
 */
@Command(
    name = "profile",
    mixinStandardHelpOptions = true,
    description = "Per-operator time inside ONNX Runtime (ORT profiling of the raw baseline).")
final class ProfileCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ModelInputs inputs;

  @Option(names = "--batch", description = "Batch size (default: 1).")
  int batch = 1;

  @Option(names = "--threads", description = "Intra-op threads (default: 1).")
  int threads = 1;

  @Option(names = "--iterations", description = "Profiled runs after warm-up (default: 2000).")
  int iterations = 2000;

  @Option(names = "--warmup-iterations", description = "Runs left out (default: 200).")
  int warmup = 200;

  @Option(
      names = "--variant",
      description = "A graph/settings variant from `bench levers` (default: baseline).")
  String variant = "baseline";

  @Option(
      names = "--optimized-model",
      description = "Also write the graph as ONNX Runtime optimised it (for inspection).")
  Path optimizedModel;

  @Option(
      names = "--keep-profile",
      paramLabel = "DIR",
      description =
          "Keep ONNX Runtime's profile JSON in DIR (about 100 MB for 2,000 runs); by default it is"
              + " summarised and deleted.")
  Path keepProfile;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Path modelFile = inputs.modelFile();
    Variant v = Variant.byName(variant);
    Path variantModel = v.model(modelFile);
    Path dir =
        keepProfile != null
            ? Files.createDirectories(keepProfile)
            : Files.createTempDirectory("stn4j-profile");
    RunSpec rs = new RunSpec(RuntimeKind.ORT_RAW, ProviderKind.CPU, batch, threads, variantModel);
    SessionOptions options = OrtRawRunner.sessionOptions(v.settings(rs.sessionSettings()));
    options.enableProfiling(dir.resolve("ort").toString());
    if (optimizedModel != null) {
      options.setOptimizedModelFilePath(optimizedModel.toString());
    }
    String profile;
    try (OrtRawRunner runner = new OrtRawRunner(rs, options, inputs.sampleImages())) {
      for (int i = 0; i < warmup + iterations; i++) {
        runner.run(i);
      }
      profile = runner.endProfiling();
    }
    try {
      out.printf(
          "%s, variant %s, profile %s%n",
          rs, v.name(), keepProfile != null ? profile : "(deleted; --keep-profile DIR keeps it)");
      OpProfile.read(Path.of(profile), warmup).print(out);
    } finally {
      if (keepProfile == null) {
        Files.deleteIfExists(Path.of(profile));
        Files.deleteIfExists(dir);
      }
    }
    return 0;
  }
}
