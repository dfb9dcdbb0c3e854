package dev.stn4j.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** sdk/README.md lists what an embedding application sees, and it stays true to the code. */
class SdkReadmeTest {
  private static final List<String> API_PACKAGES =
      List.of("dev/stn4j/sdk", "dev/stn4j/image", "dev/stn4j/data");

  private static String apiSection() throws IOException {
    String readme = Files.readString(RepositoryRoot.get().resolve("sdk/README.md"));
    int start = readme.indexOf("## Public API");
    int end = readme.indexOf("\n## ", start + 1);
    assertTrue(start >= 0 && end > start, "sdk/README.md has a 'Public API' section");
    return readme.substring(start, end);
  }

  @Test
  void theTableNamesEveryPublicTypeOfTheApiPackagesAndNoOther() throws IOException {
    Set<String> inCode = new TreeSet<>();
    Pattern publicType =
        Pattern.compile(
            "^public\\s+(?:final\\s+|sealed\\s+|abstract\\s+)*(?:class|interface|enum|record)\\s+(\\w+)",
            Pattern.MULTILINE);
    for (String pkg : API_PACKAGES) {
      Path dir = RepositoryRoot.get().resolve("sdk/src/main/java").resolve(pkg);
      try (Stream<Path> files = Files.list(dir)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
          Matcher m = publicType.matcher(Files.readString(f));
          if (m.find()) {
            inCode.add(m.group(1));
          }
        }
      }
    }
    assertTrue(inCode.contains("StnClassifier") && inCode.contains("ImageLoader"), "scan works");
    Set<String> inTable = new TreeSet<>();
    Matcher row =
        Pattern.compile("^\\| ((?:`\\w+`(?: / )?)+) \\|", Pattern.MULTILINE).matcher(apiSection());
    while (row.find()) {
      Matcher name = Pattern.compile("`(\\w+)`").matcher(row.group(1));
      while (name.find()) {
        inTable.add(name.group(1));
      }
    }
    assertEquals(inCode, inTable, "the public types of " + API_PACKAGES + " against sdk/README.md");
  }

  @Test
  void theErrorCodesListedAreErrorCodesValues() throws IOException {
    Matcher row =
        Pattern.compile("\\| `StnException` / `ErrorCode` \\| ([^|]*)\\|").matcher(apiSection());
    assertTrue(row.find(), "the ErrorCode row");
    Set<String> listed = new TreeSet<>();
    Matcher code = Pattern.compile("`([A-Z_]+)`").matcher(row.group(1));
    while (code.find()) {
      listed.add(code.group(1));
    }
    assertEquals(
        Arrays.stream(ErrorCode.values())
            .map(Enum::name)
            .collect(Collectors.toCollection(TreeSet::new)),
        listed);
  }
}
