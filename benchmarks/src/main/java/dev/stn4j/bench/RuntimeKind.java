package dev.stn4j.bench;

/** The software stacks compared: each runs the same STN with the same weights. */
public enum RuntimeKind {
  /** The stn4j SDK: {@code StnClassifier.predict / predictAll} on {@code float[]} images. */
  SDK("sdk"),
  /** Raw {@code OrtSession.run}, preallocated input and output tensors: the baseline. */
  ORT_RAW("ort-raw"),
  /** DJL's PyTorch engine running the trainer's {@code StnModel}. */
  DJL_PYTORCH("djl-pytorch"),
  /** DJL's ONNX Runtime engine on the same {@code .onnx} file. */
  DJL_ORT("djl-ort");

  private final String id;

  RuntimeKind(String id) {
    this.id = id;
  }

  /** The name used on the command line, in JMH parameters and in JSON rows. */
  public String id() {
    return id;
  }

  /** Parses an {@link #id()}, case-insensitively. */
  public static RuntimeKind parse(String text) {
    return Ids.parse("runtime", text, values(), RuntimeKind::id);
  }

  @Override
  public String toString() {
    return id;
  }
}
