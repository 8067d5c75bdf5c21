package io.gpukit.core.dockerfile;

import java.util.Objects;

/**
 * A here-document attached to a {@code RUN}, {@code COPY} or {@code ADD} instruction.
 *
 * <p>{@code content} is kept as BuildKit's parser keeps it: every body line with its line ending,
 * leading tabs not yet stripped. {@link #effectiveContent()} applies the {@code <<-} stripping that
 * BuildKit applies when it uses the body.
 *
 * @param name the delimiter word, quotes removed ({@code EOF} for {@code <<"EOF"})
 * @param content the body lines, each with its line ending
 * @param expand whether variables in the body are expanded (the delimiter was not quoted)
 * @param chomp whether leading tabs are stripped ({@code <<-})
 * @since 0.1.0
 */
public record Heredoc(String name, String content, boolean expand, boolean chomp) {

  /** Validates the fields. */
  public Heredoc {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(content, "content");
  }

  /** The body as BuildKit uses it: with {@code <<-}, leading tabs removed from every line. */
  public String effectiveContent() {
    if (!chomp) {
      return content;
    }
    StringBuilder out = new StringBuilder(content.length());
    boolean lineStart = true;
    for (int i = 0; i < content.length(); i++) {
      char c = content.charAt(i);
      if (lineStart && c == '\t') {
        continue;
      }
      lineStart = c == '\n';
      out.append(c);
    }
    return out.toString();
  }
}
