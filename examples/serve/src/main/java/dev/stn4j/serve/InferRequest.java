package dev.stn4j.serve;

import java.util.List;

/**
 * A parsed, checked {@code infer} request of the Open Inference Protocol.
 *
 * @param id the request's {@code id}, echoed in the response, or null
 * @param images the images, each 3×S×S CHW floats (S the served model's image size), finite
 * @param outputs the outputs to send, in order, each as JSON or binary data
 */
record InferRequest(String id, List<float[]> images, List<OutputSpec> outputs) {
  /** One requested output. */
  record OutputSpec(String name, boolean binary) {}
}
