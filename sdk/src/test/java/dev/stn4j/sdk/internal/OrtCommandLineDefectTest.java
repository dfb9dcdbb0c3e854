package dev.stn4j.sdk.internal;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrtCommandLineDefectTest {
  @Test
  void refusesTheDefectiveVersionOnlyOverTheLimit() {
    assertNull(OrtCommandLineDefect.check("1.29.0", 3_000, null));
    assertNull(OrtCommandLineDefect.check("1.29.0", OrtCommandLineDefect.LIMIT_BYTES, null));
    String refusal = OrtCommandLineDefect.check("1.29.0", 16_500, null);
    assertNotNull(refusal);
    assertTrue(refusal.contains("ONNX Runtime 1.29.0 crashes the JVM"), refusal);
    assertTrue(refusal.contains("16,500 bytes"), refusal);
    assertTrue(refusal.contains("1.28.0"), refusal);
  }

  @Test
  void letsOtherVersionsAndUnknownCommandLinesThrough() {
    assertNull(OrtCommandLineDefect.check("1.28.0", 100_000, null));
    assertNull(OrtCommandLineDefect.check("1.30.0", 100_000, null));
    assertNull(OrtCommandLineDefect.check("1.29.0", -1, null));
  }

  @Test
  void withoutAVersionLooksForTheDefectiveLibrarysStrings(@TempDir Path dir) throws IOException {
    // The marker straddles the 1 MiB read chunks, as it may in a real library.
    byte[] bytes = new byte[(1 << 20) + 64];
    byte[] marker = "mat-debug-".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(marker, 0, bytes, (1 << 20) - 4, marker.length);
    URL defective = Files.write(dir.resolve("defective.so"), bytes).toUri().toURL();
    URL clean = Files.write(dir.resolve("clean.so"), new byte[(1 << 20) + 64]).toUri().toURL();

    assertNotNull(OrtCommandLineDefect.check(null, 20_000, defective));
    assertNull(OrtCommandLineDefect.check(null, 20_000, clean));
    assertNull(OrtCommandLineDefect.check(null, 3_000, defective));
  }

  @Test
  void measuresThisProcesssCommandLine() {
    long bytes = OrtCommandLineDefect.commandLineBytes();
    if (Files.isReadable(Path.of("/proc/self/cmdline"))) {
      assertTrue(bytes > "java".length(), "command line of " + bytes + " bytes");
    } else {
      assertTrue(bytes == -1, "no /proc: unknown, got " + bytes);
    }
  }
}
