package dev.stn4j.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleAnswersTest {
  @TempDir Path dir;

  @Test
  void describesTheFileAndWritesOneDigitPerRecord() throws IOException {
    byte[] records = new byte[2 * 3073];
    records[3073] = 7;
    Path file = dir.resolve("two.bin");
    Files.write(file, records);
    SampleAnswers described = SampleAnswers.describe(file, "data/two.bin");
    assertEquals(2, described.records());
    assertEquals(SampleAnswers.sha256(records), described.sha256());
    assertEquals(
        "{\"source\":\"data/two.bin\",\"records\":2,\"sha256\":\"" + described.sha256() + "\"}",
        described.toJson());
    SampleAnswers answered = described.withPredictions(new int[] {9, 0});
    assertTrue(answered.toJson().endsWith(",\"predicted\":\"90\"}"), answered.toJson());
    assertEquals(answered, described.withPredictions(new int[] {9, 0}));
    assertNotEquals(answered, described.withPredictions(new int[] {9, 1}));
  }

  @Test
  void refusesWrongCountsClassesAndFiles() throws IOException {
    SampleAnswers a = new SampleAnswers("s", 2, "ab", null);
    assertThrows(IllegalArgumentException.class, () -> a.withPredictions(new int[] {1}));
    assertThrows(IllegalArgumentException.class, () -> a.withPredictions(new int[] {1, 10}));
    Path odd = dir.resolve("odd.bin");
    Files.write(odd, new byte[100]);
    IOException e = assertThrows(IOException.class, () -> SampleAnswers.describe(odd, "odd"));
    assertTrue(e.getMessage().startsWith(odd.toString()), e.getMessage());
  }
}
