package io.gpukit.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The files {@code gpukit init} writes: templates under {@code io/gpukit/cli/init/} with their
 * {@code {{key}}} placeholders filled in.
 *
 * <p>A placeholder is {@code {{key}}} with no spaces, so a workflow's {@code ${{ github.sha }}}
 * stays as written; a line that holds nothing but a placeholder whose value is empty is dropped.
 *
 * @param files the files, in the order they are written and listed
 */
record Scaffold(List<Scaffold.File> files) {

  /** One file: its path under the scaffolded folder, with {@code /} separators, and its text. */
  record File(String path, String text) {
    File {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(text, "text");
    }
  }

  /** The template of each file, by the path it is written to. */
  private static final Map<String, String> TEMPLATES = templates();

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-z][a-z-]*)}}");

  Scaffold {
    files = List.copyOf(files);
  }

  private static Map<String, String> templates() {
    // Insertion order is the order init lists the files in.
    Map<String, String> t = new LinkedHashMap<>();
    t.put("Dockerfile", "Dockerfile.tmpl");
    t.put(".github/workflows/ci.yml", "ci.yml.tmpl");
    t.put("k8s/deployment.yaml", "deployment.yaml.tmpl");
    t.put("promotion.yaml", "promotion.yaml.tmpl");
    t.put("ROLLBACK.md", "ROLLBACK.md.tmpl");
    t.put("gpukit.yaml", "gpukit.yaml.tmpl");
    return Collections.unmodifiableMap(t);
  }

  /**
   * Every template, filled in.
   *
   * @param values the value of each placeholder
   * @throws IllegalStateException when a template names a placeholder that has no value (a bug)
   */
  static Scaffold of(Map<String, String> values) {
    List<File> files = new ArrayList<>();
    TEMPLATES.forEach((path, template) -> files.add(new File(path, fill(read(template), values, template))));
    return new Scaffold(files);
  }

  /** The template's text with each placeholder replaced. */
  static String fill(String template, Map<String, String> values, String name) {
    StringBuilder out = new StringBuilder(template.length() + 256);
    for (String line : template.split("\n", -1)) {
      Matcher whole = PLACEHOLDER.matcher(line.strip());
      if (whole.matches() && value(whole.group(1), values, name).isEmpty()) {
        continue;
      }
      Matcher m = PLACEHOLDER.matcher(line);
      while (m.find()) {
        m.appendReplacement(out, Matcher.quoteReplacement(value(m.group(1), values, name)));
      }
      m.appendTail(out);
      out.append('\n');
    }
    // split keeps the text after the last line break as a last, empty line: do not add one for it
    out.setLength(out.length() - 1);
    return out.toString();
  }

  private static String value(String key, Map<String, String> values, String template) {
    String v = values.get(key);
    if (v == null) {
      throw new IllegalStateException("template " + template + " names {{" + key + "}}, which has no value");
    }
    return v;
  }

  private static String read(String template) {
    String resource = "init/" + template;
    try (InputStream in = Scaffold.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("the template " + resource + " is missing from gpukit's jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
