package dev.stn4j.bench;

import dev.stn4j.commandline.ModelOption;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options every bench sub-command shares (a picocli mixin): which model to run and where the
 * sample images are; the inputs follow the model's image size.
 */
final class ModelInputs {
  @Mixin ModelOption model = new ModelOption();

  @Option(names = "--root", description = "Repository root holding data/sample-set (default: .).")
  Path root = ModelLocator.defaultRoot();

  /** The model file to run; see {@link ModelLocator#resolve}. */
  Path modelFile() throws IOException {
    return ModelLocator.resolve(model.model().orElse(null), root);
  }

  /**
   * The inputs of every run, at the model's size: see {@link SampleImages#forModel} (the sample set
   * for the CIFAR-10 models).
   */
  SampleImages sampleImages() throws IOException {
    return SampleImages.forModel(ModelShape.read(modelFile()), root);
  }
}
