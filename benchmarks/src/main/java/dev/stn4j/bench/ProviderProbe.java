package dev.stn4j.bench;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession.SessionOptions;

/** Says whether an execution provider can be used by this ONNX Runtime build on this machine. */
final class ProviderProbe {
  private ProviderProbe() {}

  /** Null when the provider can be added to a session, else ONNX Runtime's reason. */
  static String unavailableReason(ProviderKind provider) {
    if (provider == ProviderKind.CPU) {
      return null;
    }
    OrtRawRunner.environment();
    try (SessionOptions options = OrtSettings.of(provider, 1).toSessionOptions()) {
      return null;
    } catch (UnavailableException | OrtException e) {
      return e.getMessage();
    }
  }
}
