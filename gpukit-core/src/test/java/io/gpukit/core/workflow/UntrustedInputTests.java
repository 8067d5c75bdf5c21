package io.gpukit.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UntrustedInputTests {

  @Nested
  class Untrusted {

    @ParameterizedTest(name = "{0}")
    @ValueSource(
        strings = {
          "echo ${{ github.head_ref }}",
          "echo \"${{ github.event.pull_request.title }}\"",
          "echo ${{ github.event.pull_request.head.ref }}",
          "echo ${{ github.event.issue.body }}",
          "echo ${{ github.event.comment.body }}",
          "echo ${{ github.event.review.body }}",
          "echo ${{ github.event.head_commit.message }}",
          "echo ${{ github.event.commits[0].author.name }}",
          "echo ${{ join(github.event.commits.*.message) }}",
          "echo ${{ github['event']['pull_request']['body'] }}",
          "echo ${{ GITHUB.EVENT.PULL_REQUEST.TITLE }}",
          "echo ${{ toJSON(github.event.pull_request.title) }}",
          "echo ${{ format('{0}', github.event.discussion.title) }}",
          "echo ${{ github.event.label.name }}",
          "echo ${{ github.event.workflow_run.head_branch }}",
        })
    void is_a_leaf_an_outsider_writes(String script) {
      assertThat(UntrustedInput.in(script)).hasSize(1);
    }

    @Test
    void is_named_as_written_lower_case_each_once() {
      assertThat(UntrustedInput.in("a ${{ github.head_ref }} b ${{ github.head_ref }} ${{ github['event'].issue.title }}"))
          .containsExactly("github.head_ref", "github.event.issue.title");
    }
  }

  @Nested
  class Not_untrusted {

    @ParameterizedTest(name = "{0}")
    @ValueSource(
        strings = {
          "echo \"$TITLE\"",
          "echo ${{ github.sha }} ${{ github.ref_name }} ${{ github.event.pull_request.number }}",
          "echo ${{ github.event.pull_request.head.sha }}",
          "echo '${{ toJSON(github.event) }}'",
          "echo ${{ contains(github.event.pull_request.title, '[skip]') }}",
          "echo ${{ startsWith(github.head_ref, 'release/') && 'yes' || 'no' }}",
          "echo '${{ 'github.head_ref' }}'",
          "echo github.head_ref",
          "echo ${{ env.HEAD_REF }} ${{ steps.meta.outputs.tags }} ${{ inputs.title }}",
        })
    void is_what_an_outsider_cannot_shape(String script) {
      assertThat(UntrustedInput.in(script)).isEmpty();
    }
  }
}
