package dev.stn4j.serve;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.OptionalLong;

/**
 * The process's limit on open files ({@code ulimit -n}), read at start: every connection is a file,
 * so the bound on connections must stay under it, with room for the JVM's jars, the model and
 * Jetty's selectors. Past the limit {@code accept} fails, and the connection waits in the kernel's
 * backlog where no answer reaches it.
 */
final class FileLimit {
  private FileLimit() {}

  /**
   * The soft limit on open files (the JVM raises it to the hard limit on Linux at start), or empty
   * where the platform does not say.
   */
  static OptionalLong current() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof UnixOperatingSystemMXBean unix) {
      long max = unix.getMaxFileDescriptorCount();
      if (max > 0) {
        return OptionalLong.of(max);
      }
    }
    return OptionalLong.empty();
  }

  /**
   * {@link ServeOptions#DEFAULT_MAX_CONNECTIONS}, or three quarters of the file limit when that is
   * lower: the last quarter is for everything else the process opens.
   */
  static int defaultMaxConnections(OptionalLong fileLimit) {
    if (fileLimit.isEmpty()) {
      return ServeOptions.DEFAULT_MAX_CONNECTIONS;
    }
    long usable = Math.max(1, fileLimit.getAsLong() / 4 * 3);
    return (int) Math.min(ServeOptions.DEFAULT_MAX_CONNECTIONS, usable);
  }

  /**
   * REST's bound {@code restMax}, for gRPC's connections counted apart; lowered where both would
   * not fit in seven eighths of the file limit (REST's default takes three quarters), but at least
   * 1.
   */
  static int defaultGrpcMaxConnections(OptionalLong fileLimit, int restMax) {
    if (fileLimit.isEmpty()) {
      return restMax;
    }
    long room = fileLimit.getAsLong() / 8 * 7 - restMax;
    return (int) Math.max(1, Math.min(restMax, room));
  }
}
