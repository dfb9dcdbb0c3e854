package dev.stn4j.bench;

import ai.onnxruntime.OrtSession.SessionOptions;
import dev.stn4j.sdk.StnException;
import dev.stn4j.sdk.internal.SessionSettings;

/** Says whether an execution provider can be used by this ONNX Runtime build on this machine. */
final class ProviderProbe {
  private ProviderProbe() {}

  /** Null when the provider can be added to a session, else the SDK's reason (ORT's text). */
  static String unavailableReason(ProviderKind provider) {
    if (provider == ProviderKind.CPU) {
      return null;
    }
    SessionSettings settings =
        SessionSettings.builder().provider(provider.toProvider()).intraOpThreads(1).build();
    try (SessionOptions options = settings.toSessionOptions()) {
      return null;
    } catch (StnException e) {
      return e.getMessage();
    }
  }
}
