package dev.stn4j.export;

import dev.stn4j.files.ImageFile;
import dev.stn4j.files.ImageWalk;
import dev.stn4j.image.ImageLoader;
import dev.stn4j.image.Preprocessor;
import dev.stn4j.sdk.StnException;
import dev.stn4j.train.data.TrainingImages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The images of a labelled tree (one sub-folder per class of the model, see {@link
 * ImageWalk#findTree}) as a model's input, decoded and pre-processed exactly as the SDK does
 * ({@link ImageLoader#defaults()}, then {@link Preprocessor#ofSize}). Files are decoded when an
 * image is asked for, so a tree of large images never sits in memory as floats; a file that cannot
 * be decoded then throws {@link UncheckedIOException} naming it.
 *
 * <pre>{@code
 * TreeImages test = TreeImages.of(Path.of("trees/digits/test"), classNames, 32);
 * TreeImages calibration = TreeImages.of(Path.of("trees/digits/train"), classNames, 32)
 *     .interleaved(1000);
 * }</pre>
 */
final class TreeImages implements TrainingImages {
  private final Path root;
  private final List<ImageFile> files;
  private final Preprocessor preprocessor;
  private final ImageLoader loader = ImageLoader.defaults();

  private TreeImages(Path root, List<ImageFile> files, Preprocessor preprocessor) {
    this.root = root;
    this.files = List.copyOf(files);
    this.preprocessor = preprocessor;
  }

  /**
   * Every image of the tree at {@code root}, labelled by its folder's index in {@code classNames},
   * classes in folder order, files sorted by path within each.
   *
   * @throws IOException naming the tree when it is not a folder, has a sub-folder that is not one
   *     of the classes, holds no image, or a path under it cannot be read
   */
  static TreeImages of(Path root, List<String> classNames, int imageSize) throws IOException {
    List<ImageFile> files;
    try {
      files = ImageWalk.of(classNames, w -> {}).findTree(root);
    } catch (IllegalArgumentException e) {
      throw new IOException(e.getMessage(), e);
    }
    for (ImageFile f : files) {
      if (f.problem() != null) {
        throw new IOException(f.path() + ": " + f.problem());
      }
    }
    if (files.isEmpty()) {
      throw new IOException(root + ": no images in its class folders");
    }
    return new TreeImages(root, files, Preprocessor.ofSize(imageSize));
  }

  /**
   * The first {@code n} images taken class by class in turn: the first file of each class folder
   * (in folder order), then the second of each, and so on, so that every class is represented
   * however the folders are sized. All of them when the tree holds fewer.
   */
  TreeImages interleaved(int n) {
    List<List<ImageFile>> byClass = new ArrayList<>();
    int last = Integer.MIN_VALUE;
    for (ImageFile f : files) {
      if (f.trueClass() != last) {
        byClass.add(new ArrayList<>());
        last = f.trueClass();
      }
      byClass.get(byClass.size() - 1).add(f);
    }
    List<ImageFile> picked = new ArrayList<>();
    for (int round = 0; picked.size() < Math.min(n, files.size()); round++) {
      for (List<ImageFile> c : byClass) {
        if (round < c.size() && picked.size() < n) {
          picked.add(c.get(round));
        }
      }
    }
    return new TreeImages(root, picked, preprocessor);
  }

  /** The tree's folder as given. */
  Path root() {
    return root;
  }

  /** The file of image {@code i}. */
  Path file(int i) {
    return files.get(i).path();
  }

  @Override
  public int size() {
    return files.size();
  }

  @Override
  public int imageSize() {
    return preprocessor.size();
  }

  @Override
  public int label(int i) {
    return files.get(i).trueClass();
  }

  @Override
  public void copyImage(int i, float[] dst, int offset) {
    try {
      preprocessor.chw(loader.read(files.get(i).path()), dst, offset);
    } catch (StnException e) {
      // The loader's message names the file and the problem.
      throw new UncheckedIOException(new IOException(e.getMessage(), e));
    }
  }
}
