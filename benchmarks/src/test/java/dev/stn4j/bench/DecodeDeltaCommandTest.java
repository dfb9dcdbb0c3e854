package dev.stn4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code bench decode-delta} samples every k-th file of a folder, compares the four pairs of
 * tensors, and reports a file it cannot decode without losing the others.
 */
class DecodeDeltaCommandTest {
  @TempDir Path dir;

  private String run(int expectedExit, String... args) {
    StringWriter text = new StringWriter();
    CommandLine cmd = BenchMain.commandLine();
    cmd.setOut(new PrintWriter(text));
    cmd.setErr(new PrintWriter(text));
    String[] all = new String[args.length + 2];
    all[0] = "bench";
    all[1] = "decode-delta";
    System.arraycopy(args, 0, all, 2, args.length);
    assertEquals(expectedExit, cmd.execute(all), text.toString());
    return text.toString();
  }

  @Test
  void comparesASampleOfTheFolderOnEveryPath() throws Exception {
    float[] chw = new float[3 * 8 * 8];
    Arrays.fill(chw, 0.5f);
    Files.createDirectories(dir.resolve("cat"));
    for (int i = 0; i < 5; i++) {
      PhotoJpegs.write(dir.resolve("cat/" + i + ".jpg"), 160, 120, chw, 8, i);
    }
    String out = run(0, dir.toString(), "--sample", "3", "--size", "16");
    // 5 files, 3 wanted: every 2nd, so files 0, 2 and 4.
    assertTrue(out.contains("3 of 5 files compared (1 in every 2"), out);
    for (String row :
        List.of(
            "default: full vs reduced",
            "pureJava: full vs reduced",
            "reduced: default vs pureJava",
            "full: default vs pureJava")) {
      assertTrue(out.contains(row), out);
    }
  }

  @Test
  void aFileThatCannotBeDecodedIsReportedAndTheOthersCompared() throws Exception {
    float[] chw = new float[3 * 8 * 8];
    PhotoJpegs.write(dir.resolve("a.jpg"), 64, 48, chw, 8, 1);
    Files.writeString(dir.resolve("b.jpg"), "not an image");
    String out = run(1, dir.toString());
    assertTrue(out.contains("b.jpg: not a recognised image format"), out);
    assertTrue(out.contains("1 of 2 files compared (1 in every 1, sorted by path; 1 failed)"), out);
  }
}
