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

  @Test
  void distortionsAndTheArchitectureAreRecordedOnlyWhenSetAndRefusedOutOfRange() throws Exception {
    String recipe = TrainSettings.builder().build().toJson();
    // The shipped recipe's settings, which --resume compares, are exactly what they were.
    assertEquals(
        "{\"epochs\":60,\"batch_size\":64,\"optimizer\":\"sgd-momentum\",\"lr\":0.01,"
            + "\"schedule\":\"one-cycle\",\"warmup_fraction\":0.3,\"loc_lr_factor\":0.1,"
            + "\"momentum\":0.9,\"weight_decay\":1.0E-4,\"flip\":true,\"conv_dropout\":0.0,"
            + "\"fc_dropout\":0.0,\"seed\":42,\"label_smoothing\":0.1,\"translate\":2,"
            + "\"ema_decay\":0.999}",
        recipe);
    assertEquals(recipe, TrainSettings.builder().rotate(0).scale(1, 1).build().toJson());
    JsonNode json =
        new ObjectMapper()
            .readTree(
                TrainSettings.builder()
                    .rotate(60)
                    .scale(0.8, 1.2)
                    .architecture(dev.stn4j.train.model.Architecture.CNN)
                    .build()
                    .toJson());
    assertEquals(60.0, json.get("rotate").asDouble());
    assertEquals(0.8, json.get("scale").get(0).asDouble());
    assertEquals(1.2, json.get("scale").get(1).asDouble());
    assertEquals("cnn", json.get("architecture").asText());
    assertTrue(TrainSettings.builder().scale(0.5, 0.5).build().warps());
    assertEquals(0.1, TrainSettings.builder().build().locLrFactor(), "the recipe's");
    assertEquals(1.0, TrainSettings.builder().rotate(60).build().locLrFactor(), "when it warps");
    assertEquals(1.0, TrainSettings.builder().scale(0.5, 0.5).build().locLrFactor());
    assertEquals(0.1, TrainSettings.builder().rotate(60).locLrFactor(0.1).build().locLrFactor());
    assertTrue(!TrainSettings.builder().build().warps());

    Object[][] bad = {
      {TrainSettings.builder().rotate(181), "rotate must be 0..180 degrees, got 181.0"},
      {TrainSettings.builder().rotate(-1), "rotate must be 0..180 degrees, got -1.0"},
      {
        TrainSettings.builder().scale(1.2, 0.8),
        "scale must be MIN,MAX with 0.1 <= MIN <= MAX <= 4.0, got 1.2,0.8"
      },
      {
        TrainSettings.builder().scale(0.05, 1),
        "scale must be MIN,MAX with 0.1 <= MIN <= MAX <= 4.0, got 0.05,1.0"
      },
      {
        TrainSettings.builder().scale(1, 5),
        "scale must be MIN,MAX with 0.1 <= MIN <= MAX <= 4.0, got 1.0,5.0"
      },
    };
    for (Object[] b : bad) {
      TrainSettings.Builder builder = (TrainSettings.Builder) b[0];
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, builder::build);
      assertEquals(b[1], e.getMessage());
    }
  }
}
