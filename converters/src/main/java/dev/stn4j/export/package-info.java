/**
 * Export of trained STN weights to ONNX, following the stn4j model contract ({@code
 * docs/model-format.md}).
 *
 * <p>Public API: {@link dev.stn4j.export.StnOnnxExporter} (weights + {@link
 * dev.stn4j.export.ExportMetadata} → ONNX bytes or file), {@link dev.stn4j.export.SampleAnswers}
 * (the sample set and the trainer's answers on it) and {@link dev.stn4j.export.ExportCommand}
 * ({@code ./stn export}). The graph is written with a small package-private builder over ONNX's
 * protobuf classes ({@code ai.onnx.proto.OnnxMl} from {@code org.tribuo:tribuo-util-onnx}).
 */
package dev.stn4j.export;
