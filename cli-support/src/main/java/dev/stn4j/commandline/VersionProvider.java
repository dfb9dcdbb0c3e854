package dev.stn4j.commandline;

import dev.stn4j.sdk.internal.Stn4jVersion;
import picocli.CommandLine.IVersionProvider;

/** {@code --version} of every command: {@code stn4j <the version this build was stamped with>}. */
public final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {"stn4j " + Stn4jVersion.get()};
  }
}
