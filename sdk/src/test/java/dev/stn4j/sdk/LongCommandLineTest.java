package dev.stn4j.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A program that embeds the SDK, started the way build tools, IDEs and Spark start programs: with a
 * command line over 16 KB (a long classpath and a long {@code -D} property). ONNX Runtime 1.29.0
 * killed such JVMs with SIGSEGV; with the build's ONNX Runtime it runs and leaves no file in the
 * temporary directory, and with 1.29.0 the SDK refuses, naming the problem, instead of dying.
 */
class LongCommandLineTest {
  private static final int PAD = 8_000;

  @Test
  void classifiesWithACommandLineOver16KbAndLeavesNoTemporaryFile(
      @TempDir Path tmp, @TempDir Path cache) throws Exception {
    Run run = run(classpath(), tmp, cache);

    assertEquals(0, run.exit(), run.output());
    assertTrue(run.commandLineBytes() > 16_384, "command line " + run.commandLineBytes());
    long predicted = run.output().lines().filter(l -> l.startsWith("predicted ")).count();
    assertEquals(sampleImages(), predicted, run.output());
    try (Stream<Path> left = Files.list(tmp)) {
      assertEquals(List.of(), left.toList(), "left in java.io.tmpdir");
    }
    assertFalse(
        Files.exists(Path.of("/tmp/mat-debug-" + run.pid() + ".log")), "ORT 1.29's debug file");
    Path libraries = cache.resolve("stn4j");
    assertTrue(
        run.output().contains("native libraries " + libraries.resolve("onnxruntime-")),
        run.output());
    try (Stream<Path> files = Files.walk(libraries)) {
      List<String> names = files.map(p -> p.getFileName().toString()).toList();
      assertTrue(names.contains(System.mapLibraryName("onnxruntime")), names.toString());
      assertTrue(names.contains(System.mapLibraryName("onnxruntime4j_jni")), names.toString());
    }
  }

  @Test
  void refusesTheOnnxRuntimeThatWouldCrashInsteadOfDying(@TempDir Path tmp, @TempDir Path cache)
      throws Exception {
    Path defective = defectiveOnnxRuntime();
    List<String> classpath = new ArrayList<>();
    for (String entry : classpath()) {
      // The build's ORT jar out, 1.29.0 in.
      classpath.add(
          Path.of(entry).getFileName().toString().startsWith("onnxruntime-")
              ? defective.toString()
              : entry);
    }
    Run run = run(classpath, tmp, cache);

    assertEquals(3, run.exit(), "exit 139 is the crash itself\n" + run.output());
    assertTrue(run.output().contains("refused INCOMPATIBLE_RUNTIME"), run.output());
    assertTrue(run.output().contains("ONNX Runtime 1.29.0 crashes the JVM"), run.output());
    assertTrue(run.output().contains("java @args.txt"), run.output());
  }

  private record Run(int exit, String output, long pid, long commandLineBytes) {}

  private static Run run(List<String> classpath, Path tmp, Path cache) throws Exception {
    // Entries that do not exist are ignored by the JVM but count on the command line.
    List<String> entries = new ArrayList<>(classpath);
    for (int i = 0; i < 250; i++) {
      entries.add(tmp.resolveSibling("no-such-library-" + i + "-padding-padding.jar").toString());
    }
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Dpad=" + "x".repeat(PAD),
            "-Djava.io.tmpdir=" + tmp,
            "-cp",
            String.join(File.pathSeparator, entries),
            LongCommandLineProbe.class.getName(),
            RepositoryRoot.get().resolve("examples/images").toString());
    long bytes =
        command.stream().mapToLong(a -> a.getBytes(StandardCharsets.UTF_8).length + 1).sum();
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("XDG_CACHE_HOME", cache.toString());
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the child JVM did not finish");
    return new Run(process.exitValue(), output, process.pid(), bytes);
  }

  private static List<String> classpath() throws IOException {
    Path file = Path.of("target/test-classpath.txt");
    Path root = RepositoryRoot.get();
    if (!Files.isRegularFile(file)) {
      file = root.resolve("sdk/target/test-classpath.txt");
    }
    assertTrue(Files.isRegularFile(file), file + " is written by the Maven build (mvn test)");
    List<String> entries = new ArrayList<>();
    entries.add(root.resolve("sdk/target/test-classes").toString());
    entries.add(root.resolve("sdk/target/classes").toString());
    for (String entry : Files.readString(file).strip().split(File.pathSeparator)) {
      entries.add(entry);
    }
    return entries;
  }

  private static Path defectiveOnnxRuntime() throws IOException {
    Path dir = RepositoryRoot.get().resolve("sdk/target/defective-onnxruntime");
    assertTrue(Files.isDirectory(dir), dir + " is written by the Maven build (mvn test)");
    try (Stream<Path> jars = Files.list(dir)) {
      return jars.filter(p -> p.toString().endsWith(".jar")).findFirst().orElseThrow();
    }
  }

  private static long sampleImages() throws IOException {
    try (Stream<Path> files = Files.walk(RepositoryRoot.get().resolve("examples/images"))) {
      return files.filter(p -> p.toString().endsWith(".png")).collect(Collectors.counting());
    }
  }
}
