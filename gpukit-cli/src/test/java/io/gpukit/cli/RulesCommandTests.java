package io.gpukit.cli;

import static io.gpukit.cli.GpuKitCommandTests.CLEAN;
import static io.gpukit.cli.GpuKitCommandTests.gpukit;
import static io.gpukit.cli.GpuKitCommandTests.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpukit.cli.GpuKitCommandTests.Run;
import io.gpukit.core.policy.RuleDescriptor;
import io.gpukit.core.policy.RuleScope;
import io.gpukit.core.project.GpuProject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the rules say they judge, GPU artifacts only or every artifact: in {@code gpukit rules} and the reports. */
class RulesCommandTests {

  private static final Pattern LINE = Pattern.compile("(\\S+) +(error|warning|info) +\\[(gpu|all)\\] +\\S.*");

  /** A database image: nothing in it is GPU. */
  private static final String POSTGRES =
      """
      FROM postgres:16.4-bookworm
      USER 999:999
      HEALTHCHECK CMD ["pg_isready", "-U", "postgres"]
      """;

  @Nested
  class The_rules_command {

    @Test
    void tags_every_rule_with_its_scope() {
      // given
      Map<String, RuleScope> declared = new HashMap<>();
      GpuProject.allRules().forEach(r -> declared.put(r.id(), r.scope()));

      // when
      Run run = gpukit("rules");

      // then
      assertThat(run.exitCode()).isZero();
      List<String> lines = run.out().lines().toList();
      assertThat(lines).hasSize(declared.size()).allSatisfy(line -> {
        Matcher m = LINE.matcher(line);
        assertThat(m.matches()).as(line).isTrue();
        assertThat(m.group(3)).as(line).isEqualTo(declared.get(m.group(1)) == RuleScope.GPU ? "gpu" : "all");
      });
    }

    @Test
    void marks_a_gpu_rule_gpu_and_a_hygiene_rule_all() {
      // when
      List<String> lines = gpukit("rules").out().lines().toList();

      // then
      assertThat(lines).anySatisfy(l -> assertThat(l).matches("dockerfile/final-stage-healthcheck +error +\\[gpu\\] .*"));
      assertThat(lines).anySatisfy(l -> assertThat(l).matches("dockerfile/base-image-pinned +\\w+ +\\[all\\] .*"));
      assertThat(lines).anySatisfy(l -> assertThat(l).matches("gpukit/nothing-to-check +error +\\[all\\] .*"));
    }

    @Test
    void help_says_what_the_tags_mean() {
      // when
      Run run = gpukit("rules", "--help");

      // then
      assertThat(run.out()).contains("id, severity, scope, description", "[gpu]: the rule judges GPU artifacts only",
          "[all]: every artifact of its");
    }
  }

  @Nested
  class Reports {

    @Test
    void sarif_gives_each_rule_its_scope(@TempDir Path repo) throws IOException {
      // given
      write(repo.resolve("Dockerfile"), CLEAN);

      // when
      Run run = gpukit("check", "--format", "sarif", repo);

      // then
      Map<String, String> scopes = new HashMap<>();
      for (JsonNode rule : run.json().get("runs").get(0).get("tool").get("driver").get("rules")) {
        scopes.put(rule.get("id").asText(), rule.get("properties").get("gpukit-scope").asText());
      }
      assertThat(scopes).containsEntry("dockerfile/final-stage-healthcheck", "gpu")
          .containsEntry("dockerfile/final-stage-non-root", "all");
      for (RuleDescriptor rule : GpuProject.allRules()) {
        if (scopes.containsKey(rule.id())) {
          assertThat(scopes.get(rule.id())).as(rule.id()).isEqualTo(rule.scope() == RuleScope.GPU ? "gpu" : "all");
        }
      }
    }

    @Test
    void junit_has_no_gpu_rule_testcase_for_a_database_image(@TempDir Path repo) throws IOException {
      // given
      write(repo.resolve("Dockerfile"), CLEAN);
      write(repo.resolve("db/Dockerfile"), POSTGRES);

      // when
      Run run = gpukit("check", "--format", "junit", repo);

      // then
      String db = repo.resolve("db/Dockerfile").toString();
      String service = repo.resolve("Dockerfile").toString();
      assertThat(run.out())
          .contains("<testcase classname=\"dockerfile/final-stage-non-root\" name=\"" + db + "\"/>")
          .contains("<testcase classname=\"dockerfile/final-stage-healthcheck\" name=\"" + service + "\"/>")
          .doesNotContain("<testcase classname=\"dockerfile/final-stage-healthcheck\" name=\"" + db + "\"");
    }
  }
}
