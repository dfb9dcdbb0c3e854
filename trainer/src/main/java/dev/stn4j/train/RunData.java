package dev.stn4j.train;

import dev.stn4j.data.Cifar10;
import dev.stn4j.data.CifarBatch;
import dev.stn4j.train.data.TrainingImages;
import dev.stn4j.train.model.Normalization;
import dev.stn4j.train.model.StnShape;
import java.util.List;

/**
 * What a run trains and evaluates on: its splits, the class names, the normalisation the model
 * applies, and the images its exported model embeds to check itself.
 *
 * @param description what the data is, for the model's provenance (e.g. "CIFAR-10")
 * @param validation held-out training images, or null for none
 * @param test test images, or null (an image folder without {@code --test-dir})
 * @param samples images for the exported model's embedded sample set, or null (CIFAR-10 models
 *     refer to the repository's sample set instead)
 */
record RunData(
    String description,
    List<String> classNames,
    Normalization normalization,
    TrainingImages train,
    TrainingImages validation,
    TrainingImages test,
    SampleImages samples) {
  RunData {
    classNames = List.copyOf(classNames);
    if (validation == null && test == null) {
      throw new IllegalArgumentException("a run needs a validation or a test split");
    }
  }

  /** CIFAR-10's batches, normalised with the seed's constants. */
  static RunData cifar(
      String description, CifarBatch train, CifarBatch validation, CifarBatch test) {
    return new RunData(
        description,
        Cifar10.CLASS_NAMES,
        Normalization.CIFAR10,
        TrainingImages.of(train),
        validation == null ? null : TrainingImages.of(validation),
        TrainingImages.of(test),
        null);
  }

  /** The network these images and classes need. */
  StnShape shape() {
    return new StnShape(train.imageSize(), classNames.size());
  }
}
