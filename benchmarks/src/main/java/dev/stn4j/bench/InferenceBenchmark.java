package dev.stn4j.bench;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
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
 * JMH: one call classifies one batch of sample images (pre-processing excluded), per runtime ×
 * provider × batch × intra-op threads. Time is per call; images/s = batch / time. A provider that
 * cannot run here fails its trials with the reason (the launcher leaves such providers out of the
 * parameter list unless asked for them).
 *
 * <pre>{@code
 * ./stn bench --jmh InferenceBenchmark -p runtime=sdk,ort-raw -p batch=1,256 -p threads=1
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
// AlwaysPreTouch: the SDK allocates ≈ 12 KiB of results per image; without it the first pass
// through the untouched heap page-faults on every call for the first seconds of a fork, which is
// start-up, not the steady state measured here.
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch", "-Dai.djl.offline=true"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class InferenceBenchmark {
  @Param({"sdk", "ort-raw", "djl-pytorch", "djl-ort"})
  public String runtime;

  @Param({"cpu", "cuda", "tensorrt"})
  public String provider;

  @Param({"1", "8", "64", "256"})
  public int batch;

  @Param({"1", "2"})
  public int threads;

  /** ONNX model; empty for the SDK's default model. */
  @Param({""})
  public String model;

  private Runner runner;
  private int step;

  @Setup(Level.Trial)
  public void open() throws Exception {
    RuntimeKind kind = RuntimeKind.parse(runtime);
    if (kind == RuntimeKind.DJL_ORT) {
      DjlOrtRunner.startEngine();
    }
    Path root = ModelLocator.defaultRoot();
    Path modelFile = ModelLocator.resolve(model.isEmpty() ? null : Path.of(model), root);
    RunSpec spec = new RunSpec(kind, ProviderKind.parse(provider), batch, threads, modelFile);
    try {
      runner = Runners.open(spec, SampleImages.forModel(ModelShape.read(modelFile), root));
    } catch (UnavailableException e) {
      throw new IllegalStateException("skipped " + spec + ": " + e.getMessage(), e);
    }
  }

  @Benchmark
  public Object classifyBatch() throws Exception {
    return runner.run(step++);
  }

  @TearDown(Level.Trial)
  public void close() throws Exception {
    if (runner != null) {
      runner.close();
    }
  }
}
