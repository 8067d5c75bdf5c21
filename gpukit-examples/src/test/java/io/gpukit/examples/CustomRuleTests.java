package io.gpukit.examples;

import static io.gpukit.core.assertions.GpuKitAssertions.assertThat;

import io.gpukit.core.dockerfile.Dockerfile;
import io.gpukit.core.dockerfile.Run;
import io.gpukit.core.policy.FileKind;
import io.gpukit.core.policy.PolicyEngine;
import io.gpukit.core.policy.PolicyReport;
import io.gpukit.core.policy.Rule;
import io.gpukit.core.source.SourceFile;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's custom rule, verbatim, applied to a Dockerfile that breaks it and one that does not. */
class CustomRuleTests {

  static Rule<Dockerfile> rule() {
    Rule<Dockerfile> noAptInRuntime =
        Rule.<Dockerfile>define("acme/no-apt-in-runtime")
            .warning()
            .describedAs("the final stage should not run apt-get")
            .because("packages belong in the base image, built and scanned once")
            .checkedBy((dockerfile, findings) -> {
              for (Run run : dockerfile.finalStage().instructionsOf(Run.class)) {
                if (run.commandLine().contains("apt-get")) {
                  findings.report(run.location(), "the final stage runs apt-get", "move it to the base image");
                }
              }
            });
    return noAptInRuntime;
  }

  private static PolicyReport check(String text) {
    FileKind<Dockerfile> acme =
        new FileKind<>() {
          @Override
          public String name() {
            return "dockerfile";
          }

          @Override
          public Dockerfile parse(SourceFile file) {
            return Dockerfile.parse(file.path(), file.text());
          }

          @Override
          public List<Rule<Dockerfile>> rules() {
            return List.of(rule());
          }
        };
    return PolicyEngine.withDefaults().evaluate(SourceFile.of(Path.of("Dockerfile"), text), acme);
  }

  @Test
  void fires_on_apt_get_in_the_final_stage() {
    PolicyReport report = check("FROM a:1 AS build\nRUN apt-get update\nFROM b:1\nRUN apt-get install -y curl\n");

    assertThat(report).hasViolation("acme/no-apt-in-runtime").atLine(4).hasSize(1);
  }

  @Test
  void ignores_build_stages() {
    assertThat(check("FROM a:1 AS build\nRUN apt-get update\nFROM b:1\nRUN echo ok\n")).hasNoViolations();
  }
}
