package dev.stn4j.bench;

import dev.stn4j.data.Cifar10;
import dev.stn4j.image.ImageLoader;
import dev.stn4j.image.Preprocessor;
import java.awt.image.BufferedImage;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH: the SDK's pre-processing, measured apart from inference: {@code Preprocessor.toChw} on a
 * decoded 32×32 image and on a 640×480 one, and {@code ImageLoader.read} of a 640×480 JPEG.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PreprocessBenchmark {
  private PreprocessInputs inputs;
  private ImageLoader loader;
  private final float[] chw = new float[Cifar10.IMAGE_VALUES];

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    inputs = PreprocessInputs.create(SampleImages.load(ModelLocator.defaultRoot()), 0);
    loader = ImageLoader.defaults();
  }

  @Benchmark
  public float[] toChw32x32() {
    Preprocessor.toChw(inputs.small, chw, 0);
    return chw;
  }

  @Benchmark
  public float[] toChw640x480() {
    Preprocessor.toChw(inputs.large, chw, 0);
    return chw;
  }

  @Benchmark
  public BufferedImage readJpeg640x480() throws Exception {
    return loader.read(inputs.jpeg);
  }

  @Benchmark
  public float[] readAndPreprocessJpeg640x480() throws Exception {
    Preprocessor.toChw(loader.read(inputs.jpeg), chw, 0);
    return chw;
  }
}
