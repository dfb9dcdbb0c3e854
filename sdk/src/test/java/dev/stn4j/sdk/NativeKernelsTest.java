package dev.stn4j.sdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import dev.stn4j.sdk.ProviderSelection.GridSampleKernel;
import dev.stn4j.sdk.internal.NativeKernels;
import dev.stn4j.sdk.internal.SessionSettings;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * stn4j's native GridSample against ONNX Runtime's own, on a one-node model: every output bit
 * equal, for edge coordinates, odd shapes and each path of the kernel (AVX2 where this CPU has it,
 * SSE2 alone, and the portable C that other architectures compile). Runs where the Maven build
 * compiles the library (Linux x86-64 with gcc), where a missing library fails it, and is skipped
 * elsewhere ({@link KernelBuild}).
 */
class NativeKernelsTest {
  private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

  /** The library in the SDK's resources, and its test builds of the other paths (sdk/pom.xml). */
  static Stream<Path> builds() throws Exception {
    List<Path> builds = new ArrayList<>(List.of(KernelBuild.library()));
    for (String build : List.of("native-sse2", "native-portable")) {
      URL url = NativeKernelsTest.class.getResource("/" + build + "/libstn4j_ops.so");
      assertNotNull(url, "the build compiles " + build + " beside the default kernel");
      builds.add(path(url));
    }
    return builds.stream();
  }

