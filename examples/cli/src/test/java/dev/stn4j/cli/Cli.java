package dev.stn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stn4j.sdk.StnClassifier;
import dev.stn4j.sdk.StnException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs the command line in-process and reads what it wrote. */
final class Cli {
  static final ObjectMapper JSON = new ObjectMapper();

  private Cli() {}

  /** Exit status and the two output channels of one run. */
  record Result(int exit, String out, String err) {
    /** stdout as JSON lines. */
    List<JsonNode> records() {
      List<JsonNode> nodes = new ArrayList<>();
      for (String line : out.split("\n")) {
        if (!line.isEmpty()) {
          try {
            nodes.add(JSON.readTree(line));
          } catch (IOException e) {
            throw new UncheckedIOException("not a JSON line: " + line, e);
          }
        }
      }
      return nodes;
    }

    /** JSON lines keyed by their {@code path}, in output order. */
    Map<String, JsonNode> byPath() {
      Map<String, JsonNode> map = new LinkedHashMap<>();
      for (JsonNode n : records()) {
        map.put(n.get("path").asText(), n);
      }
      return map;
    }

    /** The record for {@code file}. */
    JsonNode record(Path file) {
      JsonNode n = byPath().get(file.toString());
      if (n == null) {
        throw new AssertionError("no record for " + file + " in:\n" + out + "\nstderr:\n" + err);
      }
      return n;
    }

    @Override
    public String toString() {
      return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        StnCli.commandLine()
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(err, true))
            .execute(args);
    return new Result(exit, out.toString(), err.toString());
  }

  /** Where the SDK ships its default model, as a class-path resource. */
  static final String DEFAULT_MODEL = "/dev/stn4j/sdk/default-model.onnx";

  /**
   * Skips the calling test, with the reason, only when the SDK on the class path ships no default
   * model. A model that is there must load, with the ten CIFAR-10 classes: anything else fails the
   * test instead of hiding as a skip.
   */
  static void assumeDefaultModel() {
    URL model = StnClassifier.class.getResource(DEFAULT_MODEL);
    assumeTrue(model != null, "this SDK ships no default model: no " + DEFAULT_MODEL);
    try (StnClassifier c = StnClassifier.createDefault()) {
      assertEquals(10, c.modelInfo().classNames().size(), "classes of the shipped model " + model);
    } catch (StnException e) {
      throw new AssertionError("the shipped model " + model + " is there but does not load", e);
    }
  }
}
