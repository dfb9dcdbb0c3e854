/**
 * The stn4j SDK: {@link dev.stn4j.sdk.StnClassifier} classifies images with a spatial transformer
 * network on ONNX Runtime and returns immutable {@link dev.stn4j.sdk.Prediction}s (class,
 * probabilities, {@link dev.stn4j.sdk.Theta θ}, warped image). Errors are {@link
 * dev.stn4j.sdk.StnException}s with an {@link dev.stn4j.sdk.ErrorCode}.
 *
 * <pre>{@code
 * try (StnClassifier c = StnClassifier.createDefault()) {
 *   System.out.println(c.predict(Path.of("cat.png")).label());
 * }
 * }</pre>
 */
package dev.stn4j.sdk;
