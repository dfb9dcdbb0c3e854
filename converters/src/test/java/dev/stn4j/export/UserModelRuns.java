package dev.stn4j.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stn4j.commandline.StnCommandLine;
import dev.stn4j.train.TrainCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A user's model made the way a user makes it, for the converters' tests: {@code stn train} on a
 * labelled tree for 2 epochs (in the test JVM: surefire runs this module under oneDNN's safe cap,
 * so {@code --onednn-isa cap} trains here), then {@code stn export}. Each fails the test with the
 * command's output when it exits non-zero.
 */
final class UserModelRuns {
  private UserModelRuns() {}

  /** {@code stn train} on {@code train} into {@code run}; returns what it printed. */
  static String train(
      Path train,
      Path run,
      Path cacheDir,
      int imageSize,
      int validation,
      int batchSize,
      String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "train",
                "--data-dir",
                train.toString(),
                "--validation",
                Integer.toString(validation),
                "--image-size",
                Integer.toString(imageSize),
                "--epochs",
                "2",
                "--batch-size",
                Integer.toString(batchSize),
                "--threads",
                "1",
                "--no-progress",
                "--onednn-isa",
                "cap",
                "--cache-dir",
                cacheDir.toString(),
                "--output",
                run.toString()));
    args.addAll(List.of(more));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var trainer = StnCommandLine.root(new TrainCommand());
    trainer.setOut(new PrintWriter(out));
    trainer.setErr(new PrintWriter(err));
    assertEquals(0, trainer.execute(args.toArray(String[]::new)), err + "\n" + out);
    return out.toString();
  }

  /** {@code stn export} of {@code run}'s checkpoint to {@code model}; returns what it printed. */
  static String export(Path run, Path model) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        ExportCommand.execute(
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            "export",
            "--checkpoint",
            run.resolve("checkpoint.bin").toString(),
            "--output",
            model.toString());
    assertEquals(0, code, err.toString());
    return out.toString();
  }
}
