package dev.stn4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stn4j.data.Cifar10;
import dev.stn4j.sdk.Prediction;
import dev.stn4j.sdk.StnClassifier;
import dev.stn4j.sdk.Theta;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service over HTTP on loopback: protocol, answers equal to the SDK's, and every refusal. */
class InferenceServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static InferenceServer server;
  private static StnClassifier sdk;
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() throws Exception {
    server =
        InferenceServer.start(
            ServeOptions.builder()
                .port(0)
                .maxQueueImages(300)
                .maxBodyBytes(2L << 20)
                .requestTimeout(Duration.ofSeconds(5))
                .build());
    sdk = StnClassifier.builder().intraOpThreads(1).build();
  }

  @AfterAll
  static void stop() {
    server.close();
    sdk.close();
  }

  static HttpResponse<byte[]> get(String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(server.uri() + path)).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  static HttpResponse<byte[]> post(String path, byte[] body, String... headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(server.uri() + path))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  static JsonNode json(HttpResponse<byte[]> r) throws Exception {
    return JSON.readTree(r.body());
  }

  @Test
  void healthMetadataAndReadiness() throws Exception {
    assertEquals(200, get("/v2/health/live").statusCode());
    assertEquals(200, get("/v2/health/ready").statusCode());
    assertEquals(200, get("/v2/models/stn/ready").statusCode());
    JsonNode meta = json(get("/v2"));
    assertEquals("binary_tensor_data", meta.get("extensions").get(0).asText());
    JsonNode model = json(get("/v2/models/stn"));
    assertEquals("stn", model.get("name").asText());
    assertEquals("image", model.get("inputs").get(0).get("name").asText());
    assertEquals("[-1,3,32,32]", model.get("inputs").get(0).get("shape").toString());
    assertEquals("[-1,10]", model.get("outputs").get(0).get("shape").toString());
    assertEquals(200, get("/v2/models/stn/versions/1").statusCode());
  }

  /** The parity figure: the 1,000 sample images through binary infer, max |Δ| ≤ 1e-6. */
  @Test
  void binaryInferEqualsTheSdkOnTheThousandSampleImages() throws Exception {
    List<float[]> images = Samples.images(1000);
    List<Prediction> expected = sdk.predictAll(images);
    double maxDelta = 0;
    for (int start = 0; start < 1000; start += 100) {
      List<float[]> chunk = images.subList(start, start + 100);
      HttpResponse<byte[]> r =
          post("/v2/models/stn/infer", binaryBody(chunk, null), binaryHeader(chunk));
      assertEquals(200, r.statusCode(), () -> new String(r.body(), StandardCharsets.UTF_8));
      Outputs out = Outputs.parse(r);
      for (int i = 0; i < 100; i++) {
        Prediction p = expected.get(start + i);
        maxDelta = Math.max(maxDelta, maxAbs(p.probabilities(), out.slice("probabilities", i, 10)));
        Theta t = p.theta();
        maxDelta =
            Math.max(
                maxDelta,
                maxAbs(
                    new float[] {t.a(), t.b(), t.tx(), t.c(), t.d(), t.ty()},
                    out.slice("theta", i, 6)));
        maxDelta = Math.max(maxDelta, maxAbs(p.warped().chw(), out.slice("warped", i, 3072)));
      }
    }
    assertTrue(maxDelta <= 1e-6, "max |delta| " + maxDelta);
  }

  @Test
  void jsonInferEqualsTheSdkAndHonoursTheOutputsList() throws Exception {
    List<float[]> images = Samples.images(3);
    StringBuilder data = new StringBuilder();
    for (float[] image : images) {
      for (float v : image) {
        data.append(data.length() == 0 ? "" : ",").append(v);
      }
    }
    String body =
        "{\"id\":\"q1\",\"inputs\":[{\"name\":\"image\",\"datatype\":\"FP32\",\"shape\":[3,3,32,32],\"data\":["
            + data
            + "]}],\"outputs\":[{\"name\":\"theta\"},{\"name\":\"probabilities\"}]}";
    HttpResponse<byte[]> r = post("/v2/models/stn/infer", body.getBytes(StandardCharsets.UTF_8));
    assertEquals(200, r.statusCode());
    assertEquals("application/json", r.headers().firstValue("content-type").orElse(""));
    JsonNode out = json(r);
    assertEquals("q1", out.get("id").asText());
    assertEquals(2, out.get("outputs").size(), "only the outputs asked for");
    assertEquals("theta", out.get("outputs").get(0).get("name").asText());
    JsonNode p = out.get("outputs").get(1);
    assertEquals("[3,10]", p.get("shape").toString());
    for (int i = 0; i < 3; i++) {
      float[] expected = sdk.predict(images.get(i)).probabilities();
      for (int k = 0; k < 10; k++) {
        assertEquals(expected[k], p.get("data").get(i * 10 + k).floatValue(), 1e-6);
      }
    }
  }

  @Test
  void classifyAnImageFileAnswersAsTheSdkWithThetaAndTheWarpedPng() throws Exception {
    Path cat;
    try (Stream<Path> files = Files.list(Samples.root().resolve("examples/images/cat"))) {
      cat = files.sorted().findFirst().orElseThrow();
    }
    HttpResponse<byte[]> r = post("/v1/classify", Files.readAllBytes(cat));
    assertEquals(200, r.statusCode(), () -> new String(r.body(), StandardCharsets.UTF_8));
    JsonNode out = json(r);
    Prediction expected = sdk.predict(cat);
    assertEquals(expected.label(), out.get("label").asText());
    assertEquals(expected.classIndex(), out.get("classIndex").asInt());
    assertEquals(expected.confidence(), out.get("confidence").floatValue(), 1e-6);
    assertEquals(10, out.get("probabilities").size());
    assertEquals("cat", out.get("probabilities").get(3).get("label").asText());
    JsonNode theta = out.get("theta");
    assertEquals(expected.theta().rotationDegrees(), theta.get("rotationDegrees").asDouble(), 1e-6);
    assertEquals(expected.theta().scaleX(), theta.get("scaleX").asDouble(), 1e-6);
    assertEquals(expected.theta().a(), theta.get("matrix").get(0).get(0).floatValue(), 1e-7);
    BufferedImage warped =
        ImageIO.read(
            new ByteArrayInputStream(Base64.getDecoder().decode(out.get("warpedPng").asText())));
    assertEquals(32, warped.getWidth());
    assertEquals(expected.warped().toBufferedImage().getRGB(5, 7), warped.getRGB(5, 7));
  }

  @Test
  void aPhotoSizedJpegIsReducedAsTheSdkReducesItsFile(@TempDir Path dir) throws Exception {
    // 1200x900 with texture: decoded at 1/4 (900/4 >= 4·32), by the same road in both.
    BufferedImage photo = new BufferedImage(1200, 900, BufferedImage.TYPE_3BYTE_BGR);
    java.util.Random random = new java.util.Random(30);
    for (int y = 0; y < 900; y++) {
      for (int x = 0; x < 1200; x++) {
        photo.setRGB(x, y, (x / 5) << 16 | (y / 4) << 8 | random.nextInt(256));
      }
    }
    Path file = dir.resolve("photo.jpg");
    ImageIO.write(photo, "jpeg", file.toFile());
    HttpResponse<byte[]> r = post("/v1/classify", Files.readAllBytes(file));
    assertEquals(200, r.statusCode(), () -> new String(r.body(), StandardCharsets.UTF_8));
    Prediction expected = sdk.predict(file);
    JsonNode out = json(r);
    assertEquals(expected.classIndex(), out.get("classIndex").asInt());
    assertEquals(expected.confidence(), out.get("confidence").floatValue(), 1e-6);
    assertEquals(expected.theta().a(), out.get("theta").get("matrix").get(0).get(0).floatValue());
  }

  @Test
  void thePageDescribesTheShippedModelWithTheShippedCifarSamples() throws Exception {
    HttpResponse<byte[]> r = get("/v1/model");
    assertEquals(200, r.statusCode());
    assertEquals("application/json", r.headers().firstValue("content-type").orElse(""));
    JsonNode model = json(r);
    assertEquals(InferenceServer.SHIPPED_MODEL_NAME, model.get("name").asText());
    assertEquals(32, model.get("imageSize").asInt());
    assertEquals(
        Cifar10.CLASS_NAMES.toString(),
        JSON.convertValue(model.get("classes"), List.class).toString());
    // No embedded samples: the shipped CIFAR-10 images of the jar, as the page showed before.
    JsonNode listed = JSON.readTree(new StaticFiles().get("/samples.json").bytes());
    assertEquals(listed, model.get("samples"));
    assertEquals(20, model.get("samples").size());
    assertError(get("/v1/samples/0.png"), 404, "no such resource: /v1/samples/0.png");
  }

  @Test
  void badRequestsGetAClearJsonError() throws Exception {
    assertError(post("/v2/models/stn/infer", "{\"inputs\": [".getBytes()), 400, "malformed JSON");
    assertError(
        post(
            "/v2/models/stn/infer",
            OpenInferenceTest.request("[1,3,28,28]", "FP32", "[0]").getBytes()),
        400,
        "shape [1,3,28,28]");
    assertError(
        post(
            "/v2/models/stn/infer",
            OpenInferenceTest.request("[1,3,32,32]", "INT32", "[0]").getBytes()),
        400,
        "datatype INT32");
    assertError(
        post(
            "/v2/models/stn/infer",
            OpenInferenceTest.request("[1,3,32,32]", "FP32", OpenInferenceTest.values(3000, "0"))
                .getBytes()),
        400,
        "has 3000 values");
    List<float[]> nan = List.of(Samples.images(1).get(0).clone());
    nan.get(0)[7] = Float.NaN;
    assertError(
        post("/v2/models/stn/infer", binaryBody(nan, null), binaryHeader(nan)), 400, "is NaN");
    assertError(
        post("/v1/classify", "not an image".getBytes()),
        400,
        "request body: not a recognised image format");
    assertError(post("/v1/classify", new byte[0]), 400, "request body: empty");
    assertError(post("/v2/models/resnet/infer", "{}".getBytes()), 404, "unknown model 'resnet'");
    assertError(get("/v2/models/resnet"), 404, "unknown model 'resnet'");
    assertError(get("/v2/models/stn/versions/7"), 404, "unknown version '7'");
    assertError(get("/v2/models/stn/infer"), 405, "use POST");
    assertError(get("/nothing-here.html"), 404, "no such resource");
    // 301 binary images are 3.7 MB, over the 2 MiB body limit: 413 before anything is parsed.
    List<float[]> many = new ArrayList<>(java.util.Collections.nCopies(301, nan.get(0)));
    assertError(
        post("/v2/models/stn/infer", binaryBody(many, null), binaryHeader(many)), 413, "limit is");
  }

  @Test
  void aBodyOverTheLimitIs413() throws Exception {
    byte[] big = new byte[(2 << 20) + 1];
    assertError(post("/v1/classify", big), 413, "the limit is 2097152 bytes");
    // Without Content-Length (chunked), the limit holds while reading.
    HttpRequest chunked =
        HttpRequest.newBuilder(URI.create(server.uri() + "/v2/models/stn/infer"))
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)))
            .build();
    assertError(HTTP.send(chunked, HttpResponse.BodyHandlers.ofByteArray()), 413, "limit is");
  }

  @Test
  void aFullQueueIs503WithRetryAfterAndATimedOutRequestIs503() throws Exception {
    List<float[]> one = Samples.images(1);
    DynamicBatcher batcher = server.batcher();
    batcher.hold(true);
    try {
      List<CompletableFuture<HttpResponse<byte[]>>> waiting = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        List<float[]> hundred = new ArrayList<>(java.util.Collections.nCopies(100, one.get(0)));
        waiting.add(
            HTTP.sendAsync(
                HttpRequest.newBuilder(URI.create(server.uri() + "/v2/models/stn/infer"))
                    .headers(binaryHeader(hundred))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(binaryBody(hundred, null)))
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray()));
      }
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (batcher.queuedImages() < 300 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertEquals(300, batcher.queuedImages());
      HttpResponse<byte[]> full =
          post("/v2/models/stn/infer", binaryBody(one, null), binaryHeader(one));
      assertError(full, 503, "queue full");
      assertEquals("1", full.headers().firstValue("retry-after").orElse(""));
      // Held past the 5 s request timeout, the queued requests are answered 503, not left hanging.
      for (CompletableFuture<HttpResponse<byte[]>> w : waiting) {
        assertError(w.get(), 503, "request timeout of 5000 ms");
      }
    } finally {
      batcher.hold(false);
    }
    assertEquals(
        200, post("/v2/models/stn/infer", binaryBody(one, null), binaryHeader(one)).statusCode());
    String metrics = new String(get("/metrics").body(), StandardCharsets.UTF_8);
    assertTrue(
        metrics.contains("stn_http_errors_total{endpoint=\"infer\",kind=\"queue_full\"}"), metrics);
    assertTrue(
        metrics.contains("stn_http_errors_total{endpoint=\"infer\",kind=\"timeout\"} 3.0"),
        metrics);
  }

  @Test
  void aRequestLargerThanTheWholeQueueIs400NotAnEndless503() throws Exception {
    try (InferenceServer small =
        InferenceServer.start(ServeOptions.builder().port(0).maxQueueImages(4).build())) {
      List<float[]> five =
          new ArrayList<>(java.util.Collections.nCopies(5, Samples.images(1).get(0)));
      HttpResponse<byte[]> tooMany =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(small.uri() + "/v2/models/stn/infer"))
                  .headers(binaryHeader(five))
                  .POST(HttpRequest.BodyPublishers.ofByteArray(binaryBody(five, null)))
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      // 503 would tell the client to retry a request that can never be queued.
      assertError(tooMany, 400, "the request has 5 images; the server queues at most 4");
      List<float[]> four = five.subList(0, 4);
      HttpResponse<byte[]> fits =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(small.uri() + "/v2/models/stn/infer"))
                  .headers(binaryHeader(four))
                  .POST(HttpRequest.BodyPublishers.ofByteArray(binaryBody(four, null)))
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(200, fits.statusCode(), () -> new String(fits.body(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void metricsAreInPrometheusTextFormat() throws Exception {
    List<float[]> one = Samples.images(1);
    assertEquals(
        200, post("/v2/models/stn/infer", binaryBody(one, null), binaryHeader(one)).statusCode());
    HttpResponse<byte[]> r = get("/metrics");
    assertEquals(200, r.statusCode());
    assertTrue(
        r.headers().firstValue("content-type").orElse("").startsWith("text/plain; version=0.0.4"));
    String text = new String(r.body(), StandardCharsets.UTF_8);
    for (String name :
        List.of(
            "# TYPE stn_http_requests_total counter",
            "stn_http_requests_total{code=\"200\",endpoint=\"infer\"}",
            "# TYPE stn_batch_images histogram",
            "# TYPE stn_queue_wait_seconds histogram",
            "stn_http_request_duration_seconds_bucket{endpoint=\"infer\",le=",
            "stn_queue_images ",
            // The JVM's and the process's memory, to tell a heap at its limit from a native leak.
            "jvm_memory_committed_bytes{area=\"heap\"}",
            "jvm_memory_committed_bytes{area=\"nonheap\"}",
            "process_resident_memory_bytes ")) {
      assertTrue(text.contains(name), name + " in\n" + text);
    }
  }

  static void assertError(HttpResponse<byte[]> r, int status, String expected) throws Exception {
    String body = new String(r.body(), StandardCharsets.UTF_8);
    assertEquals(status, r.statusCode(), body);
    assertEquals("application/json", r.headers().firstValue("content-type").orElse(""), body);
    String error = JSON.readTree(body).get("error").asText();
    assertTrue(error.contains(expected), error);
  }

  static String[] binaryHeader(List<float[]> images) {
    return new String[] {
      OpenInference.HEADER_LENGTH, Integer.toString(binaryJson(images, null).length)
    };
  }

  /** The JSON part of a binary request for these 3×S×S images (S from their length). */
  static byte[] binaryJson(List<float[]> images, String outputs) {
    int values = images.get(0).length;
    int size = (int) Math.round(Math.sqrt(values / 3.0));
    String json =
        "{\"inputs\":[{\"name\":\"image\",\"datatype\":\"FP32\",\"shape\":["
            + images.size()
            + ",3,"
            + size
            + ","
            + size
            + "],\"parameters\":{\"binary_data_size\":"
            + images.size() * values * 4
            + "}}],"
            + (outputs != null ? outputs : "\"parameters\":{\"binary_data_output\":true}")
            + "}";
    return json.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] binaryBody(List<float[]> images, String outputs) {
    byte[] json = binaryJson(images, outputs);
    ByteBuffer b =
        ByteBuffer.allocate(json.length + images.size() * images.get(0).length * 4)
            .order(ByteOrder.LITTLE_ENDIAN);
    b.put(json);
    for (float[] image : images) {
      for (float v : image) {
        b.putFloat(v);
      }
    }
    return b.array();
  }

  /** A binary response's outputs, found by name. */
  record Outputs(JsonNode header, byte[] body, int jsonLength) {
    static Outputs parse(HttpResponse<byte[]> r) throws Exception {
      int length =
          Integer.parseInt(r.headers().firstValue(OpenInference.HEADER_LENGTH).orElseThrow());
      return new Outputs(
          JSON.readTree(new String(r.body(), 0, length, StandardCharsets.UTF_8)), r.body(), length);
    }

    float[] slice(String name, int index, int size) {
      int offset = jsonLength;
      for (JsonNode o : header.get("outputs")) {
        int bytes = o.get("parameters").get("binary_data_size").asInt();
        if (o.get("name").asText().equals(name)) {
          float[] v = new float[size];
          ByteBuffer.wrap(body, offset + index * size * 4, size * 4)
              .order(ByteOrder.LITTLE_ENDIAN)
              .asFloatBuffer()
              .get(v);
          return v;
        }
        offset += bytes;
      }
      throw new AssertionError("no output " + name);
    }
  }

  static double maxAbs(float[] a, float[] b) {
    assertEquals(a.length, b.length);
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }
}
