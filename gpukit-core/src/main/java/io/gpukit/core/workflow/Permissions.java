package io.gpukit.core.workflow;

import io.gpukit.core.source.SourceLocation;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@code permissions} setting: {@code read-all}, {@code write-all}, {@code {}} or one access per
 * scope ({@code contents: read}, {@code packages: write}).
 *
 * @param all {@code read-all} or {@code write-all} when written as one value
 * @param scopes the access per scope, in file order
 * @param location where the setting is
 * @since 0.1.0
 */
public record Permissions(Optional<String> all, List<Entry> scopes, SourceLocation location) {

  /** Validates the fields and copies the list. */
  public Permissions {
    Objects.requireNonNull(all, "all");
    scopes = List.copyOf(scopes);
    Objects.requireNonNull(location, "location");
  }

  /** The access of a scope ({@code read}, {@code write}, {@code none}), if written. */
  public Optional<String> scope(String name) {
    return scopes.stream().filter(e -> e.key().equals(name)).map(Entry::value).findFirst();
  }
}
