package dev.stn4j.sdk;

import static org.junit.jupiter.api.Assertions.fail;

import dev.stn4j.sdk.internal.NativeKernels;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * The native kernel library for tests that need it: skipped, with the reason, only where the build
 * cannot compile it. Where it can (Linux x86-64 with {@code /usr/bin/gcc}), a missing library fails
 * the test. That is decided from the machine, not from the build's own {@code native-kernels}
 * profile, so that a profile that did not activate, or a library that was not packaged, fails the
 * build instead of hiding as skipped tests.
 */
final class KernelBuild {
  private KernelBuild() {}

  /** Whether this machine can compile the kernel, so the build must have. */
  static boolean expected() {
    return NativeKernels.PLATFORM.equals(NativeKernels.platform())
        && Files.isExecutable(Path.of("/usr/bin/gcc"));
  }

  /** The SDK's kernel library, or the test is skipped where it cannot have been built. */
  static Path library() {
    NativeKernels.Availability kernels = NativeKernels.find();
    if (kernels instanceof NativeKernels.Available available) {
      return available.library();
    }
    String reason = ((NativeKernels.Unavailable) kernels).reason();
    if (expected()) {
      fail("this machine (Linux x86-64, /usr/bin/gcc) builds the native kernel, yet: " + reason);
    }
    Assumptions.abort(reason);
    return null; // not reached
  }
}
