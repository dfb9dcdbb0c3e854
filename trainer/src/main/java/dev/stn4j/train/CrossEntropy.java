package dev.stn4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.stn4j.train.model.StnModel;

/**
 * Mean cross-entropy of logits against class labels, with label smoothing ε: per image {@code
 * (1−ε)·(−log p_y) + ε·mean_k(−log p_k)}, i.e. the cross-entropy against a target that puts {@code
 * 1−ε+ε/K} on the label and {@code ε/K} on every other class (PyTorch's {@code label_smoothing}).
 */
final class CrossEntropy {
  private CrossEntropy() {}

  /**
   * @param logits {@code [N,K]}
   * @param labels {@code [N]} int64 class indices
   * @param smoothing ε in [0,1)
   */
  static NDArray loss(NDArray logits, NDArray labels, double smoothing) {
    long n = logits.getShape().get(0);
    NDArray logp = logits.logSoftmax(1);
    NDArray nll = logp.gather(labels.reshape(n, 1), 1).neg();
    if (smoothing == 0) {
      return nll.mean();
    }
    NDArray uniform = logp.mean(new int[] {1}, true).neg();
    // Engine-owned factors: autograd keeps a multiplication's factors for the backward pass, and
    // DJL frees the tensor it makes of a Java number right after the multiplication.
    NDManager manager = logits.getManager();
    NDArray keep = StnModel.engineOwned(manager.create((float) (1 - smoothing)));
    NDArray spread = StnModel.engineOwned(manager.create((float) smoothing));
    return nll.mul(keep).add(uniform.mul(spread)).mean();
  }
}
