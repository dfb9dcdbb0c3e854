package dev.stn4j.bench;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Optional;

/** How a {@code bench serve} client asks {@code stn serve} for one image's class. */
enum ServeMode {
  /** KServe v2 infer with the tensor and the answer as binary data after a JSON header. */
  BINARY("/v2/models/stn/infer"),
  /** KServe v2 infer with the tensor as a JSON array. */
  JSON("/v2/models/stn/infer"),
  /** A PNG posted to the service's own classify endpoint. */
  CLASSIFY("/v1/classify"),
  /**
   * KServe v2 ModelInfer over gRPC, the tensor and the answer in raw contents, as Triton's clients
   * send them ({@code --protocol grpc}).
   */
  GRPC("inference.GRPCInferenceService/ModelInfer");

  private final String path;

  ServeMode(String path) {
    this.path = path;
  }

  String path() {
    return path;
  }

  /** The name on the command line, in the table and in the JSON rows. */
  @JsonValue
  String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The mode a {@code --modes} value names; empty for an unknown one. */
  static Optional<ServeMode> parse(String name) {
    for (ServeMode m : values()) {
      if (m.wireName().equals(name)) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }
}
