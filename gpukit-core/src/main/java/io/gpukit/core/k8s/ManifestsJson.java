package io.gpukit.core.k8s;

import static io.gpukit.core.internal.JsonFields.putOptional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpukit.core.source.SourceLocation;
import java.util.Optional;

/**
 * The JSON form of parsed manifests, as {@code gpukit parse k8s FILE --format json} prints it:
 * pretty-printed, fields in a fixed order, {@code null} for absent values, a {@code line} and
 * {@code column} for every located element.
 *
 * @since 0.1.0
 */
public final class ManifestsJson {

  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ManifestsJson() {}

  /** Renders the file and its documents. */
  public static String toJson(Manifests manifests) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("file", SourceLocation.renderPath(manifests.path()));
    manifests.helmTemplate().ifPresentOrElse(at -> locate(root.putObject("helmTemplate"), at), () -> root.putNull("helmTemplate"));
    ArrayNode resources = root.putArray("resources");
    for (Resource r : manifests.resources()) {
      ObjectNode o = resources.addObject();
      o.put("apiVersion", r.apiVersion());
      o.put("kind", r.kind());
      o.put("name", r.name());
      putOptional(o, "namespace", r.namespace());
      locate(o, r.location());
      if (r instanceof Workload w) {
        workload(o, w);
      } else if (r instanceof DeviceClaim claim) {
        ArrayNode requests = o.putArray("requests");
        claim.requests().forEach(req -> {
          ObjectNode x = requests.addObject();
          x.put("name", req.name());
          x.put("deviceClassName", req.deviceClassName());
          x.put("count", req.count());
          locate(x, req.location());
        });
      }
    }
    try {
      return MAPPER.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void workload(ObjectNode o, Workload w) {
    o.put("part", w.part());
    o.put("role", w.role() == Workload.Role.BATCH ? "batch" : "serving");
    w.replicas().ifPresentOrElse(n -> o.put("replicas", n), () -> o.putNull("replicas"));
    w.revisionHistoryLimit().ifPresentOrElse(n -> o.put("revisionHistoryLimit", n), () -> o.putNull("revisionHistoryLimit"));
    w.activeDeadlineSeconds().ifPresentOrElse(n -> o.put("activeDeadlineSeconds", n), () -> o.putNull("activeDeadlineSeconds"));
    if (w.strategy().isPresent()) {
      RolloutStrategy s = w.strategy().get();
      ObjectNode so = o.putObject("strategy");
      so.put("type", s.type() == RolloutStrategy.Type.RECREATE ? "Recreate" : "RollingUpdate");
      putOptional(so, "maxSurge", s.maxSurge().map(IntOrString::toString));
      putOptional(so, "maxUnavailable", s.maxUnavailable().map(IntOrString::toString));
      s.location().ifPresent(at -> locate(so, at));
    } else {
      o.putNull("strategy");
    }
    PodTemplate t = w.template();
    ObjectNode to = o.putObject("template");
    locate(to, t.location());
    ObjectNode selector = to.putObject("nodeSelector");
    t.nodeSelector().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
        .forEach(e -> selector.put(e.getKey(), e.getValue()));
    to.put("nodeAffinity", t.affinity().isPresent());
    ArrayNode terms = to.putArray("requiredNodeAffinity");
    t.requiredNodeAffinity().forEach(term -> {
      ArrayNode expressions = terms.addArray();
      term.forEach(req -> {
        ObjectNode x = expressions.addObject();
        x.put("key", req.key());
        x.put("operator", req.operator());
        ArrayNode values = x.putArray("values");
        req.values().forEach(values::add);
        locate(x, req.location());
      });
    });
    putOptional(to, "restartPolicy", t.restartPolicy());
    t.activeDeadlineSeconds().ifPresentOrElse(n -> to.put("activeDeadlineSeconds", n), () -> to.putNull("activeDeadlineSeconds"));
    ArrayNode podClaims = to.putArray("resourceClaims");
    t.resourceClaims().forEach(pc -> {
      ObjectNode x = podClaims.addObject();
      x.put("name", pc.name());
      putOptional(x, "resourceClaimTemplateName", pc.templateName());
      putOptional(x, "resourceClaimName", pc.claimName());
      locate(x, pc.location());
    });
    ArrayNode tolerations = to.putArray("tolerations");
    t.tolerations().forEach(tol -> {
      ObjectNode x = tolerations.addObject();
      x.put("key", tol.key());
      x.put("operator", tol.operator());
      x.put("value", tol.value());
      x.put("effect", tol.effect());
      locate(x, tol.location());
    });
    t.securityContext().ifPresentOrElse(sc -> security(to.putObject("securityContext"), sc), () -> to.putNull("securityContext"));
    containers(to.putArray("initContainers"), t.initContainers());
    containers(to.putArray("containers"), t.containers());
  }

  private static void containers(ArrayNode out, java.util.List<Container> containers) {
    for (Container c : containers) {
      ObjectNode o = out.addObject();
      o.put("name", c.name());
      locate(o, c.location());
      ObjectNode image = o.putObject("image");
      image.put("raw", c.image().raw());
      putOptional(image, "registry", c.image().registry());
      image.put("repository", c.image().repository());
      putOptional(image, "tag", c.image().tag());
      putOptional(image, "digest", c.image().digest());
      ObjectNode res = o.putObject("resources");
      ObjectNode limits = res.putObject("limits");
      c.resources().limits().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
          .forEach(e -> limits.put(e.getKey(), e.getValue().raw()));
      ObjectNode requests = res.putObject("requests");
      c.resources().requests().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
          .forEach(e -> requests.put(e.getKey(), e.getValue().raw()));
      ArrayNode claims = res.putArray("claims");
      c.resources().claims().forEach(ref -> {
        ObjectNode x = claims.addObject();
        x.put("name", ref.name());
        putOptional(x, "request", ref.request());
        locate(x, ref.location());
      });
      probe(o, "readinessProbe", c.readinessProbe());
      probe(o, "livenessProbe", c.livenessProbe());
      probe(o, "startupProbe", c.startupProbe());
      c.securityContext().ifPresentOrElse(sc -> security(o.putObject("securityContext"), sc), () -> o.putNull("securityContext"));
    }
  }

  private static void probe(ObjectNode parent, String key, Optional<Probe> probe) {
    if (probe.isEmpty()) {
      parent.putNull(key);
      return;
    }
    Probe p = probe.get();
    ObjectNode o = parent.putObject(key);
    ProbeAction a = p.action();
    if (a instanceof ProbeAction.Exec e) {
      o.put("handler", "exec");
      ArrayNode cmd = o.putArray("command");
      e.command().forEach(cmd::add);
    } else if (a instanceof ProbeAction.HttpGet h) {
      o.put("handler", "httpGet");
      o.put("path", h.path());
      o.put("port", h.port());
      o.put("scheme", h.scheme());
    } else if (a instanceof ProbeAction.TcpSocket t) {
      o.put("handler", "tcpSocket");
      o.put("port", t.port());
    } else if (a instanceof ProbeAction.Grpc g) {
      o.put("handler", "grpc");
      o.put("port", g.port());
      putOptional(o, "service", g.service());
    }
    o.put("initialDelaySeconds", p.initialDelaySeconds());
    o.put("periodSeconds", p.periodSeconds());
    o.put("timeoutSeconds", p.timeoutSeconds());
    o.put("failureThreshold", p.failureThreshold());
    o.put("successThreshold", p.successThreshold());
    locate(o, p.location());
  }

  private static void security(ObjectNode o, SecurityContext sc) {
    sc.runAsNonRoot().ifPresentOrElse(b -> o.put("runAsNonRoot", b), () -> o.putNull("runAsNonRoot"));
    if (sc.runAsUser().isPresent()) {
      o.put("runAsUser", sc.runAsUser().getAsLong());
    } else {
      o.putNull("runAsUser");
    }
    locate(o, sc.location());
  }

  private static void locate(ObjectNode o, SourceLocation at) {
    o.put("line", at.line());
    o.put("column", at.column());
  }
}
