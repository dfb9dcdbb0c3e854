package dev.stn4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.util.concurrent.ListenableFuture;
import dev.stn4j.sdk.StnClassifier;
import dev.stn4j.serve.grpc.v2.GRPCInferenceServiceGrpc;
import dev.stn4j.serve.grpc.v2.ModelInferResponse;
import io.grpc.ManagedChannel;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code stn serve} as a child process: SIGTERM stops accepting, answers in flight, exits 0. */
class ServeProcessTest {
  private static String metrics(HttpClient http, String uri) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(uri + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  @Test
  void sigtermFinishesTheRequestsInFlightOnBothProtocolsRefusesNewOnesAndExitsZero()
      throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // A 2 s batching delay keeps the first request in flight while the signal arrives.
    Process child =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                "-Dstn4j.root=" + Samples.root(),
                ServeMain.class.getName(),
                "serve",
                "--port",
                "0",
                "--grpc-port",
                "0",
                "--max-delay-us",
                "2000000")
            .redirectErrorStream(true)
            .start();
    List<String> lines = new ArrayList<>();
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      String uri = null;
      Pattern listening = Pattern.compile("listening on (http://\\S+)");
      for (String line; uri == null && (line = out.readLine()) != null; ) {
        lines.add(line);
        Matcher m = listening.matcher(line);
        if (m.find()) {
          uri = m.group(1);
        }
      }
      assertTrue(uri != null, "no 'listening on' line: " + lines);
      // The bound on connections and the file limit it was checked against, read at start.
      String started = lines.get(lines.size() - 1);
      OptionalLong files = FileLimit.current();
      assertTrue(
          started.contains(
              "max connections "
                  + FileLimit.defaultMaxConnections(files)
                  + ", "
                  + (files.isPresent() ? "file limit " + files.getAsLong() : "file limit unknown")),
          started);
      assertTrue(started.contains("body timeout 20000 ms"), started);
      String grpcLine = out.readLine();
      lines.add(grpcLine);
      Matcher grpcPort =
          Pattern.compile("gRPC listening on 127\\.0\\.0\\.1:(\\d+) ").matcher(grpcLine);
      assertTrue(grpcPort.find(), grpcLine);
      int grpc = Integer.parseInt(grpcPort.group(1));
      assertTrue(
          started.contains("(model stn = the shipped CIFAR-10 model: 10 classes, 32x32;"), started);
      HttpClient http =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(Duration.ofSeconds(2))
              .build();
      List<float[]> one = Samples.images(1);
      HttpRequest infer =
          HttpRequest.newBuilder(URI.create(uri + "/v2/models/stn/infer"))
              .headers(InferenceServerTest.binaryHeader(one))
              .POST(
                  HttpRequest.BodyPublishers.ofByteArray(InferenceServerTest.binaryBody(one, null)))
              .build();
      // Connected (and gRPC's classes loaded) first: both requests must arrive within one delay.
      ManagedChannel channel = GrpcClients.channel(grpc);
      assertTrue(
          GrpcClients.stub(channel)
              .serverLive(dev.stn4j.serve.grpc.v2.ServerLiveRequest.getDefaultInstance())
              .getLive());
      long sent = System.nanoTime();
      CompletableFuture<HttpResponse<byte[]>> inFlight =
          http.sendAsync(infer, HttpResponse.BodyHandlers.ofByteArray());
      ListenableFuture<ModelInferResponse> grpcInFlight =
          GRPCInferenceServiceGrpc.newFutureStub(channel)
              .withDeadlineAfter(30, TimeUnit.SECONDS)
              .modelInfer(GrpcClients.raw(one).build());
      // In flight means received and queued: a request still on its way when the signal comes is
      // not one the server has to answer.
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (!metrics(http, uri).contains("stn_inference_requests_in_flight 2.0")) {
        assertTrue(
            System.nanoTime() < deadline, "the requests never arrived: " + inFlight + grpcInFlight);
        Thread.sleep(20);
      }
      // Not Process.destroy(): it sends SIGTERM but also closes the pipes to the child.
      assertEquals(
          0,
          new ProcessBuilder("kill", "-TERM", Long.toString(child.pid()))
              .inheritIO()
              .start()
              .waitFor());
      Thread.sleep(300);
      if (!child.isAlive()) {
        for (String line; (line = out.readLine()) != null; ) {
          lines.add(line);
        }
      }
      assertTrue(
          child.isAlive(),
          "still answering the request in flight; exited "
              + (child.isAlive() ? "" : child.exitValue())
              + ": "
              + lines
              + " "
              + inFlight);
      HttpClient fresh = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      Exception refused =
          assertThrows(
              IOException.class, () -> fresh.send(infer, HttpResponse.BodyHandlers.ofByteArray()));
      assertTrue(refused instanceof ConnectException, "new connection refused: " + refused);
      ManagedChannel fresher = GrpcClients.channel(grpc);
      String grpcRefused =
          GrpcClients.failure(
              () -> GrpcClients.stub(fresher).modelInfer(GrpcClients.raw(one).build()));
      assertTrue(grpcRefused.startsWith("UNAVAILABLE"), grpcRefused);
      GrpcClients.close(fresher);

      HttpResponse<byte[]> answer = inFlight.get(20, TimeUnit.SECONDS);
      assertEquals(200, answer.statusCode(), new String(answer.body(), StandardCharsets.UTF_8));
      assertTrue(System.nanoTime() - sent >= 1_900_000_000L, "it waited for its batch");
      try (StnClassifier sdk = StnClassifier.builder().build()) {
        float[] expected = sdk.predict(one.get(0)).probabilities();
        float[] got =
            InferenceServerTest.Outputs.parse(answer).slice("probabilities", 0, expected.length);
        assertEquals(0, InferenceServerTest.maxAbs(expected, got), 1e-6);
        float[] overGrpc =
            GrpcClients.output(grpcInFlight.get(20, TimeUnit.SECONDS), "probabilities");
        assertEquals(0, InferenceServerTest.maxAbs(expected, overGrpc), 1e-6);
      }
      GrpcClients.close(channel);
      assertTrue(child.waitFor(30, TimeUnit.SECONDS), "exited");
      for (String line; (line = out.readLine()) != null; ) {
        lines.add(line);
      }
      assertEquals(0, child.exitValue(), String.join("\n", lines));
      assertTrue(lines.get(lines.size() - 1).contains("stn serve: stopped"), lines.toString());
    } finally {
      child.destroyForcibly();
    }
  }
}
