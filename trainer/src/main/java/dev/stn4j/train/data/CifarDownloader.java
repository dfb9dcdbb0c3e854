package dev.stn4j.train.data;

import dev.stn4j.data.Cifar10;
import dev.stn4j.data.CifarDataException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Locale;
import java.util.stream.Stream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Fetches CIFAR-10's official binary archive into a folder when it is not already there: download
 * with a progress bar, MD5 check before unpacking, unpack into a temporary folder, check the files,
 * then one atomic rename, so the target is either complete or absent.
 *
 * <pre>{@code
 * Path dir = CifarDownloader.builder().build().ensure(Cifar10.defaultDataDir().orElseThrow());
 * }</pre>
 */
public final class CifarDownloader {
  /** The official archive. */
  public static final URI OFFICIAL_URL =
      URI.create("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz");

  /** Its published MD5. */
  public static final String OFFICIAL_MD5 = "c32a1d4ab5d03f1284b67883e8d87530";

  private final URI url;
  private final String md5;
  private final int recordsPerFile;
  private final PrintStream console;

  private CifarDownloader(Builder b) {
    this.url = b.url;
    this.md5 = b.md5;
    this.recordsPerFile = b.recordsPerFile;
    this.console = b.console;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns {@code target} once it holds the complete data set, downloading it if needed.
   *
   * @throws CifarDataException naming the archive when its checksum is wrong, or the file that is
   *     missing or of the wrong size after unpacking
   */
  public Path ensure(Path target) throws IOException {
    CifarFiles files = CifarFiles.withRecordsPerFile(target, recordsPerFile);
    if (files.isComplete()) {
      return target;
    }
    Path parent = target.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path archive = Files.createTempFile(parent, "cifar-10-binary", ".tar.gz.part");
    Path unpacked = Files.createTempDirectory(parent, target.getFileName() + ".tmp-");
    try {
      download(archive);
      unpack(archive, unpacked);
      Path folder = unpacked.resolve(Cifar10.FOLDER);
      CifarFiles.withRecordsPerFile(folder, recordsPerFile).verify();
      if (Files.exists(target)) {
        // An incomplete earlier copy in our own cache folder: replace it.
        deleteTree(target);
      }
      Files.move(folder, target, StandardCopyOption.ATOMIC_MOVE);
      return target;
    } finally {
      Files.deleteIfExists(archive);
      deleteTree(unpacked);
    }
  }

  private void download(Path archive) throws IOException {
    URLConnection connection = url.toURL().openConnection();
    connection.setConnectTimeout(30_000);
    connection.setReadTimeout(60_000);
    long length = connection.getContentLengthLong();
    MessageDigest digest = md5Digest();
    try (InputStream raw = connection.getInputStream();
        InputStream in = new DigestInputStream(raw, digest);
        OutputStream out = Files.newOutputStream(archive);
        ProgressBar bar = progressBar(length)) {
      byte[] buffer = new byte[1 << 16];
      for (int read; (read = in.read(buffer)) >= 0; ) {
        out.write(buffer, 0, read);
        if (bar != null) {
          bar.stepBy(read);
        }
      }
    } catch (IOException e) {
      throw new CifarDataException(url + ": download failed: " + e.getMessage(), e);
    }
    String actual = HexFormat.of().formatHex(digest.digest());
    if (!actual.equalsIgnoreCase(md5)) {
      throw new CifarDataException(
          String.format(
              "%s: MD5 %s, expected %s: the download is corrupt or not the CIFAR-10 archive;"
                  + " nothing was unpacked",
              url, actual, md5.toLowerCase(Locale.ROOT)));
    }
  }

  private void unpack(Path archive, Path into) throws IOException {
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(new GzipCompressorInputStream(Files.newInputStream(archive)))) {
      for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
        Path out = into.resolve(entry.getName()).normalize();
        if (!out.startsWith(into)) {
          throw new CifarDataException(
              url + ": archive entry " + entry.getName() + " points outside the target folder");
        }
        if (entry.isDirectory()) {
          Files.createDirectories(out);
        } else if (entry.isFile()) {
          Files.createDirectories(out.getParent());
          Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      if (e instanceof CifarDataException) {
        throw e;
      }
      throw new CifarDataException(url + ": cannot unpack: " + e.getMessage(), e);
    }
  }

  private ProgressBar progressBar(long length) {
    if (console == null) {
      return null;
    }
    return new ProgressBarBuilder()
        .setTaskName("CIFAR-10")
        .setInitialMax(length)
        .setUnit(" MB", 1 << 20)
        .setStyle(ProgressBarStyle.ASCII)
        .setConsumer(new ConsoleProgressBarConsumer(console))
        .build();
  }

  private static MessageDigest md5Digest() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has MD5", e);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** Options; defaults are the official archive, quiet. */
  public static final class Builder {
    private URI url = OFFICIAL_URL;
    private String md5 = OFFICIAL_MD5;
    private int recordsPerFile = CifarFiles.RECORDS_PER_FILE;
    private PrintStream console;

    private Builder() {}

    /** Where to fetch the archive from (http, https or file). */
    public Builder url(URI v) {
      url = v;
      return this;
    }

    /** The archive's expected MD5, hex. */
    public Builder md5(String v) {
      md5 = v;
      return this;
    }

    /** Records per batch file (tests use small archives). */
    public Builder recordsPerFile(int v) {
      recordsPerFile = v;
      return this;
    }

    /** Where the progress bar goes; null (default) for none. */
    public Builder console(PrintStream v) {
      console = v;
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the bad value
     */
    public CifarDownloader build() {
      if (url == null) {
        throw new IllegalArgumentException("url is required");
      }
      if (md5 == null || !md5.matches("[0-9a-fA-F]{32}")) {
        throw new IllegalArgumentException("md5 must be 32 hex digits, got " + md5);
      }
      if (recordsPerFile < 1) {
        throw new IllegalArgumentException("recordsPerFile must be >= 1, got " + recordsPerFile);
      }
      return new CifarDownloader(this);
    }
  }
}
