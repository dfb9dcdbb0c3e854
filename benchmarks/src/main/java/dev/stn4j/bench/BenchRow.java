package dev.stn4j.bench;

/**
 * One measured configuration, as printed and as written to JSON (snake_case keys: {@code runtime,
 * provider, batch, threads, callers, p50_us, p90_us, p99_us, images_per_s}...).
 *
 * @param threads intra-op threads of the runtime
 * @param callers Java threads calling the runtime at once (1 unless {@code --callers})
 * @param iterations timed calls (summed over callers)
 * @param loadMs time to load the model and create the session, milliseconds
 * @param loadRssMib resident memory added while loading (runtime, model, first-use native
 *     libraries), MiB; a rough per-runtime footprint since all rows share one process
 * @param rssMib resident set size after the run, MiB
 * @param peakRssMib the process's peak resident set so far (VmHWM), MiB
 * @param heapUsedMib Java heap in use after the run, MiB
 */
public record BenchRow(
    String runtime,
    String provider,
    int batch,
    int threads,
    int callers,
    long iterations,
    double p50Us,
    double p90Us,
    double p99Us,
    double meanUs,
    double imagesPerS,
    double loadMs,
    double loadRssMib,
    double rssMib,
    double peakRssMib,
    double heapUsedMib) {}
