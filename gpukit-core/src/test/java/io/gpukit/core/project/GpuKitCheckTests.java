package io.gpukit.core.project;

import static io.gpukit.core.assertions.GpuKitAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gpukit.core.policy.GpuKitConfig;
import io.gpukit.core.policy.PolicyReport;
import io.gpukit.core.policy.Violation;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link GpuKitCheck}: what a folder check reads, and that a file gpukit should read but cannot is
 * a finding in {@code gpukit check} and {@link GpuProject#scan} alike, never skipped in silence.
 */
class GpuKitCheckTests {

  private static final String DEPLOYMENT =
      "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: llm\nspec:\n  replicas: 1\n";

  /** The findings of a folder, as 'gpukit check' and GpuProject.scan see it; both must agree. */
  private static List<String> findings(Path repo) {
    List<String> check = rendered(GpuKitCheck.with(GpuKitConfig.defaults(repo)).run(List.of(repo)).violations(), repo);
    List<String> scan = rendered(GpuProject.scan(repo).violations(), repo);
    assertThat(scan).as("GpuProject.scan agrees with the folder check").containsAll(check);
    return scan;
  }

  private static List<String> rendered(List<Violation> violations, Path repo) {
    return violations.stream().map(v -> v.render().replace(repo + "/", "")).toList();
  }

  private static Path write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  private static Path write(Path file, byte[] bytes) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.write(file, bytes);
  }

  /** A file of about {@code mebibytes} MiB whose first lines are {@code head}. */
  private static Path large(Path file, String head, int mebibytes) throws IOException {
    Files.createDirectories(file.getParent());
    byte[] line = ("# " + "x".repeat(1021) + "\n").getBytes(StandardCharsets.UTF_8);
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(head.getBytes(StandardCharsets.UTF_8));
      for (int i = 0; i < mebibytes * 1024; i++) {
        out.write(line);
      }
    }
    return file;
  }

  private static String dockerfile() {
    return TestRepository.fixtureText("ok/dockerfile-only/Dockerfile");
  }

  @Nested
  class Files_gpukit_should_read_but_cannot {

    @Test
    void an_11_mb_deployment_is_an_error_that_says_it_was_not_read(@TempDir Path repo) throws IOException {
      // given
      write(repo.resolve("Dockerfile"), dockerfile());
      large(repo.resolve("k8s/llm.yaml"), DEPLOYMENT, 11);

      // when
      List<String> findings = findings(repo);

      // then
      assertThat(findings).singleElement().asString()
          .startsWith("k8s/llm.yaml:1:1: error: file is larger than the limit of 10485760 bytes (it has ")
          .endsWith("; gpukit did not read it [gpukit/parse-error]");
    }

    @Test
    void a_large_file_that_looks_like_a_manifest_by_its_head_is_found_anywhere(@TempDir Path repo) throws IOException {
      // given
      write(repo.resolve("Dockerfile"), dockerfile());
      large(repo.resolve("release/bundle.yaml"), DEPLOYMENT, 12);

      // when
      PolicyReport report = GpuProject.scan(repo).report();

      // then
      assertThat(report.violations()).singleElement().satisfies(v -> {
        assertThat(v.ruleId()).isEqualTo("gpukit/parse-error");
        assertThat(v.location().file()).isEqualTo(repo.resolve("release/bundle.yaml"));
        assertThat(v.hint()).startsWith("gpukit did not read this file: it reads files of up to 10 MiB;")
            .contains("paths: [\"release/bundle.yaml\"]");
      });
    }

    @Test
    void a_manifest_with_broken_yaml_is_an_error_where_it_breaks(@TempDir Path repo) throws IOException {
      // given: anywhere, apiVersion and kind at column 0 make it a manifest
      write(repo.resolve("Dockerfile"), dockerfile());
      write(repo.resolve("infra/llm.yaml"), DEPLOYMENT + "  template:\n\tspec: {}\n");

      // when
      List<String> findings = findings(repo);

      // then
      assertThat(findings).singleElement().asString().startsWith("infra/llm.yaml:8:").endsWith("[gpukit/parse-error]");
    }

    @Test
    void a_yaml_file_in_a_kubernetes_place_that_does_not_parse_is_an_error(@TempDir Path repo) throws IOException {
      // given: a merge conflict left in; apiVersion is no longer at column 0
      write(repo.resolve("Dockerfile"), dockerfile());
      write(repo.resolve("k8s/llm.yaml"), "<<<<<<< HEAD\n  apiVersion: apps/v1\n=======\nkind: [\n>>>>>>> main\n");

      // when
      List<String> findings = findings(repo);

      // then
      assertThat(findings).singleElement().asString().startsWith("k8s/llm.yaml:").endsWith("[gpukit/parse-error]");
    }

    @Test
    void a_binary_file_named_like_a_manifest_is_an_error(@TempDir Path repo) throws IOException {
      // given
      write(repo.resolve("Dockerfile"), dockerfile());
      write(repo.resolve("ops/llm-deployment.yml"), new byte[] {'a', 'p', 'i', 0, 1, 2, 3});

      // when
      List<String> findings = findings(repo);

      // then
      assertThat(findings).containsExactly(
          "ops/llm-deployment.yml:1:4: error: binary content (NUL byte); not a text file [gpukit/parse-error]");
    }

    @Test
    void a_latin_1_manifest_is_an_error_that_names_the_encoding_expected(@TempDir Path repo) throws IOException {
      // given
      write(repo.resolve("Dockerfile"), dockerfile());
      write(repo.resolve("cluster/config.yaml"),
          "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));

      // when
      PolicyReport report = GpuProject.scan(repo).report();

      // then
      assertThat(report.violations()).singleElement().satisfies(v -> {
        assertThat(v.render()).endsWith("cluster/config.yaml:4:12: error: not valid UTF-8 text [gpukit/parse-error]");
        assertThat(v.hint()).startsWith("save it as UTF-8, the encoding gpukit reads").contains("iconv -f LATIN1 -t UTF-8");
      });
    }

    @Test
    void a_utf_16_manifest_saved_by_powershell_is_an_error_that_says_utf_16(@TempDir Path repo) throws IOException {
      // given: 'kubectl get deploy -o yaml > deployment.yaml' in Windows PowerShell writes UTF-16LE with a BOM
      write(repo.resolve("Dockerfile"), dockerfile());
      byte[] text = DEPLOYMENT.getBytes(StandardCharsets.UTF_16LE);
      byte[] withBom = new byte[text.length + 2];
      withBom[0] = (byte) 0xFF;
      withBom[1] = (byte) 0xFE;
      System.arraycopy(text, 0, withBom, 2, text.length);
      write(repo.resolve("exported/deployment.yaml"), withBom);

      // when
      PolicyReport report = GpuProject.scan(repo).report();

      // then
      assertThat(report.violations()).singleElement().satisfies(v -> {
        assertThat(v.message()).isEqualTo("UTF-16 text (it starts with a UTF-16LE byte-order mark), not UTF-8");
        assertThat(v.hint()).contains("iconv -f UTF-16 -t UTF-8");
      });
    }

    @Test
    void an_unreadable_manifest_is_an_error(@TempDir Path repo) throws IOException {
      // given
      write(repo.resolve("Dockerfile"), dockerfile());
      Path manifest = write(repo.resolve("k8s/llm.yaml"), DEPLOYMENT);
      unreadable(manifest);

      // when
      List<String> findings = findings(repo);

      // then
      assertThat(findings).containsExactly("k8s/llm.yaml:1:1: error: cannot read file: permission denied [gpukit/parse-error]");
    }

    @Test
    void an_empty_dockerfile_is_an_error_that_says_it_is_empty(@TempDir Path repo) throws IOException {
      // given
      write(repo.resolve("Dockerfile"), "");

      // when
      PolicyReport report = GpuProject.scan(repo).report();

      // then
      assertThat(report.violations()).singleElement().satisfies(v -> {
        assertThat(v.render()).endsWith("Dockerfile:1:1: error: file with no instructions [gpukit/parse-error]");
        assertThat(v.hint()).isEqualTo("the file is empty: write its stages (FROM …), or delete it");
      });
    }
  }

  @Nested
  class What_is_not_a_finding {

    @Test
    void yaml_that_is_neither_in_a_kubernetes_place_nor_looks_like_a_manifest(@TempDir Path repo) throws IOException {
      // given
      write(repo.resolve("Dockerfile"), dockerfile());
      write(repo.resolve("docs/example.yaml"), "key: [unclosed\n\tbad: indentation\n");
      write(repo.resolve("assets/model.yaml"), new byte[] {1, 2, 0, 3});
      write(repo.resolve("data/latin.yml"), "name: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
      large(repo.resolve("data/huge.yaml"), "rows:\n", 11);
      write(repo.resolve("node_modules/pkg/k8s/deployment.yaml"), new byte[] {0, 0, 0});
      write(repo.resolve("CHANGELOG.md"), "# Changes\n\n- apiVersion: bumped\n");
      write(repo.resolve(".github/dependabot.yml"), "version: 2\nupdates: [\n");

      // when
      List<String> findings = findings(repo);

      // then
      assertThat(findings).isEmpty();
      assertThat(GpuProject.scan(repo).artifacts().files()).containsOnlyKeys(repo.resolve("Dockerfile"));
    }

    @Test
    void helm_templates_values_patches_and_empty_files_in_kubernetes_places(@TempDir Path repo) throws IOException {
      // given
      write(repo.resolve("Dockerfile"), dockerfile());
      write(repo.resolve("deploy/chart/templates/configmap.yaml"),
          "{{- if .Values.config }}\n  apiVersion: v1\n  kind: ConfigMap\n{{- end }}\n");
      write(repo.resolve("deploy/chart/values.yaml"), "replicas: 2\nimage:\n  tag: latest\n");
      write(repo.resolve("kustomize/overlays/prod/patch.yaml"), "- op: replace\n  path: /spec/replicas\n  value: 3\n");
      write(repo.resolve("k8s/empty.yaml"), "");
      write(repo.resolve("k8s/notes.yml"), "# nothing yet\n");

      // when
      List<String> findings = findings(repo);

      // then
      assertThat(findings).isEmpty();
    }

    @Test
    void a_secret_git_crypt_keeps_encrypted_in_a_kubernetes_place(@TempDir Path repo) throws IOException {
      // given
      write(repo.resolve("Dockerfile"), dockerfile());
      byte[] encrypted = "\0GITCRYPT\0\u0001\u00ff\u0000cipher".getBytes(StandardCharsets.ISO_8859_1);
      write(repo.resolve("k8s/secrets.yaml"), encrypted);

      // when
      List<String> findings = findings(repo);

      // then
      assertThat(findings).isEmpty();
    }

    @Test
    void a_helm_template_that_looks_like_a_manifest_is_still_only_skipped(@TempDir Path repo) throws IOException {
      // given
      write(repo.resolve("Dockerfile"), dockerfile());
      write(repo.resolve("deploy/chart/templates/deployment.yaml"),
          "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ include \"chart.fullname\" . }}\n");

      // when
      PolicyReport report = GpuProject.scan(repo).report();

      // then
      assertThat(report.violations()).extracting(Violation::ruleId).containsExactly("k8s/helm-template-skipped");
    }
  }

  @Nested
  class Kubernetes_places {

    @Test
    void are_yaml_files_under_manifest_folders_or_named_like_manifests() {
      assertThat(List.of("k8s/app.yaml", "deploy/prod/app.yml", "infra/kubernetes/a.yaml", "Manifests/x.yaml",
              "kustomize/base/svc.yaml", "deployments/gpu.yaml", "kube/x.yaml", "deployment.yaml",
              "ops/llm-deployment.yml", "ops/llm_statefulset.yaml", "ops/gpu.daemonset.yaml", "base/kustomization.yaml",
              "jobs/nightly-cronjob.yaml", "pod.yaml"))
          .allMatch(GpuKitCheck::isKubernetesPlace);
    }

    @Test
    void are_not_other_yaml_nor_other_files_nor_workflows() {
      assertThat(List.of("docs/example.yaml", "k8s/README.md", "deploy/run.sh", "k8s/deployment.json",
              ".github/workflows/deploy.yml", ".github/k8s/x.yaml", "charts/x/values.yaml", "manifest.yml",
              "docker-compose.yml", "redeployment.yaml.bak", "mydeployment.yaml"))
          .noneMatch(GpuKitCheck::isKubernetesPlace);
    }
  }

  @Nested
  class Named_files {

    @Test
    void one_of_no_known_kind_is_a_finding_and_the_others_are_checked(@TempDir Path repo) throws IOException {
      // given
      Path dockerfile = write(repo.resolve("Dockerfile"), dockerfile());
      Path notes = write(repo.resolve("notes.txt"), "hello\n");

      // when
      GpuKitCheck.Discovery found = GpuKitCheck.with(GpuKitConfig.defaults(repo)).find(List.of(dockerfile, notes));
      PolicyReport report = GpuKitCheck.with(GpuKitConfig.defaults(repo)).run(List.of(dockerfile, notes));

      // then
      assertThat(found.artifacts()).containsOnlyKeys(dockerfile);
      assertThat(found.findings()).extracting(Violation::ruleId).containsExactly("gpukit/unknown-file-kind");
      assertThat(report.violations()).singleElement().satisfies(v -> {
        assertThat(v.location().file()).isEqualTo(notes);
        assertThat(v.hint()).startsWith("gpukit reads a Dockerfile");
      });
      assertThat(report.files()).containsExactly(dockerfile);
    }

    @Test
    void a_binary_file_says_why_it_could_not_be_told(@TempDir Path repo) throws IOException {
      // given
      Path blob = write(repo.resolve("model.bin"), new byte[] {0, 1, 2});

      // when
      PolicyReport report = GpuKitCheck.with(GpuKitConfig.defaults(repo)).run(List.of(blob));

      // then
      assertThat(report.violations()).singleElement().satisfies(v ->
          assertThat(v.message()).endsWith("(it is binary, not text)"));
    }

    @Test
    void discover_still_refuses_them_and_a_missing_path_is_refused_by_both(@TempDir Path repo) throws IOException {
      // given
      Path notes = write(repo.resolve("notes.txt"), "hello\n");
      GpuKitCheck check = GpuKitCheck.with(GpuKitConfig.defaults(repo));

      // then
      assertThatThrownBy(() -> check.discover(List.of(notes))).isInstanceOf(GpuKitCheck.UnusablePathException.class)
          .hasMessageContaining("cannot tell what kind of file " + notes);
      assertThatThrownBy(() -> check.find(List.of(repo.resolve("nope")))).isInstanceOf(GpuKitCheck.UnusablePathException.class)
          .hasMessage("no such file or folder: " + repo.resolve("nope"));
    }

    @Test
    void an_empty_folder_named_with_files_is_a_finding_of_its_own(@TempDir Path repo) throws IOException {
      // given
      Path dockerfile = write(repo.resolve("app/Dockerfile"), dockerfile());
      Path empty = Files.createDirectories(repo.resolve("docs"));

      // when
      PolicyReport report = GpuKitCheck.with(GpuKitConfig.defaults(repo)).run(List.of(dockerfile, empty));

      // then
      assertThat(report.violations()).singleElement().satisfies(v -> {
        assertThat(v.ruleId()).isEqualTo("gpukit/nothing-to-check");
        assertThat(v.location().file()).isEqualTo(empty);
      });
    }
  }

  @Nested
  class Hostile_trees {

    @Test
    void a_yaml_bomb_in_a_kubernetes_place_is_one_located_error(@TempDir Path repo) throws IOException {
      // given: 12 aliases a level, 10 levels: 12^10 strings if expanded, 120 aliases where 100 are allowed
      StringBuilder bomb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x]\n");
      for (char c = 'b'; c <= 'k'; c++) {
        char p = (char) (c - 1);
        bomb.append(c).append(": &").append(c).append(" [").append(("*" + p + ", ").repeat(11)).append('*').append(p).append("]\n");
      }
      write(repo.resolve("Dockerfile"), dockerfile());
      write(repo.resolve("k8s/bomb.yaml"), bomb.toString());
      write(repo.resolve("k8s/bomb-manifest.yaml"), "apiVersion: v1\nkind: ConfigMap\n" + bomb);

      // when
      List<String> findings = findings(repo);

      // then
      assertThat(findings).hasSize(2).allMatch(f -> f.startsWith("k8s/bomb") && f.endsWith("[gpukit/parse-error]"));
    }

    @Test
    void a_20_mb_dockerfile_and_a_20_mb_yaml_end_with_size_findings(@TempDir Path repo) throws IOException {
      // given
      large(repo.resolve("Dockerfile"), "FROM ubuntu:24.04\n", 20);
      large(repo.resolve("deploy/huge.yaml"), "items:\n", 20);

      // when
      List<String> findings = findings(repo);

      // then
      assertThat(findings).hasSize(2).allMatch(f -> f.contains("larger than the limit of 10485760 bytes"));
    }

    @Test
    void a_fifo_named_like_a_dockerfile_is_reported_without_being_opened(@TempDir Path repo) throws Exception {
      // given
      write(repo.resolve("Dockerfile"), dockerfile());
      fifo(repo.resolve("gpu.Dockerfile"));
      fifo(repo.resolve("k8s/pipe.yaml"));

      // when
      PolicyReport report = GpuProject.scan(repo).report();

      // then
      assertThat(report.violations()).singleElement().satisfies(v -> {
        assertThat(v.render()).endsWith("gpu.Dockerfile:1:1: error: not a regular file [gpukit/parse-error]");
        assertThat(v.hint()).startsWith("this is not a regular file (a folder, a FIFO, a socket or a device)");
      });
    }

    @Test
    void symbolic_link_loops_end_and_a_link_to_nothing_is_reported_by_its_name(@TempDir Path repo) throws IOException {
      // given
      write(repo.resolve("Dockerfile"), dockerfile());
      try {
        Files.createSymbolicLink(repo.resolve("loop"), repo);
        Files.createSymbolicLink(repo.resolve("k8s"), repo.resolve("k8s"));
        Files.createSymbolicLink(repo.resolve("worker.Dockerfile"), repo.resolve("gone/Dockerfile"));
      } catch (UnsupportedOperationException | IOException e) {
        Assumptions.abort("symbolic links are not supported here");
      }

      // when
      List<String> findings = findings(repo);

      // then
      assertThat(findings).containsExactly(
          "worker.Dockerfile:1:1: error: a symbolic link to nothing ('gone/Dockerfile' does not exist) [gpukit/parse-error]");
    }

    @Test
    void an_unreadable_folder_is_skipped_without_a_crash(@TempDir Path repo) throws IOException {
      // given
      write(repo.resolve("Dockerfile"), dockerfile());
      Path locked = write(repo.resolve("data/postgres/pg.conf"), "x\n").getParent();
      unreadable(locked);

      try {
        // when
        GpuProject project = GpuProject.scan(repo);

        // then
        assertThat(project).hasNoViolations();
      } finally {
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
      }
    }
  }

  /** Makes a path unreadable, or skips the test where that is not possible (Windows, root). */
  private static void unreadable(Path path) throws IOException {
    try {
      Files.setPosixFilePermissions(path, Set.of());
    } catch (UnsupportedOperationException e) {
      Assumptions.abort("POSIX permissions are not supported here");
    }
    Assumptions.assumeFalse(Files.isReadable(path), "this user reads files whatever their permissions (root)");
  }

  /** A named pipe, or the test is skipped where mkfifo is missing. */
  private static Path fifo(Path path) throws Exception {
    Files.createDirectories(path.getParent());
    Process p;
    try {
      p = new ProcessBuilder("mkfifo", path.toString()).redirectErrorStream(true).start();
    } catch (IOException e) {
      Assumptions.abort("mkfifo is not available here");
      return path;
    }
    p.getInputStream().readAllBytes();
    Assumptions.assumeTrue(p.waitFor() == 0, "mkfifo failed");
    return path;
  }
}
