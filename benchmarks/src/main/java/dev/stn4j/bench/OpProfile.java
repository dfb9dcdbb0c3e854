package dev.stn4j.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where the time goes inside {@code session.run}, read from an ONNX Runtime profile (Chrome trace
 * JSON): kernel time per operator type and per node, averaged per run, and the rest of {@code
 * model_run} (executor and framework overhead).
 */
record OpProfile(
    int runs, double modelRunUs, Map<String, double[]> byOpType, Map<String, Double> byNode) {

  /** Reads a profile; {@code skipRuns} first runs (warm-up) are left out. */
  static OpProfile read(Path profileJson, int skipRuns) throws IOException {
    JsonNode events = new ObjectMapper().readTree(profileJson.toFile());
    List<long[]> runs = new ArrayList<>(); // [ts, dur] of each model_run
    for (JsonNode e : events) {
      if ("Session".equals(e.path("cat").asText()) && "model_run".equals(e.path("name").asText())) {
        runs.add(new long[] {e.path("ts").asLong(), e.path("dur").asLong()});
      }
    }
    runs.sort(Comparator.comparingLong(r -> r[0]));
    if (runs.size() <= skipRuns) {
      throw new IOException(profileJson + ": only " + runs.size() + " runs profiled");
    }
    long from = runs.get(skipRuns)[0];
    int counted = runs.size() - skipRuns;
    double total = runs.subList(skipRuns, runs.size()).stream().mapToLong(r -> r[1]).sum();
    Map<String, double[]> byOp = new LinkedHashMap<>(); // op -> [total µs, node count]
    Map<String, Double> byNode = new LinkedHashMap<>();
    Map<String, String> opOfNode = new LinkedHashMap<>();
    for (JsonNode e : events) {
      String name = e.path("name").asText();
      if (!"Node".equals(e.path("cat").asText())
          || !name.endsWith("_kernel_time")
          || e.path("ts").asLong() < from) {
        continue;
      }
      String node = name.substring(0, name.length() - "_kernel_time".length());
      String op = e.path("args").path("op_name").asText("?");
      opOfNode.put(node, op);
      byNode.merge(node, (double) e.path("dur").asLong(), Double::sum);
    }
    byNode.replaceAll((k, v) -> v / counted);
    for (Map.Entry<String, Double> n : byNode.entrySet()) {
      double[] acc = byOp.computeIfAbsent(opOfNode.get(n.getKey()), k -> new double[2]);
      acc[0] += n.getValue();
      acc[1] += 1;
    }
    return new OpProfile(counted, total / counted, byOp, byNode);
  }

  void print(PrintWriter out) {
    double kernels = byOpType.values().stream().mapToDouble(a -> a[0]).sum();
    out.printf(Locale.ROOT, "%d profiled runs, model_run %.1f µs per run%n", runs, modelRunUs);
    out.printf(Locale.ROOT, "%-24s %5s %12s %8s%n", "operator", "nodes", "µs per run", "share");
    byOpType.entrySet().stream()
        .sorted((a, b) -> Double.compare(b.getValue()[0], a.getValue()[0]))
        .forEach(
            e ->
                out.printf(
                    Locale.ROOT,
                    "%-24s %5.0f %12.1f %7.1f%%%n",
                    e.getKey(),
                    e.getValue()[1],
                    e.getValue()[0],
                    100 * e.getValue()[0] / modelRunUs));
    out.printf(
        Locale.ROOT,
        "%-24s %5s %12.1f %7.1f%%%n",
        "(outside kernels)",
        "",
        modelRunUs - kernels,
        100 * (modelRunUs - kernels) / modelRunUs);
    out.println();
    out.printf(Locale.ROOT, "%-40s %12s%n", "node", "µs per run");
    byNode.entrySet().stream()
        .sorted((a, b) -> Double.compare(b.getValue(), a.getValue()))
        .forEach(e -> out.printf(Locale.ROOT, "%-40s %12.1f%n", e.getKey(), e.getValue()));
    out.flush();
  }
}
