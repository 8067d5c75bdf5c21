package io.gpukit.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpukit.core.policy.GpuKitConfig;
import io.gpukit.core.policy.Rule;
import io.gpukit.core.policy.Violation;
import io.gpukit.core.source.SourceLocation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShippingRulesTests {

  private static List<Violation> check(Rule<Workflow> rule, Workflow wf) {
    return rule.check(wf, SourceLocation.startOf(wf.path()), GpuKitConfig.defaults());
  }

  private static Workflow workflow(String text) {
    return Workflow.parse(Path.of("ci.yml"), text);
  }

  @Nested
  class Untrusted_input_in_script {

    @Test
    void reaches_a_local_action_through_its_input_and_is_reported_in_action_yml(@TempDir Path repo) throws IOException {
      // given
      Path action = repo.resolve(".github/actions/greet/action.yml");
      Files.createDirectories(action.getParent());
      Files.writeString(action, "runs:\n  using: composite\n  steps:\n    - shell: bash\n      run: echo \"${{ inputs.title }}\"\n");
      Path file = repo.resolve(".github/workflows/ci.yml");
      Files.createDirectories(file.getParent());
      Files.writeString(file, "on: pull_request\njobs:\n  greet:\n    runs-on: ubuntu-24.04\n    steps:\n"
          + "      - uses: ./.github/actions/greet\n        with:\n          title: ${{ github.event.pull_request.title }}\n");

      // when
      List<Violation> found = check(ShippingRules.UNTRUSTED_INPUT_IN_SCRIPT, LocalActions.expand(Workflow.parse(file), repo));

      // then
      assertThat(found).singleElement().satisfies(v -> {
        assertThat(v.location().file()).isEqualTo(action);
        assertThat(v.message()).contains("github.event.pull_request.title");
        assertThat(v.hint()).contains("env:");
      });
    }
  }

  @Nested
  class Token_permissions {

    @Test
    void a_top_level_packages_write_is_fine_when_the_only_job_that_inherits_it_pushes() {
      // given
      Workflow wf = workflow("on: push\npermissions:\n  contents: read\n  packages: write\njobs:\n  push:\n"
          + "    runs-on: ubuntu-24.04\n    steps:\n      - run: docker push ghcr.io/acme/llm:${{ github.sha }}\n");

      // then
      assertThat(check(ShippingRules.TOKEN_PERMISSIONS, wf)).isEmpty();
    }

    @Test
    void judges_no_workflow_that_pushes_nothing() {
      assertThat(check(ShippingRules.TOKEN_PERMISSIONS,
          workflow("on: push\njobs:\n  lint:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: make lint\n"))).isEmpty();
    }
  }

  @Nested
  class Action_pinned {

    @Test
    void exempts_githubs_own_actions_and_jobs_without_secrets() {
      // given
      Workflow wf = workflow("on: push\njobs:\n  push:\n    runs-on: ubuntu-24.04\n    steps:\n"
          + "      - uses: actions/checkout@v4\n      - run: docker push ghcr.io/acme/llm:${{ github.sha }}\n"
          + "  docs:\n    runs-on: ubuntu-24.04\n    steps:\n      - uses: peaceiris/actions-gh-pages@v4\n");

      // then
      assertThat(check(ShippingRules.ACTION_PINNED, wf)).isEmpty();
    }
  }

  @Nested
  class Explanations {

    @Test
    void name_the_check_each_rule_follows() {
      assertThat(ShippingRules.ALL).allSatisfy(rule ->
          assertThat(rule.descriptor().related()).containsAnyOf("actionlint", "zizmor", "Scorecard", "docker login", "SLSA"));
    }
  }
}
