/**
 * Image input shared by the SDK, the CLI and the benchmarks: {@link dev.stn4j.image.ImageLoader}
 * decodes files safely (limits checked before decoding), {@link dev.stn4j.image.Preprocessor} turns
 * any image into the model's 3×32×32 RGB floats in [0,1].
 *
 * <pre>{@code
 * float[] chw = Preprocessor.toChw(ImageLoader.defaults().read(Path.of("cat.jpg")));
 * }</pre>
 */
package dev.stn4j.image;
