package dev.stn4j.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class AffineWarpTest {
  private static final float[] FILL = {0.25f, 0.5f, 0.75f};

  /** An image whose every value differs, none equal to the fill colour. */
  private static float[] image(int size, long seed) {
    Random random = new Random(seed);
    float[] chw = new float[3 * size * size];
    for (int i = 0; i < chw.length; i++) {
      chw[i] = (random.nextInt(1000) + 1) / 1009f;
    }
    return chw;
  }

  private static float at(float[] chw, int size, int c, int y, int x) {
    return chw[c * size * size + y * size + x];
  }

  @Test
  void identityCopiesExactly() {
    for (int size : new int[] {1, 5, 32}) {
      float[] in = image(size, size);
      assertArrayEquals(in, AffineWarp.IDENTITY.apply(in, size, FILL), "size " + size);
      assertArrayEquals(in, AffineWarp.of(360, 1, 0, 0).apply(in, size, FILL), "360 degrees");
    }
  }

  @Test
  void quarterTurnsArePermutationsCounterClockwiseAsDisplayed() {
    for (int size : new int[] {4, 5}) {
      float[] in = image(size, 7);
      float[] ccw = AffineWarp.of(90, 1, 0, 0).apply(in, size, FILL);
      float[] cw = AffineWarp.of(-90, 1, 0, 0).apply(in, size, FILL);
      float[] half = AffineWarp.of(180, 1, 0, 0).apply(in, size, FILL);
      for (int c = 0; c < 3; c++) {
        for (int y = 0; y < size; y++) {
          for (int x = 0; x < size; x++) {
            // Counter-clockwise on screen: the right column becomes the top row.
            assertEquals(at(in, size, c, x, size - 1 - y), at(ccw, size, c, y, x));
            assertEquals(at(in, size, c, size - 1 - x, y), at(cw, size, c, y, x));
            assertEquals(at(in, size, c, size - 1 - y, size - 1 - x), at(half, size, c, y, x));
          }
        }
      }
    }
  }

  @Test
  void wholePixelShiftsMoveExactlyAndFillWhatIsUncovered() {
    int size = 6;
    float[] in = image(size, 3);
    float[] out = AffineWarp.of(0, 1, 2, -1).apply(in, size, FILL);
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < size; y++) {
        for (int x = 0; x < size; x++) {
          int sx = x - 2;
          int sy = y + 1;
          float expected = sx < 0 || sy >= size ? FILL[c] : at(in, size, c, sy, sx);
          assertEquals(expected, at(out, size, c, y, x), c + "," + y + "," + x);
        }
      }
    }
  }

  @Test
  void halfScaleLeavesABorderOfExactlyTheFillColour() {
    int size = 8;
    float[] in = image(size, 5);
    float[] out = AffineWarp.of(0, 0.5, 0, 0).apply(in, size, FILL);
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < size; y++) {
        for (int x = 0; x < size; x++) {
          // Output pixel x samples input 2x - 3.5: the content covers 2..5, the rest reads fill.
          boolean border = x < 2 || y < 2 || x > 5 || y > 5;
          float v = at(out, size, c, y, x);
          if (border) {
            assertEquals(FILL[c], v, c + "," + y + "," + x);
          } else {
            assertTrue(v != FILL[c], "inside " + y + "," + x);
          }
        }
      }
    }
    // Inside, pixel (2,2) reads input (0.5, 0.5): the mean of the top-left 2x2 block.
    for (int c = 0; c < 3; c++) {
      double mean =
          (at(in, size, c, 0, 0)
                  + at(in, size, c, 0, 1)
                  + at(in, size, c, 1, 0)
                  + at(in, size, c, 1, 1))
              / 4;
      assertEquals(mean, at(out, size, c, 2, 2), 1e-6);
    }
  }

  @Test
  void aRandomWarpIsTorchsAffineGridAndGridSample() {
    int size = 11;
    float[] in = image(size, 11);
    AffineWarp warp = AffineWarp.of(37.5, 1.3, 1.25, -2.5);
    float[] out = warp.apply(in, size, FILL);
    float[] reference = torchReference(in, size, warp.theta(size), FILL);
    for (int i = 0; i < out.length; i++) {
      assertEquals(reference[i], out[i], 1e-5, "value " + i);
    }
    // The warp really moves things, and both paths fill the corners alike.
    assertTrue(!java.util.Arrays.equals(in, out));
  }

  @Test
  void inPlaceIsTheSameAsIntoANewArray() {
    int size = 9;
    float[] batch = new float[2 * 3 * size * size];
    float[] second = image(size, 9);
    System.arraycopy(second, 0, batch, 3 * size * size, second.length);
    AffineWarp warp = AffineWarp.of(-20, 0.9, 0.5, 1);
    warp.apply(batch, 3 * size * size, size, FILL, batch, 3 * size * size);
    float[] expected = warp.apply(second, size, FILL);
    assertArrayEquals(expected, java.util.Arrays.copyOfRange(batch, 3 * size * size, batch.length));
  }

  @Test
  void thetaOfTheIdentityAndOfAQuarterTurn() {
    assertArrayEquals(new double[] {1, 0, 0, 0, 1, 0}, AffineWarp.IDENTITY.theta(32), 0);
    // The output's top (y = -1) samples the input's right (x = 1): [[0,-1],[1,0]].
    assertArrayEquals(new double[] {0, -1, 0, 1, 0, 0}, AffineWarp.of(90, 1, 0, 0).theta(32), 0);
    // Twice as large, then 8 of 32 pixels (0.25 of the normalised width of 2) to the right.
    assertArrayEquals(
        new double[] {0.5, 0, -0.25, 0, 0.5, 0}, AffineWarp.of(0, 2, 8, 0).theta(32), 0);
  }

  @Test
  void badValuesAreRefusedNamingThem() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> AffineWarp.of(0, 0, 0, 0));
    assertTrue(e.getMessage().contains("scale must be > 0"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> AffineWarp.of(Double.NaN, 1, 0, 0));
    assertTrue(e.getMessage().contains("finite"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> AffineWarp.IDENTITY.apply(new float[12], 2, new float[2]));
    assertTrue(e.getMessage().contains("fill needs 3 values"), e.getMessage());
  }

  /**
   * PyTorch's formulas, written out: affine_grid (align_corners=false) gives each output pixel a
   * normalised point θ·(x, y, 1); grid_sample unnormalises it to ((x + 1)·W − 1)/2 and reads the
   * four pixels around it bilinearly, zero outside; here on the image minus the fill, plus the
   * fill.
   */
  private static float[] torchReference(float[] in, int size, double[] t, float[] fill) {
    float[] out = new float[in.length];
    int plane = size * size;
    for (int c = 0; c < 3; c++) {
      for (int i = 0; i < size; i++) {
        for (int j = 0; j < size; j++) {
          double x = (2.0 * j + 1) / size - 1;
          double y = (2.0 * i + 1) / size - 1;
          double gx = t[0] * x + t[1] * y + t[2];
          double gy = t[3] * x + t[4] * y + t[5];
          double u = ((gx + 1) * size - 1) / 2;
          double v = ((gy + 1) * size - 1) / 2;
          int u0 = (int) Math.floor(u);
          int v0 = (int) Math.floor(v);
          double sum = 0;
          for (int dy = 0; dy < 2; dy++) {
            for (int dx = 0; dx < 2; dx++) {
              int px = u0 + dx;
              int py = v0 + dy;
              double w = (dx == 0 ? 1 - (u - u0) : u - u0) * (dy == 0 ? 1 - (v - v0) : v - v0);
              if (px >= 0 && py >= 0 && px < size && py < size) {
                sum += w * (in[c * plane + py * size + px] - fill[c]);
              }
            }
          }
          out[c * plane + i * size + j] = (float) (sum + fill[c]);
        }
      }
    }
    return out;
  }
}
