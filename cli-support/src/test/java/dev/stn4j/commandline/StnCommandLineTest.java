package dev.stn4j.commandline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stn4j.sdk.ErrorCode;
import dev.stn4j.sdk.Provider;
import dev.stn4j.sdk.StnException;
import dev.stn4j.sdk.internal.Stn4jVersion;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

class StnCommandLineTest {
  /** A command that fails in the way its options ask. */
  @Command(name = "demo", mixinStandardHelpOptions = true)
  static final class Demo implements Callable<Integer> {
    @Option(names = "--fail-with")
    String failWith;

    @Option(names = "--count")
    int count;

    @Mixin ModelOption model = new ModelOption();
    @Mixin ProviderOption provider = new ProviderOption();
    @Mixin SummaryJsonOption summary = new SummaryJsonOption();
    @Mixin BatchSizeOption batchSize = new BatchSizeOption();

    Provider seenProvider;
    Path seenModel;
    int seenBatchSize;

    @Override
    public Integer call() throws Exception {
      seenProvider = provider.provider();
      seenModel = model.model().orElse(null);
      seenBatchSize = batchSize.get();
      if ("missing-file".equals(failWith)) {
        throw new NoSuchFileException("/no/such/model.onnx");
      }
      if ("stn".equals(failWith)) {
        throw new StnException(ErrorCode.INVALID_INPUT, "cat.png: not an image");
      }
      if ("bug".equals(failWith)) {
        throw new NullPointerException();
      }
      return 0;
    }
  }

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(Object command, String... args) {
    CommandLine cl = StnCommandLine.root(command);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  @Test
  void noCommandIsAUsageErrorNamingTheCommands() {
    assertEquals(2, run(new Demo()));
    assertTrue(err.toString().startsWith("stn: missing command: one of demo"), err.toString());
    assertTrue(err.toString().contains("Run 'stn --help'"), err.toString());
    assertEquals("", out.toString());
  }

  @Test
  void aBadOptionIsAUsageErrorOnOneLineWithAHint() {
    assertEquals(2, run(new Demo(), "demo", "--colour", "red"));
    String[] lines = err.toString().split("\n");
    assertEquals("stn demo: Unknown options: '--colour', 'red'", lines[0]);
    assertTrue(err.toString().contains("Run 'stn demo --help' for its usage."), err.toString());
  }

  @Test
  void aBadValueNamesTheOptionAndTheValue() {
    assertEquals(2, run(new Demo(), "demo", "--count", "many"));
    assertTrue(
        err.toString().startsWith("stn demo: Invalid value for option '--count'"), err.toString());
    assertEquals(2, run(new Demo(), "demo", "--provider", "gpu"));
    assertTrue(
        err.toString().contains("unknown provider 'gpu'; expected auto, cpu"), err.toString());
  }

  @Test
  void everyCommandPrintsTheProjectVersion() {
    assertEquals(0, run(new Demo(), "--version"));
    assertEquals(0, run(new Demo(), "demo", "--version"));
    String expected = "stn4j " + Stn4jVersion.get();
    assertEquals(expected + "\n" + expected + "\n", out.toString());
  }

  @Test
  void failuresAreOneLineNamingTheInputAndExitOne() {
    assertEquals(1, run(new Demo(), "demo", "--fail-with", "missing-file"));
    assertEquals("stn demo: /no/such/model.onnx: no such file or directory\n", err.toString());
    err.getBuffer().setLength(0);
    assertEquals(1, run(new Demo(), "demo", "--fail-with", "stn"));
    assertEquals("stn demo: cat.png: not an image\n", err.toString());
  }

  @Test
  void aBugIsCalledAnInternalErrorNotAStackTrace() {
    assertEquals(1, run(new Demo(), "demo", "--fail-with", "bug"));
    assertEquals("stn demo: internal error: java.lang.NullPointerException\n", err.toString());
  }

  @Test
  void sharedOptionsHaveTheirDefaultsAndParseWithTheSdk() {
    Demo demo = new Demo();
    assertEquals(0, run(demo, "demo"));
    assertEquals(Provider.auto(), demo.seenProvider);
    assertEquals(null, demo.seenModel);
    Demo cuda = new Demo();
    assertEquals(0, run(cuda, "demo", "--provider", "CUDA:1", "--model", "m.onnx"));
    assertEquals(Provider.cuda(1), cuda.seenProvider);
    assertEquals(Path.of("m.onnx"), cuda.seenModel);
  }

  @Test
  void aCommandThatIsItsOwnRootIsNamedByItself() {
    CommandLine cl = StnCommandLine.configure(new CommandLine(new Demo()));
    cl.setErr(new PrintWriter(err, true));
    assertEquals(2, cl.execute("--bogus"));
    assertTrue(err.toString().startsWith("demo: Unknown option: '--bogus'"), err.toString());
  }

  @Test
  void theBatchSizeIsCheckedAgainstTheSdksLimit() {
    Demo demo = new Demo();
    assertEquals(0, run(demo, "demo"));
    assertEquals(256, demo.seenBatchSize);
    assertEquals(2, run(new Demo(), "demo", "--batch-size", "0"));
    assertTrue(
        err.toString().startsWith("stn demo: --batch-size must be in 1..65536, got 0"),
        err.toString());
  }
}
