/**
 * What every application that classifies image collections needs around the classifier: {@link
 * dev.stn4j.files.ImageWalk} finds the image files under paths (recursively, loop-safe, labelling
 * files in class-named folders) and {@link dev.stn4j.files.LabelledSummary} counts the outcome
 * (accuracy, per class, confusion). Used by {@code stn classify} and {@code stn spark}.
 *
 * <pre>{@code
 * List<ImageFile> files = ImageWalk.of(classes, System.err::println).find(List.of(dir));
 * LabelledSummary summary = LabelledSummary.of(classes);
 * }</pre>
 */
package dev.stn4j.files;
