package dev.stn4j.serve;

import static dev.stn4j.serve.InferenceServerTest.assertError;
import static dev.stn4j.serve.InferenceServerTest.binaryBody;
import static dev.stn4j.serve.InferenceServerTest.binaryHeader;
import static dev.stn4j.serve.InferenceServerTest.maxAbs;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stn4j.sdk.Prediction;
import dev.stn4j.sdk.SampleSet;
import dev.stn4j.sdk.StnClassifier;
import dev.stn4j.sdk.TestModels;
import dev.stn4j.sdk.Theta;
import dev.stn4j.serve.grpc.v2.ModelMetadataRequest;
import dev.stn4j.serve.grpc.v2.ModelMetadataResponse;
import io.grpc.ManagedChannel;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service on a user's model (a generated one of 64×64 images and 3 classes, {@link
 * TestModels}): its metadata, infer and classify follow the model's size and classes, and the page
 * gets the model's own sample images.
 */
class UserModelServerTest {
  private static final int SIZE = 64;
  private static final int K = 3;
  private static final int SAMPLES = 12;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir static Path dir;
  private static InferenceServer server;
  private static StnClassifier sdk;

  @BeforeAll
  static void start() throws Exception {
    Path model = dir.resolve("colours-64.onnx");
    Files.write(model, TestModels.v2(SIZE, TestModels.classNames(K), SAMPLES));
    server =
        InferenceServer.start(
            ServeOptions.builder().port(0).grpcPort(0).model(model).intraOpThreads(1).build());
    sdk = StnClassifier.builder().model(model).intraOpThreads(1).build();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (sdk != null) {
      sdk.close();
    }
  }

  private static HttpResponse<byte[]> get(InferenceServer s, String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(s.uri() + path)).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private static HttpResponse<byte[]> post(String path, byte[] body, String... headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(server.uri() + path))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void metadataHasTheModelsShapes() throws Exception {
    JsonNode model = JSON.readTree(get(server, "/v2/models/stn").body());
    assertEquals("[-1,3,64,64]", model.get("inputs").get(0).get("shape").toString());
    List<String> outputs = new ArrayList<>();
    model.get("outputs").forEach(o -> outputs.add(o.get("name").asText() + o.get("shape")));
    assertEquals(List.of("probabilities[-1,3]", "theta[-1,2,3]", "warped[-1,3,64,64]"), outputs);
  }

  /**
   * gRPC's metadata and infer follow the model too: the same shapes as REST's, the SDK's answers.
   */
  @Test
  void grpcMetadataAndInferFollowTheModel() throws Exception {
    ManagedChannel channel = GrpcClients.channel(server.grpcPort().orElseThrow());
    try {
      var stub = GrpcClients.stub(channel);
      ModelMetadataResponse m =
          stub.modelMetadata(ModelMetadataRequest.newBuilder().setName("stn").build());
      List<String> tensors = new ArrayList<>();
      for (ModelMetadataResponse.TensorMetadata t : m.getInputsList()) {
        tensors.add(t.getName() + t.getShapeList());
      }
      for (ModelMetadataResponse.TensorMetadata t : m.getOutputsList()) {
        tensors.add(t.getName() + t.getShapeList());
      }
      assertEquals(
          List.of(
              "image[-1, 3, 64, 64]",
              "probabilities[-1, 3]",
              "theta[-1, 2, 3]",
              "warped[-1, 3, 64, 64]"),
          tensors);
      List<float[]> images = inputs();
      List<Prediction> expected = sdk.predictAll(images);
      float[] got =
          GrpcClients.output(stub.modelInfer(GrpcClients.raw(images).build()), "probabilities");
      double maxDelta = 0;
      for (int i = 0; i < images.size(); i++) {
        for (int k = 0; k < K; k++) {
          maxDelta =
              Math.max(maxDelta, Math.abs(expected.get(i).probabilities()[k] - got[i * K + k]));
        }
      }
      assertTrue(maxDelta <= 1e-6, "max |delta| " + maxDelta);
      String wrong =
          GrpcClients.failure(() -> stub.modelInfer(GrpcClients.raw(Samples.images(1)).build()));
      assertTrue(
          wrong.startsWith(
              "INVALID_ARGUMENT: input 'image' has shape [1,3,32,32]; the model takes [N,3,64,64]"),
          wrong);
    } finally {
      GrpcClients.close(channel);
    }
  }

