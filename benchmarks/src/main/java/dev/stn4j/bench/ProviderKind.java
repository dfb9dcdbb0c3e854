package dev.stn4j.bench;

import dev.stn4j.sdk.Provider;

/** The execution providers benchmarked, on device 0 where a device applies. */
public enum ProviderKind {
  CPU("cpu"),
  CUDA("cuda"),
  TENSORRT("tensorrt");

  private final String id;

  ProviderKind(String id) {
    this.id = id;
  }

  /** The name used on the command line, in JMH parameters and in JSON rows. */
  public String id() {
    return id;
  }

  /** The SDK's provider of this kind, on device 0. */
  public Provider toProvider() {
    return switch (this) {
      case CPU -> Provider.cpu();
      case CUDA -> Provider.cuda(0);
      case TENSORRT -> Provider.tensorRt(0);
    };
  }

  /** Parses an {@link #id()}, case-insensitively. */
  public static ProviderKind parse(String text) {
    return Ids.parse("provider", text, values(), ProviderKind::id);
  }

  @Override
  public String toString() {
    return id;
  }
}
