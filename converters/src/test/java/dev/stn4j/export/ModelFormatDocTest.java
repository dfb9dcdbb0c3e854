package dev.stn4j.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.stn4j.data.CifarBatch;
import dev.stn4j.sdk.RepositoryRoot;
import dev.stn4j.sdk.internal.ModelFormat;
import dev.stn4j.train.SampleImages;
import dev.stn4j.train.data.TrainingImages;
import dev.stn4j.train.model.StnParameter;
import dev.stn4j.train.model.StnShape;
import dev.stn4j.train.model.StnWeights;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/model-format.md describes exactly what the exporter writes, at CIFAR-10's shape and another.
 */
class ModelFormatDocTest {
  private static final Path DOC = RepositoryRoot.get().resolve("docs/model-format.md");
  private static final Pattern ROW = Pattern.compile("^\\| `([^`]+)` \\|(.*)$");
  private static final Pattern SHAPE = Pattern.compile("`\\[([-0-9A-Z,]+)\\]`");
  private static final StnShape OTHER = new StnShape(64, 3);
  private static String doc;

  /** A CIFAR-10-shaped model with every key: test accuracy and an embedded sample set. */
  private static ModelProto model;

  private static ModelProto other;
  private static ExportMetadata metadata;

  @BeforeAll
  static void exportAndRead() throws Exception {
    doc = Files.readString(DOC);
    byte[] pixels = new byte[2 * StnShape.CIFAR10.imageValues()];
    new Random(3).nextBytes(pixels);
    metadata =
        ExportMetadata.builder()
            .trainingData("CIFAR-10 (JPEG-q75 copy)")
            .testAccuracy(0.5)
            .sampleAnswers(
                SampleAnswers.embedded(new SampleImages(32, new int[] {1, 2}, pixels))
                    .withPredictions(new int[] {1, 2}))
            .build();
    model = StnOnnxExporter.toModel(StnWeights.initial(StnShape.CIFAR10, 5), metadata);
    other =
        StnOnnxExporter.toModel(
            StnWeights.initial(OTHER, 5),
            ExportMetadata.builder().classNames(List.of("a", "b", "c")).build());
  }

  @Test
  void theDocumentIsThisContractVersion() {
    assertTrue(doc.startsWith("# The stn4j model format (contract version 2)"));
    assertEquals("2", ModelFormat.FORMAT_VERSION);
  }

  @Test
  void inputIsTheDocumentedOne() {
    assertEquals(
        documentedShapes("## Input", StnShape.CIFAR10), shapes(model.getGraph().getInputList()));
    assertEquals(documentedShapes("## Input", OTHER), shapes(other.getGraph().getInputList()));
  }

  @Test
  void outputsAreTheDocumentedOnesInOrder() {
    assertEquals(
        documentedShapes("## Outputs", StnShape.CIFAR10), shapes(model.getGraph().getOutputList()));
    assertEquals(documentedShapes("## Outputs", OTHER), shapes(other.getGraph().getOutputList()));
  }

  @Test
  void metadataKeysAreExactlyTheDocumentedOnesInOrder() {
    List<String> documented = new ArrayList<>(rows("## Metadata").keySet());
    List<String> written =
        model.getMetadataPropsList().stream().map(e -> e.getKey()).collect(Collectors.toList());
    assertEquals(documented, written);
    assertEquals(
        List.copyOf(
            StnOnnxExporter.metadataProps(StnWeights.initial(StnShape.CIFAR10, 5), metadata)
                .keySet()),
        written);
  }

  @Test
  void everyModelFormatKeyIsDocumented() throws IllegalAccessException {
    Set<String> constants = new TreeSet<>();
    for (Field f : ModelFormat.class.getFields()) {
      if (f.getName().startsWith("KEY_") && Modifier.isStatic(f.getModifiers())) {
        constants.add((String) f.get(null));
      }
    }
    Set<String> documented = new TreeSet<>(rows("## Metadata").keySet());
    documented.addAll(rows("## Int8 models").keySet());
    assertEquals(constants, documented);
  }

  @Test
  void int8MetadataKeysAreExactlyTheDocumentedOnesInOrder() throws Exception {
    CifarBatch images = CifarBatch.read(Int8QuantizerTest.calibrationFile()).head(20);
    Int8Quantizer.Result r =
        Int8Quantizer.quantize(
            model,
            "m.onnx",
            new Int8Quantizer.CalibrationImages(images, "c.bin"),
            Int8Quantizer.SampleSet.embeddedIn(model, "m.onnx").orElseThrow(),
            TrainingImages.of(images));
    List<String> written =
        ModelProto.parseFrom(r.model()).getMetadataPropsList().stream()
            .map(e -> e.getKey())
            .collect(Collectors.toList());
    assertEquals(new ArrayList<>(rows("## Int8 models").keySet()), written);
  }

