/**
 * {@code stn serve}: an inference service on the SDK. {@link dev.stn4j.serve.InferenceServer}
 * speaks the KServe Open Inference Protocol (v2) over REST and gRPC ({@code
 * inference.GRPCInferenceService}, stubs generated into {@code dev.stn4j.serve.grpc.v2} from {@code
 * src/main/protobuf}) with dynamic batching, {@code POST /v1/classify} for image files, Prometheus
 * metrics and a web page; {@link dev.stn4j.serve.ServeOptions} holds its settings; {@link
 * dev.stn4j.serve.ServeMain} is the command line.
 */
package dev.stn4j.serve;
