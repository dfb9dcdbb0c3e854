package dev.stn4j.sdk.internal;

import ai.onnxruntime.OrtEnvironment;
import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32;

/**
 * ONNX Runtime's native libraries, as its jar holds them. ORT's Java loader copies them into a new
 * temporary directory at every JVM start and leaves that behind; pointed at a directory that holds
 * them ({@code onnxruntime.native.path}), it loads them from there instead. Nothing here loads or
 * initialises an ORT class: it must run before ORT's loader does.
 */
final class OrtNativeLibraries {
  static final String NATIVE_PATH_PROPERTY = "onnxruntime.native.path";

  /**
   * Every library ORT's loader may look for in that directory: the runtime, its JNI binding, and
   * the execution providers the GPU builds carry (absent ones are skipped).
   */
  private static final List<String> LIBRARIES =
      List.of(
          "onnxruntime",
          "onnxruntime4j_jni",
          "onnxruntime_providers_shared",
          "onnxruntime_providers_cuda",
          "onnxruntime_providers_tensorrt",
          "onnxruntime_providers_rocm",
          "onnxruntime_providers_dnnl",
          "onnxruntime_providers_openvino",
          "webgpu_dawn");

  private OrtNativeLibraries() {}

  /** The version in the ORT jar's manifest, or null (e.g. in a shaded jar without it). */
  static String version() {
    Package p = OrtEnvironment.class.getPackage();
    return p == null ? null : p.getImplementationVersion();
  }

  /** ORT's name for this platform's resource directory ("linux-x64"), or null if it has none. */
  static String platform() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    String osName;
    if (os.contains("mac") || os.contains("darwin")) {
      osName = "osx";
    } else if (os.startsWith("win")) {
      osName = "win";
    } else if (os.contains("linux")) {
      osName = "linux";
    } else {
      return null;
    }
    String archName =
        switch (arch) {
          case "amd64", "x86_64" -> "x64";
          case "aarch64", "arm64" -> "aarch64";
          default -> null;
        };
    return archName == null ? null : osName + "-" + archName;
  }

  /** The runtime library's resource, to read its bytes; null when the jar has none for us. */
  static URL runtimeLibrary() {
    String platform = platform();
    return platform == null ? null : resource(platform, "onnxruntime");
  }

  /**
   * Puts the libraries into {@code cache} (once per version) and points ORT at them, unless the
   * user already chose a directory.
   *
   * @return the directory ORT will load from, or null when ORT keeps its default (with why in the
   *     exception)
   */
  static Path install(NativeLibraryCache cache) throws IOException {
    String chosen = System.getProperty(NATIVE_PATH_PROPERTY);
    if (chosen != null && !chosen.isBlank()) {
      return Path.of(chosen);
    }
    String platform = platform();
    if (platform == null) {
      throw new IOException("ONNX Runtime has no libraries for " + System.getProperty("os.name"));
    }
    List<NativeLibraryCache.Library> libraries = new ArrayList<>();
    CRC32 key = new CRC32();
    for (String name : LIBRARIES) {
      URL url = resource(platform, name);
      if (url == null) {
        continue;
      }
      URLConnection connection = url.openConnection();
      long size = connection.getContentLengthLong();
      // A jar entry's CRC names its bytes without reading 28 MB at every start.
      long identity =
          connection instanceof JarURLConnection jar
              ? jar.getJarEntry().getCrc()
              : connection.getLastModified();
      if (size < 0) {
        throw new IOException("cannot tell the size of " + url);
      }
      String fileName = System.mapLibraryName(name);
      key.update(fileName.getBytes(StandardCharsets.UTF_8));
      key.update(ByteBuffer.allocate(16).putLong(size).putLong(identity).array());
      libraries.add(new NativeLibraryCache.Library(fileName, size, url::openStream));
    }
    if (libraries.isEmpty()) {
      throw new IOException("the ONNX Runtime jar holds no libraries for " + platform);
    }
    String version = version() == null ? "unknown" : version();
    String name =
        "onnxruntime-"
            + version
            + "-"
            + platform
            + "-"
            + HexFormat.of().toHexDigits((int) key.getValue());
    Path dir = cache.install(name, libraries);
    System.setProperty(NATIVE_PATH_PROPERTY, dir.toString());
    return dir;
  }

  private static URL resource(String platform, String name) {
    return OrtEnvironment.class.getResource(
        "/ai/onnxruntime/native/" + platform + "/" + System.mapLibraryName(name));
  }
}
