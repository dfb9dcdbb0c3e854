package dev.stn4j.bench;

import dev.stn4j.data.Cifar10;
import dev.stn4j.image.ImageLoader;
import dev.stn4j.image.Preprocessor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH, issue 30: decode and pre-process ONE photo file to the 3×32×32 input, per photo size and
 * decode path. {@code full}: {@code ImageLoader.read(file)} (the whole image) then {@link
 * Preprocessor}; {@code reduced}: {@code read(file, 32)} (JPEG decoded at 1/2, 1/4 or 1/8 scale,
 * libturbojpeg when the system has it) then Preprocessor; {@code pureJavaFull} and {@code
 * pureJavaReduced}: the same through {@code ImageLoader.defaults().pureJava()}, which never uses
 * the native library. The file is read from disk on every call (page cache warm).
 *
 * <p>{@code photo} is {@code WIDTHxHEIGHT} for a photo-like JPEG generated at set-up ({@link
 * PhotoJpegs}: sample image 0 enlarged plus grain, quality 0.9, about 3.3 MB at 4000×3000), or the
 * path of a JPEG file to use instead (e.g. one written by {@code write_photos.py}).
 *
 * <pre>{@code
 * ./stn bench --jmh PhotoDecodeBenchmark
 * ./stn bench --jmh PhotoDecodeBenchmark -p photo=runs/photos/12mp/photo-0000.jpg
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PhotoDecodeBenchmark {
  private static final int SIDE = Cifar10.WIDTH;
  private static final Pattern SIZE = Pattern.compile("(\\d{1,5})x(\\d{1,5})");

  /** {@code WIDTHxHEIGHT} of a generated photo, or a JPEG file's path. */
  @Param({"4000x3000", "640x480"})
  public String photo;

  private Path file;
  private Path generated;
  private ImageLoader loader;
  private ImageLoader pureJava;
  private final float[] chw = new float[Cifar10.IMAGE_VALUES];

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    loader = ImageLoader.defaults();
    pureJava = loader.pureJava();
    int[] size = parseSize(photo);
    if (size == null) {
      file = Path.of(photo);
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException(
            "photo: " + photo + " is neither WIDTHxHEIGHT nor an existing file");
      }
      return;
    }
    SampleImages images = SampleImages.load(ModelLocator.defaultRoot());
    generated = Files.createTempFile("stn4j-photo", ".jpg");
    file = PhotoJpegs.write(generated, size[0], size[1], images.image(0), SIDE, 0);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    if (generated != null) {
      Files.deleteIfExists(generated);
    }
  }

  @Benchmark
  public float[] full() throws Exception {
    Preprocessor.toChw(loader.read(file), chw, 0);
    return chw;
  }

  @Benchmark
  public float[] reduced() throws Exception {
    Preprocessor.toChw(loader.read(file, SIDE), chw, 0);
    return chw;
  }

  @Benchmark
  public float[] pureJavaFull() throws Exception {
    Preprocessor.toChw(pureJava.read(file), chw, 0);
    return chw;
  }

  @Benchmark
  public float[] pureJavaReduced() throws Exception {
    Preprocessor.toChw(pureJava.read(file, SIDE), chw, 0);
    return chw;
  }

  /** {width, height} of {@code WIDTHxHEIGHT} (both >= 1), or null when it is not that form. */
  static int[] parseSize(String value) {
    Matcher m = SIZE.matcher(value);
    if (!m.matches()) {
      return null;
    }
    int w = Integer.parseInt(m.group(1));
    int h = Integer.parseInt(m.group(2));
    return w < 1 || h < 1 ? null : new int[] {w, h};
  }
}
