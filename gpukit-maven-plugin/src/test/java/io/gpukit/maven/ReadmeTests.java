package io.gpukit.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The README's "Maven plugin" section stays in step with the plugin descriptor the build generates. */
class ReadmeTests {

  static final Path README = Path.of("..", "README.md");
  static final Path DESCRIPTOR = Path.of("target", "classes", "META-INF", "maven", "plugin.xml");
  static final Pattern ROW = Pattern.compile("^\\| `(\\w+)` \\| `([\\w.]+)` \\|", Pattern.MULTILINE);

  static String section() throws Exception {
    String readme = Files.readString(README, StandardCharsets.UTF_8);
    int start = readme.indexOf("\n## Maven plugin\n");
    assertThat(start).as("the README has a 'Maven plugin' section").isNotNegative();
    int end = readme.indexOf("\n## ", start + 1);
    return readme.substring(start, end < 0 ? readme.length() : end);
  }

  static Document descriptor() throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return factory.newDocumentBuilder().parse(DESCRIPTOR.toFile());
  }

  @Test
  void the_parameters_table_lists_every_user_parameter_with_its_property() throws Exception {
    // given: each goal's configuration names its parameters' user properties, ${gpukit.x}
    Map<String, String> described = new TreeMap<>();
    NodeList configurations = descriptor().getElementsByTagName("configuration");
    for (int i = 0; i < configurations.getLength(); i++) {
      NodeList parameters = configurations.item(i).getChildNodes();
      for (int j = 0; j < parameters.getLength(); j++) {
        if (parameters.item(j) instanceof Element p && p.getTextContent().startsWith("${gpukit.")) {
          described.put(p.getTagName(), p.getTextContent().replaceAll("^\\$\\{|}$", ""));
        }
      }
    }

    // when
    Map<String, String> documented = new TreeMap<>();
    Matcher m = ROW.matcher(section());
    while (m.find()) {
      documented.put(m.group(1), m.group(2));
    }

    // then
    assertThat(described).isNotEmpty();
    assertThat(documented).isEqualTo(described);
  }

  @Test
  void the_pom_snippet_names_the_plugin_its_version_and_goal() throws Exception {
    Document descriptor = descriptor();
    String version = descriptor.getElementsByTagName("version").item(0).getTextContent();

    assertThat(section())
        .contains("<artifactId>gpukit-maven-plugin</artifactId>")
        .contains("<version>" + version + "</version>")
        .contains("<goal>check</goal>")
        .contains("mvn gpukit:write-baseline");
  }
}
