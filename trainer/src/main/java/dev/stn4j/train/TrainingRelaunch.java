package dev.stn4j.train;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code stn train} again, in a child JVM whose environment gives oneDNN the cap this process does
 * not have: after the decision, when this JVM was started with another cap, and after a non-finite
 * step without the safe cap, to resume from the last checkpoint with it. The child is told the cap
 * outright and that it was relaunched, so it neither probes nor relaunches again.
 */
final class TrainingRelaunch {
  /** Hidden option: the parent decided the cap and printed why. */
  static final String RELAUNCHED = "--onednn-relaunched";

  private static final String ISA_OPTION = "--onednn-isa";

  private final List<String> trainArgs;

  /**
   * @param trainArgs the arguments {@code train} was given (after the word {@code train})
   */
  TrainingRelaunch(List<String> trainArgs) {
    this.trainArgs = List.copyOf(trainArgs);
  }

  /** The child's arguments: these, with {@code --onednn-isa} set to {@code isa}. */
  List<String> childArgs(OneDnnIsa isa, boolean resume) {
    List<String> args = new ArrayList<>();
    args.add("train");
    for (int i = 0; i < trainArgs.size(); i++) {
      String a = trainArgs.get(i);
      if (a.equals(ISA_OPTION)) {
        i++; // and its value
      } else if (!a.startsWith(ISA_OPTION + "=") && !a.equals(RELAUNCHED)) {
        args.add(a);
      }
    }
    if (resume && !args.contains("--resume")) {
      args.add("--resume");
    }
    args.add(ISA_OPTION);
    args.add(isa.option());
    args.add(RELAUNCHED);
    return args;
  }

  /** Runs the child to its end; its exit code is this run's. */
  int run(OneDnnIsa isa, boolean resume, boolean inheritIo, PrintWriter out, PrintWriter err)
      throws IOException {
    ChildJvm child = new ChildJvm(TrainCommand.class.getName(), childArgs(isa, resume), isa);
    try {
      return child.run(inheritIo, out, err);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while training in a child JVM", e);
    }
  }
}
