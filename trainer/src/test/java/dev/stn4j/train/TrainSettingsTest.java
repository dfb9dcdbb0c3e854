package dev.stn4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class TrainSettingsTest {
  @Test
  void defaultsAreTheRecipe() throws Exception {
    JsonNode json = new ObjectMapper().readTree(TrainSettings.builder().build().toJson());
    // trainer/RECIPES.md, run r2 (chosen on validation accuracy, 2026-12-02)
    assertEquals(60, json.get("epochs").asInt());
    assertEquals(0.1, json.get("label_smoothing").asDouble());
    assertEquals(2, json.get("translate").asInt());
    assertEquals(0.999, json.get("ema_decay").asDouble());
    assertEquals(64, json.get("batch_size").asInt());
    assertEquals(0.01, json.get("lr").asDouble());
    assertEquals("one-cycle", json.get("schedule").asText());
    assertEquals(0.1, json.get("loc_lr_factor").asDouble());
    assertEquals(0.9, json.get("momentum").asDouble());
    assertEquals(1e-4, json.get("weight_decay").asDouble());
    assertTrue(json.get("flip").asBoolean());
    assertEquals(0.0, json.get("conv_dropout").asDouble());
  }

  @Test
  void badValuesAreNamed() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> TrainSettings.builder().epochs(0).build());
    assertEquals("epochs must be >= 1, got 0", e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> TrainSettings.builder().momentum(1.5).build());
    assertEquals("momentum must be in [0,1), got 1.5", e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> TrainSettings.builder().fcDropout(1f).build());
    assertEquals("fc dropout must be in [0,1), got 1.0", e.getMessage());
  }

  @Test
  void shiftsScaleWithTheImageSizeAndAreBoundedByAQuarterOfIt() throws Exception {
    assertEquals(2, TrainSettings.recipeTranslate(32));
    assertEquals(1, TrainSettings.recipeTranslate(16));
    assertEquals(2, TrainSettings.recipeTranslate(28));
    assertEquals(4, TrainSettings.recipeTranslate(64));
    TrainSettings s = TrainSettings.builder().imageSize(64).translate(16).build();
    assertEquals(64, new ObjectMapper().readTree(s.toJson()).get("image_size").asInt());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> TrainSettings.builder().imageSize(28).translate(8).build());
    assertEquals("translate must be 0..7 pixels at image size 28, got 8", e.getMessage());
    // CIFAR-10 runs' settings (and so --resume of their checkpoints) are unchanged.
    assertTrue(!TrainSettings.builder().build().toJson().contains("image_size"));
  }

  @Test
  void oneCycleRisesToThePeakThenFalls() {
    TrainSettings s = TrainSettings.builder().learningRate(0.01).warmupFraction(0.3).build();
    long total = 1001;
    assertEquals(0.01 / 25, s.learningRateAt(0, total), 1e-12);
    double peak = 0;
    long peakStep = 0;
    double previous = 0;
    for (long step = 0; step < total; step++) {
      double lr = s.learningRateAt(step, total);
      if (lr > peak) {
        peak = lr;
        peakStep = step;
      }
      if (step > 0 && step <= 299) {
        assertTrue(lr >= previous, "rising at " + step);
      } else if (step > 300) {
        assertTrue(lr <= previous, "falling at " + step);
      }
      previous = lr;
    }
    assertEquals(0.01, peak, 1e-6);
    assertEquals(299, peakStep);
    assertEquals(0.01 / 25 / 1e4, s.learningRateAt(total - 1, total), 1e-12);
  }

  @Test
  void constantScheduleIsConstant() {
    TrainSettings s =
        TrainSettings.builder()
            .schedule(TrainSettings.Schedule.CONSTANT)
            .learningRate(0.02)
            .build();
    assertEquals(0.02, s.learningRateAt(0, 100));
    assertEquals(0.02, s.learningRateAt(99, 100));
  }
}
