package dev.stn4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stn4j.train.model.StnShape;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelSummaryTest {
  /** The table as {@code stn train --summary} printed it before the model took other shapes. */
  private static final String CIFAR10_TABLE =
      ""
          + "----------------------------------------------------------------\n"
          + "            Layer (type)              Output Shape         Param #\n"
          + "================================================================\n"
          + "                Conv2d-1           [-1, 8, 26, 26]           1,184\n"
          + "             MaxPool2d-2           [-1, 8, 13, 13]               0\n"
          + "                  ReLU-3           [-1, 8, 13, 13]               0\n"
          + "                Conv2d-4            [-1, 10, 9, 9]           2,010\n"
          + "             MaxPool2d-5            [-1, 10, 4, 4]               0\n"
          + "                  ReLU-6            [-1, 10, 4, 4]               0\n"
          + "                Linear-7                  [-1, 32]           5,152\n"
          + "                  ReLU-8                  [-1, 32]               0\n"
          + "                Linear-9                   [-1, 6]             198\n"
          + "     AffineGridSample-10           [-1, 3, 32, 32]               0\n"
          + "               Conv2d-11          [-1, 10, 28, 28]             760\n"
          + "               Conv2d-12          [-1, 20, 10, 10]           5,020\n"
          + "            Dropout2d-13          [-1, 20, 10, 10]               0\n"
          + "               Linear-14                  [-1, 50]          25,050\n"
          + "               Linear-15                  [-1, 10]             510\n"
          + "================================================================\n"
          + "Total params: 39,884\n"
          + "Trainable params: 39,884\n"
          + "Non-trainable params: 0\n"
          + "----------------------------------------------------------------\n"
          + "Input: [-1, 3, 32, 32] RGB in [0,1], normalised inside the model\n";

  @Test
  void cifar10TableIsUnchanged() {
    assertEquals(CIFAR10_TABLE, ModelSummary.table());
    assertEquals(CIFAR10_TABLE, ModelSummary.table(StnShape.CIFAR10));
  }

  @Test
  void otherSizesAndClassesFollowThroughEveryLayer() {
    String table = ModelSummary.table(new StnShape(64, 3));
    List<String> lines = table.lines().toList();
    // 64 -> conv7 58 -> pool 29 -> conv5 25 -> pool 12 (10*12*12 = 1440 inputs of loc.fc1);
    // 64 -> conv5 60 -> pool 30 -> conv5 26 -> pool 13 (20*13*13 = 3380 inputs of cls.fc1).
    assertRow(lines, "Conv2d-1", "[-1, 8, 58, 58]", "1,184");
    assertRow(lines, "MaxPool2d-5", "[-1, 10, 12, 12]", "0");
    assertRow(lines, "Linear-7", "[-1, 32]", "46,112");
    assertRow(lines, "AffineGridSample-10", "[-1, 3, 64, 64]", "0");
    assertRow(lines, "Conv2d-11", "[-1, 10, 60, 60]", "760");
    assertRow(lines, "Conv2d-12", "[-1, 20, 26, 26]", "5,020");
    assertRow(lines, "Linear-14", "[-1, 50]", "169,050");
    assertRow(lines, "Linear-15", "[-1, 3]", "153");
    assertTrue(lines.contains("Total params: 224,487"), table);
    assertEquals(224_487, new StnShape(64, 3).parameterCount());
    assertEquals("Input: [-1, 3, 64, 64] RGB in [0,1], normalised inside the model", lines.get(23));
    assertEquals(CIFAR10_TABLE.lines().count(), lines.size());
  }

  private static void assertRow(List<String> lines, String layer, String shape, String params) {
    String row = String.format("%24s %25s %15s", layer, shape, params);
    assertTrue(lines.contains(row), "no row\n" + row + "\nin\n" + String.join("\n", lines));
  }
}
