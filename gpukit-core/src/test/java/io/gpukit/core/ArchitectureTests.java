package io.gpukit.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** gpukit-core's layering, as ArchUnit tests its own. */
@AnalyzeClasses(packages = "io.gpukit.core", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTests {

  @ArchTest
  static final ArchRule layers_point_one_way =
      layeredArchitecture()
          .consideringOnlyDependenciesInLayers()
          .layer("Source").definedBy("io.gpukit.core.source..")
          .layer("Policy").definedBy("io.gpukit.core.policy..")
          .layer("Formats").definedBy("io.gpukit.core.dockerfile..", "io.gpukit.core.workflow..", "io.gpukit.core.k8s..",
              "io.gpukit.core.promotion..")
          .layer("Report").definedBy("io.gpukit.core.report..")
          .layer("Project").definedBy("io.gpukit.core.project..")
          .layer("Assertions").definedBy("io.gpukit.core.assertions..")
          .whereLayer("Assertions").mayNotBeAccessedByAnyLayer()
          .whereLayer("Project").mayOnlyBeAccessedByLayers("Assertions")
          .whereLayer("Report").mayOnlyBeAccessedByLayers("Project", "Assertions")
          .whereLayer("Formats").mayOnlyBeAccessedByLayers("Project", "Assertions")
          .whereLayer("Policy").mayOnlyBeAccessedByLayers("Formats", "Report", "Project", "Assertions")
          .because("models and rules must not know how they are reported or asserted");

  @ArchTest
  static final ArchRule format_packages_do_not_import_each_other =
      slices()
          .matching("io.gpukit.core.(dockerfile|workflow|k8s|promotion)..")
          .should()
          .notDependOnEachOther()
          .allowEmptyShould(true)
          .because("only io.gpukit.core.project sees every format");

  @ArchTest
  static final ArchRule core_knows_no_docker_engine_nor_jni =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("org.testcontainers..", "com.github.dockerjava..", "org.bytedeco..", "picocli..")
          .because("gpukit-core parses and checks files; containers and GPUs live in other modules");
}
