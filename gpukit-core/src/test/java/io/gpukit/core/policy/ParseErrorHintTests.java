package io.gpukit.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpukit.core.dockerfile.DockerfileKind;
import io.gpukit.core.k8s.K8sKind;
import io.gpukit.core.promotion.PromotionKind;
import io.gpukit.core.source.SourceFile;
import io.gpukit.core.workflow.WorkflowKind;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A {@code gpukit/parse-error}'s hint fits its cause: a syntax error is fixed where it is, a file too large was never read. */
class ParseErrorHintTests {

  private static Violation only(PolicyReport report) {
    assertThat(report.violations()).hasSize(1);
    Violation v = report.violations().get(0);
    assertThat(v.ruleId()).isEqualTo("gpukit/parse-error");
    return v;
  }

  private static PolicyEngine engine(Path root) {
    return PolicyEngine.with(GpuKitConfig.defaults(root));
  }

  @Nested
  class Files_that_cannot_be_read {

    @Test
    void too_large_says_the_limit_and_that_gpukit_did_not_read_it(@TempDir Path repo) throws IOException {
      // given
      Path file = repo.resolve("k8s/bundle.yaml");
      Files.createDirectories(file.getParent());
      try (OutputStream out = Files.newOutputStream(file)) {
        byte[] line = ("# " + "x".repeat(1021) + "\n").getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 11 * 1024; i++) {
          out.write(line);
        }
      }

      // when
      Violation v = only(engine(repo).evaluate(file, K8sKind.INSTANCE));

      // then
      assertThat(v.message()).isEqualTo(
          "file is larger than the limit of 10485760 bytes (it has 11534336 bytes); gpukit did not read it");
      assertThat(v.hint()).isEqualTo("gpukit did not read this file: it reads files of up to 10 MiB; split it into"
          + " smaller files (kubectl apply -f takes a folder), or if it is generated or vendored, ignore: [{rule:"
          + " \"*\", paths: [\"k8s/bundle.yaml\"], reason: ...}] in gpukit.yaml");
    }

    @Test
    void binary_says_it_is_not_text(@TempDir Path repo) throws IOException {
      // given
      Path file = Files.write(repo.resolve("Dockerfile"), new byte[] {'F', 0});

      // when
      Violation v = only(engine(repo).evaluate(file, DockerfileKind.INSTANCE));

      // then
      assertThat(v.hint()).isEqualTo("this is not a text file: if it is no Dockerfile, rename it or ignore: [{rule:"
          + " \"*\", paths: [\"Dockerfile\"], reason: ...}] in gpukit.yaml");
    }

    @Test
    void not_utf_8_names_the_encoding_expected(@TempDir Path repo) throws IOException {
      // given
      Path file = Files.write(repo.resolve("promotion.yaml"), "stage: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));

      // when
      Violation v = only(engine(repo).evaluate(file, PromotionKind.INSTANCE));

      // then
      assertThat(v.message()).isEqualTo("not valid UTF-8 text");
      assertThat(v.hint()).startsWith("save it as UTF-8, the encoding gpukit reads (as Docker, GitHub Actions and"
          + " kubectl do): iconv -f LATIN1 -t UTF-8");
    }

    @Test
    void a_folder_named_like_a_dockerfile_is_not_a_regular_file(@TempDir Path repo) throws IOException {
      // given
      Path folder = Files.createDirectories(repo.resolve("Dockerfile"));

      // when
      Violation v = only(engine(repo).evaluate(folder, DockerfileKind.INSTANCE));

      // then
      assertThat(v.message()).isEqualTo("not a regular file");
      assertThat(v.hint()).startsWith("this is not a regular file (a folder, a FIFO, a socket or a device) but is"
          + " named like a Dockerfile: rename it, or ignore:");
    }
  }

  @Nested
  class Files_that_do_not_parse {

    @Test
    void a_syntax_error_is_fixed_where_it_is() {
      // when
      Violation v = only(PolicyEngine.withDefaults()
          .evaluate(SourceFile.of(Path.of("k8s.yaml"), "apiVersion: v1\nkind: [\n"), K8sKind.INSTANCE));

      // then
      assertThat(v.hint()).isEqualTo("fix the syntax at this location; gpukit checks nothing else in a file it cannot parse");
    }

    @Test
    void an_empty_file_says_so_per_kind() {
      // when
      Violation dockerfile = only(PolicyEngine.withDefaults().evaluate(SourceFile.of(Path.of("Dockerfile"), ""),
          DockerfileKind.INSTANCE));
      Violation workflow = only(PolicyEngine.withDefaults().evaluate(SourceFile.of(Path.of("ci.yml"), "\n\n"),
          WorkflowKind.INSTANCE));
      Violation flow = only(PolicyEngine.withDefaults().evaluate(SourceFile.of(Path.of("promotion.yaml"), ""),
          PromotionKind.INSTANCE));

      // then
      assertThat(dockerfile.hint()).isEqualTo("the file is empty: write its stages (FROM …), or delete it");
      assertThat(workflow.hint()).isEqualTo("the file is empty: give it 'on:' and 'jobs:', or delete it");
      assertThat(flow.hint()).isEqualTo("the file is empty: give it 'image_promotion_flow:' with its stages, or delete it");
    }

    @Test
    void empty_manifests_are_no_finding() {
      // when
      PolicyReport report = PolicyEngine.withDefaults().evaluate(SourceFile.of(Path.of("k8s/empty.yaml"), ""), K8sKind.INSTANCE);

      // then
      assertThat(report.violations()).isEmpty();
    }
  }
}
