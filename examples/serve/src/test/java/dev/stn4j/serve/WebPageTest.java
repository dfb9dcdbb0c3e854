package dev.stn4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.stn4j.sdk.ModelInfo;
import dev.stn4j.sdk.SampleSet;
import dev.stn4j.sdk.StnClassifier;
import dev.stn4j.sdk.TestModels;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web page in a real browser: Debian's Chromium driven through chromedriver (both from the
 * system, nothing downloaded). Outside CI it is skipped where they are missing; with {@code
 * CI=true} a missing browser fails it.
 */
class WebPageTest {
  static final Path CHROMIUM = Path.of(System.getProperty("stn4j.chromium", "/usr/bin/chromium"));
  static final Path CHROMEDRIVER =
      Path.of(System.getProperty("stn4j.chromedriver", "/usr/bin/chromedriver"));

  private static InferenceServer server;
  private static StnClassifier sdk;
  private static ChromeDriverService service;
  private static WebDriver browser;
  private static String noBrowser;
  @TempDir static Path dir;

  @BeforeAll
  static void start() throws Exception {
    List<String> missing = new ArrayList<>();
    for (Path p : List.of(CHROMIUM, CHROMEDRIVER)) {
      if (!Files.isExecutable(p)) {
        missing.add(p.toString());
      }
    }
    if (!missing.isEmpty()) {
      String reason =
          "no browser: "
              + String.join(", ", missing)
              + " missing (apt-get install chromium chromium-driver)";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(reason + "; CI=true requires the browser test to run");
      }
      // Skipped per test (not by aborting here) so that the report counts it as skipped, with why.
      noBrowser = reason;
      return;
    }
    server = InferenceServer.start(ServeOptions.builder().port(0).build());
    sdk = StnClassifier.builder().intraOpThreads(1).build();
    service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1000,1000",
        "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium-profile")));
    browser = new ChromeDriver(service, options);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (service != null) {
      service.stop();
    }
    if (server != null) {
      server.close();
    }
    if (sdk != null) {
      sdk.close();
    }
  }

  /**
   * Waits for the answer to the request just made, checks the bars (all {@code k} classes, the
   * first ten shown, the top class first), θ and the warped image's size, then returns the label
   * shown.
   */
  private static String shownLabel(String fileName, int k, int size) {
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
    wait.until(
        b -> {
          WebElement status = b.findElement(By.id("status"));
          String state = status.getAttribute("data-state");
          if ("error".equals(state)) {
            throw new AssertionError("the page shows an error: " + status.getText());
          }
          return "done".equals(state) && status.getText().startsWith(fileName + ":");
        });
    List<WebElement> bars = browser.findElements(By.cssSelector("#bars .bar"));
    assertEquals(k, bars.size());
    assertEquals(Math.min(10, k), bars.stream().filter(WebElement::isDisplayed).count());
    if (k > 10) {
      assertEquals(
          (k - 10) + " more classes",
          browser.findElement(By.cssSelector("#more-bars summary")).getText());
    }
    String label = browser.findElement(By.id("label")).getText();
    assertEquals(label, bars.get(0).findElement(By.cssSelector(".name")).getText());
    assertEquals(6, browser.findElements(By.cssSelector("#theta tr")).size());
    Object warpedWidth =
        ((ChromeDriver) browser)
            .executeScript("return document.getElementById('warped').naturalWidth");
    assertEquals((long) size, warpedWidth);
    return label;
  }

  /** An image the test makes: not square and of no model's size, so the server pre-processes it. */
  private static Path drawnImage() throws Exception {
    BufferedImage made = new BufferedImage(90, 60, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = made.createGraphics();
    g.setColor(new Color(40, 90, 200));
    g.fillRect(0, 0, 90, 60);
    g.setColor(new Color(230, 220, 40));
    g.fillOval(25, 10, 40, 40);
    g.dispose();
    Path generated = dir.resolve("generated.png");
    ImageIO.write(made, "png", generated.toFile());
    return generated;
  }

  /** Waits until the page has loaded the model's description and its sample row. */
  private static void awaitReady() {
    new WebDriverWait(browser, Duration.ofSeconds(20))
        .until(
            b -> {
              WebElement status = b.findElement(By.id("status"));
              if (status.getAttribute("class").contains("error")) {
                throw new AssertionError("the page shows an error: " + status.getText());
              }
              return "ready".equals(status.getAttribute("data-state"));
            });
  }

  @Test
  void aShippedSampleAndAGeneratedImageShowTheSdksLabel() throws Exception {
    Assumptions.assumeTrue(noBrowser == null, noBrowser);
    browser.get(server.uri() + "/");
    awaitReady();
    List<WebElement> samples = browser.findElements(By.cssSelector("#samples button.sample"));
    assertEquals(20, samples.size());
    assertTrue(
        browser
            .findElement(By.id("model-classes"))
            .getText()
            .startsWith("10 classes at 32×32: airplane, automobile,"));

    // The page's upload goes through the server's decoding and pre-processing.
    Path generated = drawnImage();
    browser.findElement(By.id("file")).sendKeys(generated.toString());
    String generatedLabel = shownLabel("generated.png", 10, 32);
    assertEquals(sdk.predict(generated).label(), generatedLabel);

    // A shipped sample: the first ship.
    WebElement ship =
        samples.stream()
            .filter(s -> s.getAttribute("data-path").startsWith("samples/ship/"))
            .findFirst()
            .orElseThrow();
    String path = ship.getAttribute("data-path");
    Path file =
        Samples.root().resolve("examples/images").resolve(path.substring("samples/".length()));
    ship.click();
    String label = shownLabel(file.getFileName().toString(), 10, 32);
    assertEquals(sdk.predict(file).label(), label);

    // The README's screenshot (examples/serve/docs/page.png is a copy of it).
    File shot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
    Path target = Path.of("target", "serve-page.png");
    Files.copy(shot.toPath(), target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  @Test
  void aUserModelsPageShowsItsNameClassesSizeAndOwnSamples() throws Exception {
    Assumptions.assumeTrue(noBrowser == null, noBrowser);
    Path model = dir.resolve("colours-k20.onnx");
    Files.write(model, TestModels.v2(40, TestModels.classNames(20), 30));
    modelPage(model);
  }

  /**
   * With {@code -Dstn4j.serve.pageModel=FILE}, the same on that model, e.g. the README's screenshot
   * of the digits model ({@code target/serve-page-<file>.png}).
   */
  @Test
  void theGivenModelsPage() throws Exception {
    String given = System.getProperty("stn4j.serve.pageModel");
    Assumptions.assumeTrue(given != null, "no -Dstn4j.serve.pageModel=FILE given");
    Assumptions.assumeTrue(noBrowser == null, noBrowser);
    modelPage(Path.of(given));
  }

  /**
   * Serves {@code model}, then checks its page: title, heading and classes line from the model, its
   * samples (up to 20 of its embedded ones), an upload and a sample click labelled as the SDK
   * labels them; saves a screenshot of the sample's answer.
   */
  private static void modelPage(Path model) throws Exception {
    String name = model.getFileName().toString();
    try (InferenceServer s =
            InferenceServer.start(ServeOptions.builder().port(0).model(model).build());
        StnClassifier c = StnClassifier.builder().model(model).intraOpThreads(1).build()) {
      ModelInfo info = c.modelInfo();
      int k = info.classNames().size();
      int size = info.imageSize();
      browser.get(s.uri() + "/");
      awaitReady();
      assertEquals("stn4j: " + name, browser.getTitle());
      assertTrue(browser.findElement(By.tagName("h1")).getText().contains(name));
      assertTrue(
          browser
              .findElement(By.id("model-classes"))
              .getText()
              .startsWith(
                  k + " classes at " + size + "×" + size + ": " + info.classNames().get(0)));
      Optional<SampleSet> set = info.sampleSet();
      List<WebElement> samples = browser.findElements(By.cssSelector("#samples button.sample"));
      assertEquals(set.map(x -> Math.min(20, x.size())).orElse(0), samples.size());
      assertEquals(!samples.isEmpty(), browser.findElement(By.id("samples")).isDisplayed());

      Path generated = drawnImage();
      browser.findElement(By.id("file")).sendKeys(generated.toString());
      assertEquals(c.predict(generated).label(), shownLabel("generated.png", k, size));

      if (set.isPresent()) {
        WebElement sample = samples.get(Math.min(3, samples.size() - 1));
        String path = sample.getAttribute("data-path");
        int i = Integer.parseInt(path.substring("v1/samples/".length(), path.length() - 4));
        assertEquals(
            info.classNames().get(set.get().labels()[i]), sample.getAttribute("data-label"));
        sample.click();
        assertEquals(c.predict(set.get().image(i)).label(), shownLabel(i + ".png", k, size));
      }
      File shot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
      Path target = Path.of("target", "serve-page-" + name.replaceAll("\\.onnx$", "") + ".png");
      Files.copy(shot.toPath(), target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
