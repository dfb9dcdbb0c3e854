package dev.stn4j.bench;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.stn4j.sdk.internal.SessionSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * One lever tried on the raw ONNX Runtime baseline: different session settings (a change to the
 * SDK's, see {@link SessionSettings}) and/or a rewritten graph.
 */
record Variant(
    String name,
    String description,
    UnaryOperator<SessionSettings.Builder> settings,
    GraphRewrite rewrite) {

  /** A transformation of the model, or null for the model as exported. */
  interface GraphRewrite {
    ai.onnx.proto.OnnxMl.ModelProto apply(ai.onnx.proto.OnnxMl.ModelProto model);
  }

  static final List<Variant> ALL =
      List.of(
          new Variant("baseline", "the SDK's settings: ALL_OPT, sequential", s -> s, null),
          new Variant(
              "opt-extended",
              "EXTENDED_OPT (no NCHWc layout transformation)",
              s -> s.optimizationLevel(OptLevel.EXTENDED_OPT),
              null),
          new Variant("opt-basic", "BASIC_OPT", s -> s.optimizationLevel(OptLevel.BASIC_OPT), null),
          new Variant(
              "no-spin",
              "intra-op threads do not spin",
              s -> s.config("session.intra_op.allow_spinning", "0"),
              null),
          new Variant(
              "no-mempattern",
              "memory pattern optimisation off",
              s -> s.memoryPattern(false),
              null),
          new Variant(
              "parallel",
              "parallel execution mode, 2 inter-op threads",
              s -> s.interOpThreads(2),
              null),
          new Variant(
              "ort-gridsample",
              "ONNX Runtime's own GridSample kernel instead of stn4j's (same numbers)",
              s -> s.nativeKernels(false),
              null),
          new Variant(
              "no-channel-padding",
              "graph: the trained channel counts (Pad/Slice of the export removed, same numbers)",
              s -> s,
              GraphRewrites::withoutChannelPadding),
          new Variant(
              "diag-no-gridsample",
              "DIAGNOSTIC, other outputs: sampler replaced by the identity (its cost)",
              s -> s,
              GraphRewrites::withoutGridSample));

  static Variant byName(String name) {
    for (Variant v : ALL) {
      if (v.name.equals(name)) {
        return v;
      }
    }
    throw new IllegalArgumentException(
        "unknown variant '"
            + name
            + "', expected one of "
            + ALL.stream().map(Variant::name).toList());
  }

  /** The model this variant runs: the given one, or its rewrite in a temporary file. */
  Path model(Path original) throws IOException {
    if (rewrite == null) {
      return original;
    }
    return GraphRewrites.write(rewrite.apply(GraphRewrites.read(original)), name);
  }

  /** The base settings with this variant's changes. */
  SessionSettings settings(SessionSettings base) {
    return settings.apply(base.toBuilder()).build();
  }
}
