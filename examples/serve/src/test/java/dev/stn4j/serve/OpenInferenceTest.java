package dev.stn4j.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Parsing of infer requests: every malformed request is refused with a message naming why. */
class OpenInferenceTest {
  private final OpenInference protocol = new OpenInference(10, 32);

  static String request(String shape, String datatype, String data) {
    return "{\"inputs\":[{\"name\":\"image\",\"datatype\":\""
        + datatype
        + "\",\"shape\":"
        + shape
        + ",\"data\":"
        + data
        + "}]}";
  }

  static String values(int n, String value) {
    String[] v = new String[n];
    Arrays.fill(v, value);
    return "[" + String.join(",", v) + "]";
  }

  @Test
  void aJsonRequestParsesFlatOrNestedWithItsIdAndDefaultOutputs() throws Exception {
    float[] image = Samples.images(1).get(0);
    StringBuilder flat = new StringBuilder("[");
    for (int i = 0; i < image.length; i++) {
      flat.append(i == 0 ? "" : ",").append(image[i]);
    }
    flat.append("]");
    String json =
        request("[1,3,32,32]", "FP32", flat.toString())
            .replace("{\"inputs\"", "{\"id\":\"r7\",\"inputs\"");
    InferRequest r = protocol.parse(json.getBytes(StandardCharsets.UTF_8), null);
    assertEquals("r7", r.id());
    assertArrayEquals(image, r.images().get(0));
    assertEquals(
        List.of("probabilities", "theta", "warped"),
        r.outputs().stream().map(InferRequest.OutputSpec::name).toList());
    assertFalse(r.outputs().get(0).binary());

    String nested =
        "[[" + values(1024, "0.25") + "," + values(1024, "0.5") + "," + values(1024, "1") + "]]";
    InferRequest n = protocol.parse(request("[1,3,32,32]", "FP32", nested).getBytes(), null);
    assertEquals(0.25f, n.images().get(0)[0]);
    assertEquals(1f, n.images().get(0)[3071]);
    assertNull(n.id());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"inputs\": [ |malformed JSON",
        "[1,2] |must be a JSON object",
        "{\"inputs\":[]} |exactly one tensor",
        "{\"inputs\":[{\"name\":\"pixels\",\"datatype\":\"FP32\",\"shape\":[1,3,32,32],\"data\":[]}]} |unknown input 'pixels'",
        "{\"inputs\":[{\"name\":\"image\",\"datatype\":\"FP32\",\"shape\":[1,3,32,32]}]} |no \"data\"",
        "{\"inputs\":[{\"name\":\"image\",\"datatype\":\"FP32\",\"shape\":[1,3,32,32],\"data\":[\"a\"]}]} |data value 0 is not a number",
        "{\"inputs\":[{\"name\":\"image\",\"datatype\":\"FP32\",\"shape\":[1,3,32,32],\"data\":[0.5]}],\"outputs\":[{\"name\":\"logits\"}]} |has 1 values",
      })
  void malformedRequestsAreRefusedNamingTheProblem(String body, String expected) {
    HttpError e =
        assertThrows(
            HttpError.class,
            () -> protocol.parse(body.trim().getBytes(StandardCharsets.UTF_8), null));
    assertEquals(400, e.status);
    assertTrue(e.getMessage().contains(expected.trim()), e.getMessage());
  }

  @Test
  void wrongShapeDatatypeLengthAndNonFiniteValuesAreRefused() {
    assertRefused(request("[1,3,28,28]", "FP32", values(2352, "0")), "shape [1,3,28,28]");
    assertRefused(request("[3,32,32]", "FP32", values(3072, "0")), "shape [3,32,32]");
    assertRefused(request("[0,3,32,32]", "FP32", "[]"), "N >= 1");
    assertRefused(request("[1,3,32,32]", "FP64", values(3072, "0")), "datatype FP64");
    assertRefused(request("[1,3,32,32]", "INT8", values(3072, "0")), "the model takes FP32");
    assertRefused(
        request("[2,3,32,32]", "FP32", values(3072, "0")),
        "has 3072 values; shape [2,3,32,32] needs 6144");
    assertRefused(request("[1,3,32,32]", "FP32", values(3073, "0")), "has 3073 values");
    String nan = values(3072, "0").replaceFirst("0,0,0", "0,0,NaN");
    assertRefused(
        request("[1,3,32,32]", "FP32", nan),
        "value 2 (image 0, channel 0, row 0, column 2) is NaN");
    String inf = values(3072, "0").replaceFirst("0]$", "Infinity]");
    assertRefused(
        request("[1,3,32,32]", "FP32", inf),
        "value 3071 (image 0, channel 2, row 31, column 31) is Infinity");
    String unknownOutput =
        request("[1,3,32,32]", "FP32", values(3072, "0"))
            .replace("}]}", "}],\"outputs\":[{\"name\":\"logits\"}]}");
    assertRefused(unknownOutput, "unknown output 'logits'");
  }

  @Test
  void anotherModelsSizeIsWhatTheRequestIsCheckedAgainst() throws Exception {
    OpenInference at64 = new OpenInference(3, 64);
    InferRequest r =
        at64.parse(request("[2,3,64,64]", "FP32", values(2 * 12288, "0.5")).getBytes(), null);
    assertEquals(2, r.images().size());
    assertEquals(12288, r.images().get(1).length);
    HttpError cifar =
        assertThrows(
            HttpError.class,
            () -> at64.parse(request("[1,3,32,32]", "FP32", values(3072, "0")).getBytes(), null));
    assertEquals(400, cifar.status);
    assertTrue(
        cifar.getMessage().contains("shape [1,3,32,32]; the model takes [N,3,64,64] with N >= 1"),
        cifar.getMessage());
    HttpError count =
        assertThrows(
            HttpError.class,
            () -> at64.parse(request("[1,3,64,64]", "FP32", values(3072, "0")).getBytes(), null));
    assertTrue(
        count.getMessage().contains("has 3072 values; shape [1,3,64,64] needs 12288"),
        count.getMessage());
    String inf = values(12288, "0").replaceFirst("0]$", "Infinity]");
    HttpError last =
        assertThrows(
            HttpError.class,
            () -> at64.parse(request("[1,3,64,64]", "FP32", inf).getBytes(), null));
    assertTrue(
        last.getMessage().contains("value 12287 (image 0, channel 2, row 63, column 63)"),
        last.getMessage());
  }

  private void assertRefused(String body, String expected) {
    HttpError e = assertThrows(HttpError.class, () -> protocol.parse(body.getBytes(), null));
    assertEquals(400, e.status);
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  static byte[] binaryRequest(String json, float[] values) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(json.getBytes(StandardCharsets.UTF_8));
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(values);
    out.write(b.array());
    return out.toByteArray();
  }

  @Test
  void binaryTensorDataParsesAndItsSizesAreChecked() throws Exception {
    List<float[]> images = Samples.images(2);
    float[] both = new float[6144];
    System.arraycopy(images.get(0), 0, both, 0, 3072);
    System.arraycopy(images.get(1), 0, both, 3072, 3072);
    String json =
        "{\"inputs\":[{\"name\":\"image\",\"datatype\":\"FP32\",\"shape\":[2,3,32,32],"
            + "\"parameters\":{\"binary_data_size\":24576}}],"
            + "\"outputs\":[{\"name\":\"theta\",\"parameters\":{\"binary_data\":true}},{\"name\":\"probabilities\"}]}";
    byte[] body = binaryRequest(json, both);
    int length = json.getBytes(StandardCharsets.UTF_8).length;
    InferRequest r = protocol.parse(body, Integer.toString(length));
    assertArrayEquals(images.get(1), r.images().get(1));
    assertTrue(r.outputs().get(0).binary());
    assertFalse(r.outputs().get(1).binary());

    HttpError cut =
        assertThrows(
            HttpError.class,
            () -> protocol.parse(Arrays.copyOf(body, body.length - 4), Integer.toString(length)));
    assertTrue(cut.getMessage().contains("24572 bytes follow the JSON"), cut.getMessage());
    HttpError noHeader = assertThrows(HttpError.class, () -> protocol.parse(body, null));
    assertTrue(
        noHeader.getMessage().contains("malformed JSON")
            || noHeader.getMessage().contains("Inference-Header-Content-Length"),
        noHeader.getMessage());
    HttpError badHeader = assertThrows(HttpError.class, () -> protocol.parse(body, "99999999"));
    assertTrue(badHeader.getMessage().contains("Inference-Header-Content-Length is 99999999"));
    float[] nan = both.clone();
    nan[5000] = Float.NaN;
    HttpError e =
        assertThrows(
            HttpError.class,
            () -> protocol.parse(binaryRequest(json, nan), Integer.toString(length)));
    assertTrue(e.getMessage().contains("value 5000 (image 1,"), e.getMessage());
  }
}
