package dev.stn4j.train.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.stn4j.data.Cifar10;
import dev.stn4j.data.CifarDataException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downloads from small archives made here, served as file:// URLs or by a local HTTP server. */
class CifarDownloaderTest {
  private static final int RECORDS = 4;

  @TempDir Path tmp;

  /**
   * A .tar.gz with the official layout made from the files of {@code source}, minus {@code skip}.
   */
  private static byte[] archive(Path source, String skip, String extraEntry) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar =
        new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
      tar.putArchiveEntry(new TarArchiveEntry(Cifar10.FOLDER + "/"));
      tar.closeArchiveEntry();
      try (Stream<Path> files = Files.list(source)) {
        for (Path f : files.sorted().toList()) {
          String name = f.getFileName().toString();
          if (name.equals(skip)) {
            continue;
          }
          byte[] content = Files.readAllBytes(f);
          TarArchiveEntry entry = new TarArchiveEntry(Cifar10.FOLDER + "/" + name);
          entry.setSize(content.length);
          tar.putArchiveEntry(entry);
          tar.write(content);
          tar.closeArchiveEntry();
        }
      }
      if (extraEntry != null) {
        TarArchiveEntry entry = new TarArchiveEntry(extraEntry);
        entry.setSize(1);
        tar.putArchiveEntry(entry);
        tar.write(new byte[] {1});
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }

  private static String md5(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
  }

  private Path source() throws IOException {
    return SyntheticCifar.write(tmp.resolve("source"), RECORDS, 5);
  }

  private Path publish(byte[] archive) throws IOException {
    return Files.write(tmp.resolve("cifar-10-binary.tar.gz"), archive);
  }

  @Test
  void downloadsChecksAndUnpacksFromAFileUrl() throws Exception {
    byte[] archive = archive(source(), null, null);
    Path url = publish(archive);
    Path target = tmp.resolve("cache/stn4j/cifar-10-batches-bin");
    CifarDownloader downloader =
        CifarDownloader.builder()
            .url(url.toUri())
            .md5(md5(archive))
            .recordsPerFile(RECORDS)
            .build();
    assertEquals(target, downloader.ensure(target));
    CifarFiles.withRecordsPerFile(target, RECORDS).verify();
    assertArrayEquals(
        Files.readAllBytes(tmp.resolve("source/data_batch_2.bin")),
        Files.readAllBytes(target.resolve("data_batch_2.bin")));
    // Nothing but the data folder is left behind (no archive, no temporary folder).
    try (Stream<Path> left = Files.list(target.getParent())) {
      assertEquals(1, left.count());
    }
    // Complete now: a second call does not download (the archive is gone).
    Files.delete(url);
    assertEquals(target, downloader.ensure(target));
  }

  @Test
  void downloadsOverHttpAndReplacesAnIncompleteCopy() throws Exception {
    byte[] archive = archive(source(), null, null);
    AtomicInteger requests = new AtomicInteger();
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/cifar-10-binary.tar.gz",
        exchange -> {
          requests.incrementAndGet();
          exchange.sendResponseHeaders(200, archive.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(archive);
          }
        });
    server.start();
    try {
      Path target = tmp.resolve("cache/cifar-10-batches-bin");
      Files.createDirectories(target);
      Files.write(target.resolve("data_batch_1.bin"), new byte[10]);
      URI url =
          URI.create(
              "http://127.0.0.1:" + server.getAddress().getPort() + "/cifar-10-binary.tar.gz");
      CifarDownloader.builder()
          .url(url)
          .md5(md5(archive))
          .recordsPerFile(RECORDS)
          .build()
          .ensure(target);
      assertEquals(1, requests.get());
      assertTrue(CifarFiles.withRecordsPerFile(target, RECORDS).isComplete());
    } finally {
      server.stop(0);
    }
  }

  @Test
  void badChecksumNamesTheArchiveAndUnpacksNothing() throws Exception {
    byte[] archive = archive(source(), null, null);
    Path url = publish(archive);
    Path target = tmp.resolve("cache/cifar-10-batches-bin");
    CifarDataException e =
        assertThrows(
            CifarDataException.class,
            () ->
                CifarDownloader.builder()
                    .url(url.toUri())
                    .md5("c32a1d4ab5d03f1284b67883e8d87530")
                    .recordsPerFile(RECORDS)
                    .build()
                    .ensure(target));
    assertTrue(e.getMessage().startsWith(url.toUri() + ": MD5 " + md5(archive)), e.getMessage());
    assertTrue(
        e.getMessage().contains("expected c32a1d4ab5d03f1284b67883e8d87530"), e.getMessage());
    assertFalse(Files.exists(target));
    try (Stream<Path> left = Files.list(target.getParent())) {
      assertEquals(0, left.count(), "temporary files left behind");
    }
  }

  @Test
  void archiveWithoutAFileNamesTheMissingFile() throws Exception {
    byte[] archive = archive(source(), "test_batch.bin", null);
    Path url = publish(archive);
    Path target = tmp.resolve("cache/cifar-10-batches-bin");
    CifarDataException e =
        assertThrows(
            CifarDataException.class,
            () ->
                CifarDownloader.builder()
                    .url(url.toUri())
                    .md5(md5(archive))
                    .recordsPerFile(RECORDS)
                    .build()
                    .ensure(target));
    assertTrue(e.getMessage().contains("test_batch.bin: file not found"), e.getMessage());
    assertFalse(Files.exists(target));
  }

  @Test
  void refusesEntriesOutsideTheTarget() throws Exception {
    byte[] archive = archive(source(), null, "../escape.bin");
    Path url = publish(archive);
    Path target = tmp.resolve("cache/cifar-10-batches-bin");
    CifarDataException e =
        assertThrows(
            CifarDataException.class,
            () ->
                CifarDownloader.builder()
                    .url(url.toUri())
                    .md5(md5(archive))
                    .recordsPerFile(RECORDS)
                    .build()
                    .ensure(target));
    assertTrue(e.getMessage().contains("../escape.bin"), e.getMessage());
    assertFalse(Files.exists(tmp.resolve("cache/escape.bin")));
  }

  @Test
  void unreachableUrlIsNamed() {
    Path target = tmp.resolve("cache/cifar-10-batches-bin");
    URI url = tmp.resolve("nowhere.tar.gz").toUri();
    CifarDataException e =
        assertThrows(
            CifarDataException.class,
            () -> CifarDownloader.builder().url(url).build().ensure(target));
    assertTrue(e.getMessage().startsWith(url + ": download failed"), e.getMessage());
  }

  @Test
  void builderRejectsABadMd5() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> CifarDownloader.builder().md5("xyz").build());
    assertEquals("md5 must be 32 hex digits, got xyz", e.getMessage());
  }
}
