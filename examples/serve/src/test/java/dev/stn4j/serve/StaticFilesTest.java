package dev.stn4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The page's files come from the jar; the sample list is the shipped images. */
class StaticFilesTest {
  @Test
  void theSampleListIsTheShippedImagesAndEachIsServed() throws Exception {
    JsonNode listed =
        new ObjectMapper()
            .readTree(
                InferenceServerTest.class.getResourceAsStream("/dev/stn4j/serve/web/samples.json"));
    List<String> paths = new ArrayList<>();
    listed.forEach(n -> paths.add(n.get("path").asText()));
    List<String> shipped;
    Path images = Samples.root().resolve("examples/images");
    try (Stream<Path> files = Files.walk(images)) {
      shipped =
          files
              .filter(p -> p.toString().endsWith(".png"))
              .map(p -> "samples/" + images.relativize(p).toString().replace('\\', '/'))
              .sorted()
              .toList();
    }
    assertEquals(shipped, paths.stream().sorted().toList());
    for (String p : paths) {
      assertTrue(new StaticFiles().get("/" + p) != null, p);
    }
  }

  @Test
  void thePageItsScriptAndStyleAreServedAndNothingOutsideTheWebFolder() {
    StaticFiles files = new StaticFiles();
    assertTrue(new String(files.get("/").bytes()).contains("<script src=\"app.js\">"));
    assertTrue(files.get("/app.js").contentType().startsWith("text/javascript"));
    assertTrue(files.get("/style.css").contentType().startsWith("text/css"));
    assertNull(files.get("/../ServeMain.class"));
    assertNull(files.get("/../../../../dev/stn4j/serve/ServeMain.class"));
    assertNull(files.get("/missing.html"));
  }
}
