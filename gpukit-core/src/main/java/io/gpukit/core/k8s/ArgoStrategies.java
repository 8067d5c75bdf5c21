package io.gpukit.core.k8s;

import io.gpukit.core.source.SourceParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/** Reads an Argo Rollout's {@code spec.strategy}: {@code canary} or {@code blueGreen}. */
final class ArgoStrategies {

  private ArgoStrategies() {}

  /** The strategy; empty when neither canary nor blueGreen is written (the controller refuses such a Rollout). */
  static Optional<RolloutStrategy> read(ManifestParser.DocumentReader r, MappingNode strategy) {
    Optional<MappingNode> canary = r.optMapping(strategy, "canary");
    Optional<MappingNode> blueGreen = r.optMapping(strategy, "blueGreen");
    Optional<String> invalid = canary.isPresent() && blueGreen.isPresent()
        ? Optional.of("a Rollout may write canary or blueGreen, not both") : Optional.empty();
    if (canary.isPresent()) {
      MappingNode c = canary.get();
      List<ArgoStrategy.CanaryStep> steps = new ArrayList<>();
      for (Node item : r.optSequence(c, "steps")) {
        steps.add(step(r, r.mapping(item, "a canary step")));
      }
      ArgoStrategy argo = new ArgoStrategy(steps, r.value(c, "trafficRouting").isPresent(),
          bool(r, c, "dynamicStableScale").orElse(false), Optional.empty(), Optional.empty(), true,
          r.optInt(c, "scaleDownDelaySeconds").orElse(ArgoStrategy.DEFAULT_SCALE_DOWN_DELAY_SECONDS), Optional.empty(),
          invalid);
      return Optional.of(new RolloutStrategy(RolloutStrategy.Type.CANARY, r.optIntOrString(c, "maxSurge"),
          r.optIntOrString(c, "maxUnavailable"), Optional.of(r.at(c)), r.keyAt(c, "maxSurge"),
          r.keyAt(c, "maxUnavailable"), Optional.of(argo)));
    }
    if (blueGreen.isPresent()) {
      MappingNode b = blueGreen.get();
      Optional<Integer> preview = r.optInt(b, "previewReplicaCount");
      if (preview.filter(n -> n < 0).isPresent()) {
        throw new SourceParseException(r.keyAt(b, "previewReplicaCount").orElse(r.at(b)),
            "previewReplicaCount must be 0 or more but was " + preview.get());
      }
      ArgoStrategy argo = new ArgoStrategy(List.of(), false, false, r.optString(b, "activeService"),
          r.optString(b, "previewService"), bool(r, b, "autoPromotionEnabled").orElse(true),
          r.optInt(b, "scaleDownDelaySeconds").orElse(ArgoStrategy.DEFAULT_SCALE_DOWN_DELAY_SECONDS), preview,
          invalid);
      return Optional.of(new RolloutStrategy(RolloutStrategy.Type.BLUE_GREEN, Optional.empty(),
          r.optIntOrString(b, "maxUnavailable"), Optional.of(r.at(b)), Optional.empty(),
          r.keyAt(b, "maxUnavailable"), Optional.of(argo)));
    }
    return Optional.empty();
  }

  private static ArgoStrategy.CanaryStep step(ManifestParser.DocumentReader r, MappingNode step) {
    var at = r.at(step);
    Optional<Integer> weight = r.optInt(step, "setWeight");
    if (weight.isPresent()) {
      return new ArgoStrategy.CanaryStep.SetWeight(percent(r, step, "setWeight", weight.get()), at);
    }
    if (r.value(step, "pause").isPresent()) {
      Node pause = r.value(step, "pause").get();
      Optional<String> duration = pause instanceof MappingNode m
          ? r.value(m, "duration").map(d -> r.scalarOrEmpty(d, "a pause duration")) : Optional.empty();
      return new ArgoStrategy.CanaryStep.Pause(duration, at);
    }
    Optional<MappingNode> scale = r.optMapping(step, "setCanaryScale");
    if (scale.isPresent()) {
      MappingNode s = scale.get();
      Optional<Integer> w = r.optInt(s, "weight");
      w.ifPresent(v -> percent(r, s, "weight", v));
      Optional<Integer> replicas = r.optInt(s, "replicas");
      if (replicas.filter(n -> n < 0).isPresent()) {
        throw new SourceParseException(r.keyAt(s, "replicas").orElse(at), "replicas must be 0 or more but was "
            + replicas.get());
      }
      return new ArgoStrategy.CanaryStep.SetCanaryScale(replicas, w, bool(r, s, "matchTrafficWeight").orElse(false), at);
    }
    if (r.value(step, "analysis").isPresent()) {
      return new ArgoStrategy.CanaryStep.Analysis(at);
    }
    String name = step.getValue().stream().map(NodeTuple::getKeyNode).filter(ScalarNode.class::isInstance)
        .map(k -> ((ScalarNode) k).getValue()).findFirst().orElse("");
    return new ArgoStrategy.CanaryStep.Other(name, at);
  }

  private static int percent(ManifestParser.DocumentReader r, MappingNode m, String key, int value) {
    if (value < 0 || value > 100) {
      throw new SourceParseException(r.keyAt(m, key).orElse(r.at(m)),
          key + " must be a percentage from 0 to 100 but was " + value);
    }
    return value;
  }

  private static Optional<Boolean> bool(ManifestParser.DocumentReader r, MappingNode m, String key) {
    return r.optString(m, key).map(v -> switch (v) {
      case "true", "True", "TRUE" -> true;
      case "false", "False", "FALSE" -> false;
      default -> throw new SourceParseException(r.keyAt(m, key).orElse(r.at(m)),
          key + " must be true or false but was '" + v + "'");
    });
  }
}
