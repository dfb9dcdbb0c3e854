package dev.stn4j.sdk.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version of stn4j this SDK was built as: the Maven project version, stamped into a resource by
 * the build, so that no module writes it by hand. Every stn4j module (commands' {@code --version},
 * the exporter's producer string) reads it here. It works from a jar and from {@code
 * target/classes} alike, unlike a jar manifest.
 *
 * <pre>{@code
 * System.out.println("stn4j " + Stn4jVersion.get());
 * }</pre>
 */
public final class Stn4jVersion {
  // Absolute: the file stays where the build stamps it, beside the public API.
  private static final String RESOURCE = "/dev/stn4j/sdk/version.properties";

  private Stn4jVersion() {}

  /**
   * The project version (the root pom's {@code <version>}); {@code "unknown"} when the classes were
   * not built by Maven (no stamped resource), so that {@code --version} still answers.
   */
  public static String get() {
    Properties p = new Properties();
    try (InputStream in = Stn4jVersion.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        return "unknown";
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("reading the SDK's " + RESOURCE, e);
    }
    String version = p.getProperty("version", "");
    // An IDE that copies resources without Maven's filtering leaves the placeholder in place.
    return version.isBlank() || version.contains("${") ? "unknown" : version;
  }
}
