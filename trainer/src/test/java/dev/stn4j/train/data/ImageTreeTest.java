package dev.stn4j.train.data;

import static dev.stn4j.train.data.TestTrees.encode;
import static dev.stn4j.train.data.TestTrees.noise;
import static dev.stn4j.train.data.TestTrees.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageTreeTest {
  @TempDir Path dir;

  private final byte[] png = encode(noise(4, 4, 1), "png");

  @Test
  void labelsByClassFolderCountsNestedFilesAndSkipsTheRest() throws Exception {
    write(dir, "dogs/b.PNG", png);
    write(dir, "dogs/a.jpg", encode(noise(5, 3, 2), "jpeg"));
    write(dir, "dogs/deep/er/c.bmp", encode(noise(4, 4, 3), "bmp"));
    write(dir, "cats/x.gif", encode(noise(4, 4, 4), "gif"));
    write(dir, "cats/y.tiff", encode(noise(4, 4, 5), "tiff"));
    write(dir, "cats/.hidden.png", png);
    write(dir, "cats/.git/z.png", png);
    write(dir, "cats/notes.txt", "hello".getBytes());
    write(dir, "cats/no-extension", png);
    write(dir, "loose.png", png);
    write(dir, ".DS_Store", png);

    ImageTree tree = ImageTree.scan(dir);

    assertEquals(List.of("cats", "dogs"), tree.classNames());
    List<String> paths = new ArrayList<>();
    for (int i = 0; i < tree.size(); i++) {
      paths.add(tree.relativePath(i) + ":" + tree.label(i));
      assertTrue(Files.isRegularFile(tree.file(i)));
    }
    assertEquals(
        List.of(
            "cats/x.gif:0",
            "cats/y.tiff:0",
            "dogs/a.jpg:1",
            "dogs/b.PNG:1",
            "dogs/deep/er/c.bmp:1"),
        paths);
    assertEquals(2, tree.count(0));
    assertEquals(3, tree.count(1));
    SkippedFiles skipped = tree.skipped();
    assertEquals(6, skipped.total(), skipped.summary());
    assertEquals(3, skipped.counts().get(SkippedFiles.HIDDEN));
    assertEquals(2, skipped.counts().get(SkippedFiles.NOT_AN_IMAGE));
    assertEquals(1, skipped.counts().get(SkippedFiles.OUTSIDE_CLASSES));
    assertTrue(skipped.summary().startsWith("6 skipped: 3 hidden"), skipped.summary());
  }

  @Test
  void classesAreSortedByStringOrder() throws Exception {
    for (String name : List.of("b", "B", "a10", "a9")) {
      write(dir, name + "/1.png", png);
      write(dir, name + "/2.png", png);
    }
    assertEquals(List.of("B", "a10", "a9", "b"), ImageTree.scan(dir).classNames());
  }

  @Test
  void refusesWhatCannotBeTrainedOnNamingTheFolder() throws Exception {
    assertMessage(dir.resolve("missing"), dir.resolve("missing") + ": no such folder");
    Path file = write(dir, "file.png", png);
    assertMessage(file, file + ": not a folder");

    Path none = dir.resolve("none");
    write(none, "a.png", png);
    assertMessage(none, none + ": no class folders (one sub-folder per class expected; 1 skipped");

    Path one = dir.resolve("one");
    write(one, "cats/a.png", png);
    write(one, "cats/b.png", png);
    assertMessage(one, one + ": 1 class folder (cats); training needs at least 2");

    Path empty = dir.resolve("empty");
    write(empty, "cats/a.png", png);
    write(empty, "cats/b.png", png);
    write(empty, "dogs/readme.md", png);
    write(empty, "dogs/.thumbs", png);
    assertMessage(
        empty,
        empty.resolve("dogs") + ": no image files (2 skipped: 1 hidden, 1 not an image file");
    Files.createDirectories(empty.resolve("ants"));
    assertMessage(empty, empty.resolve("ants") + ": no image files (empty folder)");

    Path single = dir.resolve("single");
    write(single, "cats/a.png", png);
    write(single, "cats/b.png", png);
    write(single, "dogs/only.png", png);
    assertMessage(
        single,
        single.resolve("dogs")
            + ": 1 image file (dogs/only.png); training needs at least 2 per class");
  }

  @Test
  void symbolicLinkLoopIsSkippedAndCounted() throws Exception {
    write(dir, "cats/a.png", png);
    write(dir, "cats/sub/b.png", png);
    Files.createSymbolicLink(dir.resolve("cats/sub/loop"), dir.resolve("cats"));
    write(dir, "dogs/a.png", png);
    write(dir, "dogs/b.png", png);
    Path elsewhere = write(dir.resolve("elsewhere"), "c.png", png).getParent();
    Files.createSymbolicLink(dir.resolve("dogs/linked"), elsewhere);
    Files.move(elsewhere, dir.getParent().resolve(dir.getFileName() + "-elsewhere"));
    Files.delete(dir.resolve("dogs/linked"));
    Files.createSymbolicLink(
        dir.resolve("dogs/linked"), dir.getParent().resolve(dir.getFileName() + "-elsewhere"));

    ImageTree tree = ImageTree.scan(dir);

    assertEquals(List.of("cats", "dogs"), tree.classNames());
    assertEquals(2, tree.count(0)); // a.png, sub/b.png; sub/loop not entered again
    assertEquals(3, tree.count(1)); // a.png, b.png and c.png through the link
    assertEquals("dogs/linked/c.png", tree.relativePath(4));
    assertEquals(1, tree.skipped().counts().get(SkippedFiles.LINK_LOOP), tree.skipped().summary());
  }

  @Test
  void testTreeNeedsExactlyTheTrainingClasses() throws Exception {
    Path train = TestTrees.uniform(dir.resolve("train"), 3, 2);
    ImageTree tree = ImageTree.scan(train);
    Path test = dir.resolve("test");
    write(test, "c000/a.png", png);
    write(test, "c001/a.png", png);
    write(test, "c002/a.png", png);
    ImageTree testTree = tree.scanTest(test);
    assertEquals(3, testTree.size()); // 1 image per class is enough for testing
    assertEquals(tree.classNames(), testTree.classNames());

    write(test, "c003/a.png", png);
    ImageTreeException extra = assertThrows(ImageTreeException.class, () -> tree.scanTest(test));
    assertEquals(
        test.resolve("c003") + ": not one of the training data's 3 classes (c000, c001, c002)",
        extra.getMessage());
    Files.delete(test.resolve("c003/a.png"));
    Files.delete(test.resolve("c003"));
    Files.delete(test.resolve("c001/a.png"));
    Files.delete(test.resolve("c001"));
    ImageTreeException missing = assertThrows(ImageTreeException.class, () -> tree.scanTest(test));
    assertEquals(
        test + ": no class folder 'c001' (the training data has one per class)",
        missing.getMessage());
  }

  @Test
  void modelClassesKeepTheirOrder() throws Exception {
    write(dir, "a/1.png", png);
    write(dir, "b/1.png", png);
    ImageTree tree = ImageTree.scanWithClasses(dir, List.of("b", "a"));
    assertEquals(List.of("b", "a"), tree.classNames());
    assertEquals("b/1.png", tree.relativePath(0));
    assertEquals(0, tree.label(0));
  }

  private static void assertMessage(Path tree, String prefix) {
    ImageTreeException e = assertThrows(ImageTreeException.class, () -> ImageTree.scan(tree));
    assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
    assertTrue(!e.getMessage().contains("\n"), e.getMessage());
  }
}
