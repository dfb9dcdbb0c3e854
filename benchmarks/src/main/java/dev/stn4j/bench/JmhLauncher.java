package dev.stn4j.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Starts the JMH suite. Unless the user fixed {@code -p provider=...}, GPU providers that cannot
 * run here are left out of the provider parameter, with the reason printed, because JMH cannot skip
 * a parameter combination by itself.
 */
final class JmhLauncher {
  private JmhLauncher() {}

  static int run(List<String> args, PrintWriter out) throws Exception {
    List<String> jmhArgs = new ArrayList<>(args);
    boolean providerGiven =
        args.stream().anyMatch(a -> a.startsWith("provider=") || a.startsWith("-pprovider="));
    boolean listOnly = args.contains("-l") || args.contains("-h") || args.contains("-lp");
    if (!providerGiven && !listOnly) {
      List<String> usable = new ArrayList<>();
      for (ProviderKind p : ProviderKind.values()) {
        String reason = ProviderProbe.unavailableReason(p);
        if (reason == null) {
          usable.add(p.id());
        } else {
          out.println("JMH: skipping provider " + p + ": " + reason);
        }
      }
      out.flush();
      jmhArgs.add("-p");
      jmhArgs.add("provider=" + usable.stream().collect(Collectors.joining(",")));
    }
    org.openjdk.jmh.Main.main(jmhArgs.toArray(String[]::new));
    return 0;
  }
}
