package io.gpukit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every jar a service puts on its module path names a stable module, whatever its file is called:
 * the jars this example builds against, built earlier in the same build, and its own.
 */
class ModuleNamesIT {

  @ParameterizedTest
  @CsvSource({
    "gpukit-core, io.gpukit.core",
    "gpukit-probe, io.gpukit.probe",
    "gpukit-junit, io.gpukit.junit",
    "gpukit-examples, io.gpukit.examples"
  })
  void the_jar_names_its_automatic_module(String module, String name) throws IOException {
    // given: the module's main jar (not its shaded, sources or test jars)
    List<Path> jars = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(Path.of("..", module, "target"),
        module + "-[0-9]*.jar")) {
      files.forEach(jars::add);
    }
    jars.removeIf(j -> j.getFileName().toString().matches(".*-(sources|javadoc|tests|all|bin)\\.jar"));

    // then
    assertThat(jars).as("%s's jar, packaged before this module's integration tests", module).hasSize(1);
    try (JarFile jar = new JarFile(jars.get(0).toFile())) {
      assertThat(jar.getManifest().getMainAttributes().getValue("Automatic-Module-Name")).isEqualTo(name);
    }
  }
}
