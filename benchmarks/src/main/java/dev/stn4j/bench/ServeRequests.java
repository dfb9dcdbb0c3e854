package dev.stn4j.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stn4j.sdk.internal.ArgMax;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * The request bodies of every {@link ServeMode}, one per sample image, encoded once before the load
 * so that the clients measure the server and not their own encoding; and the reading of an answer
 * back to a class.
 */
final class ServeRequests {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BINARY_HEADER =
      "{\"inputs\":[{\"name\":\"image\",\"datatype\":\"FP32\",\"shape\":[1,3,32,32],"
          + "\"parameters\":{\"binary_data_size\":12288}}],"
          + "\"parameters\":{\"binary_data_output\":true}}";

  final List<float[]> images;
  private final byte[][] binary;
  private final byte[][] json;
  private final byte[][] classify;
  private final String classifyType;
  private final int binaryHeaderLength;

  private ServeRequests(
      List<float[]> images,
      byte[][] binary,
      byte[][] json,
      byte[][] classify,
      String classifyType) {
    this.images = images;
    this.binary = binary;
    this.json = json;
    this.classify = classify;
    this.classifyType = classifyType;
    this.binaryHeaderLength = BINARY_HEADER.getBytes(StandardCharsets.UTF_8).length;
  }

  static ServeRequests build(SampleImages samples, int count) throws IOException {
    List<float[]> images = new ArrayList<>();
    byte[][] binary = new byte[count][];
    byte[][] json = new byte[count][];
    byte[][] png = new byte[count][];
    for (int i = 0; i < count; i++) {
      float[] chw = samples.image(i);
      images.add(chw);
      binary[i] = binaryBody(chw);
      json[i] = jsonBody(chw);
      png[i] = pngBody(chw);
    }
    return new ServeRequests(images, binary, json, png, "image/png");
  }

  /**
   * These requests with one image file's bytes (e.g. a 12 MP JPEG) as the body of every classify
   * request, in place of the samples' 32×32 PNGs; the other modes are unchanged.
   */
  ServeRequests withClassifyBody(byte[] body, String contentType) {
    return new ServeRequests(images, binary, json, new byte[][] {body}, contentType);
  }

  private static byte[] binaryBody(float[] chw) {
    byte[] header = BINARY_HEADER.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(header.length + 12288).order(ByteOrder.LITTLE_ENDIAN);
    b.put(header);
    for (float v : chw) {
      b.putFloat(v);
    }
    return b.array();
  }

  private static byte[] jsonBody(float[] chw) {
    StringBuilder s =
        new StringBuilder(
            "{\"inputs\":[{\"name\":\"image\",\"datatype\":\"FP32\",\"shape\":[1,3,32,32],\"data\":[");
    for (int k = 0; k < chw.length; k++) {
      s.append(k == 0 ? "" : ",").append(chw[k]);
    }
    s.append("]}]}");
    return s.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] pngBody(float[] chw) throws IOException {
    BufferedImage rgb = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 32; y++) {
      for (int x = 0; x < 32; x++) {
        int p = y * 32 + x;
        int r = Math.round(chw[p] * 255);
        int g = Math.round(chw[1024 + p] * 255);
        int b = Math.round(chw[2048 + p] * 255);
        rgb.setRGB(x, y, (r << 16) | (g << 8) | b);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(rgb, "png", out);
    return out.toByteArray();
  }

  byte[][] bodies(ServeMode mode) {
    return switch (mode) {
      case BINARY, GRPC -> binary; // gRPC's requests are LoopbackGrpc's, made from the images
      case JSON -> json;
      case CLASSIFY -> classify;
    };
  }

  /** One invalid request per mode, which the server must answer 400. */
  byte[] invalid(ServeMode mode) {
    return switch (mode) {
      case BINARY, GRPC -> {
        byte[] bad = binary[0].clone();
        ByteBuffer.wrap(bad, binaryHeaderLength + 400, 4)
            .order(ByteOrder.LITTLE_ENDIAN)
            .putFloat(Float.NaN);
        yield bad;
      }
      case JSON ->
          new String(json[0], StandardCharsets.UTF_8)
              .replace("[1,3,32,32]", "[1,3,32,31]")
              .getBytes(StandardCharsets.UTF_8);
      case CLASSIFY -> "this is not an image".getBytes(StandardCharsets.UTF_8);
    };
  }

  /** The request line and headers for {@code body}, ready to write before it. */
  byte[] head(ServeMode mode, int port, byte[] body) {
    return switch (mode) {
      case BINARY ->
          LoopbackHttp.head(
              "127.0.0.1",
              port,
              mode.path(),
              "application/octet-stream",
              body.length,
              "Inference-Header-Content-Length: " + binaryHeaderLength);
      case JSON ->
          LoopbackHttp.head("127.0.0.1", port, mode.path(), "application/json", body.length, null);
      case CLASSIFY ->
          LoopbackHttp.head("127.0.0.1", port, mode.path(), classifyType, body.length, null);
      case GRPC -> new byte[0];
    };
  }

  /**
   * The class an answer names: arg-max of its probabilities, or the classify answer's index; -1 for
   * an answer that cannot be read, which then counts as a wrong one.
   */
  static int predictedClass(ServeMode mode, LoopbackHttp.Answer a) {
    try {
      return switch (mode) {
        case BINARY -> argmax(binaryProbabilities(a));
        case JSON -> argmax(JSON.readTree(a.body()).get("outputs").get(0).get("data"));
        case CLASSIFY -> JSON.readTree(a.body()).get("classIndex").asInt();
        case GRPC ->
            argmax(ByteBuffer.wrap(a.body()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer());
      };
    } catch (Exception e) {
      return -1;
    }
  }

  private static FloatBuffer binaryProbabilities(LoopbackHttp.Answer a) throws IOException {
    int headerLength = Integer.parseInt(a.headerLength());
    JsonNode header = JSON.readTree(new String(a.body(), 0, headerLength, StandardCharsets.UTF_8));
    // probabilities is the first output (the default order)
    int size = header.get("outputs").get(0).get("parameters").get("binary_data_size").asInt();
    return ByteBuffer.wrap(a.body(), headerLength, size)
        .order(ByteOrder.LITTLE_ENDIAN)
        .asFloatBuffer();
  }

  private static int argmax(FloatBuffer p) {
    float[] scores = new float[p.limit()];
    p.get(0, scores);
    return ArgMax.of(scores, 0, scores.length);
  }

  private static int argmax(JsonNode data) {
    float[] scores = new float[data.size()];
    for (int c = 0; c < scores.length; c++) {
      scores[c] = data.get(c).floatValue();
    }
    return ArgMax.of(scores, 0, scores.length);
  }
}
