package dev.stn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line in its own JVM with a 64 MiB heap: images whose headers claim gigapixels are
 * refused from the header (decoding one would need 30 GB), not by running out of memory, and the
 * real images beside them are classified.
 */
class SmallHeapTest {
  @TempDir Path dir;

  @BeforeAll
  static void needsModel() {
    Cli.assumeDefaultModel();
  }

  @Test
  void gigapixelHeadersAreRefusedUnderASmallHeap() throws IOException, InterruptedException {
    Path good =
        TestImages.write(
            dir.resolve("good.png"),
            TestImages.gradient(32, 32, BufferedImage.TYPE_INT_RGB),
            "png");
    Path giga = Files.write(dir.resolve("giga.png"), TestImages.pngClaiming(100_000, 100_000));
    Path wide = Files.write(dir.resolve("wide.png"), TestImages.pngClaiming(1_000_000, 20_000));
    Path out = dir.resolve("out.jsonl");
    Path err = dir.resolve("err.txt");

    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx64m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(StnCli.class.getName());
    command.addAll(List.of("classify", dir.toString(), "--threads", "2"));
    Process child =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the child JVM did not finish");
    String stderr = Files.readString(err, StandardCharsets.UTF_8);
    assertEquals(1, child.exitValue(), stderr);
    assertFalse(stderr.contains("OutOfMemoryError"), stderr);

    List<JsonNode> records = new ArrayList<>();
    for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
      records.add(Cli.JSON.readTree(line));
    }
    assertEquals(3, records.size(), records.toString());
    for (JsonNode r : records) {
      String path = r.get("path").asText();
      if (path.equals(good.toString())) {
        assertTrue(r.has("label"), r.toString());
      } else {
        assertTrue(path.equals(giga.toString()) || path.equals(wide.toString()), path);
        String error = r.get("error").asText();
        assertTrue(error.contains("pixels") && error.contains("not decoded"), error);
      }
    }
  }
}
