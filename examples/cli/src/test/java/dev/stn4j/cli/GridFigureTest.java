package dev.stn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stn4j.files.ImageFile;
import dev.stn4j.sdk.Prediction;
import dev.stn4j.sdk.Theta;
import dev.stn4j.sdk.WarpedImage;
import java.awt.Point;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The figure's cells hold the images' own pixels, enlarged ×3 without smoothing. */
class GridFigureTest {
  private static final int SIDE = 32;
  private static final int PLANE = SIDE * SIDE;

  @Test
  void eachCellIsItsImageConvertedLikeTheSdkDoes(@TempDir Path dir) throws Exception {
    float[] input = pattern(0);
    float[] warped = pattern(7);
    GridFigure grid = new GridFigure();
    grid.add(outcome(input, warped));
    Path file = dir.resolve("grid.png");

    assertTrue(grid.write(file));

    BufferedImage figure = ImageIO.read(file.toFile());
    assertCell(figure, 0, input);
    assertCell(figure, 1, warped);
  }

  /**
   * Values over the whole range and beyond it (clamped), and NaN (black), different in every pixel
   * and channel, so a swapped channel, a transposed axis or a different rounding shows.
   */
  private static float[] pattern(int shift) {
    float[] chw = new float[3 * PLANE];
    for (int i = 0; i < chw.length; i++) {
      chw[i] = ((i * 37 + shift) % 301) / 250f - 0.1f;
    }
    chw[5] = Float.NaN;
    chw[PLANE + 6] = Float.POSITIVE_INFINITY;
    return chw;
  }

  /** What the figure must show for one pixel: clamped to [0,1], ×255 (float), rounded. */
  private static int expectedRgb(float[] chw, int x, int y) {
    int i = y * SIDE + x;
    return (toByte(chw[i]) << 16) | (toByte(chw[PLANE + i]) << 8) | toByte(chw[2 * PLANE + i]);
  }

  private static int toByte(float v) {
    if (Float.isNaN(v)) {
      return 0;
    }
    return Math.round((v < 0f ? 0f : v > 1f ? 1f : v) * 255f);
  }

  private static void assertCell(BufferedImage figure, int panel, float[] chw) {
    Point at = GridFigure.cellOrigin(1, panel, 0);
    int scale = GridFigure.CELL / SIDE;
    BufferedImage sdk = WarpedImage.of(chw).toBufferedImage();
    for (int y = 0; y < GridFigure.CELL; y++) {
      for (int x = 0; x < GridFigure.CELL; x++) {
        int expected = expectedRgb(chw, x / scale, y / scale);
        int actual = figure.getRGB(at.x + x, at.y + y) & 0xFFFFFF;
        if (expected != actual) {
          throw new AssertionError(
              String.format(
                  "panel %d pixel (%d,%d): expected %06x, figure %06x",
                  panel, x, y, expected, actual));
        }
        assertEquals(expected, sdk.getRGB(x / scale, y / scale) & 0xFFFFFF);
      }
    }
  }

  private static Outcome outcome(float[] input, float[] warped) {
    float[] probabilities = new float[10];
    probabilities[3] = 1f;
    Prediction p =
        new Prediction(
            3, "cat", 1f, probabilities, Theta.identity(), WarpedImage.of(warped.clone()));
    return Outcome.success(ImageFile.of(Path.of("x.png"), -1), input, p);
  }
}
