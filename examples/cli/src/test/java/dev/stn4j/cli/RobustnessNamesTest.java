package dev.stn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RobustnessNamesTest {
  private static List<String> names(String... files) {
    return RobustnessCommand.names(
        Arrays.stream(files).map(f -> f == null ? null : Path.of(f)).toList());
  }

  @Test
  void distinctFileNamesAreTheirOwnNames() {
    assertEquals(
        List.of("stn.onnx", "cnn.onnx", "default-model"),
        names("/runs/a/stn.onnx", "runs/b/cnn.onnx", null));
  }

  @Test
  void sharedFileNamesTakeTheFewestPathElementsThatTellThemApart() {
    assertEquals(
        List.of("stn-seed1/model.onnx", "cnn-seed1/model.onnx", "other.onnx"),
        names("/work/runs/stn-seed1/model.onnx", "/work/runs/cnn-seed1/model.onnx", "other.onnx"));
    assertEquals(
        List.of("a/seed1/model.onnx", "b/seed1/model.onnx", "seed2/model.onnx"),
        names("/r/a/seed1/model.onnx", "/r/b/seed1/model.onnx", "/r/b/seed2/model.onnx"));
  }

  @Test
  void theSameFileTwiceIsNumbered() {
    assertEquals(
        List.of("runs/m.onnx", "runs/m.onnx#2", "m.onnx"),
        names("runs/m.onnx", "runs/m.onnx", "m.onnx"));
  }
}