  @ParameterizedTest
  @MethodSource("builds")
  void gridSampleIsBitIdenticalToOnnxRuntimes(Path library) throws Exception {
    byte[] model = TinyOnnx.gridSample("bilinear", "zeros", 0);
    long[][] shapes = { // N, C, H, W, Ho, Wo
      {1, 3, 32, 32, 32, 32},
      {2, 1, 7, 5, 3, 9},
      {1, 5, 4, 6, 6, 4},
      {3, 8, 16, 16, 5, 7},
      {1, 4, 1, 1, 2, 3},
      {2, 3, 9, 33, 1, 1}
    };
    Random random = new Random(42);
    try (Session ort = session(model, null);
        Session stn4j = session(model, library)) {
      for (long[] s : shapes) {
        float[] x = image(random, (int) (s[0] * s[1] * s[2] * s[3]));
        float[] grid = grid(random, (int) (s[0] * s[4] * s[5]), s[3], s[2]);
        long[] xShape = {s[0], s[1], s[2], s[3]};
        long[] gridShape = {s[0], s[4], s[5], 2};
        float[] expected = run(ort, x, xShape, grid, gridShape);
        float[] actual = run(stn4j, x, xShape, grid, gridShape);
        assertEquals(s[0] * s[1] * s[4] * s[5], actual.length);
        List<String> differ = new ArrayList<>();
        for (int i = 0; i < expected.length && differ.size() < 5; i++) {
          if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
            differ.add(i + ": " + expected[i] + " vs " + actual[i]);
          }
        }
        assertEquals(
            List.of(),
            differ,
            "outputs that differ for N, C, H, W, Ho, Wo = " + Arrays.toString(s));
      }
    }
  }

  /**
   * Also the witness that the session really runs stn4j's kernel: ONNX Runtime's own returns 0.25
   * here for 1e20 (and NaN), so this fails if a runtime ever ignores the registered kernel, which
   * the bit-identity test above could not notice.
   */
  @ParameterizedTest
  @MethodSource("builds")
  void nanInfiniteAndHugeCoordinatesSampleZero(Path library) throws Exception {
    byte[] model = TinyOnnx.gridSample("bilinear", "zeros", 0);
    float[] x = new float[3 * 4 * 4];
    Arrays.fill(x, 1f);
    float[] bad = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1e20f, -1e30f};
    try (Session stn4j = session(model, library)) {
      for (float v : bad) {
        float[] grid = {v, 0f, 0f, v, v, v, 0.2f, -0.3f}; // the last point is inside
        float[] y = run(stn4j, x, new long[] {1, 3, 4, 4}, grid, new long[] {1, 2, 2, 2});
        for (int c = 0; c < 3; c++) {
          assertArrayEquals(new float[] {0f, 0f, 0f, 1f}, Arrays.copyOfRange(y, 4 * c, 4 * c + 4));
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("builds")
  void gridSamplesItDoesNotImplementFailTheSessionNamingTheAttributes(Path library) {
    String[][] refused = {
      {"nearest", "zeros", "0"},
      {"bilinear", "border", "0"},
      {"bilinear", "reflection", "0"},
      {"bilinear", "zeros", "1"},
      {"bicubic", "zeros", "0"}
    };
    for (String[] a : refused) {
      byte[] model = TinyOnnx.gridSample(a[0], a[1], Long.parseLong(a[2]));
      OrtException e = assertThrows(OrtException.class, () -> session(model, library).close());
      String message = e.getMessage();
      assertTrue(message.contains("stn4j GridSample kernel: implements mode=bilinear"), message);
      assertTrue(
          message.contains("mode=" + a[0] + ", padding_mode=" + a[1] + ", align_corners=" + a[2]),
          message);
    }
  }

  @Test
  void aSessionWhoseGridSampleTheKernelRefusesOpensWithOrtsKernelAndSaysWhy() throws Exception {
    KernelBuild.library();
    byte[] model = TinyOnnx.gridSample("bilinear", "zeros", 1);
    SessionFactory.Opened opened =
        new SessionFactory(
                ENV, model, "align.onnx", SessionSettings.builder().intraOpThreads(1).build())
            .open(Provider.cpu());
    try {
      assertFalse(opened.selection().nativeGridSample());
      String reason =
          assertInstanceOf(GridSampleKernel.OnnxRuntime.class, opened.selection().gridSample())
              .reason();
      assertTrue(reason.startsWith("the native kernel was refused: "), reason);
      assertTrue(reason.contains("align_corners=1"), reason);
    } finally {
      opened.session().close();
      opened.options().close();
    }
  }

  @Test
  void theLibraryIsCopiedOutOnceWithTheResourcesBytes() throws Exception {
    KernelBuild.library();
    String resource = NativeKernels.resourceName();
    byte[] bytes;
    try (InputStream in = NativeKernels.class.getResourceAsStream(resource)) {
      assertNotNull(in, resource);
      bytes = in.readAllBytes();
    }
    NativeKernels.Availability first = NativeKernels.locate(NativeKernels.PLATFORM, resource);
    NativeKernels.Availability second = NativeKernels.locate(NativeKernels.PLATFORM, resource);
    Path library = assertInstanceOf(NativeKernels.Available.class, first).library();
    assertEquals(first, second);
    assertArrayEquals(bytes, Files.readAllBytes(library));
  }

  @Test
  void otherPlatformsAndJarsWithoutTheLibrarySayWhy() {
    assertEquals(
        new NativeKernels.Unavailable("no stn4j native kernels for windows-x86_64"),
        NativeKernels.locate("windows-x86_64", "native/x.so"));
    NativeKernels.Availability missing =
        NativeKernels.locate(NativeKernels.PLATFORM, "native/none/libstn4j_ops.so");
    String reason = assertInstanceOf(NativeKernels.Unavailable.class, missing).reason();
    assertTrue(reason.contains("built without them"), reason);
  }

  /**
   * A session and its options, closed in that order: ONNX Runtime unloads a custom-op library when
   * the options that registered it are released, so they must outlive the session.
   */
  private record Session(OrtSession session, SessionOptions options) implements AutoCloseable {
    @Override
    public void close() throws OrtException {
      try {
        session.close();
      } finally {
        options.close();
      }
    }
  }

  /** A session with stn4j's kernel from {@code library}, or ONNX Runtime's own for null. */
  private static Session session(byte[] model, Path library) throws OrtException, StnException {
    SessionSettings.Builder settings = SessionSettings.builder().intraOpThreads(1);
    SessionOptions options =
        (library == null
                ? settings.nativeKernels(false)
                : settings.nativeKernels(true).nativeKernelLibrary(library))
            .build()
            .toSessionOptions();
    try {
      return new Session(ENV.createSession(model, options), options);
    } catch (OrtException | RuntimeException e) {
      options.close();
      throw e;
    }
  }

  private static float[] run(
      Session session, float[] x, long[] xShape, float[] grid, long[] gridShape)
      throws OrtException {
    try (OnnxTensor xs = OnnxTensor.createTensor(ENV, FloatBuffer.wrap(x), xShape);
        OnnxTensor gs = OnnxTensor.createTensor(ENV, FloatBuffer.wrap(grid), gridShape);
        OrtSession.Result result = session.session().run(Map.of("X", xs, "grid", gs))) {
      FloatBuffer y = ((OnnxTensor) result.get(0)).getFloatBuffer();
      float[] out = new float[y.remaining()];
      y.get(out);
      return out;
    }
  }

  /** Pixel values of both signs, with some -0 and +0. */
  private static float[] image(Random random, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = i % 17 == 0 ? -0f : i % 19 == 0 ? 0f : (float) random.nextGaussian();
    }
    return x;
  }

  /**
   * Coordinates inside and outside [-1, 1], and the values at which a corner enters or leaves the
   * image (pixel centres and edges: (2k + 1) / size - 1 and 2k / size - 1). Not NaN, ±∞ or beyond
   * ±9.2e18 pixels: ONNX Runtime's kernel casts those to int64 without a check (undefined
   * behaviour; it returns 0.25 for a 4×4 image of ones sampled at 1e20).
   */
  private static float[] grid(Random random, int points, long width, long height) {
    float[] special = {
      -1f, 1f, 0f, -0f, Math.nextDown(-1f), Math.nextUp(1f), -3f, 3f, Float.MIN_VALUE, 1e10f, -1e10f
    };
    float[] g = new float[points * 2];
    for (int i = 0; i < g.length; i++) {
      long size = i % 2 == 0 ? width : height;
      int kind = random.nextInt(4);
      if (kind == 0) {
        g[i] = special[random.nextInt(special.length)];
      } else if (kind == 1) {
        long k = random.nextInt((int) size + 3) - 1;
        g[i] = (float) ((random.nextBoolean() ? 2 * k + 1 : 2 * k) / (double) size - 1);
      } else {
        g[i] = random.nextFloat() * 2.6f - 1.3f;
      }
    }
    return g;
  }

  private static Path path(URL url) throws URISyntaxException {
    return Path.of(url.toURI());
  }
}