  @Test
  void parameterTableMatchesTheInitializers() {
    Map<String, String> documented = new LinkedHashMap<>();
    Matcher m =
        Pattern.compile(
                "\\| `([a-z0-9.]+)` \\| `\\[([0-9A-Z,]+)\\]` \\| `([a-z0-9.]+)` \\|"
                    + " `\\[([0-9A-Z,]+)\\]` \\|")
            .matcher(section("## Parameters and checksum"));
    while (m.find()) {
      documented.put(m.group(1), m.group(2));
      documented.put(m.group(3), m.group(4));
    }
    assertEquals(StnParameter.values().length, documented.size());
    for (ModelProto proto : List.of(model, other)) {
      StnShape shape = proto == model ? StnShape.CIFAR10 : OTHER;
      Map<String, String> initializers = new LinkedHashMap<>();
      for (TensorProto t : proto.getGraph().getInitializerList()) {
        initializers.put(
            t.getName(),
            t.getDimsList().stream().map(String::valueOf).collect(Collectors.joining(",")));
      }
      for (StnParameter p : StnParameter.values()) {
        String shapeText =
            Arrays.stream(p.shape(shape))
                .mapToObj(String::valueOf)
                .collect(Collectors.joining(","));
        assertEquals(
            shapeText, substitute(documented.get(p.key()), shape), p.key() + " in the doc");
        assertEquals(shapeText, initializers.get(p.key()), p.key() + " in the model");
      }
      assertEquals(
          "" + (shape.imageSize() * shape.imageSize()) + ",3", initializers.get("grid.base"));
      // With the default channel padding: 10 Pad and 2 Slice nodes (3 vectors each).
      assertEquals(StnParameter.values().length + 5 + 10 + 2 * 3, initializers.size());
    }
    String text = section("## Parameters and checksum");
    for (String constant :
        List.of(
            "normalization.mean", "normalization.std", "grid.base", "shape.theta", "shape.grid")) {
      assertTrue(text.contains("`" + constant + "`"), constant);
    }
    for (String constant : List.of("pads.<k>", "slice.<k>.starts")) {
      assertTrue(text.contains("`" + constant + "`"), constant);
    }
    assertTrue(text.contains("`[S·S,3]`") && text.contains("`[-1,S,S,2]`"));
  }

  @Test
  void parameterCountFormulaIsTheShapes() {
    for (StnShape shape : List.of(StnShape.CIFAR10, OTHER, new StnShape(28, 20))) {
      assertEquals(
          shape.parameterCount(),
          9254 + 32 * shape.locFeatures() + 50 * shape.clsFeatures() + 51 * shape.classes());
    }
    assertTrue(section("## Parameters and checksum").contains("9,254 + 32·L + 50·C + 51·K"));
  }

  @Test
  void opsetIsTheDocumentedOne() {
    assertEquals(1, model.getOpsetImportCount());
    assertEquals(StnOnnxExporter.OPSET, model.getOpsetImport(0).getVersion());
    assertTrue(doc.contains("**opset " + StnOnnxExporter.OPSET + "**"));
    assertTrue(doc.contains("(IR version " + StnOnnxExporter.IR_VERSION + ")"));
  }

  /** A documented shape with S, K, L and C replaced by the shape's numbers. */
  private static String substitute(String documented, StnShape shape) {
    List<String> dims = new ArrayList<>();
    for (String d : documented.split(",")) {
      dims.add(
          switch (d) {
            case "S" -> String.valueOf(shape.imageSize());
            case "K" -> String.valueOf(shape.classes());
            case "L" -> String.valueOf(shape.locFeatures());
            case "C" -> String.valueOf(shape.clsFeatures());
            default -> d;
          });
    }
    return String.join(",", dims);
  }

  /** The {@code | `name` | ... |} rows of a section: name → the rest of the row. */
  private static Map<String, String> rows(String heading) {
    Map<String, String> rows = new LinkedHashMap<>();
    for (String line : section(heading).split("\n")) {
      Matcher m = ROW.matcher(line);
      if (m.matches()) {
        rows.put(m.group(1), m.group(2));
      }
    }
    assertTrue(!rows.isEmpty(), "no table rows under " + heading);
    return rows;
  }

  private static String section(String heading) {
    int from = doc.indexOf("\n" + heading);
    assertTrue(from >= 0, "docs/model-format.md has no section " + heading);
    int to = doc.indexOf("\n## ", from + heading.length() + 1);
    return doc.substring(from, to < 0 ? doc.length() : to);
  }

  /**
   * Value name → documented shape at {@code shape}, e.g. {@code N,3,32,32}, for rows whose type is
   * float32.
   */
  private static Map<String, String> documentedShapes(String heading, StnShape shape) {
    Map<String, String> shapes = new LinkedHashMap<>();
    rows(heading)
        .forEach(
            (name, rest) -> {
              assertTrue(rest.startsWith(" float32 |"), name + " is documented as float32");
              Matcher m = SHAPE.matcher(rest);
              assertTrue(m.find(), "no shape documented for " + name);
              shapes.put(name, substitute(m.group(1), shape));
            });
    return shapes;
  }

  /** Value name → its shape in the model, e.g. {@code N,3,32,32}; all are float tensors. */
  private static Map<String, String> shapes(List<ValueInfoProto> values) {
    Map<String, String> shapes = new LinkedHashMap<>();
    for (ValueInfoProto v : values) {
      assertEquals(
          TensorProto.DataType.FLOAT.getNumber(), v.getType().getTensorType().getElemType());
      List<String> dims = new ArrayList<>();
      for (TensorShapeProto.Dimension d : v.getType().getTensorType().getShape().getDimList()) {
        dims.add(d.hasDimParam() ? d.getDimParam() : String.valueOf(d.getDimValue()));
      }
      shapes.put(v.getName(), String.join(",", dims));
    }
    return shapes;
  }
}
