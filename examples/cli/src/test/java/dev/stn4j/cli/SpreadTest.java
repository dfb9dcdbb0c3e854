package dev.stn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class SpreadTest {
  @Test
  void quartilesInterpolateLikeNumpysPercentile() {
    // numpy.percentile([4, 1, 3, 2], [25, 50, 75]) == [1.75, 2.5, 3.25]
    double[] values = {4, 1, 3, 2};
    Spread s = Spread.of(values);
    assertEquals(2.5, s.median(), 1e-12);
    assertEquals(1.75, s.q1(), 1e-12);
    assertEquals(3.25, s.q3(), 1e-12);
    assertEquals(1.5, s.iqr(), 1e-12);
    assertEquals(4, s.count());
    assertEquals(4, values[0], "the input is not sorted in place");
  }

  @Test
  void oneValueIsItsOwnSpreadAndNoneIsNoSpread() {
    Spread s = Spread.of(new double[] {7});
    assertEquals(7, s.median());
    assertEquals(0, s.iqr());
    assertNull(Spread.of(new double[0]));
  }
}
