package io.gpukit.core.policy;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A gitignore-style path glob over {@code /}-separated relative paths: {@code *} and {@code ?}
 * stay within one folder, {@code **} crosses folders, and {@code **}{@code /} also matches no
 * folder at all (so {@code **}{@code /Dockerfile} matches {@code Dockerfile}).
 *
 * @since 0.1.0
 */
public final class PathGlob {

  private final String glob;
  private final Pattern pattern;

  private PathGlob(String glob) {
    this.glob = glob;
    this.pattern = Pattern.compile(toRegex(glob));
  }

  /** Compiles a glob. */
  public static PathGlob of(String glob) {
    Objects.requireNonNull(glob, "glob");
    if (glob.isBlank()) {
      throw new IllegalArgumentException("a path glob must not be empty");
    }
    return new PathGlob(glob.startsWith("./") ? glob.substring(2) : glob);
  }

  /** Whether a {@code /}-separated relative path matches. */
  public boolean matches(String relativePath) {
    return pattern.matcher(relativePath).matches();
  }

  private static String toRegex(String glob) {
    StringBuilder re = new StringBuilder();
    int n = glob.length();
    for (int i = 0; i < n; i++) {
      char c = glob.charAt(i);
      if (c == '*') {
        boolean doubleStar = i + 1 < n && glob.charAt(i + 1) == '*';
        if (doubleStar) {
          boolean slash = i + 2 < n && glob.charAt(i + 2) == '/';
          re.append(slash ? "(?:.*/)?" : ".*");
          i += slash ? 2 : 1;
        } else {
          re.append("[^/]*");
        }
      } else if (c == '?') {
        re.append("[^/]");
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return re.toString();
  }

  @Override
  public String toString() {
    return glob;
  }
}
