package dev.stn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stn4j.image.ImageLoader;
import dev.stn4j.sdk.ModelInfo;
import dev.stn4j.sdk.Provider;
import dev.stn4j.sdk.StnClassifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class InfoCommandTest {
  @BeforeAll
  static void needsModel() {
    Cli.assumeDefaultModel();
  }

  @Test
  void textNamesTheClassesTheChecksumAndTheProviderThatRuns() throws Exception {
    Cli.Result r = Cli.run("info");
    assertEquals(0, r.exit(), r.toString());
    try (StnClassifier c = StnClassifier.createDefault()) {
      ModelInfo info = c.modelInfo();
      assertTrue(r.out().contains(String.join(", ", info.classNames())), r.out());
      assertTrue(r.out().contains(info.parametersSha256()), r.out());
      assertTrue(
          r.out().contains("provider            " + c.providerSelection().active()), r.out());
      assertTrue(
          r.out()
              .contains("GridSample kernel   " + c.providerSelection().gridSample().description()),
          r.out());
      assertTrue(r.out().contains("JPEG decoder        " + ImageLoader.jpegDecoder()), r.out());
    }
  }

  @Test
  void jsonCarriesTheMetadataAndProviders() throws Exception {
    Cli.Result r = Cli.run("info", "--json", "--provider", "cpu");
    assertEquals(0, r.exit(), r.toString());
    JsonNode json = Cli.JSON.readTree(r.out());
    assertEquals(10, json.get("classes").size());
    assertEquals("CPU", json.get("provider_active").asText());
    assertTrue(json.get("providers_in_build").toString().contains("CPU"), r.out());
    assertFalse(json.get("parameters_sha256").asText().isEmpty());
    assertTrue(json.get("opset").asInt() >= 16, r.out());
    try (StnClassifier c = StnClassifier.builder().provider(Provider.cpu()).build()) {
      assertEquals(
          c.providerSelection().gridSample().description(),
          json.get("grid_sample").asText(),
          r.out());
      assertEquals(ImageLoader.jpegDecoder(), json.get("jpeg_decoder").asText(), r.out());
    }
  }
}
