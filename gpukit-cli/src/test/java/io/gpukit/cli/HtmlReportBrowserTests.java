package io.gpukit.cli;

import static io.gpukit.cli.GpuKitCommandTests.gpukit;
import static org.assertj.core.api.Assertions.assertThat;

import io.gpukit.core.project.GpuProject;
import io.gpukit.core.project.ReportViews;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens the HTML report in headless Chromium, from a file, with every host name resolved to
 * nothing: no console message, no request, one bar group per rollout step and one row per finding,
 * and a screenshot that is not blank. Skipped, saying why, where no chromium is installed; CI
 * ({@code .ci/run}) installs it and requires these tests.
 */
@Tag("browser")
class HtmlReportBrowserTests {

  static final Path OUT = Path.of("target", "html-report");

  /** A GPU service with findings, a deadlocking rollout, and markup in a file and a name. */
  static void writeService(Path dir) throws Exception {
    Files.writeString(dir.resolve("Dockerfile"), """
        # <script>alert('dockerfile')</script> must show as text
        FROM nvidia/cuda:13.0.1-runtime-ubuntu24.04
        COPY app.jar /app/app.jar
        HEALTHCHECK CMD curl -f http://localhost:8080/healthz || exit 1
        CMD ["java", "-jar", "/app/app.jar"]
        """);
    Files.createDirectories(dir.resolve("k8s"));
    Files.writeString(dir.resolve("k8s/deployment.yaml"), """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: llm
        spec:
          replicas: 2
          strategy:
            rollingUpdate:
              maxSurge: 1
              maxUnavailable: 0
          template:
            spec:
              containers:
              - name: server
                image: "ghcr.io/acme/llm:\\"><img src=x onerror=alert(1)>"
                resources:
                  limits:
                    nvidia.com/gpu: 1
                readinessProbe:
                  httpGet: {path: /healthz, port: 8080}
        """);
  }

