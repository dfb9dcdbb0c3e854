package dev.stn4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.stn4j.sdk.Prediction;
import dev.stn4j.sdk.StnClassifier;
import dev.stn4j.sdk.StnException;
import dev.stn4j.sdk.Theta;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Assertions on the rows Spark wrote, against the SDK's own answer for the same file. */
final class RowChecks {
  private RowChecks() {}

  /** The rows by their {@code path} column; a path twice fails. */
  static Map<String, Row> byPath(Dataset<Row> rows) {
    Map<String, Row> map = new HashMap<>();
    for (Row r : rows.collectAsList()) {
      assertNull(map.put(r.getAs("path"), r), "two rows for " + r.getAs("path"));
    }
    return map;
  }

  static float[] floats(Row row, String column) {
    List<Float> list = row.getList(row.fieldIndex(column));
    float[] out = new float[list.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = list.get(i);
    }
    return out;
  }

  /**
   * The row holds what {@code sdk.predict(file)} answers (the path {@code stn classify} takes:
   * loader, the model's pre-processor, the model): same class and label, probabilities (one per
   * class of the model), confidence and θ within 1e-6.
   */
  static void assertSameAsSdk(StnClassifier sdk, Row row, Path file) throws StnException {
    Prediction p = sdk.predict(file);
    assertNull(row.getAs("error"), file.toString());
    assertEquals(p.classIndex(), (int) row.getAs("class_index"), file.toString());
    assertEquals(p.label(), row.getAs("label"));
    float[] probabilities = floats(row, "probabilities");
    float[] expected = p.probabilities();
    assertEquals(sdk.modelInfo().classNames().size(), probabilities.length, file.toString());
    assertEquals(expected.length, probabilities.length);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], probabilities[i], 1e-6f, file + " probability " + i);
    }
    assertEquals(p.confidence(), (float) row.getAs("confidence"), 1e-6f);
    Theta t = p.theta();
    float[] theta = floats(row, "theta");
    float[] want = {t.a(), t.b(), t.tx(), t.c(), t.d(), t.ty()};
    for (int i = 0; i < 6; i++) {
      assertEquals(want[i], theta[i], 1e-6f, file + " theta " + i);
    }
  }
}
