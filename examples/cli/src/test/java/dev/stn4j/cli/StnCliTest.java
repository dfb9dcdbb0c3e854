package dev.stn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stn4j.sdk.RepositoryRoot;
import org.junit.jupiter.api.Test;

class StnCliTest {
  @Test
  void versionIsTheBuildsOwn() {
    Cli.Result r = Cli.run("-V");

    assertEquals(0, r.exit(), r.toString());
    assertEquals("stn4j " + RepositoryRoot.pomVersion(), r.out().strip());
  }
}
