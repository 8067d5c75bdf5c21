package io.gpukit.junit;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** gpukit-junit's fences, as ArchUnit tests its own. */
@AnalyzeClasses(packages = "io.gpukit", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTests {

  @ArchTest
  static final ArchRule nothing_exits_the_jvm =
      noClasses()
          .that().resideInAPackage("io.gpukit.junit..")
          .should().callMethod(System.class, "exit", int.class)
          .orShould().callMethod(Runtime.class, "exit", int.class)
          .orShould().callMethod(Runtime.class, "halt", int.class)
          .because("gpukit-junit runs inside the user's test JVM: a failure is an exception JUnit reports");

  @ArchTest
  static final ArchRule assertj_only_in_the_assertion_packages =
      noClasses()
          .that().resideInAPackage("io.gpukit.junit..")
          .and().resideOutsideOfPackage("io.gpukit.junit.assertions..")
          .should().dependOnClassesThat().resideInAPackage("org.assertj..")
          .because("only the assertions are AssertJ's; the extension and the containers report through JUnit");

  @ArchTest
  static final ArchRule internal_is_used_only_by_gpukit_junit =
      noClasses()
          .that().resideOutsideOfPackage("io.gpukit.junit..")
          .should().dependOnClassesThat().resideInAPackage("io.gpukit.junit.internal..")
          .because("io.gpukit.junit.internal is not API: it may change in any release");

  @ArchTest
  static final ArchRule the_extension_does_not_know_the_assertions =
      noClasses()
          .that().resideInAnyPackage("io.gpukit.junit", "io.gpukit.junit.image", "io.gpukit.junit.policy",
              "io.gpukit.junit.internal")
          .should().dependOnClassesThat().resideInAPackage("io.gpukit.junit.assertions..")
          .because("the assertions read what the containers return, never the other way round");

  @ArchTest
  static final ArchRule the_base_image_stands_alone =
      noClasses()
          .that().resideInAPackage("io.gpukit.junit.image..")
          .should().dependOnClassesThat().resideInAnyPackage("io.gpukit.junit", "io.gpukit.junit.assertions..",
              "io.gpukit.junit.policy..", "io.gpukit.core..")
          .because("LocalBaseImage builds images from host files and needs no GPU, extension or policy");

  @Nested
  class The_public_api {

    @Test
    void is_the_reviewed_list() throws IOException {
      // given
      JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.gpukit.junit");

      // when
      List<String> publicTypes = classes.stream().filter(ArchitectureTests::visibleToUsers)
          .map(JavaClass::getName).sorted().toList();

      // then
      assertThat(publicTypes)
          .as("gpukit-junit's public types changed: review the change, then update public-api.txt in the same commit")
          .containsExactlyElementsOf(reviewedList());
    }
  }

  /** Public, outside {@code internal}, and (for a nested type) inside a public type all the way out. */
  private static boolean visibleToUsers(JavaClass type) {
    if (type.getPackageName().contains(".internal") || !type.getModifiers().contains(JavaModifier.PUBLIC) || type.isAnonymousClass() || type.isLocalClass()) {
      return false;
    }
    return type.getEnclosingClass().map(ArchitectureTests::visibleToUsers).orElse(true);
  }

  private static List<String> reviewedList() throws IOException {
    try (InputStream in = Objects.requireNonNull(ArchitectureTests.class.getResourceAsStream("/public-api.txt"),
        "public-api.txt")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
          .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
    }
  }
}
