/**
 * Benchmarks of the STN across runtimes (the stn4j SDK, raw ONNX Runtime, DJL on PyTorch, DJL on
 * ONNX Runtime), execution providers, batch sizes and thread counts.
 *
 * <p>Two front ends share the same {@link dev.stn4j.bench.Runner runners}: the JMH suite ({@code
 * ./stn bench --jmh [JMH options]}) and a plain harness ({@code ./stn bench}) that prints a table
 * of p50/p90/p99 latency and throughput and writes JSON rows.
 */
package dev.stn4j.bench;
