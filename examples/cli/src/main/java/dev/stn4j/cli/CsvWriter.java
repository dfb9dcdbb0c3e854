package dev.stn4j.cli;

import dev.stn4j.sdk.Prediction;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 quoting, lines ending in LF, with a header row: {@code
 * path,label,class_index,confidence,p_<class>... (one per class, in class-index
 * order),theta_00,theta_01,theta_02,theta_10,theta_11,theta_12,error}. A failed file has only
 * {@code path} and {@code error}; a classified one an empty {@code error}.
 */
final class CsvWriter implements RecordWriter {
  private final Writer out;
  private final int columns;

  CsvWriter(Writer out, List<String> classNames) throws IOException {
    this.out = out;
    List<String> header = new ArrayList<>(List.of("path", "label", "class_index", "confidence"));
    for (String name : classNames) {
      header.add("p_" + name);
    }
    for (String t : List.of("00", "01", "02", "10", "11", "12")) {
      header.add("theta_" + t);
    }
    header.add("error");
    columns = header.size();
    row(header);
  }

  @Override
  public void write(Outcome outcome) throws IOException {
    List<String> row = new ArrayList<>(columns);
    row.add(outcome.input().path().toString());
    if (outcome.ok()) {
      Prediction p = outcome.prediction();
      row.add(p.label());
      row.add(Integer.toString(p.classIndex()));
      row.add(Float.toString(p.confidence()));
      for (float v : p.probabilities()) {
        row.add(Float.toString(v));
      }
      for (float[] thetaRow : p.theta().rows()) {
        for (float v : thetaRow) {
          row.add(Float.toString(v));
        }
      }
      row.add("");
    } else {
      while (row.size() < columns - 1) {
        row.add("");
      }
      row.add(outcome.error());
    }
    row(row);
  }

  @Override
  public void flush() throws IOException {
    out.flush();
  }

  private void row(List<String> fields) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) {
        line.append(',');
      }
      line.append(quote(fields.get(i)));
    }
    out.write(line.append('\n').toString());
  }

  /** RFC 4180: quote a field holding a comma, quote or line break; double inner quotes. */
  static String quote(String field) {
    if (field.indexOf(',') < 0
        && field.indexOf('"') < 0
        && field.indexOf('\n') < 0
        && field.indexOf('\r') < 0) {
      return field;
    }
    return '"' + field.replace("\"", "\"\"") + '"';
  }
}
