package dev.stn4j.sdk;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

/**
 * stn4j's ONNX Runtime custom-op library ({@code sdk/src/main/c}): a CPU kernel for the standard
 * GridSample whose outputs are bit-identical to ONNX Runtime's and which is ≈ 3 µs faster per image
 * (benchmarks/RESULTS.md). The Maven build compiles it where gcc is present (Linux x86-64) into the
 * jar; ONNX Runtime loads libraries only from files, so it is copied out once.
 *
 * <p>{@link StnClassifier} uses it on the CPU provider by default. For a session of your own:
 *
 * <pre>{@code
 * NativeKernels.Availability kernels = NativeKernels.find();
 * if (kernels.library() != null) {
 *   options.registerCustomOpLibrary(kernels.library().toString());
 * } // keep the options open as long as the session: ONNX Runtime unloads the library with them
 * }</pre>
 */
public final class NativeKernels {
  /** The platform this build compiles the library for (see sdk/pom.xml). */
  static final String PLATFORM = "linux-x86_64";

  static final String FILE_NAME = "libstn4j_ops.so";

  private NativeKernels() {}

  /**
   * The library as a file, or why there is none.
   *
   * @param library the library for {@code SessionOptions.registerCustomOpLibrary}, or null
   * @param reason why there is no library, or null when there is
   */
  public record Availability(Path library, String reason) {}

  /** The library for this platform, looked up and copied out once per class loader. */
  public static Availability find() {
    return Holder.AVAILABILITY;
  }

  private static final class Holder {
    static final Availability AVAILABILITY = locate(platform(), resourceName());
  }

  static String resourceName() {
    return "native/" + PLATFORM + "/" + FILE_NAME;
  }

  /** "linux-x86_64" style name of this JVM's platform. */
  static String platform() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    String osName = os.startsWith("linux") ? "linux" : os.replace(' ', '-');
    String archName = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64" : arch;
    return osName + "-" + archName;
  }

  static Availability locate(String platform, String resource) {
    if (!platform.equals(PLATFORM)) {
      return new Availability(null, "no stn4j native kernels for " + platform);
    }
    byte[] bytes;
    try (InputStream in = NativeKernels.class.getResourceAsStream(resource)) {
      if (in == null) {
        return new Availability(
            null, "this stn4j-sdk jar was built without them (no gcc at build time)");
      }
      bytes = in.readAllBytes();
    } catch (IOException e) {
      return new Availability(null, "cannot read " + resource + ": " + e.getMessage());
    }
    try {
      return new Availability(copyOut(bytes), null);
    } catch (IOException e) {
      return new Availability(null, "cannot write " + FILE_NAME + ": " + e.getMessage());
    }
  }

  /**
   * A file with these bytes under the temporary directory, named by their hash: every JVM of this
   * build and user shares one copy instead of leaving one per start, and another build gets its
   * own. A directory of that name that this user does not own is not trusted (a fresh private one,
   * removed at exit, is used instead); a file there with other bytes is replaced.
   */
  private static Path copyOut(byte[] bytes) throws IOException {
    String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9_.-]", "_");
    Path dir =
        Path.of(
            System.getProperty("java.io.tmpdir"),
            "stn4j-" + user + "-" + sha256(bytes).substring(0, 16));
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      try {
        Files.createDirectory(dir, ownerOnly());
      } catch (FileAlreadyExistsException raced) {
        // another JVM made it; checked below like any existing directory
      }
    }
    boolean shared = ownedByUs(dir);
    if (!shared) {
      dir = Files.createTempDirectory("stn4j-", ownerOnly());
      dir.toFile().deleteOnExit();
    }
    Path target = dir.resolve(FILE_NAME);
    if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)
        && Arrays.equals(Files.readAllBytes(target), bytes)) {
      return target;
    }
    Path partial = Files.createTempFile(dir, FILE_NAME, ".part");
    try {
      Files.write(partial, bytes);
      Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(partial);
    }
    if (!shared) {
      target.toFile().deleteOnExit(); // runs before the directory's, registered earlier
    }
    return target;
  }

  private static FileAttribute<?>[] ownerOnly() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
        ? new FileAttribute<?>[] {
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))
        }
        : new FileAttribute<?>[0];
  }

  private static boolean ownedByUs(Path dir) throws IOException {
    return Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)
        && Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS)
            .getName()
            .equals(System.getProperty("user.name"));
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }
}
