package dev.stn4j.cli;

import dev.stn4j.sdk.WarpedImage;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Point;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * The seed's figure: up to 64 inputs as a grid titled "Dataset Images" beside the same images after
 * the spatial transformer, "Transformed Images". Inputs are shown as the model saw them
 * (pre-processed to 32×32), the warped images as the model returns them ([0,1] RGB), both enlarged
 * without smoothing, so the colours are the data's own.
 */
final class GridFigure {
  static final int MAX_IMAGES = 64;
  private static final int COLUMNS = 8;

  /** Side of one enlarged image in the figure (32 pixels ×3). */
  static final int CELL = 96;

  private static final int PAD = 2;
  private static final int MARGIN = 16;
  private static final int TITLE = 36;

  private final List<BufferedImage> inputs = new ArrayList<>();
  private final List<BufferedImage> warped = new ArrayList<>();

  /** Adds a classified outcome while fewer than {@link #MAX_IMAGES} are held. */
  void add(Outcome outcome) {
    if (outcome.ok() && inputs.size() < MAX_IMAGES) {
      // The input as an image by the SDK's one CHW → RGB conversion, the one the warped panel uses.
      inputs.add(WarpedImage.of(outcome.image()).toBufferedImage());
      warped.add(outcome.prediction().warped().toBufferedImage());
    }
  }

  int size() {
    return inputs.size();
  }

  /** Writes the figure as PNG; false when there was nothing to draw. */
  boolean write(Path file) throws IOException {
    if (inputs.isEmpty()) {
      return false;
    }
    int panelWidth = panelWidth(inputs.size());
    int width = 2 * panelWidth + 3 * MARGIN;
    int height = panelHeight(inputs.size()) + TITLE + 2 * MARGIN;
    BufferedImage figure = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = figure.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 20));
      List<String> titles = List.of("Dataset Images", "Transformed Images");
      List<List<BufferedImage>> panels = List.of(inputs, warped);
      for (int panel = 0; panel < 2; panel++) {
        int x = MARGIN + panel * (panelWidth + MARGIN);
        FontMetrics m = g.getFontMetrics();
        g.setColor(Color.BLACK);
        g.drawString(
            titles.get(panel),
            x + (panelWidth - m.stringWidth(titles.get(panel))) / 2,
            MARGIN + 24);
        g.fillRect(x, MARGIN + TITLE, panelWidth, panelHeight(inputs.size()));
        g.setRenderingHint(
            RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        List<BufferedImage> images = panels.get(panel);
        for (int i = 0; i < images.size(); i++) {
          Point at = cellOrigin(images.size(), panel, i);
          g.drawImage(images.get(i), at.x, at.y, CELL, CELL, null);
        }
      }
    } finally {
      g.dispose();
    }
    if (!ImageIO.write(figure, "png", file.toFile())) {
      throw new IOException(file + ": no PNG writer available");
    }
    return true;
  }

  /**
   * Top-left pixel of image {@code index} in {@code panel} (0: inputs, 1: warped) of a figure of
   * {@code images} images; each image fills a {@code CELL}×{@code CELL} square from there.
   */
  static Point cellOrigin(int images, int panel, int index) {
    int x = MARGIN + panel * (panelWidth(images) + MARGIN) + PAD + (index % COLUMNS) * (CELL + PAD);
    int y = MARGIN + TITLE + PAD + (index / COLUMNS) * (CELL + PAD);
    return new Point(x, y);
  }

  private static int panelWidth(int images) {
    return Math.min(COLUMNS, images) * (CELL + PAD) + PAD;
  }

  private static int panelHeight(int images) {
    return (images + COLUMNS - 1) / COLUMNS * (CELL + PAD) + PAD;
  }
}
