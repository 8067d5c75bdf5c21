package io.gpukit.core.project;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpukit.core.workflow.Workflow;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** What a workflow's pushes become when it runs: env substituted, GitHub's context sampled. */
class PushedImageTests {

  private static final String SHA = PushedImage.SHA;

  private static List<PushedImage> pushed(String jobs) {
    String text = "on: {push: {branches: [main]}}\nenv:\n  IMAGE: ghcr.io/acme/llm\n  REGISTRY: ghcr.io\njobs:\n" + jobs;
    return PushedImage.of(List.of(Workflow.parse(Path.of("ci.yml"), text)));
  }

  private static List<String> tags(List<PushedImage> pushed) {
    return pushed.stream().map(p -> p.tag().orElse("(unknown)")).toList();
  }

  @Nested
  class Substitution {

    @Test
    void workflow_env_and_github_sha() {
      // when
      List<PushedImage> pushed = pushed("""
            push:
              runs-on: ubuntu-24.04
              steps:
                - run: docker push "$IMAGE:${{ github.sha }}"
          """);

      // then
      assertThat(pushed).singleElement().satisfies(p -> {
        assertThat(p.written()).isEqualTo("$IMAGE:${{github.sha}}");
        assertThat(p.expansion()).isEqualTo("ghcr.io/acme/llm:" + SHA);
        assertThat(p.pushes("ghcr.io/acme/llm")).isTrue();
        assertThat(p.pushes("ghcr.io/acme/llm-server")).isFalse();
        assertThat(p.tag()).contains(SHA);
        assertThat(p.step().location().line()).isEqualTo(9);
      });
    }

    @Test
    void the_step_env_wins_over_the_job_env_which_wins_over_the_workflow_env() {
      // when
      List<PushedImage> pushed = pushed("""
            push:
              runs-on: ubuntu-24.04
              env: {IMAGE: ghcr.io/acme/job}
              steps:
                - run: docker push ${{ env.IMAGE }}:1.0
                - run: docker push $IMAGE:1.0
                  env: {IMAGE: ghcr.io/acme/step}
          """);

      // then
      assertThat(pushed).extracting(PushedImage::expansion).containsExactly("ghcr.io/acme/job:1.0", "ghcr.io/acme/step:1.0");
    }

    @Test
    void a_ref_name_becomes_a_release_tag_a_version_and_a_branch() {
      // when
      List<PushedImage> pushed = pushed("""
            push:
              runs-on: ubuntu-24.04
              steps:
                - run: docker push ${{ env.REGISTRY }}/${{ github.repository }}:${{ github.ref_name }}
          """);

      // then
      assertThat(tags(pushed)).containsExactly("v1.2.3", "1.2.3", "main");
      assertThat(pushed.get(0).pushes("ghcr.io/acme/anything")).isTrue();
      assertThat(pushed.get(0).pushes("docker.io/acme/anything")).isFalse();
      assertThat(pushed.get(0).displayRepository()).isEqualTo("ghcr.io/…");
    }

    @Test
    void shell_variables_assigned_in_the_job_and_github_variables() {
      // when
      List<PushedImage> pushed = pushed("""
            push:
              runs-on: ubuntu-24.04
              steps:
                - run: |
                    NAME=GHCR.IO/ACME/LLM
                    docker tag app "${NAME,,}:$GITHUB_RUN_NUMBER"
                    docker push "${NAME,,}:$GITHUB_RUN_NUMBER"
                    docker push "${NAME,,}:sha-${GITHUB_SHA::7}"
          """);

      // then
      assertThat(pushed).extracting(PushedImage::expansion)
          .containsExactly("ghcr.io/acme/llm:42", "ghcr.io/acme/llm:sha-" + SHA.substring(0, 7));
    }
  }

  @Nested
  class Metadata_action {

