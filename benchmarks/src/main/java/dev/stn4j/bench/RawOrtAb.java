package dev.stn4j.bench;

import dev.stn4j.sdk.internal.SessionSettings;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An A/B of raw ONNX Runtime sessions at one batch size and thread count: one runner per arm (its
 * own model and session settings), each run once to keep its outputs for comparison, then all
 * measured in interleaved rounds so a change in the machine's load falls on every arm. The arms'
 * runners are closed before it returns. Used by {@code bench levers} and {@code bench int8}.
 */
final class RawOrtAb {
  /** One arm: what to run and with which session settings. */
  record Arm(RunSpec spec, SessionSettings settings) {}

  /**
   * The arms' measurements and first outputs, in the arms' order.
   *
   * @param rows one row per arm (runtime "ort-raw", provider "cpu")
   * @param outputs each arm's probabilities, θ and warped image after its first run
   */
  record Result(List<BenchRow> rows, List<float[][]> outputs) {}

  private RawOrtAb() {}

  static Result measure(List<Arm> arms, SampleImages images, Budget budget, int rounds)
      throws Exception {
    List<OrtRawRunner> runners = new ArrayList<>();
    try {
      for (Arm arm : arms) {
        runners.add(new OrtRawRunner(arm.spec(), arm.settings(), images));
      }
      List<float[][]> outputs = new ArrayList<>();
      for (OrtRawRunner r : runners) {
        r.run(0);
        outputs.add(r.lastOutputs());
      }
      List<Harness.Samples> samples =
          Harness.interleave(
              runners.stream().map(r -> (Harness.Step) r::run).toList(),
              Collections.nCopies(runners.size(), 1),
              budget,
              rounds);
      List<BenchRow> rows = new ArrayList<>();
      for (int k = 0; k < runners.size(); k++) {
        RunSpec spec = arms.get(k).spec();
        rows.add(
            Harness.row("ort-raw", "cpu", spec.batch(), spec.threads(), 1, 0, 0, samples.get(k)));
      }
      return new Result(rows, outputs);
    } finally {
      for (OrtRawRunner r : runners) {
        r.close();
      }
    }
  }
}
