package dev.stn4j.train;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;

/**
 * Where {@code stn train} runs, as far as oneDNN's cap goes: oneDNN reads its cap once per process,
 * so a run whose JVM started with another cap than the machine's verdict (or than a non-finite step
 * calls for) goes on in a child JVM with the right one.
 *
 * @param requested {@code --onednn-isa}
 * @param relaunched whether this JVM is already the child started with {@code requested}
 * @param childInheritsIo whether a child writes to this process's own stdout/stderr (tests read it
 *     through the writers instead)
 * @param trainArgs the arguments after {@code train}, for the child
 */
record OneDnnPlacement(
    OneDnnIsa requested,
    boolean relaunched,
    boolean childInheritsIo,
    List<String> trainArgs,
    PrintWriter out,
    PrintWriter err) {

  /**
   * Decides oneDNN's cap and prints the verdict; when this JVM was started with another cap, trains
   * in a child JVM that has it and returns its exit code, else returns null to train here.
   */
  Integer trainWhereTheCapIsRight() throws IOException {
    String environment = OneDnnIsa.capIn(System.getenv());
    OneDnnIsa running = OneDnnIsa.ofEnvironment(environment);
    if (relaunched) {
      if (!running.equals(requested)) {
        throw new IllegalStateException(
            "relaunched for oneDNN "
                + requested.describe()
                + " but "
                + OneDnnIsa.ENV
                + " is "
                + environment);
      }
      return null;
    }
    OneDnnVerdict verdict;
    try {
      verdict = OneDnnChoice.forThisMachine().decide(requested, "--onednn-isa");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while probing oneDNN", e);
    }
    out.println(verdict.line());
    if (verdict.isa().equals(running)) {
      out.flush();
      return null;
    }
    out.printf(
        Locale.ROOT,
        "oneDNN: this JVM started with %s=%s; training in a child JVM with oneDNN %s%n",
        OneDnnIsa.ENV,
        environment == null ? "(unset)" : environment,
        verdict.isa().describe());
    out.flush();
    return new TrainingRelaunch(trainArgs).run(verdict.isa(), false, childInheritsIo, out, err);
  }

  /**
   * After a non-finite step without the safe cap, which is how the oneDNN defect shows when the
   * probe missed it: the run goes on from its last checkpoint (or from the start, if it has none
   * yet) in a child JVM under the safe cap, and a real divergence then fails there.
   */
  int resumeWithTheSafeCap(NonFiniteTrainingException e, RunOutput run) throws IOException {
    OneDnnIsa running = OneDnnIsa.ofEnvironment(OneDnnIsa.capIn(System.getenv()));
    if (running.equals(OneDnnIsa.SAFE)) {
      throw e;
    }
    boolean resumable = Files.exists(run.checkpoint());
    err.printf(
        Locale.ROOT,
        "stn train: a non-finite loss or gradient %s with oneDNN %s; %s with oneDNN %s%n",
        e.where(),
        running.describe(),
        resumable
            ? "resuming from the last checkpoint (" + run.checkpoint() + ")"
            : "starting again",
        OneDnnIsa.SAFE.describe());
    err.flush();
    return new TrainingRelaunch(trainArgs)
        .run(OneDnnIsa.SAFE, resumable, childInheritsIo, out, err);
  }
}
