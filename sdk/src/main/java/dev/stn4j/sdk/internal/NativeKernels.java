package dev.stn4j.sdk.internal;

import dev.stn4j.sdk.StnClassifier;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * stn4j's ONNX Runtime custom-op library ({@code sdk/src/main/c}): a CPU kernel for the standard
 * GridSample whose outputs are bit-identical to ONNX Runtime's and which is faster. The Maven build
 * compiles it where gcc is present (Linux x86-64) into the jar; ONNX Runtime loads libraries only
 * from files, so it is copied out once into the per-user cache.
 *
 * <p>{@link StnClassifier} uses it on the CPU provider by default, and so do the session options
 * that {@link SessionSettings} builds (keep them open as long as the session: ONNX Runtime unloads
 * the library with them).
 *
 * <pre>{@code
 * if (NativeKernels.find() instanceof NativeKernels.Unavailable none) {
 *   System.out.println("ONNX Runtime's GridSample runs: " + none.reason());
 * }
 * }</pre>
 */
public final class NativeKernels {
  /** The platform this build compiles the library for (see sdk/pom.xml). */
  public static final String PLATFORM = "linux-x86_64";

  static final String FILE_NAME = "libstn4j_ops.so";

  private NativeKernels() {}

  /** The library as a file ({@link Available}), or why there is none ({@link Unavailable}). */
  public sealed interface Availability {}

  /**
   * The library is there.
   *
   * @param library the file for {@code SessionOptions.registerCustomOpLibrary}
   */
  public record Available(Path library) implements Availability {
    public Available {
      Objects.requireNonNull(library, "library");
    }
  }

  /**
   * There is no library.
   *
   * @param reason why, e.g. {@code "no stn4j native kernels for windows-x86_64"}
   */
  public record Unavailable(String reason) implements Availability {
    public Unavailable {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** The library for this platform, looked up and copied out once per class loader. */
  public static Availability find() {
    return Holder.AVAILABILITY;
  }

  private static final class Holder {
    static final Availability AVAILABILITY = locate(platform(), resourceName());
  }

  public static String resourceName() {
    return "/dev/stn4j/sdk/native/" + PLATFORM + "/" + FILE_NAME;
  }

  /** "linux-x86_64" style name of this JVM's platform. */
  public static String platform() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    String osName = os.startsWith("linux") ? "linux" : os.replace(' ', '-');
    String archName = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64" : arch;
    return osName + "-" + archName;
  }

  public static Availability locate(String platform, String resource) {
    if (!platform.equals(PLATFORM)) {
      return new Unavailable("no stn4j native kernels for " + platform);
    }
    byte[] bytes;
    try (InputStream in = NativeKernels.class.getResourceAsStream(resource)) {
      if (in == null) {
        return new Unavailable("this stn4j-sdk jar was built without them (no gcc at build time)");
      }
      bytes = in.readAllBytes();
    } catch (IOException e) {
      return new Unavailable("cannot read " + resource + ": " + e.getMessage());
    }
    try {
      return new Available(copyOut(bytes));
    } catch (IOException e) {
      return new Unavailable("cannot write " + FILE_NAME + ": " + e.getMessage());
    }
  }

  /**
   * A file with these bytes in the per-user native-library cache (see {@link OrtSetup}), named by
   * their hash: every JVM of this build and user shares one copy, and another build gets its own.
   * Without a cache directory, a private temporary copy removed at exit.
   */
  private static Path copyOut(byte[] bytes) throws IOException {
    NativeLibraryCache cache = NativeLibraryCache.forUser();
    if (cache != null) {
      try {
        NativeLibraryCache.Library library =
            new NativeLibraryCache.Library(
                FILE_NAME, bytes.length, () -> new ByteArrayInputStream(bytes));
        return cache
            .install("stn4j-ops-" + sha256(bytes).substring(0, 16), List.of(library))
            .resolve(FILE_NAME);
      } catch (IOException e) {
        // e.g. a read-only home: fall through to a private copy
      }
    }
    Path dir = Files.createTempDirectory("stn4j-", NativeLibraryCache.ownerOnly());
    dir.toFile().deleteOnExit();
    Path target = Files.write(dir.resolve(FILE_NAME), bytes);
    target.toFile().deleteOnExit(); // runs before the directory's, registered earlier
    return target;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }
}
