package dev.stn4j.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.stn4j.sdk.Prediction;
import java.io.IOException;
import java.io.Writer;

/**
 * One JSON object per line: {@code {"path","label","class_index","confidence","probabilities":
 * [10],"theta":[[3],[3]]}}, or {@code {"path","error"}} for a file that could not be classified.
 */
final class JsonLinesWriter implements RecordWriter {
  private final JsonGenerator json;

  JsonLinesWriter(Writer out) throws IOException {
    json = new JsonFactory().createGenerator(out);
    // The caller owns the writer (it may be stdout).
    json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    // Each record ends its own line; the default separator would start the next with a space.
    json.setRootValueSeparator(null);
  }

  @Override
  public void write(Outcome outcome) throws IOException {
    json.writeStartObject();
    json.writeStringField("path", outcome.input().path().toString());
    if (outcome.ok()) {
      Prediction p = outcome.prediction();
      json.writeStringField("label", p.label());
      json.writeNumberField("class_index", p.classIndex());
      json.writeNumberField("confidence", p.confidence());
      json.writeArrayFieldStart("probabilities");
      for (float v : p.probabilities()) {
        json.writeNumber(v);
      }
      json.writeEndArray();
      json.writeArrayFieldStart("theta");
      for (float[] row : p.theta().rows()) {
        json.writeStartArray();
        for (float v : row) {
          json.writeNumber(v);
        }
        json.writeEndArray();
      }
      json.writeEndArray();
    } else {
      json.writeStringField("error", outcome.error());
    }
    json.writeEndObject();
    json.writeRaw('\n');
  }

  @Override
  public void flush() throws IOException {
    json.flush();
  }
}
