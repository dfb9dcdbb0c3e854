package dev.stn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile and awkward inputs: each bad file gets an error record with a clear reason, the exit
 * status is 1, and the good file beside it is still classified; each awkward but valid image is
 * classified.
 */
class ClassifyHostileInputTest {
  @TempDir Path dir;
  private Path good;

  @BeforeAll
  static void needsModel() {
    Cli.assumeDefaultModel();
  }

  @BeforeEach
  void goodImage() throws IOException {
    good = TestImages.write(dir.resolve("good.png"), gradient(32, 32), "png");
  }

  private static BufferedImage gradient(int w, int h) {
    return TestImages.gradient(w, h, BufferedImage.TYPE_INT_RGB);
  }

  /** Runs classify on the folder; the bad file must fail with one of the words, the good pass. */
  private String assertRefused(Path bad, String... oneOf) {
    Cli.Result r = Cli.run("classify", dir.toString());
    assertEquals(1, r.exit(), r.toString());
    JsonNode record = r.record(bad);
    assertFalse(record.has("label"), r.toString());
    String error = record.path("error").asText();
    assertFalse(error.isBlank(), r.toString());
    assertFalse(error.contains("\tat ") || r.err().contains("\tat "), "stack trace:\n" + r);
    String lower = error.toLowerCase(Locale.ROOT);
    assertTrue(
        Arrays.stream(oneOf).anyMatch(w -> lower.contains(w)),
        "error '" + error + "' names none of " + Arrays.toString(oneOf));
    assertClassified(r.record(good));
    assertTrue(r.err().contains("1 failed"), r.err());
    return error;
  }

  private static void assertClassified(JsonNode record) {
    assertTrue(record.has("label"), record.toString());
    assertEquals(10, record.get("probabilities").size());
    double sum = 0;
    for (JsonNode p : record.get("probabilities")) {
      sum += p.asDouble();
    }
    assertEquals(1.0, sum, 1e-4);
    assertEquals(2, record.get("theta").size());
  }

  /** Runs classify on the folder; every file must be classified. */
  private Cli.Result assertAllClassified(Path... files) {
    Cli.Result r = Cli.run("classify", dir.toString());
    assertEquals(0, r.exit(), r.toString());
    assertClassified(r.record(good));
    for (Path f : files) {
      assertClassified(r.record(f));
    }
    return r;
  }

  @Test
  void emptyFile() throws IOException {
    assertRefused(Files.write(dir.resolve("empty.png"), new byte[0]), "empty");
  }

  @Test
  void truncatedPng() throws IOException {
    byte[] png = TestImages.encode(gradient(64, 64), "png");
    Path bad = Files.write(dir.resolve("truncated.png"), Arrays.copyOf(png, png.length / 2));
    assertRefused(bad, "truncat", "corrupt", "cannot", "invalid", "end of");
  }

  @Test
  void truncatedJpeg() throws IOException {
    byte[] jpeg = TestImages.encode(gradient(64, 64), "jpg");
    Path bad = Files.write(dir.resolve("truncated.jpg"), Arrays.copyOf(jpeg, 200));
    assertRefused(bad, "truncat", "corrupt", "cannot", "invalid", "end of");
  }

  @Test
  void jpegCutInTheMiddleOfItsScan() throws IOException {
    byte[] jpeg = TestImages.encode(gradient(64, 64), "jpg");
    Path bad = Files.write(dir.resolve("cut.jpg"), Arrays.copyOf(jpeg, jpeg.length * 6 / 10));
    assertRefused(bad, "truncat", "corrupt");
  }

  @Test
  void randomBytesNamedJpg() throws IOException {
    byte[] noise = new byte[5000];
    new Random(42).nextBytes(noise);
    Path bad = Files.write(dir.resolve("noise.jpg"), noise);
    assertRefused(bad, "not", "unknown", "unsupported", "cannot", "format");
  }

