package io.gpukit.core.workflow;

import io.gpukit.core.source.SourceLocation;
import java.util.List;
import java.util.Objects;

/**
 * One event under {@code on}, with its filters. {@code on: push}, {@code on: [push,
 * pull_request]} and {@code on: {push: {branches: [main]}}} all give triggers; an event written
 * without filters has empty lists.
 *
 * @param event the event name, e.g. {@code push}, {@code pull_request}, {@code workflow_dispatch}
 * @param branches the {@code branches} filter
 * @param branchesIgnore the {@code branches-ignore} filter
 * @param tags the {@code tags} filter
 * @param tagsIgnore the {@code tags-ignore} filter
 * @param paths the {@code paths} filter
 * @param pathsIgnore the {@code paths-ignore} filter
 * @param types the activity {@code types}
 * @param crons the {@code cron} expressions of a {@code schedule}
 * @param workflows the workflows a {@code workflow_run} follows, by name, as written
 * @param location where the event is named
 * @since 0.1.0
 */
public record Trigger(
    String event,
    List<String> branches,
    List<String> branchesIgnore,
    List<String> tags,
    List<String> tagsIgnore,
    List<String> paths,
    List<String> pathsIgnore,
    List<String> types,
    List<String> crons,
    List<String> workflows,
    SourceLocation location) {

  /** Validates the fields and copies the lists. */
  public Trigger {
    Objects.requireNonNull(event, "event");
    branches = List.copyOf(branches);
    branchesIgnore = List.copyOf(branchesIgnore);
    tags = List.copyOf(tags);
    tagsIgnore = List.copyOf(tagsIgnore);
    paths = List.copyOf(paths);
    pathsIgnore = List.copyOf(pathsIgnore);
    types = List.copyOf(types);
    crons = List.copyOf(crons);
    workflows = List.copyOf(workflows);
    Objects.requireNonNull(location, "location");
  }

  /** A trigger that follows no workflow (any event but {@code workflow_run}). */
  public Trigger(
      String event,
      List<String> branches,
      List<String> branchesIgnore,
      List<String> tags,
      List<String> tagsIgnore,
      List<String> paths,
      List<String> pathsIgnore,
      List<String> types,
      List<String> crons,
      SourceLocation location) {
    this(event, branches, branchesIgnore, tags, tagsIgnore, paths, pathsIgnore, types, crons, List.of(), location);
  }

  /** An event without filters. */
  public static Trigger of(String event, SourceLocation location) {
    return new Trigger(event, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), location);
  }

  /** Whether this is a {@code workflow_run} event: the workflow runs when another one does. */
  public boolean isWorkflowRun() {
    return event.equals("workflow_run");
  }

  /** Whether this is a {@code pull_request} or {@code pull_request_target} event. */
  public boolean isPullRequest() {
    return event.equals("pull_request") || event.equals("pull_request_target");
  }
}
