package dev.stn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WarpedDirectoryTest {
  @TempDir Path dir;

  @Test
  void sameFileNameInTwoFoldersGivesTwoNames() {
    String a = WarpedDirectory.nameFor(Path.of("data/cat/0001.png"));
    String b = WarpedDirectory.nameFor(Path.of("data/dog/0001.png"));
    String c = WarpedDirectory.nameFor(Path.of("data/cat_0001.png"));
    assertNotEquals(a, b);
    assertNotEquals(a, c);
    assertTrue(a.startsWith("data_cat_0001-"), a);
  }

  @Test
  void oddCharactersAndLeadingDashesAreReplaced() {
    String name = WarpedDirectory.nameFor(Path.of("-x/new\nline ünï.png"));
    assertTrue(name.matches("[A-Za-z0-9][A-Za-z0-9._-]*"), name);
  }

  @Test
  void aNameIsNeverHandedOutTwice() throws IOException {
    WarpedDirectory warped = new WarpedDirectory(dir.resolve("w"));
    String first = warped.uniqueName(Path.of("a.png"));
    String second = warped.uniqueName(Path.of("a.png"));
    assertNotEquals(first, second);
    assertEquals(first.replace(".png", "-2.png"), second);
  }

  @Test
  void csvQuotesOnlyWhatNeedsIt() {
    assertEquals("plain", CsvWriter.quote("plain"));
    assertEquals("\"a,b\"", CsvWriter.quote("a,b"));
    assertEquals("\"say \"\"hi\"\"\"", CsvWriter.quote("say \"hi\""));
    assertEquals("\"two\nlines\"", CsvWriter.quote("two\nlines"));
  }
}
