package dev.stn4j.train.data;

/** A view of chosen images of another {@link TrainingImages}, in a given order. */
final class SubsetImages implements TrainingImages {
  private final TrainingImages all;
  private final int[] indices;

  SubsetImages(TrainingImages all, int[] indices) {
    this.all = all;
    this.indices = indices.clone();
    for (int j = 0; j < this.indices.length; j++) {
      int i = this.indices[j];
      if (i < 0 || i >= all.size()) {
        throw new IndexOutOfBoundsException(
            "subset index " + i + " (position " + j + ") outside 0.." + (all.size() - 1));
      }
    }
  }

  @Override
  public int size() {
    return indices.length;
  }

  @Override
  public int imageSize() {
    return all.imageSize();
  }

  @Override
  public int label(int i) {
    return all.label(indices[i]);
  }

  @Override
  public void copyImage(int i, float[] dst, int offset) {
    all.copyImage(indices[i], dst, offset);
  }

  @Override
  public String toString() {
    return all + " (" + indices.length + " of " + all.size() + ")";
  }
}
