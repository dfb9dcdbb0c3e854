package dev.stn4j.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/** How the command line, JMH parameters and JSON rows name an enum's constants: by a short id. */
final class Ids {
  private Ids() {}

  /**
   * The constant whose id is {@code text}, case-insensitively and ignoring surrounding blanks.
   *
   * @param noun what the constants are, for the message ("provider")
   * @throws IllegalArgumentException naming {@code text} and every id
   */
  static <E extends Enum<E>> E parse(String noun, String text, E[] values, Function<E, String> id) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    for (E e : values) {
      if (id.apply(e).equals(t)) {
        return e;
      }
    }
    throw new IllegalArgumentException(
        "unknown "
            + noun
            + " '"
            + text
            + "', expected one of "
            + Arrays.stream(values).map(id).collect(Collectors.joining(", ")));
  }
}
