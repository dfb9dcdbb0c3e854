package dev.stn4j.sdk;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * The repository's root directory, found from any working directory (Maven, an IDE, a module
 * directory): {@code stn4j.root} when the build sets it, else the nearest directory above this
 * class's location that holds the {@code stn} launcher and the root pom. Every module's tests use
 * it (the SDK publishes it as its {@code test-jar}).
 */
public final class RepositoryRoot {
  private RepositoryRoot() {}

  public static Path get() {
    String configured = System.getProperty("stn4j.root");
    if (configured != null && !configured.isBlank() && isRoot(Path.of(configured))) {
      return Path.of(configured).toAbsolutePath();
    }
    try {
      Path here =
          Path.of(RepositoryRoot.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      for (Path dir = here.toAbsolutePath(); dir != null; dir = dir.getParent()) {
        if (isRoot(dir)) {
          return dir;
        }
      }
    } catch (URISyntaxException | SecurityException e) {
      throw new IllegalStateException("cannot tell where the test classes are", e);
    }
    throw new IllegalStateException(
        "no stn4j repository above the test classes; set -Dstn4j.root=<repository>");
  }

  /**
   * The project version written in the root {@code pom.xml}: what a test expects the build to have
   * stamped into the code, read independently of that stamping.
   */
  public static String pomVersion() {
    Path pom = get().resolve("pom.xml");
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      Element project = factory.newDocumentBuilder().parse(pom.toFile()).getDocumentElement();
      for (Node n = project.getFirstChild(); n != null; n = n.getNextSibling()) {
        if (n instanceof Element e && e.getTagName().equals("version")) {
          return e.getTextContent().strip();
        }
      }
    } catch (IOException | SAXException | ParserConfigurationException e) {
      throw new IllegalStateException("cannot read " + pom, e);
    }
    throw new IllegalStateException(pom + " has no <version>");
  }

  private static boolean isRoot(Path dir) {
    return Files.isRegularFile(dir.resolve("stn")) && Files.isRegularFile(dir.resolve("pom.xml"));
  }
}
