package dev.stn4j.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.stn4j.data.Cifar10;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageWalkTest {
  @TempDir Path dir;
  private final List<String> warnings = new ArrayList<>();
  private final ImageWalk finder = ImageWalk.of(Cifar10.CLASS_NAMES, warnings::add);

  private Path touch(String relative) throws IOException {
    Path file = dir.resolve(relative);
    Files.createDirectories(file.getParent());
    return Files.write(file, new byte[] {1});
  }

  private List<String> paths(List<ImageFile> inputs) {
    return inputs.stream().map(f -> dir.relativize(f.path()).toString()).toList();
  }

  @Test
  void walksRecursivelySortedAndKeepsOnlyImageExtensionsInFolders() throws IOException {
    touch("b/z.PNG");
    touch("b/a.jpeg");
    touch("a/deep/er/x.jpg");
    touch("a/notes.txt");
    touch("a/.DS_Store");
    touch("c.gif");
    List<ImageFile> found = finder.find(List.of(dir));
    assertEquals(List.of("a/deep/er/x.jpg", "b/a.jpeg", "b/z.PNG", "c.gif"), paths(found));
    found.forEach(f -> assertNull(f.problem()));
  }

  @Test
  void namedFilesAreInputsWhateverTheirExtensionAndKeepArgumentOrder() throws IOException {
    Path txt = touch("notes.txt");
    Path png = touch("z.png");
    List<ImageFile> found = finder.find(List.of(png, txt));
    assertEquals(List.of("z.png", "notes.txt"), paths(found));
  }

  @Test
  void missingPathsAreFailedInputs() {
    List<ImageFile> found = finder.find(List.of(dir.resolve("nope.png")));
    assertEquals(1, found.size());
    assertEquals("no such file or directory", found.get(0).problem());
  }

  @Test
  void classNamedParentFoldersGiveTheLabel() throws IOException {
    touch("cat/1.png");
    touch("Truck/2.png");
    touch("other/3.png");
    List<ImageFile> found = finder.find(List.of(dir));
    assertEquals(List.of(9, 3, -1), found.stream().map(ImageFile::trueClass).toList());
  }

  @Test
  void symbolicLinkLoopsTerminateAndAreReported() throws IOException {
    touch("a/b/x.png");
    Files.createSymbolicLink(dir.resolve("a/b/up"), dir.resolve("a"));
    Files.createSymbolicLink(dir.resolve("a/self"), Path.of("."));
    List<ImageFile> found =
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> finder.find(List.of(dir)));
    assertEquals(List.of("a/b/x.png"), paths(found));
    assertEquals(2, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).contains("symbolic link loop"), warnings.toString());
  }

  @Test
  void linksToOtherFoldersAreFollowed() throws IOException {
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Files.write(outside.resolve("o.png"), new byte[] {1});
    Path tree = Files.createDirectories(dir.resolve("tree"));
    Files.createSymbolicLink(tree.resolve("link"), outside);
    assertEquals(List.of("tree/link/o.png"), paths(finder.find(List.of(tree))));
  }

  @Test
  void brokenLinksAndSpecialFilesWithImageNamesAreFailedNotOpened()
      throws IOException, InterruptedException {
    Files.createSymbolicLink(dir.resolve("broken.png"), dir.resolve("missing"));
    Process mkfifo = new ProcessBuilder("mkfifo", dir.resolve("fifo.png").toString()).start();
    boolean fifo = mkfifo.waitFor() == 0;
    List<ImageFile> found = finder.find(List.of(dir));
    assertEquals("broken symbolic link", found.get(0).problem());
    if (fifo) {
      assertEquals("not a regular file", found.get(1).problem());
    }
    assumeTrue(fifo, "mkfifo is not available: the FIFO case was not checked");
  }
}
