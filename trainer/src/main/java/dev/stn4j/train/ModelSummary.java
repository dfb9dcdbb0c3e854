package dev.stn4j.train;

import dev.stn4j.train.model.StnParameter;
import java.util.ArrayList;
import java.util.List;

/**
 * The layer table of {@code stn train --summary}, in the seed's (torchsummary's) format. Shapes
 * follow from the 32×32 input; parameter counts are summed from {@link StnParameter}.
 */
final class ModelSummary {
  private record Row(String layer, String shape, long params) {}

  private ModelSummary() {}

  static String table() {
    List<Row> rows = new ArrayList<>();
    rows.add(new Row("Conv2d-1", "[-1, 8, 26, 26]", params("loc.conv1")));
    rows.add(new Row("MaxPool2d-2", "[-1, 8, 13, 13]", 0));
    rows.add(new Row("ReLU-3", "[-1, 8, 13, 13]", 0));
    rows.add(new Row("Conv2d-4", "[-1, 10, 9, 9]", params("loc.conv2")));
    rows.add(new Row("MaxPool2d-5", "[-1, 10, 4, 4]", 0));
    rows.add(new Row("ReLU-6", "[-1, 10, 4, 4]", 0));
    rows.add(new Row("Linear-7", "[-1, 32]", params("loc.fc1")));
    rows.add(new Row("ReLU-8", "[-1, 32]", 0));
    rows.add(new Row("Linear-9", "[-1, 6]", params("loc.fc2")));
    rows.add(new Row("AffineGridSample-10", "[-1, 3, 32, 32]", 0));
    rows.add(new Row("Conv2d-11", "[-1, 10, 28, 28]", params("cls.conv1")));
    rows.add(new Row("Conv2d-12", "[-1, 20, 10, 10]", params("cls.conv2")));
    rows.add(new Row("Dropout2d-13", "[-1, 20, 10, 10]", 0));
    rows.add(new Row("Linear-14", "[-1, 50]", params("cls.fc1")));
    rows.add(new Row("Linear-15", "[-1, 10]", params("cls.fc2")));
    long total = rows.stream().mapToLong(Row::params).sum();
    String rule = "-".repeat(64);
    StringBuilder out = new StringBuilder();
    out.append(rule).append('\n');
    out.append(String.format("%24s %25s %15s%n", "Layer (type)", "Output Shape", "Param #"));
    out.append("=".repeat(64)).append('\n');
    for (Row r : rows) {
      out.append(String.format("%24s %25s %,15d%n", r.layer(), r.shape(), r.params()));
    }
    out.append("=".repeat(64)).append('\n');
    out.append(String.format("Total params: %,d%n", total));
    out.append(String.format("Trainable params: %,d%n", total));
    out.append("Non-trainable params: 0\n");
    out.append(rule).append('\n');
    out.append("Input: [-1, 3, 32, 32] RGB in [0,1], normalised inside the model\n");
    return out.toString();
  }

  private static long params(String layer) {
    long n = 0;
    for (StnParameter p : StnParameter.values()) {
      if (p.key().startsWith(layer + ".")) {
        n += p.size();
      }
    }
    return n;
  }
}
