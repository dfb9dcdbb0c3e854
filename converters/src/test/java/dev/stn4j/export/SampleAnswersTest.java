package dev.stn4j.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stn4j.sdk.internal.ModelFormat;
import dev.stn4j.train.SampleImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleAnswersTest {
  @TempDir Path dir;

  @Test
  void describesTheFileAndWritesTheAnswersAsAnArray() throws IOException {
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
    assertTrue(answered.toJson().endsWith(",\"predicted\":[9,0]}"), answered.toJson());
    assertEquals(Optional.empty(), answered.pixelsBase64());
    assertEquals(answered, described.withPredictions(new int[] {9, 0}));
    assertNotEquals(answered, described.withPredictions(new int[] {9, 1}));
  }

  @Test
  void refusesWrongCountsClassesAndFiles() throws IOException {
    SampleAnswers a = new SampleAnswers("s", 2, "ab", null);
    assertThrows(IllegalArgumentException.class, () -> a.withPredictions(new int[] {1}));
    assertThrows(IllegalArgumentException.class, () -> a.withPredictions(new int[] {1, -1}));
    // A class index is bounded by the model's classes, which the exporter checks: 10 is fine here.
    assertEquals(10, a.withPredictions(new int[] {1, 10}).predicted()[1]);
    Path odd = dir.resolve("odd.bin");
    Files.write(odd, new byte[100]);
    IOException e = assertThrows(IOException.class, () -> SampleAnswers.describe(odd, "odd"));
    assertTrue(e.getMessage().startsWith(odd.toString()), e.getMessage());
  }

  @Test
  void embeddedImagesAreDescribedByTheirBytesAndLabels() {
    byte[] pixels = new byte[2 * 3 * 20 * 20];
    pixels[5] = (byte) 200;
    SampleImages images = new SampleImages(20, new int[] {4, 1}, pixels);
    SampleAnswers a = SampleAnswers.embedded(images).withPredictions(new int[] {4, 0});
    assertEquals(
        "{\"source\":\"embedded\",\"records\":2,\"image_size\":20,\"sha256\":\""
            + SampleAnswers.sha256(pixels)
            + "\",\"labels\":[4,1],\"predicted\":[4,0]}",
        a.toJson());
    assertArrayEquals(pixels, Base64.getDecoder().decode(a.pixelsBase64().orElseThrow()));
    assertFalse(a.pixelsBase64().orElseThrow().contains("\n"));
    assertEquals("2 embedded images (20x20)", a.summary());
  }

  @Test
  void theEmbeddedSourceNeedsItsImages() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new SampleAnswers(ModelFormat.SAMPLE_SOURCE_EMBEDDED, 1, "ab", null));
  }
}