    @Test
    void its_tags_output_is_each_image_with_each_tag() {
      // when
      List<PushedImage> pushed = pushed("""
            push:
              runs-on: ubuntu-24.04
              steps:
                - id: meta
                  uses: docker/metadata-action@v5
                  with:
                    images: |
                      ${{ env.IMAGE }}
                      name=docker.io/acme/llm,enable=true
                    tags: |
                      type=sha,prefix=
                      type=semver,pattern=v{{major}}.{{minor}}
                      type=raw,value=build-${{ github.run_number }}
                - uses: docker/build-push-action@v6
                  with:
                    push: true
                    tags: ${{ steps.meta.outputs.tags }}
          """);

      // then
      assertThat(pushed).extracting(PushedImage::expansion).containsExactly(
          "ghcr.io/acme/llm:" + SHA.substring(0, 7), "ghcr.io/acme/llm:v1.2", "ghcr.io/acme/llm:build-42",
          "docker.io/acme/llm:" + SHA.substring(0, 7), "docker.io/acme/llm:v1.2", "docker.io/acme/llm:build-42");
      assertThat(pushed.get(3).pushes("acme/llm")).isTrue();
    }

    @Test
    void without_tags_it_tags_the_branch_the_git_tag_and_the_pull_request() {
      // when
      List<PushedImage> pushed = pushed("""
            push:
              runs-on: ubuntu-24.04
              steps:
                - id: meta
                  uses: docker/metadata-action@v5
                  with: {images: ghcr.io/acme/llm}
                - uses: docker/build-push-action@v6
                  with: {push: true, tags: "${{ steps.meta.outputs.tags }}"}
          """);

      // then
      assertThat(tags(pushed)).containsExactly("nightly", "main", "v1.2.3", "1.2.3", "pr-1");
    }
  }

  @Nested
  class What_cannot_be_known {

    @Test
    void an_input_a_command_output_or_an_unknown_variable_is_a_wildcard() {
      // when
      List<PushedImage> pushed = pushed("""
            push:
              runs-on: ubuntu-24.04
              steps:
                - run: docker push $IMAGE:${{ inputs.version }}
                - run: docker push $IMAGE:$(git describe --tags)
                - run: docker push $UNSET_REGISTRY/llm:1.0
          """);

      // then
      assertThat(tags(pushed)).containsExactly("(unknown)", "(unknown)", "1.0");
      assertThat(pushed.get(2).pushes("registry.example.com/llm")).isTrue();
      assertThat(pushed.get(2).pushes("registry.example.com/other")).isFalse();
    }

    @Test
    void a_push_gpukit_cannot_read_is_kept_as_unknown() {
      // when
      List<PushedImage> pushed = pushed("""
            push:
              runs-on: ubuntu-24.04
              steps:
                - run: ./mvnw -B jib:build
          """);

      // then
      assertThat(pushed).singleElement().satisfies(p -> {
        assertThat(p.written()).isEmpty();
        assertThat(p.tag()).isEmpty();
        assertThat(p.pushes("anything/at-all")).isTrue();
      });
    }

    @Test
    void a_reference_without_a_tag_pushes_latest_unless_its_repository_is_unknown() {
      // when
      List<PushedImage> pushed = pushed("""
            push:
              runs-on: ubuntu-24.04
              steps:
                - run: docker push ghcr.io/acme/llm
                - run: docker push ${{ steps.other.outputs.image }}
          """);

      // then
      assertThat(pushed).extracting(PushedImage::tag).containsExactly(Optional.of("latest"), Optional.empty());
    }
  }

  @Test
  void docker_hub_names_are_compared_without_registry_and_library() {
    assertThat(PushedImage.normalise("docker.io/library/nginx")).isEqualTo("nginx");
    assertThat(PushedImage.normalise("index.docker.io/acme/LLM")).isEqualTo("acme/llm");
    assertThat(PushedImage.normalise("ghcr.io/library/x")).isEqualTo("ghcr.io/library/x");
  }
}
