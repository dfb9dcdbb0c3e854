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
}
