package dev.stn4j.train.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The JSON file beside a decode cache's floats: what they are (count, size, classes, labels), the
 * key they were built for and the files that could not be decoded.
 */
record CacheManifest(
    int version,
    String key,
    String tree,
    int imageSize,
    int count,
    List<String> classNames,
    int[] labels,
    long dataBytes,
    List<DecodeCache.Unreadable> unreadable) {
  static final String FILE = "manifest.json";

  CacheManifest {
    classNames = List.copyOf(classNames);
    unreadable = List.copyOf(unreadable);
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  void write(Path dir) throws IOException {
    JSON.writeValue(dir.resolve(FILE).toFile(), this);
  }

  static CacheManifest read(Path dir) throws IOException {
    return JSON.readValue(dir.resolve(FILE).toFile(), CacheManifest.class);
  }
}
