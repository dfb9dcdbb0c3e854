package dev.stn4j.cli;

import java.io.IOException;
import java.io.Writer;
import java.util.List;

/** Writes one record per outcome in a {@link Format}; flushing is the caller's business. */
interface RecordWriter {
  void write(Outcome outcome) throws IOException;

  void flush() throws IOException;

  /** Output formats of {@code stn classify}. */
  enum Format {
    jsonl,
    csv;

    RecordWriter open(Writer out, List<String> classNames) throws IOException {
      return this == jsonl ? new JsonLinesWriter(out) : new CsvWriter(out, classNames);
    }
  }
}
