package dev.stn4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;

class RecipeOptionsTest {
  /** The options as {@code stn train} mixes them in. */
  static final class Options {
    @Mixin RecipeOptions recipe = new RecipeOptions();
  }

  private static TrainSettings settings(String... args) {
    Options options = new Options();
    new CommandLine(options).parseArgs(args);
    return options.recipe.settings(0, 32);
  }

  @Test
  void theLocalizationRateIsTheClassifiersWhenTrainingDistortsUnlessGiven() {
    assertEquals(0.1, settings().locLrFactor(), "the shipped recipe");
    assertEquals(1.0, settings("--rotate", "60").locLrFactor());
    assertEquals(1.0, settings("--scale", "0.8,1.2").locLrFactor());
    assertEquals(0.1, settings("--rotate", "0").locLrFactor(), "0 degrees distorts nothing");
    assertEquals(0.1, settings("--scale", "1,1").locLrFactor(), "scale 1 distorts nothing");
    assertEquals(0.1, settings("--rotate", "60", "--loc-lr-factor", "0.1").locLrFactor());
    assertEquals(0.5, settings("--loc-lr-factor", "0.5").locLrFactor());
  }

  @Test
  void theShippedRecipesSettingsAreUnchanged() {
    assertEquals(TrainSettings.builder().build().toJson(), settings().toJson());
  }
}
