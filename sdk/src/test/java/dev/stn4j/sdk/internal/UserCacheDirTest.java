package dev.stn4j.sdk.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stn4j.data.Cifar10;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;

/** One cache-directory rule: stn4j.cache.dir moves ONNX Runtime's libraries and CIFAR-10 alike. */
@ResourceLock(Resources.SYSTEM_PROPERTIES)
class UserCacheDirTest {
  @TempDir Path dir;

  @Test
  void theSystemPropertyMovesTheNativeLibrariesAndCifarAlike() {
    String before = System.getProperty("stn4j.cache.dir");
    System.setProperty("stn4j.cache.dir", dir.toString());
    try {
      assertEquals(dir, UserCacheDir.root().orElseThrow());
      assertEquals(dir, NativeLibraryCache.forUser().root());
      assertEquals(dir.resolve("cifar-10-batches-bin"), Cifar10.defaultDataDir().orElseThrow());
    } finally {
      if (before == null) {
        System.clearProperty("stn4j.cache.dir");
      } else {
        System.setProperty("stn4j.cache.dir", before);
      }
    }
  }
}
