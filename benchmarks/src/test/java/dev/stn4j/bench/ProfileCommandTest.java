package dev.stn4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stn4j.sdk.RepositoryRoot;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code bench profile} summarises ORT's profile per operator and keeps the JSON only on request.
 */
class ProfileCommandTest {
  private static final Path ROOT = RepositoryRoot.get();

  @Test
  void summarisesPerOperatorAndKeepsTheProfileOnlyWhenAsked(@TempDir Path tmp) throws Exception {
    Path kept = tmp.resolve("kept");
    String text = profile("--keep-profile", kept.toString());
    assertTrue(text.contains("GridSample"), text);
    assertTrue(text.contains("Conv"), text);
    try (Stream<Path> files = Files.list(kept)) {
      assertEquals(1, files.filter(f -> f.toString().endsWith(".json")).count());
    }

    Path scratch = tmp.resolve("scratch");
    Files.createDirectories(scratch);
    String previous = System.getProperty("java.io.tmpdir");
    System.setProperty("java.io.tmpdir", scratch.toString());
    try {
      assertTrue(profile().contains("(deleted; --keep-profile DIR keeps it)"));
    } finally {
      System.setProperty("java.io.tmpdir", previous);
    }
    try (Stream<Path> left = Files.list(scratch)) {
      assertEquals(
          0, left.filter(f -> f.getFileName().toString().startsWith("stn4j-profile")).count());
    }
  }

  private static String profile(String... extra) {
    StringWriter text = new StringWriter();
    CommandLine cmd = BenchMain.commandLine();
    cmd.setOut(new PrintWriter(text));
    String[] args =
        Stream.concat(
                Stream.of(
                    "bench",
                    "profile",
                    "--root",
                    ROOT.toString(),
                    "--iterations",
                    "20",
                    "--warmup-iterations",
                    "5"),
                Stream.of(extra))
            .toArray(String[]::new);
    assertEquals(0, cmd.execute(args), text::toString);
    return text.toString();
  }
}
