package dev.stn4j.sdk.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * ONNX Runtime 1.29.0's Linux library reads {@code /proc/self/cmdline} when it loads and kills the
 * JVM (SIGSEGV) when that is longer than about 4 KB (docs/onnxruntime-cmdline-crash.md), as a long
 * classpath makes it. Nothing can catch that, so {@link OrtSetup} refuses to load such a library in
 * such a process, and says how to avoid it.
 */
final class OrtCommandLineDefect {
  /** Longest command line seen to survive was 3,980 bytes; refuse a little below. */
  static final int LIMIT_BYTES = 3_900;

  private static final Set<String> DEFECTIVE_VERSIONS = Set.of("1.29.0");

  /** Strings of the defective library (it also leaves an empty /tmp/mat-debug-PID.log). */
  private static final byte[] MARKER = "mat-debug-".getBytes(StandardCharsets.US_ASCII);

  private OrtCommandLineDefect() {}

  /**
   * Why this process must not load ONNX Runtime, or null when it may.
   *
   * @param version the ORT jar's version, or null when its manifest does not say
   * @param commandLineBytes this process's command line length, or -1 when unknown
   * @param runtimeLibrary the ORT library that would load, read only when the version is unknown
   */
  static String check(String version, long commandLineBytes, URL runtimeLibrary) {
    if (commandLineBytes <= LIMIT_BYTES) {
      return null;
    }
    boolean defective;
    if (version != null) {
      defective = DEFECTIVE_VERSIONS.contains(version);
    } else {
      defective = runtimeLibrary != null && containsMarker(runtimeLibrary);
    }
    if (!defective) {
      return null;
    }
    return String.format(
        Locale.ROOT,
        "ONNX Runtime %s crashes the JVM when the process command line is longer than about"
            + " %,d bytes, and this one is %,d bytes. Use ONNX Runtime 1.28.0, the version stn4j is"
            + " built with (check what your dependency management resolves), or shorten the"
            + " command line: pass the classpath in an argument file (java @args.txt) or a jar"
            + " manifest's Class-Path, and long -D options through JAVA_TOOL_OPTIONS.",
        version == null ? "(this build)" : version,
        3_980,
        commandLineBytes);
  }

  /** This process's command line length in bytes, or -1 where the OS does not say (not Linux). */
  static long commandLineBytes() {
    Path cmdline = Path.of("/proc/self/cmdline");
    try {
      return Files.isReadable(cmdline) ? Files.readAllBytes(cmdline).length : -1;
    } catch (IOException e) {
      return -1;
    }
  }

  private static boolean containsMarker(URL library) {
    try (InputStream in = library.openStream()) {
      byte[] chunk = new byte[1 << 20];
      byte[] carry = new byte[0];
      int read;
      while ((read = in.readNBytes(chunk, 0, chunk.length)) > 0) {
        byte[] window = new byte[carry.length + read];
        System.arraycopy(carry, 0, window, 0, carry.length);
        System.arraycopy(chunk, 0, window, carry.length, read);
        if (indexOf(window, MARKER) >= 0) {
          return true;
        }
        int keep = Math.min(MARKER.length - 1, window.length);
        carry = java.util.Arrays.copyOfRange(window, window.length - keep, window.length);
      }
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
