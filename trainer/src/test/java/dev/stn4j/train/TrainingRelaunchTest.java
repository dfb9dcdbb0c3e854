package dev.stn4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrainingRelaunchTest {
  @Test
  void theChildGetsTheDecidedCapInsteadOfTheAskedOne() {
    TrainingRelaunch relaunch =
        new TrainingRelaunch(List.of("--epochs", "2", "--onednn-isa", "auto", "--output", "o"));
    assertEquals(
        List.of(
            "train",
            "--epochs",
            "2",
            "--output",
            "o",
            "--onednn-isa",
            "SSE41",
            "--onednn-relaunched"),
        relaunch.childArgs(OneDnnIsa.SAFE, false));
    assertEquals(
        List.of("train", "--onednn-isa", "none", "--onednn-relaunched"),
        new TrainingRelaunch(List.of("--onednn-isa=auto")).childArgs(OneDnnIsa.UNCAPPED, false));
  }

  @Test
  void aResumeIsAddedOnce() {
    assertEquals(
        List.of(
            "train", "--output", "o", "--resume", "--onednn-isa", "SSE41", "--onednn-relaunched"),
        new TrainingRelaunch(List.of("--output", "o")).childArgs(OneDnnIsa.SAFE, true));
    assertEquals(
        List.of("train", "--resume", "--onednn-isa", "SSE41", "--onednn-relaunched"),
        new TrainingRelaunch(List.of("--resume", "--onednn-relaunched"))
            .childArgs(OneDnnIsa.SAFE, true));
  }
}
