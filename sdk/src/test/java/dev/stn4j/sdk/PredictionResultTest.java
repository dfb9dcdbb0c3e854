package dev.stn4j.sdk;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stn4j.data.Cifar10;
import org.junit.jupiter.api.Test;

class PredictionResultTest {
  private static final Prediction CAT =
      new Prediction(
          3,
          "cat",
          1f,
          new float[] {0, 0, 0, 1, 0, 0, 0, 0, 0, 0},
          Theta.identity(),
          WarpedImage.of(new float[Cifar10.IMAGE_VALUES]));

  @Test
  void aSuccessGivesItsPrediction() throws StnException {
    PredictionResult r = new PredictionResult.Success(CAT);
    assertTrue(r.succeeded());
    assertSame(CAT, r.get());
  }

  @Test
  void aFailureThrowsItsErrorFromGet() {
    StnException error = new StnException(ErrorCode.INVALID_INPUT, "input 7: NaN");
    PredictionResult r = new PredictionResult.Failure(error);
    assertFalse(r.succeeded());
    assertSame(error, assertThrows(StnException.class, r::get));
  }

  @Test
  void neitherHoldsNull() {
    assertThrows(NullPointerException.class, () -> new PredictionResult.Success(null));
    assertThrows(NullPointerException.class, () -> new PredictionResult.Failure(null));
  }
}
