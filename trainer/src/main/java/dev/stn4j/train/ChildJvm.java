package dev.stn4j.train;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.lang.management.ManagementFactory;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Another JVM with this one's Java, class path and options, and oneDNN's cap set in its
 * environment: the only way to give PyTorch another cap, since oneDNN reads it once per process.
 */
final class ChildJvm {
  /**
   * System properties that the child needs and may not find on this JVM's command line (Surefire,
   * for one, hands its own over in a file).
   */
  private static final List<String> CARRIED_PROPERTIES =
      List.of("ai.djl.offline", "stn4j.cache.dir", "java.awt.headless");

  private final String mainClass;
  private final List<String> args;
  private final OneDnnIsa isa;

  /**
   * @param isa the child's cap: uncapped or capped, never auto
   */
  ChildJvm(String mainClass, List<String> args, OneDnnIsa isa) {
    if (isa.mode() == OneDnnIsa.Mode.AUTO) {
      throw new IllegalArgumentException("a child JVM runs uncapped or capped, not auto");
    }
    this.mainClass = mainClass;
    this.args = List.copyOf(args);
    this.isa = isa;
  }

  /** The child's command line. */
  List<String> command() {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      // A debugger or agent listening on a port would refuse to start twice.
      if (!option.startsWith("-agentlib:")
          && !option.startsWith("-javaagent:")
          && !option.startsWith("-Xrunjdwp")
          && !carried(option)) {
        command.add(option);
      }
    }
    for (String name : CARRIED_PROPERTIES) {
      String value = System.getProperty(name);
      if (value != null) {
        command.add("-D" + name + "=" + value);
      }
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(args);
    return command;
  }

  private static boolean carried(String option) {
    return CARRIED_PROPERTIES.stream().anyMatch(p -> option.startsWith("-D" + p + "="));
  }

  /** A process builder for the child, with the cap in its environment; IO is the caller's. */
  ProcessBuilder processBuilder() {
    ProcessBuilder builder = new ProcessBuilder(command());
    builder.environment().remove(OneDnnIsa.LEGACY_ENV);
    if (isa.mode() == OneDnnIsa.Mode.UNCAPPED) {
      builder.environment().remove(OneDnnIsa.ENV);
    } else {
      builder.environment().put(OneDnnIsa.ENV, isa.cap());
    }
    return builder;
  }

  /**
   * Runs the child to its end and returns its exit code. Its output goes straight to this process's
   * terminal when {@code inheritIo} (so it sees a console, and draws progress bars), else it is
   * copied to {@code out} and {@code err}.
   */
  int run(boolean inheritIo, PrintWriter out, PrintWriter err)
      throws IOException, InterruptedException {
    ProcessBuilder builder = processBuilder();
    if (inheritIo) {
      out.flush();
      err.flush();
      Process process = builder.inheritIO().start();
      return waitFor(process);
    }
    Process process = builder.start();
    process.getOutputStream().close();
    Thread copyOut = copier(process.getInputStream(), out);
    Thread copyErr = copier(process.getErrorStream(), err);
    int code = waitFor(process);
    copyOut.join();
    copyErr.join();
    return code;
  }

  /**
   * Waits for the child. A child that outlived this JVM (killed, or interrupted here) would go on
   * writing the run's checkpoint unseen, so it ends with this JVM.
   */
  private static int waitFor(Process process) throws InterruptedException {
    Thread endChild = new Thread(process::destroy, "end-child-jvm");
    Runtime.getRuntime().addShutdownHook(endChild);
    try {
      return process.waitFor();
    } catch (InterruptedException e) {
      process.destroy();
      throw e;
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(endChild);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running or about to: it ends the child.
      }
    }
  }

  private static Thread copier(InputStream from, PrintWriter to) {
    Thread thread =
        new Thread(
            () -> {
              try (Reader reader = new InputStreamReader(from, Charset.defaultCharset())) {
                char[] buffer = new char[8192];
                for (int n; (n = reader.read(buffer)) >= 0; ) {
                  synchronized (to) {
                    to.write(buffer, 0, n);
                    to.flush();
                  }
                }
              } catch (IOException e) {
                // The child's end closed: nothing more to copy.
              }
            },
            "child-jvm-output");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }
}
