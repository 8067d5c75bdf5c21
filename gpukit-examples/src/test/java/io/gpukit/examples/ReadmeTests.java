package io.gpukit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every Java block in the README appears, line for line, in a test that compiles and runs. */
class ReadmeTests {

  private static final Path README = Path.of("..", "README.md");
  private static final Path TESTS = Path.of("src", "test", "java");
  private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

  private static List<String> normalised(String text) {
    return text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
  }

  @Test
  void every_java_block_of_the_readme_is_in_a_test() throws IOException {
    // given
    List<String> blocks = new ArrayList<>();
    Matcher m = JAVA_BLOCK.matcher(Files.readString(README, StandardCharsets.UTF_8));
    while (m.find()) {
      blocks.add(m.group(1));
    }
    List<String> sources;
    try (Stream<Path> files = Files.walk(TESTS)) {
      sources =
          files.filter(p -> p.toString().endsWith(".java"))
              .map(p -> {
                try {
                  return String.join("\n", normalised(Files.readString(p, StandardCharsets.UTF_8)));
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              })
              .collect(Collectors.toList());
    }

    // then
    assertThat(blocks).as("Java blocks in the README").isNotEmpty();
    for (String block : blocks) {
      String wanted = String.join("\n", normalised(block));
      assertThat(sources).as("a test holding this README block:%n%s", block).anyMatch(s -> s.contains(wanted));
    }
  }

  @Test
  void the_consumer_guide_names_this_version_of_the_bom_and_modules_that_exist() throws IOException {
    // given
    String readme = Files.readString(README, StandardCharsets.UTF_8);
    String parent = Files.readString(Path.of("..", "pom.xml"), StandardCharsets.UTF_8);
    Matcher version = Pattern.compile("<artifactId>gpukit-parent</artifactId>\\s*<version>([^<]+)</version>").matcher(parent);
    assertThat(version.find()).as("the parent pom's version").isTrue();
    String bom = Files.readString(Path.of("..", "gpukit-bom", "pom.xml"), StandardCharsets.UTF_8);

    // when
    Matcher imported = Pattern.compile("<artifactId>gpukit-bom</artifactId>\\s*<version>([^<]+)</version>").matcher(readme);
    Matcher modules = Pattern.compile("<artifactId>(gpukit-[a-z-]+)</artifactId>").matcher(readme);

    // then
    assertThat(imported.find()).as("the README imports gpukit-bom with a version").isTrue();
    assertThat(imported.group(1)).isEqualTo(version.group(1));
    while (modules.find()) {
      if (!modules.group(1).equals("gpukit-bom")) {
        assertThat(bom).as("gpukit-bom manages %s, which the README names", modules.group(1))
            .contains("<artifactId>" + modules.group(1) + "</artifactId>");
      }
    }
  }
}
