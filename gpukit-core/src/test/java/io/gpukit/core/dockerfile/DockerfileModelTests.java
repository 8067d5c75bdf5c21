package io.gpukit.core.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpukit.core.source.SourceParseException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DockerfileModelTests {

  private static Dockerfile parse(String text) {
    return Dockerfile.parse(Path.of("Dockerfile"), text);
  }

  @Nested
  class image_reference {

    @ParameterizedTest
    @CsvSource(
        delimiter = '|',
        nullValues = "-",
        value = {
          "nvidia/cuda:12.4.1-runtime-ubuntu22.04|-|nvidia/cuda|12.4.1-runtime-ubuntu22.04|-",
          "ubuntu|-|ubuntu|-|-",
          "nvcr.io/nvidia/pytorch:24.05-py3|nvcr.io|nvidia/pytorch|24.05-py3|-",
          "localhost/app|localhost|app|-|-",
          "localhost:5000/app:1|localhost:5000|app|1|-",
          "ubuntu@sha256:abc|-|ubuntu|-|sha256:abc",
          "ghcr.io/org/img:tag@sha256:abc|ghcr.io|org/img|tag|sha256:abc",
          "docker.io/library/ubuntu:22.04|docker.io|library/ubuntu|22.04|-"
        })
    void splits_with_docker_reference_grammar(
        String ref, String registry, String repository, String tag, String digest) {
      // given: distribution/reference normalize.go (a first component with . or : or localhost is
      // a registry)

      // when
      ImageReference image = ImageReference.parse(ref);

      // then
      assertThat(image.registry()).isEqualTo(Optional.ofNullable(registry));
      assertThat(image.repository()).isEqualTo(repository);
      assertThat(image.tag()).isEqualTo(Optional.ofNullable(tag));
      assertThat(image.digest()).isEqualTo(Optional.ofNullable(digest));
      assertThat(image.unresolved()).isFalse();
    }

    @Test
    void scratch_and_repository_with_registry() {
      // given
      ImageReference scratch = ImageReference.parse("scratch");
      ImageReference ngc = ImageReference.parse("nvcr.io/nvidia/cuda:12.4");

      // then
      assertThat(scratch.isScratch()).isTrue();
      assertThat(ngc.isScratch()).isFalse();
      assertThat(ngc.repositoryWithRegistry()).isEqualTo("nvcr.io/nvidia/cuda");
    }
  }

  @Nested
  class global_args_in_from {

    @Test
    void substitutes_defaults_and_operators() {
      // given: instructions/parse.go keeps meta args; the shell lexer expands them in FROM
      String text =
          "ARG CUDA=12.4\nARG FLAVOR=runtime\nARG EMPTY=\nARG TAG=${CUDA}-${FLAVOR}\n"
              + "FROM nvidia/cuda:$TAG AS a\n"
              + "FROM nvidia/cuda:${UNSET:-11.8}${EMPTY:+x}${CUDA:+-set} AS b\n"
              + "FROM nvidia/cuda:${EMPTY-dash}${EMPTY:-colon} AS c\n";

      // when
      List<Stage> stages = parse(text).stages();

      // then
      assertThat(stages).map(s -> s.baseImage().resolved())
          .containsExactly("nvidia/cuda:12.4-runtime", "nvidia/cuda:11.8-set", "nvidia/cuda:colon");
      assertThat(stages.get(0).baseImage().original()).isEqualTo("nvidia/cuda:$TAG");
      assertThat(stages.get(0).baseImage().tag()).contains("12.4-runtime");
      assertThat(stages).noneMatch(s -> s.baseImage().unresolved());
    }

    @Test
    void unresolvable_variables_are_marked_not_errors() {
      // given: an ARG without default and an undeclared variable have no value at parse time
      String text = "ARG BASE\nFROM $BASE AS a\nFROM nvidia/cuda:${TARGETARCH}\n";

      // when
      List<Stage> stages = parse(text).stages();

      // then
      assertThat(stages).allMatch(s -> s.baseImage().unresolved());
      assertThat(stages.get(0).baseImage().resolved()).isEqualTo("$BASE");
      assertThat(stages.get(1).baseImage().resolved()).isEqualTo("nvidia/cuda:${TARGETARCH}");
    }

    @Test
    void blank_base_name_is_an_error() {
      // given: dockerfile2llb ("base name (%s) should not be blank")
      String text = "ARG EMPTY=\nFROM ${EMPTY}\n";

      // when
      Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> parse(text));

      // then
      assertThat(thrown)
          .isInstanceOf(SourceParseException.class)
          .hasMessage("Dockerfile:2:1: base name (${EMPTY}) should not be blank");
    }

    @Test
    void args_after_from_are_not_global() {
      // given
      String text = "ARG A=1\nFROM scratch\nARG B=2\n";

      // when
      Dockerfile parsed = parse(text);

      // then
      assertThat(parsed.globalArgs()).hasSize(1);
      assertThat(parsed.finalStage().instructionsOf(Arg.class)).hasSize(1);
    }
  }

  @Nested
  class user_spec {

    @ParameterizedTest
    @CsvSource({
      "root,true,false",
      "0,true,true",
      "0:0,true,true",
      "root:root,true,false",
      "0:video,true,true",
      "root:1000,true,false",
      "1000,false,true",
      "1000:0,false,true",
      "app,false,false",
      "00,true,true"
    })
    void root_and_numeric(String raw, boolean root, boolean numeric) {
      // when
      UserSpec spec = UserSpec.parse(raw);

      // then
      assertThat(spec.isRoot()).isEqualTo(root);
      assertThat(spec.isNumeric()).isEqualTo(numeric);
    }

    @Test
    void splits_user_and_group() {
      // when
      UserSpec spec = UserSpec.parse("1000:video");

      // then
      assertThat(spec.user()).isEqualTo("1000");
      assertThat(spec.group()).contains("video");
      assertThat(spec.uid()).isEqualTo(OptionalInt.of(1000));
      assertThat(UserSpec.parse("app").uid()).isEmpty();
      assertThat(UserSpec.parse("99999999999").uid()).isEmpty();
    }
  }

  @Nested
  class stages {

    private final Dockerfile parsed =
        parse(
            "FROM --platform=$BUILDPLATFORM golang:1.22 AS Build\nRUN go build\nUSER 1000\n"
                + "FROM nvidia/cuda:12.4 as runtime\nCOPY --from=build /a /a\nCOPY --from=0 /b /b\n"
                + "COPY --from=alpine:3 /c /c\nCOPY --from=later /d /d\nUSER root\nUSER app\n"
                + "HEALTHCHECK CMD true\nHEALTHCHECK NONE\n");

    @Test
    void split_at_each_from_with_their_instructions() {
      // then
      assertThat(parsed.stages()).hasSize(2);
      Stage build = parsed.stages().get(0);
      assertThat(build.name()).contains("Build");
      assertThat(build.platform()).contains("$BUILDPLATFORM");
      assertThat(build.instructions()).map(Instruction::keyword).containsExactly("RUN", "USER");
      assertThat(build.location().line()).isEqualTo(1);
      assertThat(build.endLine()).isEqualTo(3);
      assertThat(parsed.finalStage().index()).isEqualTo(1);
      assertThat(parsed.finalStage().lastUser()).get()
          .extracting(u -> u.spec().raw()).isEqualTo("app");
      assertThat(parsed.finalStage().healthcheck()).get()
          .extracting(Healthcheck::isNone).isEqualTo(true);
    }

    @Test
    void looked_up_by_name_case_insensitively_or_index() {
      // then
      assertThat(parsed.stage("build")).get().extracting(Stage::index).isEqualTo(0);
      assertThat(parsed.stage("RUNTIME")).get().extracting(Stage::index).isEqualTo(1);
      assertThat(parsed.stage("1")).get().extracting(Stage::index).isEqualTo(1);
      assertThat(parsed.stage("2")).isEmpty();
      assertThat(parsed.stage("nope")).isEmpty();
      assertThat(parsed.stages().get(0).isNamed("BUILD")).isTrue();
    }

    @Test
    void copy_from_graph_resolves_earlier_stages() {
      // when
      List<CopyFromEdge> edges = parsed.copyFromGraph();

      // then
      assertThat(edges).map(CopyFromEdge::from)
          .containsExactly("build", "0", "alpine:3", "later");
      assertThat(edges).map(e -> e.fromStage().map(Stage::index))
          .containsExactly(Optional.of(0), Optional.of(0), Optional.empty(), Optional.empty());
      assertThat(edges).allMatch(e -> e.to().index() == 1);
      assertThat(edges.get(0).location().line()).isEqualTo(5);
    }
  }
}
