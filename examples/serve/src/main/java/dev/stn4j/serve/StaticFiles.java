package dev.stn4j.serve;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The web page's files, served from the jar ({@code dev/stn4j/serve/web/}): no CDN, so the page
 * works offline. A path with {@code ..}, a backslash or a hidden segment is never looked up.
 */
final class StaticFiles {
  private static final String ROOT = "dev/stn4j/serve/web";
  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "json", "application/json",
          "png", "image/png",
          "jpg", "image/jpeg",
          "jpeg", "image/jpeg",
          "svg", "image/svg+xml");

  record File(String contentType, byte[] bytes) {}

  private final Map<String, File> cache = new ConcurrentHashMap<>();

  /** The file at {@code path} ("/" is the page), or null. */
  File get(String path) {
    if (path.equals("/") || path.isEmpty()) {
      path = "/index.html";
    }
    if (path.contains("..") || path.contains("\\") || path.contains("/.") || path.contains("//")) {
      return null;
    }
    int dot = path.lastIndexOf('.');
    String type = dot < 0 ? null : TYPES.get(path.substring(dot + 1).toLowerCase(Locale.ROOT));
    if (type == null) {
      return null;
    }
    String resource = ROOT + path;
    File cached = cache.get(resource);
    if (cached != null) {
      return cached;
    }
    try (InputStream in = StaticFiles.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        return null;
      }
      File file = new File(type, in.readAllBytes());
      cache.put(resource, file); // a fixed set of files: the cache cannot grow past the jar
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
