package dev.stn4j.train.data;

import java.io.IOException;

/**
 * A labelled image folder cannot be trained on as it stands: its one-line message names the folder
 * (or class folder) and the problem, e.g. {@code "photos: 1 class folder (cats); training needs at
 * least 2"}. Thrown before training starts, by {@link ImageTree} (layout) and {@link DecodeCache}
 * (unreadable files).
 *
 * <pre>{@code
 * try {
 *   ImageTree tree = ImageTree.scan(dir);
 * } catch (ImageTreeException e) {
 *   System.err.println(e.getMessage());
 * }
 * }</pre>
 */
public final class ImageTreeException extends IOException {
  private static final long serialVersionUID = 1L;

  /** An error; {@code message} names the folder and the problem. */
  public ImageTreeException(String message) {
    super(message);
  }

  /** As {@link #ImageTreeException(String)}, keeping the cause. */
  public ImageTreeException(String message, Throwable cause) {
    super(message, cause);
  }
}
