package dev.stn4j.serve;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.stn4j.sdk.Prediction;
import dev.stn4j.sdk.Theta;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;

/** The JSON answer of {@code POST /v1/classify}: one prediction, θ decomposed, the warp as PNG. */
final class ClassifyResponse {
  private static final JsonFactory FACTORY = new JsonFactory();

  private ClassifyResponse() {}

  static byte[] json(Prediction p, List<String> classNames) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(8 * 1024);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("label", p.label());
      g.writeNumberField("classIndex", p.classIndex());
      g.writeNumberField("confidence", p.confidence());
      g.writeArrayFieldStart("probabilities");
      float[] probabilities = p.probabilities();
      for (int i = 0; i < probabilities.length; i++) {
        g.writeStartObject();
        g.writeStringField("label", i < classNames.size() ? classNames.get(i) : "class " + i);
        g.writeNumberField("probability", probabilities[i]);
        g.writeEndObject();
      }
      g.writeEndArray();
      Theta t = p.theta();
      g.writeObjectFieldStart("theta");
      g.writeArrayFieldStart("matrix");
      for (float[] row : t.rows()) {
        g.writeStartArray();
        for (float v : row) {
          g.writeNumber(v);
        }
        g.writeEndArray();
      }
      g.writeEndArray();
      g.writeNumberField("scaleX", t.scaleX());
      g.writeNumberField("scaleY", t.scaleY());
      g.writeNumberField("rotationDegrees", t.rotationDegrees());
      g.writeNumberField("shear", t.shear());
      g.writeNumberField("translationX", t.translationX());
      g.writeNumberField("translationY", t.translationY());
      g.writeEndObject();
      g.writeStringField("warpedPng", Base64.getEncoder().encodeToString(png(p)));
      g.writeEndObject();
    }
    return out.toByteArray();
  }

  private static byte[] png(Prediction p) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(4 * 1024);
    try {
      ImageIO.write(p.warped().toBufferedImage(), "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
    return out.toByteArray();
  }
}
