package dev.stn4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stn4j.sdk.StnClassifier;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An independent client: Debian's Python grpcio, with stubs that {@code grpc_tools.protoc}
 * generates from the server's own {@code .proto}; it must agree with the SDK and get the same
 * status codes. Outside CI it is skipped where {@code python3-grpcio} or {@code python3-grpc-tools}
 * is missing; with {@code CI=true} that fails it ({@code .ci/run} installs them).
 */
class PythonGrpcClientTest {
  static final Path PYTHON = Path.of(System.getProperty("stn4j.python", "/usr/bin/python3"));
  static final Path PROTO_DIR = Samples.root().resolve("examples/serve/src/main/protobuf");

  @TempDir Path dir;

  @Test
  void pythonGrpcioAgreesWithTheSdk() throws Exception {
    requirePythonGrpc();
    run(
        List.of(
            PYTHON.toString(),
            "-m",
            "grpc_tools.protoc",
            "-I" + PROTO_DIR,
            "--python_out=" + dir,
            "--grpc_python_out=" + dir,
            "grpc_predict_v2.proto"));
    Path script = dir.resolve("grpc_client.py");
    try (InputStream in = getClass().getResourceAsStream("grpc_client.py")) {
      Files.copy(in, script);
    }
    List<float[]> images = Samples.images(20);
    Path imageFile = dir.resolve("images.f32");
    Files.write(imageFile, GrpcClients.bytes(images).toByteArray());
    Path out = dir.resolve("probabilities.f32");
    String seen;
    try (InferenceServer server =
            InferenceServer.start(ServeOptions.builder().port(0).grpcPort(0).build());
        StnClassifier sdk = StnClassifier.builder().intraOpThreads(1).build()) {
      seen =
          run(
              List.of(
                  PYTHON.toString(),
                  script.toString(),
                  Integer.toString(server.grpcPort().orElseThrow()),
                  imageFile.toString(),
                  "20",
                  "32",
                  out.toString()));
      float[] got = floats(Files.readAllBytes(out));
      assertEquals(2 * 20 * 10, got.length, seen);
      double maxDelta = 0;
      for (int form = 0; form < 2; form++) { // raw, then typed
        for (int i = 0; i < 20; i++) {
          float[] expected = sdk.predict(images.get(i)).probabilities();
          for (int k = 0; k < 10; k++) {
            maxDelta = Math.max(maxDelta, Math.abs(expected[k] - got[form * 200 + i * 10 + k]));
          }
        }
      }
      assertTrue(maxDelta <= 1e-6, "max |delta| " + maxDelta);
    }
    JsonNode s = new ObjectMapper().readTree(seen.lines().reduce((a, b) -> b).orElseThrow());
    assertTrue(s.get("live").asBoolean() && s.get("ready").asBoolean(), seen);
    assertEquals("[-1,3,32,32]", s.get("metadata").get("image").toString(), seen);
    assertEquals("[-1,10]", s.get("metadata").get("probabilities").toString(), seen);
    assertEquals("[\"probabilities\"]", s.get("raw_outputs").toString(), seen);
    assertEquals("[\"probabilities\",\"theta\",\"warped\"]", s.get("typed_outputs").toString());
    assertTrue(
        s.get("wrong_shape")
            .asText()
            .startsWith("INVALID_ARGUMENT: input 'image' has shape [20,3,33,33]"),
        seen);
    assertTrue(
        s.get("unknown_model").asText().startsWith("NOT_FOUND: unknown model 'resnet'"), seen);
  }

  /** Skips (outside CI) or fails (CI=true) naming what is missing. */
  private static void requirePythonGrpc() throws Exception {
    String missing = null;
    if (!Files.isExecutable(PYTHON)) {
      missing = PYTHON + " missing";
    } else {
      Process p =
          new ProcessBuilder(PYTHON.toString(), "-c", "import grpc, grpc_tools.protoc")
              .redirectErrorStream(true)
              .start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        missing = PYTHON + " cannot import grpc and grpc_tools: " + output.strip();
      }
    }
    if (missing == null) {
      return;
    }
    String reason =
        "no Python gRPC: " + missing + " (apt-get install python3-grpcio python3-grpc-tools)";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      fail(reason + "; CI=true requires the Python gRPC client test to run");
    }
    Assumptions.abort(reason);
  }

  /** Runs a command in {@link #dir}, returning its output; fails with it on a non-zero exit. */
  private String run(List<String> command) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "timed out: " + command);
    assertEquals(0, p.exitValue(), command + ":\n" + output);
    return output;
  }

  private static float[] floats(byte[] bytes) {
    float[] v = new float[bytes.length / 4];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
    return v;
  }
}
