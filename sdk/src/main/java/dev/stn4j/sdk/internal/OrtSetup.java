package dev.stn4j.sdk.internal;

import ai.onnxruntime.OrtEnvironment;
import dev.stn4j.sdk.ErrorCode;
import dev.stn4j.sdk.StnException;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The one way stn4j starts ONNX Runtime in a JVM; use it for sessions of your own too. Before ORT's
 * loader first runs, it
 *
 * <ul>
 *   <li>refuses, with a {@link StnException}, an ORT version known to kill this process (1.29.0
 *       with a command line over about 4 KB: see {@code docs/onnxruntime-cmdline-crash.md});
 *   <li>points ORT at its native libraries in the per-user cache ({@code ~/.cache/stn4j} on Linux;
 *       {@code stn4j.cache.dir} or {@code XDG_CACHE_HOME} move it), unpacked there once, instead of
 *       the 28 MB ORT would unpack into a new temporary directory at every start and leave behind.
 *       A directory chosen with {@code -Donnxruntime.native.path} is left alone.
 * </ul>
 *
 * <pre>{@code
 * OrtEnvironment env = OrtSetup.environment();
 * }</pre>
 */
public final class OrtSetup {
  private OrtSetup() {}

  /**
   * ONNX Runtime's JVM-wide environment, started as above.
   *
   * @throws StnException {@link ErrorCode#INCOMPATIBLE_RUNTIME} when the ORT on the classpath would
   *     crash this process
   */
  public static OrtEnvironment environment() throws StnException {
    prepare();
    return OrtEnvironment.getEnvironment();
  }

  /**
   * Does the above without creating ORT's environment, for programs where another library must
   * create it (DJL's ONNX Runtime engine insists on creating it itself).
   *
   * @throws StnException as {@link #environment()}
   */
  public static void prepare() throws StnException {
    if (Once.REFUSAL != null) {
      throw new StnException(ErrorCode.INCOMPATIBLE_RUNTIME, Once.REFUSAL);
    }
  }

  /** Where ORT loads its native libraries from, or why it unpacks its own copy. */
  public static String nativeLibraries() {
    return Once.REFUSAL != null ? "not loaded: " + Once.REFUSAL : Once.NATIVE_LIBRARIES;
  }

  /** Decided once per class loader, before any ORT class initialises. */
  private static final class Once {
    static final String REFUSAL =
        OrtCommandLineDefect.check(
            OrtNativeLibraries.version(),
            OrtCommandLineDefect.commandLineBytes(),
            OrtNativeLibraries.runtimeLibrary());
    static final String NATIVE_LIBRARIES = REFUSAL == null ? install() : null;

    private static String install() {
      NativeLibraryCache cache = NativeLibraryCache.forUser();
      if (cache == null) {
        return "unpacked by ONNX Runtime into java.io.tmpdir (no per-user cache directory)";
      }
      try {
        Path dir = OrtNativeLibraries.install(cache);
        return dir.toString();
      } catch (IOException | RuntimeException e) {
        return "unpacked by ONNX Runtime into java.io.tmpdir (" + e.getMessage() + ")";
      }
    }
  }
}