  /** Images of 3×64×64: the model's samples and random noise. */
  private static List<float[]> inputs() {
    SampleSet set = sdk.modelInfo().sampleSet().orElseThrow();
    List<float[]> images = new ArrayList<>();
    for (int i = 0; i < set.size(); i++) {
      images.add(set.image(i));
    }
    Random random = new Random(7);
    for (int i = 0; i < 4; i++) {
      float[] noise = new float[3 * SIZE * SIZE];
      for (int v = 0; v < noise.length; v++) {
        noise[v] = random.nextFloat();
      }
      images.add(noise);
    }
    return images;
  }

  @Test
  void binaryInferAtTheModelsSizeEqualsTheSdk() throws Exception {
    List<float[]> images = inputs();
    List<Prediction> expected = sdk.predictAll(images);
    HttpResponse<byte[]> r =
        post("/v2/models/stn/infer", binaryBody(images, null), binaryHeader(images));
    assertEquals(200, r.statusCode(), () -> new String(r.body(), StandardCharsets.UTF_8));
    InferenceServerTest.Outputs out = InferenceServerTest.Outputs.parse(r);
    double maxDelta = 0;
    for (int i = 0; i < images.size(); i++) {
      Prediction p = expected.get(i);
      maxDelta = Math.max(maxDelta, maxAbs(p.probabilities(), out.slice("probabilities", i, K)));
      Theta t = p.theta();
      float[] theta = {t.a(), t.b(), t.tx(), t.c(), t.d(), t.ty()};
      maxDelta = Math.max(maxDelta, maxAbs(theta, out.slice("theta", i, 6)));
      maxDelta =
          Math.max(maxDelta, maxAbs(p.warped().chw(), out.slice("warped", i, 3 * SIZE * SIZE)));
    }
    assertTrue(maxDelta <= 1e-6, "max |delta| " + maxDelta);
  }

  @Test
  void jsonInferAtTheModelsSizeEqualsTheSdk() throws Exception {
    List<float[]> images = inputs().subList(SAMPLES - 2, SAMPLES + 1);
    StringBuilder data = new StringBuilder();
    for (float[] image : images) {
      for (float v : image) {
        data.append(data.length() == 0 ? "" : ",").append(v);
      }
    }
    String body =
        OpenInferenceTest.request("[3,3,64,64]", "FP32", "[" + data + "]")
            .replace("}]}", "}],\"outputs\":[{\"name\":\"probabilities\"}]}");
    HttpResponse<byte[]> r = post("/v2/models/stn/infer", body.getBytes(StandardCharsets.UTF_8));
    assertEquals(200, r.statusCode(), () -> new String(r.body(), StandardCharsets.UTF_8));
    JsonNode p = JSON.readTree(r.body()).get("outputs").get(0);
    assertEquals("[3,3]", p.get("shape").toString());
    for (int i = 0; i < 3; i++) {
      float[] expected = sdk.predict(images.get(i)).probabilities();
      for (int k = 0; k < K; k++) {
        assertEquals(expected[k], p.get("data").get(i * K + k).floatValue(), 1e-6);
      }
    }
  }

  @Test
  void anImageOfAnotherShapeIs400NamingTheModelsShape() throws Exception {
    List<float[]> cifar = List.of(new float[3 * 32 * 32]);
    assertError(
        post("/v2/models/stn/infer", binaryBody(cifar, null), binaryHeader(cifar)),
        400,
        "input 'image' has shape [1,3,32,32]; the model takes [N,3,64,64] with N >= 1");
    assertError(
        post(
            "/v2/models/stn/infer",
            OpenInferenceTest.request("[1,3,32,32]", "FP32", "[0]").getBytes()),
        400,
        "the model takes [N,3,64,64]");
  }