  @Test
  void textFileNamedPng() throws IOException {
    Path bad =
        Files.writeString(dir.resolve("notes.png"), "not a picture\n", StandardCharsets.UTF_8);
    assertRefused(bad, "not", "unknown", "unsupported", "cannot", "format");
  }

  @Test
  void headerClaimingGigapixelsIsRefusedBeforeDecoding() throws IOException {
    Path bad = Files.write(dir.resolve("giga.png"), TestImages.pngClaiming(100_000, 100_000));
    String error = assertRefused(bad, "100000", "100,000", "pixels", "too large", "limit");
    assertFalse(error.toLowerCase(Locale.ROOT).contains("memory"), error);
  }

  @Test
  void aFileTheImageLoaderCannotOpenDoesNotHideTheOthers() throws IOException {
    Path missing = dir.resolve("missing.png");
    Cli.Result r = Cli.run("classify", good.toString(), missing.toString());
    assertEquals(1, r.exit(), r.toString());
    assertEquals("no such file or directory", r.record(missing).get("error").asText());
    assertClassified(r.record(good));
    assertEquals(List.of(good.toString(), missing.toString()), List.copyOf(r.byPath().keySet()));
  }

  @Test
  void hugeImage() throws IOException {
    Path huge = TestImages.write(dir.resolve("huge.jpg"), gradient(4000, 3000), "jpg");
    assertAllClassified(huge);
  }

  @Test
  void tinyImage() throws IOException {
    Path tiny = TestImages.write(dir.resolve("tiny.png"), gradient(1, 1), "png");
    assertAllClassified(tiny);
  }

  @Test
  void unusualColourModels() throws IOException {
    Path grey =
        TestImages.write(
            dir.resolve("grey.png"),
            TestImages.gradient(40, 30, BufferedImage.TYPE_BYTE_GRAY),
            "png");
    Path grey16 =
        TestImages.write(
            dir.resolve("grey16.png"),
            TestImages.gradient(40, 30, BufferedImage.TYPE_USHORT_GRAY),
            "png");
    Path rgba =
        TestImages.write(
            dir.resolve("rgba.png"),
            TestImages.gradient(40, 30, BufferedImage.TYPE_INT_ARGB),
            "png");
    Path palette = TestImages.write(dir.resolve("palette.png"), TestImages.palette(40, 30), "png");
    Path gif = TestImages.write(dir.resolve("palette.gif"), TestImages.palette(40, 30), "gif");
    Path bmp = TestImages.write(dir.resolve("rgb.bmp"), gradient(40, 30), "bmp");
    Path greyJpeg =
        TestImages.write(
            dir.resolve("grey.jpg"),
            TestImages.gradient(40, 30, BufferedImage.TYPE_BYTE_GRAY),
            "jpg");
    byte[] cmyk = TestImages.cmykJpeg(40, 30);
    assertEquals(4, TestImages.jpegComponents(cmyk), "the test's CMYK JPEG has 4 components");
    Path cmykFile = Files.write(dir.resolve("cmyk.jpg"), cmyk);
    assertAllClassified(grey, grey16, rgba, palette, gif, bmp, greyJpeg, cmykFile);
  }

  @Test
  void oddFileNames() throws IOException {
    List<String> names =
        List.of(
            "with space.png",
            "ünïcødé 猫.png",
            "-leading-dash.png",
            "quote\"and,comma.png",
            "new\nline.png");
    List<Path> files = new ArrayList<>();
    for (String name : names) {
      try {
        files.add(TestImages.write(dir.resolve(name), gradient(32, 32), "png"));
      } catch (InvalidPathException | IOException e) {
        // A file system that refuses a name cannot hold such a file: nothing to check.
      }
    }
    assumeTrue(files.size() >= 3, "the file system refused most odd names");
    Cli.Result r = assertAllClassified(files.toArray(Path[]::new));
    assertEquals(files.size() + 1, r.records().size());
  }
}
