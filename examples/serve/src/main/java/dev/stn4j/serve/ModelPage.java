package dev.stn4j.serve;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stn4j.data.Cifar10;
import dev.stn4j.sdk.ModelInfo;
import dev.stn4j.sdk.SampleSet;
import dev.stn4j.sdk.WarpedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;

/**
 * What the web page shows of the served model ({@code GET /v1/model}): its name, image size and
 * class names, and the sample row. The samples are the model's own embedded sample images, served
 * as PNGs at {@code /v1/samples/<i>.png}; a model without them whose classes are CIFAR-10's gets
 * the shipped CIFAR-10 images of the jar ({@code samples.json}); any other model, no sample row.
 * Built once when the server starts; immutable.
 */
final class ModelPage {
  /** Most samples in the page's row: enough to show the classes, few enough to scan. */
  static final int SAMPLES_SHOWN = 20;

  static final String SAMPLE_PATH = "v1/samples/";

  private static final JsonFactory FACTORY = new JsonFactory();

  private final byte[] json;
  private final List<byte[]> samplePngs;

  private ModelPage(byte[] json, List<byte[]> samplePngs) {
    this.json = json;
    this.samplePngs = samplePngs;
  }

  /**
   * The page data of a model.
   *
   * @param name what the page calls the model (its file name)
   * @param info the model's metadata
   * @param files the page's files, for the shipped CIFAR-10 sample list
   */
  static ModelPage of(String name, ModelInfo info, StaticFiles files) {
    List<String> classes = info.classNames();
    Optional<SampleSet> embedded = info.sampleSet();
    List<byte[]> pngs = new ArrayList<>();
    List<String[]> shown = new ArrayList<>(); // {label, path}
    if (embedded.isPresent()) {
      SampleSet set = embedded.get();
      int[] labels = set.labels();
      for (int i = 0; i < set.size(); i++) {
        pngs.add(png(set.image(i)));
      }
      for (int i : spreadOverClasses(labels, SAMPLES_SHOWN)) {
        shown.add(new String[] {classes.get(labels[i]), SAMPLE_PATH + i + ".png"});
      }
    } else if (classes.equals(Cifar10.CLASS_NAMES)) {
      shown.addAll(shippedCifarSamples(files));
    }
    return new ModelPage(json(name, info, shown), List.copyOf(pngs));
  }

  /** The JSON of {@code GET /v1/model}. */
  byte[] json() {
    return json;
  }

  /** Sample image {@code i} as PNG, or null when the model has no such sample. */
  byte[] samplePng(int i) {
    return i >= 0 && i < samplePngs.size() ? samplePngs.get(i) : null;
  }

  /**
   * Up to {@code max} indices, one per class in turn (first image of each class in record order,
   * then the second ...), so that a few samples show as many classes as they can.
   */
  static List<Integer> spreadOverClasses(int[] labels, int max) {
    Map<Integer, ArrayDeque<Integer>> byClass = new LinkedHashMap<>();
    for (int i = 0; i < labels.length; i++) {
      byClass.computeIfAbsent(labels[i], k -> new ArrayDeque<>()).add(i);
    }
    List<Integer> picked = new ArrayList<>();
    while (picked.size() < max && picked.size() < labels.length) {
      for (ArrayDeque<Integer> q : byClass.values()) {
        if (!q.isEmpty() && picked.size() < max) {
          picked.add(q.poll());
        }
      }
    }
    return picked;
  }

  private static List<String[]> shippedCifarSamples(StaticFiles files) {
    StaticFiles.File list = files.get("/samples.json");
    List<String[]> samples = new ArrayList<>();
    if (list == null) {
      return samples; // a jar built without the shipped images: no sample row
    }
    try {
      for (JsonNode s : new ObjectMapper().readTree(list.bytes())) {
        samples.add(new String[] {s.path("label").asText(), s.path("path").asText()});
      }
    } catch (IOException e) {
      throw new UncheckedIOException("samples.json in the jar is not JSON", e);
    }
    return samples;
  }

  /** The model input's bytes back as an image: the set stores byte/255, so this is lossless. */
  private static byte[] png(float[] chw) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(4 * 1024);
    try {
      ImageIO.write(WarpedImage.of(chw).toBufferedImage(), "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
    return out.toByteArray();
  }

  private static byte[] json(String name, ModelInfo info, List<String[]> samples) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(4 * 1024);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("name", name);
      g.writeNumberField("imageSize", info.imageSize());
      g.writeArrayFieldStart("classes");
      for (String c : info.classNames()) {
        g.writeString(c);
      }
      g.writeEndArray();
      g.writeArrayFieldStart("samples");
      for (String[] s : samples) {
        g.writeStartObject();
        g.writeStringField("label", s[0]);
        g.writeStringField("path", s[1]);
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
