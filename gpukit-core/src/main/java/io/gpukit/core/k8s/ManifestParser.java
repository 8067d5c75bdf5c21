package io.gpukit.core.k8s;

import io.gpukit.core.internal.yaml.YamlReader;
import io.gpukit.core.source.SourceFile;
import io.gpukit.core.source.SourceLocation;
import io.gpukit.core.source.SourceParseException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Parses Kubernetes manifest files: any number of YAML documents, in any order, separated by
 * {@code ---}; empty documents and comments are skipped.
 *
 * <p>Workloads (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, and bare Pods, known
 * by API group and kind) and the pod templates of custom resources that run pods (Ray,
 * LeaderWorkerSet, Kubeflow training jobs, Volcano Jobs, KServe predictors, Argo Rollouts) are read
 * down to their containers, Dynamic Resource Allocation claims and claim templates ({@code
 * resource.k8s.io}) down to their device classes and counts; every other document is kept by its identity. A value of the wrong shape where
 * gpukit reads (a string for {@code replicas}, {@code maxSurge: "1"}) is a located {@link
 * SourceParseException}, as the API server would refuse it.
 *
 * <p>Helm-style actions ({@code {{ … }}}) inside scalar values do not stop the reading: a file that
 * is valid YAML with {@code image: "{{ .Values.image }}"} is read in full, and such an image is a
 * placeholder ({@link ContainerImage#isPlaceholder()}). A file that is not a manifest until Helm
 * renders it ({@code {{- if … }}} lines, {@code {{ include … | nindent 4 }}} blocks, an unquoted
 * {@code replicas: {{ .Values.replicas }}}, a quoted template where gpukit reads a number) is not
 * parsed: {@link Manifests#helmTemplate()} says where its first template action is.
 *
 * @since 0.1.0
 */
public final class ManifestParser {

  /** Template actions that make a file an unrendered Helm (Go) template rather than YAML. */
  private static final Pattern HELM =
      Pattern.compile(
          "(?m)^\\s*(-\\s+)?\\{\\{|:\\s+\\{\\{|\\{\\{-?\\s*(include|template|tpl|toYaml|\\.Values|\\.Release|\\.Chart"
              + "|\\.Capabilities|\\.Files|\\$\\.Values)\\b");

  /** A top-level {@code apiVersion:} and {@code kind:} line, as every manifest document has. */
  private static final Pattern API_VERSION = Pattern.compile("(?m)^apiVersion\\s*:\\s*\\S");
  private static final Pattern KIND = Pattern.compile("(?m)^kind\\s*:\\s*\\S");

  private ManifestParser() {}

  /**
   * Whether text looks like a Kubernetes manifest: some line at column 0 sets {@code apiVersion}
   * and some sets {@code kind}. Cheap, for discovering files; parsing decides the rest.
   */
  public static boolean looksLikeManifest(String text) {
    return API_VERSION.matcher(text).find() && KIND.matcher(text).find();
  }

  /**
   * Parses a manifest file.
   *
   * @throws SourceParseException with the location where the file stops being a manifest
   */
  public static Manifests parse(SourceFile file) {
    if (!file.text().contains("{{")) {
      return read(file.path(), YamlReader.composeAll(file));
    }
    Optional<SourceLocation> helm = helmTemplate(file);
    try {
      List<Node> docs = YamlReader.composeAll(file);
      Optional<SourceLocation> action = templateOutsideScalars(file.path(), docs);
      if (action.isEmpty()) {
        return read(file.path(), docs);
      }
      return new Manifests(file.path(), List.of(), helm.or(() -> action));
    } catch (SourceParseException e) {
      if (helm.isEmpty()) {
        throw e;
      }
      return new Manifests(file.path(), List.of(), helm);
    }
  }

  private static Manifests read(Path path, List<Node> docs) {
    List<Resource> resources = new ArrayList<>();
    for (Node doc : docs) {
      resources.addAll(new DocumentReader(path).resources(doc));
    }
    return new Manifests(path, resources, Optional.empty());
  }

  /**
   * Where a template action stands outside a scalar, if one does. YAML reads an unquoted {@code {{
   * .Values.x }}} as a flow mapping whose key is a flow mapping; no manifest has a key that is not a
   * single value, so such a key is a template action that YAML took for structure. Actions inside
   * scalars ({@code image: "{{ .Values.image }}"}, a ConfigMap's script) are values and leave the
   * file readable.
   */
  private static Optional<SourceLocation> templateOutsideScalars(Path path, List<Node> docs) {
    Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    Deque<Node> todo = new ArrayDeque<>(docs);
    while (!todo.isEmpty()) {
      Node node = todo.pop();
      if (!seen.add(node)) {
        continue;
      }
      if (node instanceof MappingNode map) {
        for (NodeTuple t : map.getValue()) {
          if (!(t.getKeyNode() instanceof ScalarNode)) {
            return Optional.of(YamlReader.location(path, t.getKeyNode()));
          }
          todo.push(t.getValueNode());
        }
      } else if (node instanceof SequenceNode seq) {
        seq.getValue().forEach(todo::push);
      }
    }
    return Optional.empty();
  }

  private static Optional<SourceLocation> helmTemplate(SourceFile file) {
    String text = file.text();
    if (!text.contains("{{")) {
      return Optional.empty();
    }
    Matcher m = HELM.matcher(text);
    while (m.find()) {
      int at = text.indexOf("{{", m.start());
      int lineStart = text.lastIndexOf('\n', at - 1) + 1;
      if (text.substring(lineStart, at).strip().startsWith("#")) {
        continue; // a comment that shows a template is no template
      }
      int line = 1;
      for (int i = 0; i < lineStart; i++) {
        if (text.charAt(i) == '\n') {
          line++;
        }
      }
      return Optional.of(SourceLocation.of(file.path(), line, at - lineStart + 1));
    }
    return Optional.empty();
  }

  /** Reads one document; knows the file for locations. */
  static final class DocumentReader {
    private final Path path;

    DocumentReader(Path path) {
      this.path = path;
    }

    /**
     * The resources of one document: one, or one workload per pod template of a custom resource
     * that runs pods (a RayService's head and worker groups); an unknown kind, or a custom resource
     * without a pod template written out (a RayJob that selects an existing cluster), is one {@link
     * OtherResource}.
     */
    List<Resource> resources(Node doc) {
      MappingNode top = mapping(doc, "a Kubernetes manifest document");
      SourceLocation location = at(doc);
      String apiVersion = requiredString(top, "apiVersion", doc);
      String kind = requiredString(top, "kind", doc);
      Optional<MappingNode> metadata = optMapping(top, "metadata");
      String name = metadata.flatMap(m -> optString(m, "name")).orElse("");
      Optional<String> namespace = metadata.flatMap(m -> optString(m, "namespace"));
      String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
      if (group.equals("resource.k8s.io")
          && (kind.equals(ResourceClaim.KIND) || kind.equals(ResourceClaimTemplate.KIND))) {
        return List.of(deviceClaim(top, apiVersion, kind, name, namespace, location));
      }
      if (isBuiltInWorkload(group, kind)) {
        return List.of(workload(top, apiVersion, kind, name, namespace, location));
      }
      CustomTemplates.Identity id = new CustomTemplates.Identity(apiVersion, kind, name, namespace, location);
      List<Resource> templates = CustomTemplates.read(this, group, top, id);
      return templates.isEmpty() ? List.of(new OtherResource(apiVersion, kind, name, namespace, location)) : templates;
    }

    /**
     * Whether the kind is a built-in workload of its API group: a Pod of the core group ({@code
     * v1}), a Deployment, StatefulSet, DaemonSet or ReplicaSet of {@code apps} (or the old {@code
     * extensions}), a Job or CronJob of {@code batch}. A {@code batch.volcano.sh} Job is not one.
     */
    static boolean isBuiltInWorkload(String group, String kind) {
      return switch (kind) {
        case "Pod" -> group.isEmpty();
        case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet" -> group.equals("apps") || group.equals("extensions");
        case "Job", "CronJob" -> group.equals("batch");
        default -> false;
      };
    }

    Resource workload(MappingNode top, String apiVersion, String kind, String name, Optional<String> namespace,
        SourceLocation location) {
      MappingNode spec = optMapping(top, "spec")
          .orElseThrow(() -> new SourceParseException(location, kind + " '" + name + "' has no spec"));
      if (kind.equals("Pod")) {
        return new Workload(apiVersion, kind, name, namespace, Optional.empty(), Optional.empty(), Optional.empty(),
            podSpec(spec, optMapping(top, "metadata")), location, Optional.empty(), Optional.empty(), Optional.empty(), "", Workload.Role.SERVING,
            Optional.empty(), Optional.empty());
      }
      MappingNode templateOwner = spec;
      if (kind.equals("CronJob")) {
        MappingNode jobTemplate = optMapping(spec, "jobTemplate")
            .orElseThrow(() -> new SourceParseException(at(spec), "CronJob '" + name + "' has no spec.jobTemplate"));
        templateOwner = optMapping(jobTemplate, "spec")
            .orElseThrow(() -> new SourceParseException(at(jobTemplate), "CronJob '" + name + "' has no spec.jobTemplate.spec"));
      }
      MappingNode owner = templateOwner;
      MappingNode template = optMapping(owner, "template")
          .orElseThrow(() -> new SourceParseException(at(owner), kind + " '" + name + "' has no pod template ('template')"));
      PodTemplate pod = podTemplate(template);
      boolean deployment = kind.equals("Deployment");
      boolean batch = kind.equals("Job") || kind.equals("CronJob");
      Optional<Integer> replicas = kind.equals("DaemonSet") || batch ? Optional.empty() : optInt(spec, "replicas");
      Optional<RolloutStrategy> strategy = deployment ? optMapping(spec, "strategy").map(this::strategy) : Optional.empty();
      Optional<Integer> history = deployment ? optInt(spec, "revisionHistoryLimit") : Optional.empty();
      Optional<Integer> deadline = batch ? optInt(owner, "activeDeadlineSeconds") : Optional.empty();
      Optional<String> deadlineField = !batch ? Optional.empty()
          : Optional.of(kind.equals("CronJob") ? "spec.jobTemplate.spec" : "spec");
      return new Workload(apiVersion, kind, name, namespace, replicas, strategy, history, pod, location,
          keyAt(spec, "replicas"), deployment ? keyAt(spec, "revisionHistoryLimit") : Optional.empty(), deadline, "",
          batch ? Workload.Role.BATCH : Workload.Role.SERVING, deadlineField, Optional.empty());
    }

    /**
     * A ResourceClaim ({@code spec.devices.requests}) or ResourceClaimTemplate ({@code
     * spec.spec.devices.requests}); a request's class is read from {@code deviceClassName}, {@code
     * exactly.deviceClassName} or each {@code firstAvailable} entry.
     */
    Resource deviceClaim(MappingNode top, String apiVersion, String kind, String name, Optional<String> namespace,
        SourceLocation location) {
      Optional<MappingNode> spec = optMapping(top, "spec");
      if (kind.equals(ResourceClaimTemplate.KIND)) {
        spec = spec.flatMap(s -> optMapping(s, "spec"));
      }
      List<DeviceRequest> requests = new ArrayList<>();
      Optional<MappingNode> devices = spec.flatMap(s -> optMapping(s, "devices"));
      for (Node item : devices.map(d -> optSequence(d, "requests")).orElse(List.of())) {
        MappingNode r = mapping(item, "a device request");
        String requestName = optString(r, "name").orElse("");
        List<MappingNode> shapes = new ArrayList<>();
        shapes.add(r);
        optMapping(r, "exactly").ifPresent(shapes::add);
        for (Node alternative : optSequence(r, "firstAvailable")) {
          shapes.add(mapping(alternative, "a firstAvailable entry"));
        }
        for (MappingNode shape : shapes) {
          Optional<String> deviceClass = optString(shape, "deviceClassName");
          if (deviceClass.isPresent()) {
            int count = optInt(shape, "count").orElse(1);
            if (count < 0) {
              throw new SourceParseException(keyAt(shape, "count").orElse(at(shape)),
                  "count must be 0 or more but was " + count);
            }
            requests.add(new DeviceRequest(requestName, deviceClass.get(), count, at(shape)));
          }
        }
      }
      return kind.equals(ResourceClaim.KIND)
          ? new ResourceClaim(apiVersion, name, namespace, requests, location)
          : new ResourceClaimTemplate(apiVersion, name, namespace, requests, location);
    }

    RolloutStrategy strategy(MappingNode node) {
      RolloutStrategy.Type type = RolloutStrategy.Type.ROLLING_UPDATE;
      Optional<String> written = optString(node, "type");
      if (written.isPresent()) {
        type = switch (written.get()) {
          case "RollingUpdate" -> RolloutStrategy.Type.ROLLING_UPDATE;
          case "Recreate" -> RolloutStrategy.Type.RECREATE;
          default -> throw new SourceParseException(keyAt(node, "type").orElse(at(node)),
              "strategy.type must be RollingUpdate or Recreate but was '" + written.get() + "'");
        };
      }
      Optional<MappingNode> rolling = optMapping(node, "rollingUpdate");
      Optional<IntOrString> surge = rolling.flatMap(r -> optIntOrString(r, "maxSurge"));
      Optional<IntOrString> unavailable = rolling.flatMap(r -> optIntOrString(r, "maxUnavailable"));
      return new RolloutStrategy(type, surge, unavailable, Optional.of(at(node)),
          rolling.flatMap(r -> keyAt(r, "maxSurge")), rolling.flatMap(r -> keyAt(r, "maxUnavailable")));
    }

    PodTemplate podTemplate(MappingNode template) {
      MappingNode spec = optMapping(template, "spec")
          .orElseThrow(() -> new SourceParseException(at(template), "the pod template has no spec"));
      return podSpec(spec, optMapping(template, "metadata"));
    }

    PodTemplate podSpec(MappingNode spec) {
      return podSpec(spec, Optional.empty());
    }

    /** A pod spec, with the annotations of the metadata beside it (a template's, or a bare Pod's). */
    PodTemplate podSpec(MappingNode spec, Optional<MappingNode> metadata) {
      Map<String, String> annotations = new LinkedHashMap<>();
      Map<String, SourceLocation> annotationsAt = new LinkedHashMap<>();
      metadata.flatMap(m -> optMapping(m, "annotations")).ifPresent(m -> {
        for (NodeTuple t : m.getValue()) {
          String key = YamlReader.key(path, t);
          annotations.put(key, scalarOrEmpty(t.getValueNode(), "an annotation value"));
          annotationsAt.put(key, at(t.getKeyNode()));
        }
      });
      List<Container> containers = containers(spec, "containers");
      List<Container> init = containers(spec, "initContainers");
      Map<String, String> nodeSelector = new LinkedHashMap<>();
      Map<String, SourceLocation> nodeSelectorAt = new LinkedHashMap<>();
      optMapping(spec, "nodeSelector").ifPresent(m -> {
        for (NodeTuple t : m.getValue()) {
          String key = YamlReader.key(path, t);
          nodeSelector.put(key, scalarOrEmpty(t.getValueNode(), "a nodeSelector value"));
          nodeSelectorAt.put(key, at(t.getKeyNode()));
        }
      });
      Optional<MappingNode> affinityNode = optMapping(spec, "affinity");
      Optional<SourceLocation> affinity = affinityNode.flatMap(a -> keyAt(a, "nodeAffinity"));
      List<List<NodeRequirement>> required = affinityNode.flatMap(a -> optMapping(a, "nodeAffinity"))
          .flatMap(n -> optMapping(n, "requiredDuringSchedulingIgnoredDuringExecution"))
          .map(this::nodeSelectorTerms).orElse(List.of());
      List<Toleration> tolerations = new ArrayList<>();
      for (Node item : optSequence(spec, "tolerations")) {
        MappingNode t = mapping(item, "a toleration");
        tolerations.add(new Toleration(optString(t, "key").orElse(""), optString(t, "operator").orElse("Equal"),
            optString(t, "value").orElse(""), optString(t, "effect").orElse(""), at(item)));
      }
      Optional<SecurityContext> security = optMapping(spec, "securityContext").map(this::securityContext);
      List<PodResourceClaim> claims = new ArrayList<>();
      for (Node item : optSequence(spec, "resourceClaims")) {
        MappingNode c = mapping(item, "a resourceClaims entry");
        Optional<MappingNode> source = optMapping(c, "source");
        Optional<String> template = optString(c, "resourceClaimTemplateName")
            .or(() -> source.flatMap(s -> optString(s, "resourceClaimTemplateName")));
        Optional<String> claim = optString(c, "resourceClaimName")
            .or(() -> source.flatMap(s -> optString(s, "resourceClaimName")));
        claims.add(new PodResourceClaim(optString(c, "name").orElse(""), template, claim, at(item)));
      }
      return new PodTemplate(containers, init, nodeSelector, nodeSelectorAt, affinity, required, tolerations, security,
          optString(spec, "restartPolicy"), optInt(spec, "activeDeadlineSeconds"), claims, annotations, annotationsAt,
          at(spec));
    }

    List<List<NodeRequirement>> nodeSelectorTerms(MappingNode selector) {
      List<List<NodeRequirement>> terms = new ArrayList<>();
      for (Node term : optSequence(selector, "nodeSelectorTerms")) {
        List<NodeRequirement> requirements = new ArrayList<>();
        for (Node e : optSequence(mapping(term, "a node selector term"), "matchExpressions")) {
          MappingNode m = mapping(e, "a node selector requirement");
          List<String> values = new ArrayList<>();
          for (Node v : optSequence(m, "values")) {
            values.add(scalarOrEmpty(v, "a node selector value"));
          }
          requirements.add(new NodeRequirement(optString(m, "key").orElse(""), optString(m, "operator").orElse(""),
              values, at(e)));
        }
        terms.add(requirements);
      }
      return terms;
    }

    List<Container> containers(MappingNode spec, String key) {
      List<Container> out = new ArrayList<>();
      for (Node item : optSequence(spec, key)) {
        out.add(container(mapping(item, "a container"), ""));
      }
      return out;
    }

    /** One container; {@code defaultName} when it writes no name (a KServe model, a TrainJob's trainer). */
    Container container(MappingNode c, String defaultName) {
      String name = optString(c, "name").orElse(defaultName);
      Optional<String> image = optString(c, "image");
      Resources resources = optMapping(c, "resources").map(this::resources).orElse(Resources.NONE);
      return new Container(
          name,
          ContainerImage.parse(image.orElse("")),
          resources,
          optMapping(c, "readinessProbe").map(this::probe),
          optMapping(c, "livenessProbe").map(this::probe),
          optMapping(c, "startupProbe").map(this::probe),
          optMapping(c, "securityContext").map(this::securityContext),
          at(c),
          keyAt(c, "image").orElse(at(c)));
    }

    Resources resources(MappingNode node) {
      Map<String, Quantity> limits = new LinkedHashMap<>();
      Map<String, Quantity> requests = new LinkedHashMap<>();
      Map<String, SourceLocation> limitAt = new LinkedHashMap<>();
      Map<String, SourceLocation> requestAt = new LinkedHashMap<>();
      optMapping(node, "limits").ifPresent(m -> quantities(m, limits, limitAt));
      optMapping(node, "requests").ifPresent(m -> quantities(m, requests, requestAt));
      List<ClaimReference> claims = new ArrayList<>();
      for (Node item : optSequence(node, "claims")) {
        MappingNode c = mapping(item, "a resources.claims entry");
        claims.add(new ClaimReference(optString(c, "name").orElse(""), optString(c, "request"), at(item)));
      }
      return new Resources(limits, requests, limitAt, requestAt, claims);
    }

    void quantities(MappingNode m, Map<String, Quantity> into, Map<String, SourceLocation> where) {
      for (NodeTuple t : m.getValue()) {
        String resource = YamlReader.key(path, t);
        String text = YamlReader.scalar(path, t.getValueNode(), "the quantity of " + resource);
        try {
          into.put(resource, Quantity.parse(text));
        } catch (IllegalArgumentException e) {
          throw new SourceParseException(at(t.getValueNode()), resource + ": " + e.getMessage());
        }
        where.put(resource, at(t.getKeyNode()));
      }
    }

    Probe probe(MappingNode node) {
      List<ProbeAction> actions = new ArrayList<>();
      optMapping(node, "exec").ifPresent(e -> {
        List<String> command = new ArrayList<>();
        for (Node arg : optSequence(e, "command")) {
          command.add(scalarOrEmpty(arg, "an exec command argument"));
        }
        actions.add(new ProbeAction.Exec(command));
      });
      optMapping(node, "httpGet").ifPresent(h -> actions.add(new ProbeAction.HttpGet(
          optString(h, "path").orElse("/"), optString(h, "port").orElse(""), optString(h, "scheme").orElse("HTTP"))));
      optMapping(node, "tcpSocket").ifPresent(t -> actions.add(new ProbeAction.TcpSocket(optString(t, "port").orElse(""))));
      optMapping(node, "grpc").ifPresent(g -> actions.add(
          new ProbeAction.Grpc(optString(g, "port").orElse(""), optString(g, "service"))));
      if (actions.size() != 1) {
        throw new SourceParseException(at(node), "a probe needs exactly one of exec, httpGet, tcpSocket or grpc but has "
            + actions.size());
      }
      return new Probe(
          actions.get(0),
          optInt(node, "initialDelaySeconds").orElse(0),
          optInt(node, "periodSeconds").orElse(Probe.DEFAULT_PERIOD_SECONDS),
          optInt(node, "timeoutSeconds").orElse(Probe.DEFAULT_TIMEOUT_SECONDS),
          optInt(node, "failureThreshold").orElse(Probe.DEFAULT_FAILURE_THRESHOLD),
          optInt(node, "successThreshold").orElse(1),
          at(node));
    }

    SecurityContext securityContext(MappingNode node) {
      Optional<Boolean> nonRoot = optString(node, "runAsNonRoot").map(v -> bool(node, "runAsNonRoot", v));
      OptionalLong user = optInt(node, "runAsUser").map(OptionalLong::of).orElse(OptionalLong.empty());
      return new SecurityContext(nonRoot, user, at(node));
    }

    private boolean bool(MappingNode node, String key, String value) {
      return switch (value) {
        case "true", "True", "TRUE" -> true;
        case "false", "False", "FALSE" -> false;
        default -> throw new SourceParseException(keyAt(node, key).orElse(at(node)),
            key + " must be true or false but was '" + value + "'");
      };
    }

    // --- node helpers ---

    SourceLocation at(Node node) {
      return YamlReader.location(path, node);
    }

    MappingNode mapping(Node node, String what) {
      return YamlReader.mapping(path, node, what);
    }

    /** A value, absent when the key is missing or its value is null ({@code key:} or {@code ~}). */
    Optional<Node> value(MappingNode map, String key) {
      return YamlReader.get(map, key).filter(n -> !(n instanceof ScalarNode s && s.getTag().equals(Tag.NULL)));
    }

    Optional<SourceLocation> keyAt(MappingNode map, String key) {
      for (NodeTuple t : map.getValue()) {
        if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
          return Optional.of(at(k));
        }
      }
      return Optional.empty();
    }

    Optional<MappingNode> optMapping(MappingNode map, String key) {
      return value(map, key).map(n -> mapping(n, key));
    }

    List<Node> optSequence(MappingNode map, String key) {
      Optional<Node> node = value(map, key);
      if (node.isEmpty()) {
        return List.of();
      }
      if (node.get() instanceof SequenceNode seq) {
        return seq.getValue();
      }
      throw new SourceParseException(at(node.get()), key + " should be a list");
    }

    Optional<String> optString(MappingNode map, String key) {
      return value(map, key).map(n -> YamlReader.scalar(path, n, key));
    }

    String scalarOrEmpty(Node node, String what) {
      return node instanceof ScalarNode s && s.getTag().equals(Tag.NULL) ? "" : YamlReader.scalar(path, node, what);
    }

    String requiredString(MappingNode map, String key, Node doc) {
      return optString(map, key).filter(s -> !s.isBlank()).orElseThrow(() -> new SourceParseException(
          at(doc), "a Kubernetes manifest document needs '" + key + "'"));
    }

    Optional<Integer> optInt(MappingNode map, String key) {
      Optional<Node> node = value(map, key);
      if (node.isEmpty()) {
        return Optional.empty();
      }
      String text = YamlReader.scalar(path, node.get(), key);
      if (node.get() instanceof ScalarNode s && s.getTag().equals(Tag.INT)) {
        try {
          return Optional.of(Integer.parseInt(text.replace("_", "")));
        } catch (NumberFormatException e) {
          // falls through to the error below
        }
      }
      throw new SourceParseException(at(node.get()), key + " must be an integer but was '" + text + "'");
    }

    Optional<IntOrString> optIntOrString(MappingNode map, String key) {
      Optional<Node> node = value(map, key);
      if (node.isEmpty()) {
        return Optional.empty();
      }
      String text = YamlReader.scalar(path, node.get(), key);
      boolean isInt = node.get() instanceof ScalarNode s && s.getTag().equals(Tag.INT);
      if (!isInt && !text.strip().endsWith("%")) {
        throw new SourceParseException(at(node.get()),
            key + " must be an integer or a percentage such as '25%' but was the string '" + text + "'");
      }
      try {
        return Optional.of(IntOrString.parse(text));
      } catch (IllegalArgumentException e) {
        throw new SourceParseException(at(node.get()), key + ": " + e.getMessage());
      }
    }
  }
}