  private static int count(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  static int distinctColours(Path png) throws Exception {
    BufferedImage image = ImageIO.read(png.toFile());
    Set<Integer> colours = new HashSet<>();
    for (int y = 0; y < image.getHeight(); y += 2) {
      for (int x = 0; x < image.getWidth(); x += 2) {
        colours.add(image.getRGB(x, y));
      }
    }
    return colours.size();
  }

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class A_service_with_findings {

    Path dir;
    Path page;
    HeadlessChromium chromium;
    HeadlessChromium.Run dom;

    @BeforeAll
    void render(@TempDir Path temp) throws Exception {
      chromium = HeadlessChromium.onPath(OUT);
      dir = temp;
      writeService(dir);
      page = Files.createDirectories(OUT).resolve("service.html");
      gpukit("check", dir, "--format", "html", "--output", page);
      dom = chromium.dumpDom(page);
    }

    @Test
    void loads_without_a_console_message_or_a_request() {
      assertThat(dom.exitCode()).as(dom.err()).isZero();
      assertThat(dom.consoleLines()).as("console lines (errors, blocked requests)").isEmpty();
      assertThat(dom.out())
          .contains("<h1>gpukit report")
          .doesNotContain("<script", "<img", "<link")
          .doesNotContainPattern("(src|href)=\"(https?:)?//");
    }

    @Test
    void has_one_row_per_finding() throws Exception {
      // given
      int findings = gpukit("check", dir, "--format", "json").json().get("violations").size();

      // then
      assertThat(findings).isPositive();
      assertThat(count(dom.out(), "<tr class=\"finding\"")).isEqualTo(findings);
    }

    @Test
    void has_one_bar_group_per_rollout_step() {
      // given
      int steps = ReportViews.html(GpuProject.scan(dir), Optional.empty()).rollouts().stream()
          .mapToInt(c -> c.steps().size()).sum();

      // then
      assertThat(steps).isPositive();
      assertThat(count(dom.out(), "<g class=\"step[ \"]")).isEqualTo(steps);
      assertThat(dom.out()).contains("Deadlock: 1 new pod(s) Pending");
    }

    @Test
    void shows_markup_from_files_as_text() {
      assertThat(dom.out())
          .contains("# &lt;script&gt;alert('dockerfile')&lt;/script&gt; must show as text")
          .contains("&gt;&lt;img src=x onerror=alert(1)&gt;");
    }

    @Test
    void a_screenshot_is_not_blank() throws Exception {
      // given
      Path png = OUT.resolve("service.png");
      Files.deleteIfExists(png);

      // when
      HeadlessChromium.Run run = chromium.screenshot(page, png, 1280, 1600);

      // then
      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(png).isRegularFile();
      assertThat(distinctColours(png)).as("distinct colours in %s", png).isGreaterThan(20);
    }
  }

  @Nested
  class Argo_rollout_charts {

    @Test
    void a_blue_green_and_a_canary_deadlock_load_with_one_bar_group_per_step(@TempDir Path temp) throws Exception {
      // given
      HeadlessChromium chromium = HeadlessChromium.onPath(OUT);
      Path out = Files.createDirectories(OUT);
      for (String[] rollout : new String[][] {
          {"blue-green", HtmlFormatCommandTests.BLUE_GREEN, "Deadlock: 2 preview pod(s) Pending"},
          {"canary", HtmlFormatCommandTests.CANARY, "Deadlock: 1 canary pod(s) Pending"}}) {
        Path file = temp.resolve(rollout[0] + ".yaml");
        Files.writeString(file, rollout[1]);
        Path page = out.resolve("rollout-" + rollout[0] + ".html");
        Files.writeString(page, gpukit("rollout", "simulate", file, "--format", "html").out());

        // when
        HeadlessChromium.Run dom = chromium.dumpDom(page);

        // then: before the rollout, then the stalled step, marked
        assertThat(dom.exitCode()).as(dom.err()).isZero();
        assertThat(dom.consoleLines()).as(rollout[0]).isEmpty();
        assertThat(count(dom.out(), "<g class=\"step[ \"]")).as(rollout[0]).isEqualTo(2);
        assertThat(count(dom.out(), "<g class=\"step stalled\"")).as(rollout[0]).isEqualTo(1);
        assertThat(dom.out()).contains(rollout[2]);
      }
    }
  }

  @Nested
  class The_checks_themselves {

    @Test
    void a_page_that_fetches_or_runs_a_script_is_caught(@TempDir Path temp) throws Exception {
      // given: what the report must never do
      HeadlessChromium chromium = HeadlessChromium.onPath(OUT);
      Path page = temp.resolve("bad.html");
      Files.writeString(page, "<!DOCTYPE html><html><head><meta http-equiv=\"Content-Security-Policy\" content=\""
          + io.gpukit.core.report.HtmlReportWriter.CONTENT_SECURITY_POLICY + "\"></head><body>"
          + "<img src=\"https://example.invalid/x.png\"><script>console.error('boom')</script></body></html>");

      // when
      HeadlessChromium.Run run = chromium.dumpDom(page);

      // then
      assertThat(run.consoleLines()).hasSizeGreaterThanOrEqualTo(2)
          .anySatisfy(l -> assertThat(l).contains("https://example.invalid/x.png"))
          .anySatisfy(l -> assertThat(l).contains("inline script"));
    }

    @Test
    void a_missing_browser_skips_unless_required() {
      assertThat(HeadlessChromium.find("/nonexistent")).isEmpty();
      assertThat(HeadlessChromium.required(name -> name.equals(HeadlessChromium.REQUIRED_ENV) ? "true" : null)).isTrue();
      assertThat(HeadlessChromium.required(name -> null)).isFalse();
      assertThat(HeadlessChromium.SKIP_REASON).contains("apt-get install chromium", ".ci/run");
    }
  }

  @Nested
  class The_example_service {

    @Test
    void its_page_is_small_and_quick_to_render(@TempDir Path temp) throws Exception {
      // given
      HeadlessChromium chromium = HeadlessChromium.onPath(OUT);
      Path example = Path.of("..", "gpukit-examples");
      Path page = Files.createDirectories(OUT).resolve("example.html");
      gpukit("check", example, "--format", "html", "--output", page);
      // A copy for timing only: the page forbids scripts, so the copy drops the policy and adds one
      // that notes, at the load event and after a forced layout, the milliseconds since navigation.
      Path timed = temp.resolve("timed.html");
      Files.writeString(timed, Files.readString(page)
          .replaceFirst("<meta http-equiv=\"Content-Security-Policy\"[^>]*>\n", "")
          .replaceFirst("<head>", "<head><script>addEventListener('load', () => { document.body.offsetHeight;"
              + " document.documentElement.setAttribute('data-load-ms', Math.round(performance.now())); })</script>"));

      // when
      HeadlessChromium.Run dom = chromium.dumpDom(page);
      long loadMillis = Long.MAX_VALUE;
      for (int i = 0; i < 3; i++) {
        Matcher m = Pattern.compile("data-load-ms=\"(\\d+)\"").matcher(chromium.dumpDom(timed).out());
        assertThat(m.find()).as("the timing copy reports its load time").isTrue();
        loadMillis = Math.min(loadMillis, Long.parseLong(m.group(1)));
      }
      Path png = OUT.resolve("example.png");
      HeadlessChromium.Run shot = chromium.screenshot(page, png, 1200, 2200);

      // then
      long bytes = Files.size(page);
      System.out.printf("gpukit-examples HTML report: %d bytes (%.1f KB); headless Chromium loads and lays it out in"
          + " %d ms (navigation start to load event, fastest of 3); the whole browser run took %d ms; screenshot %s%n",
          bytes, bytes / 1024.0, loadMillis, dom.millis(), png);
      assertThat(dom.consoleLines()).isEmpty();
      assertThat(shot.exitCode()).as(shot.err()).isZero();
      assertThat(distinctColours(png)).isGreaterThan(20);
      assertThat(count(dom.out(), "<tr class=\"layer\"")).isGreaterThanOrEqualTo(5);
      assertThat(count(dom.out(), "<g class=\"step[ \"]")).isEqualTo(
          ReportViews.html(GpuProject.scan(example), Optional.empty()).rollouts().stream().mapToInt(c -> c.steps().size()).sum());
    }
  }

}
