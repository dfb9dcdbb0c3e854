package dev.stn4j.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stn4j.sdk.internal.Stn4jVersion;
import org.junit.jupiter.api.Test;

class Stn4jVersionTest {
  @Test
  void isTheVersionInTheRootPom() {
    String pom = RepositoryRoot.pomVersion();

    assertTrue(pom.matches("\\d+\\.\\d+\\.\\d+.*"), pom);
    assertEquals(pom, Stn4jVersion.get());
  }
}
