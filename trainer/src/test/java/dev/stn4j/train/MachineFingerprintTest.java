package dev.stn4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MachineFingerprintTest {
  @TempDir Path root;

  private void cpuinfo(String microcode) throws Exception {
    Files.createDirectories(root.resolve("proc/sys/kernel"));
    String block =
        "processor\t: %d\nvendor_id\t: AuthenticAMD\ncpu family\t: 25\nmodel\t\t: 17\n"
            + "model name\t: AMD EPYC\nstepping\t: 1\nmicrocode\t: %s\ncpu MHz\t\t: %d\n"
            + "flags\t\t: fpu sse4_1 avx2 avx512f hypervisor\n";
    Files.writeString(
        root.resolve("proc/cpuinfo"),
        String.format(block, 0, microcode, 2400) + "\n" + String.format(block, 1, microcode, 3100));
    Files.writeString(root.resolve("proc/sys/kernel/osrelease"), "6.1.0-test\n");
  }

  @Test
  void namesTheCpuKernelHypervisorAndLibtorch() throws Exception {
    cpuinfo("0xa101144");
    String key = MachineFingerprint.of(root, "2.7.1 cpu");
    assertTrue(key.contains("cpu family: 25\nmodel: 17\n"), key);
    assertTrue(key.contains("microcode: 0xa101144\n"), key);
    assertTrue(key.contains("flags: fpu sse4_1 avx2 avx512f hypervisor\n"), key);
    assertTrue(key.contains("kernel: 6.1.0-test\n"), key);
    assertTrue(key.contains("libtorch: 2.7.1 cpu\n"), key);
    // The clock speed varies from core to core and moment to moment: not part of the key.
    assertTrue(!key.contains("MHz"), key);

    Files.createDirectories(root.resolve("sys/class/dmi/id"));
    Files.writeString(root.resolve("sys/class/dmi/id/sys_vendor"), "QEMU\n");
    String withDmi = MachineFingerprint.of(root, "2.7.1 cpu");
    assertTrue(withDmi.contains("hypervisor:  / QEMU / \n"), withDmi);
  }

  @Test
  void changesWithTheMicrocodeOrLibtorch() throws Exception {
    cpuinfo("0xa101144");
    String before = MachineFingerprint.of(root, "2.7.1 cpu");
    assertEquals(before, MachineFingerprint.of(root, "2.7.1 cpu"));
    assertNotEquals(before, MachineFingerprint.of(root, "2.8.0 cpu"));
    cpuinfo("0xa101148");
    assertNotEquals(before, MachineFingerprint.of(root, "2.7.1 cpu"));
  }

  @Test
  void findsTheBundledLibtorch() {
    assertTrue(
        MachineFingerprint.libtorchVersion().startsWith("2.7.1"),
        MachineFingerprint.libtorchVersion());
  }
}
