package dev.stn4j.train;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/**
 * What a probe verdict depends on, as text: the CPU (vendor, family, model, stepping, microcode and
 * flags from {@code /proc/cpuinfo}), the kernel, the hypervisor (what {@code /sys} says of it; the
 * CPU flags say whether there is one) and the libtorch build. The defect's cause is not known, so
 * any of these changing calls for a new probe.
 */
final class MachineFingerprint {
  private static final List<String> CPU_FIELDS =
      List.of("vendor_id", "cpu family", "model", "model name", "stepping", "microcode", "flags");

  private MachineFingerprint() {}

  /** This machine's, read under {@code /}, with the libtorch on the class path. */
  static String current() {
    return of(Path.of("/"), libtorchVersion());
  }

  /**
   * @param root where {@code proc} and {@code sys} are ({@code /} but in tests)
   */
  static String of(Path root, String libtorch) {
    StringBuilder key = new StringBuilder();
    String cpuinfo = read(root.resolve("proc/cpuinfo"));
    // The first processor's block: the fields are the same for every core of one machine.
    String first = cpuinfo.split("\n\\s*\n", 2)[0];
    for (String field : CPU_FIELDS) {
      key.append(field).append(": ").append(field(first, field)).append('\n');
    }
    key.append("kernel: ").append(read(root.resolve("proc/sys/kernel/osrelease")).strip());
    key.append('\n');
    key.append("hypervisor: ").append(read(root.resolve("sys/hypervisor/type")).strip());
    key.append(" / ").append(read(root.resolve("sys/class/dmi/id/sys_vendor")).strip());
    key.append(" / ").append(read(root.resolve("sys/class/dmi/id/product_name")).strip());
    key.append('\n');
    key.append("libtorch: ").append(libtorch).append('\n');
    return key.toString();
  }

  /** The value of {@code name} in a cpuinfo block, or empty. */
  static String field(String block, String name) {
    for (String line : block.split("\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).strip().equals(name)) {
        return line.substring(colon + 1).strip();
      }
    }
    return "";
  }

  /** The bundled libtorch's version, from DJL's native jar, without loading it. */
  static String libtorchVersion() {
    Properties p = new Properties();
    try (InputStream in =
        MachineFingerprint.class
            .getClassLoader()
            .getResourceAsStream("native/lib/pytorch.properties")) {
      if (in == null) {
        return "unknown";
      }
      p.load(in);
    } catch (IOException e) {
      return "unknown";
    }
    return p.getProperty("version", "unknown") + " " + p.getProperty("flavor", "");
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      // Absent on this system (no DMI in many guests, no /sys/hypervisor on KVM): part of the key.
      return "";
    }
  }
}
