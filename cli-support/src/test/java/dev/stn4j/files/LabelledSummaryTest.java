package dev.stn4j.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class LabelledSummaryTest {
  private static final List<String> CLASSES = List.of("cat", "dog", "ship");

  @Test
  void countsAccuracyPerClassAndConfusionFromSingleAndCountedAdds() throws Exception {
    LabelledSummary s = LabelledSummary.of(CLASSES);
    s.addClassified(0, 0);
    s.addClassified(0, 1);
    s.addClassified(1, 1, 3);
    s.addClassified(-1, 2); // unlabelled: counted, not in the matrix
    s.addFailed(2);
    assertEquals(8, s.images());
    assertEquals(6, s.classified());
    assertEquals(2, s.failed());
    assertEquals(5, s.labelled());
    assertEquals(4, s.correct());
    assertEquals(0.8, s.accuracy(), 1e-12);
    assertArrayEquals(new long[] {1, 1, 0}, s.confusion()[0]);
    s.confusion()[0][0] = 99; // a copy
    assertEquals(1, s.confusion()[0][0]);

    JsonNode json = new ObjectMapper().readTree(s.toJson());
    assertEquals(8, json.get("images").asInt());
    assertEquals(6, json.get("classified").asInt());
    assertEquals(0.8, json.get("accuracy").asDouble(), 1e-12);
    assertEquals(0.5, json.get("per_class").get("cat").get("accuracy").asDouble(), 1e-12);
    assertTrue(json.get("per_class").get("ship").get("accuracy").isNull());
    assertEquals(3, json.get("confusion").get(1).get(1).asInt());
    assertTrue(s.toText().startsWith("8 files: 6 classified, 2 failed"), s.toText());
    assertTrue(s.toText().contains("accuracy 80.00 % (4 of 5"), s.toText());
  }

  @Test
  void nothingLabelledGivesNullAccuracyAndNoMatrixInText() throws Exception {
    LabelledSummary s = LabelledSummary.of(CLASSES);
    s.addClassified(-1, 1);
    assertTrue(Double.isNaN(s.accuracy()));
    assertTrue(new ObjectMapper().readTree(s.toJson()).get("accuracy").isNull());
    assertEquals("1 file: 1 classified, 0 failed\n", s.toText().replace("\r\n", "\n"));
  }

  @Test
  void outOfRangeClassesAreRefusedNamingTheValue() {
    LabelledSummary s = LabelledSummary.of(CLASSES);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> s.addClassified(3, 0));
    assertTrue(e.getMessage().contains("got 3"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> s.addClassified(0, -1));
    assertThrows(IllegalArgumentException.class, () -> s.addFailed(-1));
    assertEquals(0, s.images());
  }

  @Test
  void aThousandClassesGetTheMostFrequentConfusionsInsteadOfAMatrix() throws Exception {
    List<String> names = new java.util.ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      names.add("c" + i);
    }
    LabelledSummary s = LabelledSummary.of(names);
    s.addClassified(7, 7, 5);
    s.addClassified(7, 900, 3);
    s.addClassified(999, 1, 4);
    s.addClassified(42, 43, 1);
    assertEquals(
        List.of(
            new LabelledSummary.Confusion(999, 1, 4),
            new LabelledSummary.Confusion(7, 900, 3),
            new LabelledSummary.Confusion(42, 43, 1)),
        s.topConfusions(5));
    assertEquals(1, s.topConfusions(1).size());
    String text = s.toText();
    assertTrue(text.contains("most frequent confusions (1000 classes: no matrix):"), text);
    assertTrue(text.contains("  c999 -> c1   4\n"), text);
    assertTrue(text.lines().count() < 15, text);
    JsonNode json = new ObjectMapper().readTree(s.toJson());
    assertTrue(json.get("confusion") == null, "no 1000x1000 matrix in the JSON");
    assertEquals(3, json.get("per_class").size(), "only the classes with images");
    assertEquals("c999", json.get("top_confusions").get(0).get("true").asText());
    assertEquals(4, json.get("top_confusions").get(0).get("count").asInt());
  }

  @Test
  void upToTwentyClassesKeepTheMatrix() throws Exception {
    List<String> names = new java.util.ArrayList<>();
    for (int i = 0; i < LabelledSummary.MATRIX_MAX_CLASSES; i++) {
      names.add("k" + i);
    }
    LabelledSummary s = LabelledSummary.of(names);
    s.addClassified(19, 0, 2);
    assertTrue(s.toText().contains("confusion matrix"), s.toText());
    JsonNode json = new ObjectMapper().readTree(s.toJson());
    assertEquals(2, json.get("confusion").get(19).get(0).asInt());
    assertEquals(20, json.get("per_class").size());
  }
}
