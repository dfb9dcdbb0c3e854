package dev.stn4j.serve;

import static dev.stn4j.serve.InferenceServerTest.binaryBody;
import static dev.stn4j.serve.InferenceServerTest.binaryHeader;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stn4j.image.ImageLoader;
import dev.stn4j.sdk.Prediction;
import dev.stn4j.sdk.StnClassifier;
import dev.stn4j.sdk.Theta;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * By hand, for a real model: {@code -Dstn4j.serve.parityModel=FILE -Dstn4j.serve.parityImages=DIR}
 * sends every image file under DIR (pre-processed by the SDK to the model's size) through v2 binary
 * infer and compares all three outputs with the SDK's; skipped without the properties (the tests do
 * the same on generated models).
 */
class GivenModelParityTest {
  @Test
  void binaryInferEqualsTheSdkOnTheGivenImages() throws Exception {
    String model = System.getProperty("stn4j.serve.parityModel");
    String dir = System.getProperty("stn4j.serve.parityImages");
    Assumptions.assumeTrue(model != null && dir != null, "no -Dstn4j.serve.parityModel/Images");
    List<Path> files;
    try (Stream<Path> walk = Files.walk(Path.of(dir))) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    HttpClient http = HttpClient.newHttpClient();
    try (StnClassifier sdk = StnClassifier.builder().model(Path.of(model)).build();
        InferenceServer server =
            InferenceServer.start(ServeOptions.builder().port(0).model(Path.of(model)).build())) {
      int k = sdk.modelInfo().classNames().size();
      int values = sdk.preprocessor().imageValues();
      List<float[]> images = new ArrayList<>();
      for (Path f : files) {
        images.add(sdk.preprocessor().chw(ImageLoader.defaults().read(f)));
      }
      List<Prediction> expected = sdk.predictAll(images);
      double dp = 0;
      double dt = 0;
      double dw = 0;
      for (int start = 0; start < images.size(); start += 100) {
        List<float[]> chunk = images.subList(start, Math.min(images.size(), start + 100));
        HttpResponse<byte[]> r =
            http.send(
                HttpRequest.newBuilder(URI.create(server.uri() + "/v2/models/stn/infer"))
                    .headers(binaryHeader(chunk))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(binaryBody(chunk, null)))
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        InferenceServerTest.Outputs out = InferenceServerTest.Outputs.parse(r);
        for (int i = 0; i < chunk.size(); i++) {
          Prediction p = expected.get(start + i);
          dp = Math.max(dp, maxAbs(p.probabilities(), out.slice("probabilities", i, k)));
          Theta t = p.theta();
          float[] theta = {t.a(), t.b(), t.tx(), t.c(), t.d(), t.ty()};
          dt = Math.max(dt, maxAbs(theta, out.slice("theta", i, 6)));
          dw = Math.max(dw, maxAbs(p.warped().chw(), out.slice("warped", i, values)));
        }
      }
      System.out.printf(
          Locale.ROOT,
          "v2 binary infer vs SDK, %s on %d images of %s: max |dP| %.3g, |dTheta| %.3g,"
              + " |dWarped| %.3g%n",
          model,
          images.size(),
          dir,
          dp,
          dt,
          dw);
      assertTrue(Math.max(dp, Math.max(dt, dw)) <= 1e-6, "max |delta| " + dp + " " + dt + " " + dw);
    }
  }

  private static double maxAbs(float[] a, float[] b) {
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }
}
