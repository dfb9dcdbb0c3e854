package dev.stn4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.stn4j.sdk.RepositoryRoot;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The build hands the probe's verdict to these tests' JVM (trainer/pom.xml). */
class SurefireOneDnnTest {
  @Test
  void testsRunUnderTheBuildsVerdict() throws Exception {
    Path verdict = RepositoryRoot.get().resolve("trainer/target/onednn.properties");
    // Only Maven writes it (an IDE runs these tests without that step).
    assumeTrue(Files.exists(verdict), "no " + verdict + ": not run by Maven");
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(verdict)) {
      p.load(in);
    }
    assertEquals(p.getProperty("onednn.test.isa"), System.getenv(OneDnnIsa.ENV));
  }
}
