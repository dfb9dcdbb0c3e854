package dev.stn4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FlopCountTest {
  @Test
  void matchesTheClosedFormOfTheArchitecture() {
    // Written out layer by layer from the network's definition (docs/model-format.md, "The graph"):
    // 2·MACs + bias adds of each convolution and fully connected layer, the affine grid product,
    // and the mean's Sub and Add.
    long locConv1 = 2L * 8 * 3 * 7 * 7 * 26 * 26 + 8 * 26 * 26;
    long locConv2 = 2L * 10 * 8 * 5 * 5 * 9 * 9 + 10 * 9 * 9;
    long locFc = 2L * 160 * 32 + 32 + 2L * 32 * 6 + 6;
    long grid = 2L * 1024 * 3 * 2;
    long clsConv1 = 2L * 10 * 3 * 5 * 5 * 28 * 28 + 10 * 28 * 28;
    long clsConv2 = 2L * 20 * 10 * 5 * 5 * 10 * 10 + 20 * 10 * 10;
    long clsFc = 2L * 500 * 50 + 50 + 2L * 50 * 10 + 10;
    long mean = 2L * 3 * 32 * 32;
    long expected = locConv1 + locConv2 + locFc + grid + clsConv1 + clsConv2 + clsFc + mean;
    assertEquals(expected, FlopCount.perImage());
    assertEquals(4_186_164, expected); // the 4.19 MFLOP of the issue
  }

  @Test
  void peakProbeCountsTwoOperationsPerMultiplyAdd() {
    assertEquals(2.0 * 1024 * 1024 * 1024, PeakProbe.operations(1024));
  }
}