  private static byte[] png(BufferedImage image) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }

  /** A w×h image of class k's colour with a small dark spot, so that it is not one colour. */
  private static BufferedImage picture(int w, int h, int k) {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(new Color(TestModels.rgb(k)));
    g.fillRect(0, 0, w, h);
    g.setColor(new Color(40, 40, 40));
    g.fillOval(w / 2 - 2, h / 2 - 2, 4, 4);
    g.dispose();
    return image;
  }

  @Test
  void classifyPreprocessesAnyImageToTheModelsSize() throws Exception {
    for (BufferedImage image : List.of(picture(90, 60, 2), picture(20, 30, 1))) {
      HttpResponse<byte[]> r = post("/v1/classify", png(image));
      assertEquals(200, r.statusCode(), () -> new String(r.body(), StandardCharsets.UTF_8));
      JsonNode out = JSON.readTree(r.body());
      Prediction expected = sdk.predict(image);
      assertEquals(expected.label(), out.get("label").asText());
      assertEquals(expected.confidence(), out.get("confidence").floatValue(), 1e-6);
      assertEquals(K, out.get("probabilities").size());
      assertEquals("class002", out.get("probabilities").get(2).get("label").asText());
      BufferedImage warped =
          ImageIO.read(
              new ByteArrayInputStream(Base64.getDecoder().decode(out.get("warpedPng").asText())));
      assertEquals(SIZE, warped.getWidth());
      assertEquals(SIZE, warped.getHeight());
    }
    assertEquals("class002", sdk.predict(picture(90, 60, 2)).label());
  }

  @Test
  void thePageGetsTheModelsNameClassesAndItsOwnSampleImages() throws Exception {
    JsonNode model = JSON.readTree(get(server, "/v1/model").body());
    assertEquals("colours-64.onnx", model.get("name").asText());
    assertEquals(SIZE, model.get("imageSize").asInt());
    assertEquals("[\"class000\",\"class001\",\"class002\"]", model.get("classes").toString());
    SampleSet set = sdk.modelInfo().sampleSet().orElseThrow();
    JsonNode samples = model.get("samples");
    assertEquals(SAMPLES, samples.size());
    for (JsonNode s : samples) {
      String path = s.get("path").asText();
      assertTrue(path.matches("v1/samples/\\d+\\.png"), path);
      int i = Integer.parseInt(path.substring("v1/samples/".length(), path.length() - 4));
      assertEquals(TestModels.classNames(K).get(set.labels()[i]), s.get("label").asText());
      HttpResponse<byte[]> r = get(server, "/" + path);
      assertEquals(200, r.statusCode());
      assertEquals("image/png", r.headers().firstValue("content-type").orElse(""));
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(r.body()));
      // Lossless: the PNG holds exactly the bytes the set stores (its input is byte/255).
      assertArrayEquals(bytes(set.image(i)), bytes(sdk.preprocessor().chw(image)));
      // The page posts it to classify, which answers as the trainer did.
      JsonNode answer = JSON.readTree(post("/v1/classify", r.body()).body());
      assertEquals(set.predicted()[i], answer.get("classIndex").asInt(), path);
    }
    assertError(get(server, "/v1/samples/" + SAMPLES + ".png"), 404, "no such resource");
    assertError(get(server, "/v1/samples/x.png"), 404, "no such resource");
    assertError(get(server, "/v1/samples/-1.png"), 404, "no such resource");
    String metrics = new String(get(server, "/metrics").body(), StandardCharsets.UTF_8);
    assertTrue(
        metrics.contains("stn_http_requests_total{code=\"200\",endpoint=\"static\"}"), metrics);
  }

  /** Values in [0,1] as the bytes they were made from. */
  private static int[] bytes(float[] chw) {
    int[] b = new int[chw.length];
    for (int i = 0; i < chw.length; i++) {
      b[i] = Math.round(chw[i] * 255f);
    }
    return b;
  }

  @Test
  void aModelWithoutSamplesHasNoSampleRow() throws Exception {
    Path bare = dir.resolve("bare.onnx");
    Files.write(bare, TestModels.v2(24, TestModels.classNames(5), 0));
    try (InferenceServer s =
        InferenceServer.start(ServeOptions.builder().port(0).model(bare).build())) {
      JsonNode model = JSON.readTree(get(s, "/v1/model").body());
      assertEquals("bare.onnx", model.get("name").asText());
      assertEquals(24, model.get("imageSize").asInt());
      assertEquals(5, model.get("classes").size());
      assertEquals(0, model.get("samples").size());
      assertEquals(404, get(s, "/v1/samples/0.png").statusCode());
    }
  }

  @Test
  void samplesShownSpreadOverTheClasses() {
    assertEquals(List.of(0, 3, 5, 1), ModelPage.spreadOverClasses(new int[] {0, 0, 0, 1, 1, 2}, 4));
    assertEquals(
        List.of(0, 3, 5, 1, 4, 2), ModelPage.spreadOverClasses(new int[] {0, 0, 0, 1, 1, 2}, 20));
    assertEquals(List.of(), ModelPage.spreadOverClasses(new int[0], 20));
  }
}
