package io.gpukit.core.workflow;

import io.gpukit.core.source.SourceLocation;
import java.util.Objects;

/**
 * A {@code concurrency} setting: {@code concurrency: group} or {@code {group, cancel-in-progress}}.
 *
 * @param group the group, as written (often an expression)
 * @param cancelInProgress {@code cancel-in-progress} as written; empty when absent
 * @param location where the setting is
 * @since 0.1.0
 */
public record Concurrency(String group, String cancelInProgress, SourceLocation location) {

  /** Validates the fields. */
  public Concurrency {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(cancelInProgress, "cancelInProgress");
    Objects.requireNonNull(location, "location");
  }
}
