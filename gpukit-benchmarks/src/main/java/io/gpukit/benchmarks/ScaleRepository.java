package io.gpukit.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * A synthetic GPU monorepo for the scale benchmark: services under {@code services/<name>/}, each
 * with a Dockerfile, {@code k8s/deployment.yaml} and a {@code promotion.yaml}, and a workflow
 * {@code .github/workflows/<name>.yml} that builds, GPU-tests and pushes its image. A share of the
 * services carries one seeded defect each, in one of their files, each breaking one known rule
 * once; {@link #seeded()} lists them, and {@link #writeManifest(Path)} writes them down for the
 * benchmark to check the report against.
 *
 * <p>The same seed and size give the same bytes.
 *
 * <pre>{@code
 * java -cp gpukit-benchmarks/target/benchmarks.jar io.gpukit.benchmarks.ScaleRepository \
 *     --out target/scale/10k --files 10000 --seed 15
 * }</pre>
 */
public final class ScaleRepository {

  /** Files written per service: Dockerfile, deployment, promotion flow, workflow. */
  public static final int FILES_PER_SERVICE = 4;

  /** About one service in this many carries a defect. */
  static final int ONE_IN = 16;

  /**
   * A defect seeded into one file of a service: the rule it breaks, once.
   *
   * @param ruleId the rule whose one finding the defect causes
   * @param file the file it is seeded into, relative to the repository
   */
  public record Seeded(String ruleId, String file) {}

  /** The kinds of seeded defects: each breaks exactly one rule, once, in one file. */
  enum Defect {
    ROOT_USER("dockerfile/final-stage-non-root"),
    CURL_HEALTHCHECK("dockerfile/final-stage-healthcheck"),
    MAX_SURGE_ZERO("k8s/rollout-can-progress"),
    AUTOMATIC_PROD_GATE("promotion/prod-gate-manual"),
    PUSH_NOT_GATED("workflow/push-gated-on-main"),
    BROKEN_YAML("gpukit/parse-error");

    final String ruleId;

    Defect(String ruleId) {
      this.ruleId = ruleId;
    }
  }

  private final int services;
  private final long seed;
  private final List<Seeded> seeded = new ArrayList<>();

  private ScaleRepository(int services, long seed) {
    this.services = services;
    this.seed = seed;
  }

  /** A repository of about {@code files} files ({@link #FILES_PER_SERVICE} per service, at least one service). */
  public static ScaleRepository ofFiles(int files, long seed) {
    return new ScaleRepository(Math.max(1, files / FILES_PER_SERVICE), seed);
  }

  /** The number of services. */
  public int services() {
    return services;
  }

  /** The defects seeded by the last {@link #writeTo(Path)}, in path order. */
  public List<Seeded> seeded() {
    return List.copyOf(seeded);
  }

  /** The expected count of findings per rule id, sorted by id. */
  public Map<String, Integer> expectedCounts() {
    Map<String, Integer> counts = new TreeMap<>();
    seeded.forEach(s -> counts.merge(s.ruleId(), 1, Integer::sum));
    return counts;
  }

  /** Writes the repository into a folder (created if missing); returns the number of files written. */
  public int writeTo(Path repo) {
    seeded.clear();
    Random random = new Random(seed);
    int written = 0;
    for (int i = 1; i <= services; i++) {
      String name = String.format(Locale.ROOT, "svc-%05d", i);
      Service service = new Service(name, 8000 + random.nextInt(1000), 1 + random.nextInt(4));
      Defect defect = random.nextInt(ONE_IN) == 0 ? Defect.values()[random.nextInt(Defect.values().length)] : null;
      Path dir = repo.resolve("services").resolve(name);
      written += write(dir.resolve("Dockerfile"), service.dockerfile(defect));
      written += write(dir.resolve("k8s/deployment.yaml"), service.deployment(defect));
      written += write(dir.resolve("promotion.yaml"), service.promotion(defect));
      written += write(repo.resolve(".github/workflows/" + name + ".yml"), service.workflow(defect));
      if (defect != null) {
        seeded.add(new Seeded(defect.ruleId, service.fileOf(defect)));
      }
    }
    seeded.sort(java.util.Comparator.comparing(Seeded::file));
    return written;
  }

  /**
   * Writes the seeded defects as tab-separated lines, {@code rule-id<TAB>file}, after a comment
   * that says how the repository was made.
   */
  public void writeManifest(Path manifest) {
    StringBuilder out = new StringBuilder();
    out.append("# seeded defects: services=").append(services).append(" files=").append(services * FILES_PER_SERVICE)
        .append(" seed=").append(seed).append('\n');
    seeded.forEach(s -> out.append(s.ruleId()).append('\t').append(s.file()).append('\n'));
    write(manifest, out.toString());
  }

  private static int write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text, StandardCharsets.UTF_8);
      return 1;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Generates a repository: {@code --out DIR} (the repository goes to {@code DIR/repo}, the
   * manifest to {@code DIR/seeded-defects.tsv}), {@code --files N} (default 1000), {@code --seed S}
   * (default 15).
   */
  public static void main(String[] args) {
    Path out = null;
    int files = 1000;
    long seed = 15;
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--out" -> out = Path.of(required(args[i], value));
        case "--files" -> files = Integer.parseInt(required(args[i], value));
        case "--seed" -> seed = Long.parseLong(required(args[i], value));
        default -> throw new IllegalArgumentException("unknown option '" + args[i] + "': expected --out, --files, --seed");
      }
      i++;
    }
    if (out == null) {
      throw new IllegalArgumentException("--out DIR is required");
    }
    ScaleRepository repository = ofFiles(files, seed);
    int written = repository.writeTo(out.resolve("repo"));
    repository.writeManifest(out.resolve("seeded-defects.tsv"));
    System.out.printf(Locale.ROOT, "wrote %d files (%d services, %d seeded defects) to %s%n",
        written, repository.services(), repository.seeded().size(), out.resolve("repo"));
  }

  private static String required(String option, String value) {
    if (value == null) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return value;
  }

  /** One service's files, clean or with its defect. */
  private record Service(String name, int port, int replicas) {

    String image() {
      return "ghcr.io/acme/" + name;
    }

    String fileOf(Defect defect) {
      return switch (defect) {
        case ROOT_USER, CURL_HEALTHCHECK -> "services/" + name + "/Dockerfile";
        case MAX_SURGE_ZERO -> "services/" + name + "/k8s/deployment.yaml";
        case AUTOMATIC_PROD_GATE, BROKEN_YAML -> "services/" + name + "/promotion.yaml";
        case PUSH_NOT_GATED -> ".github/workflows/" + name + ".yml";
      };
    }

    String dockerfile(Defect defect) {
      String healthcheck = defect == Defect.CURL_HEALTHCHECK
          ? "HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \\\n"
              + "  CMD [\"curl\", \"-fsS\", \"http://localhost:" + port + "/healthz\"]\n"
          : "HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \\\n"
              + "  CMD [\"java\", \"-jar\", \"/opt/gpukit/gpukit-probe.jar\", \"--heartbeat\", \"/tmp/gpu-heartbeat.json\", \"--max-age\", \"20s\"]\n";
      return "# syntax=docker/dockerfile:1\n"
          + "# " + name + ": a GPU inference service of the monorepo.\n"
          + "FROM eclipse-temurin:17.0.16_8-jdk-noble AS build\n"
          + "WORKDIR /src\n"
          + "COPY target/" + name + ".jar /src/app.jar\n"
          + "RUN jlink --add-modules java.base,java.management,jdk.httpserver --no-man-pages \\\n"
          + "      --no-header-files --compress=2 --output /opt/jre\n"
          + "\n"
          + "FROM nvidia/cuda:13.0.1-runtime-ubuntu24.04\n"
          + "COPY --from=build /opt/jre /opt/jre\n"
          + "COPY --from=build /src/app.jar /opt/" + name + "/app.jar\n"
          + "COPY target/gpukit-probe.jar /opt/gpukit/gpukit-probe.jar\n"
          + "ENV PATH=/opt/jre/bin:$PATH HOME=/tmp\n"
          + (defect == Defect.ROOT_USER ? "" : "USER 10001:10001\n")
          + "EXPOSE " + port + "\n"
          + healthcheck
          + "ENTRYPOINT [\"java\", \"-XX:MaxRAMPercentage=50\", \"-jar\", \"/opt/" + name + "/app.jar\"]\n"
          + "CMD [\"--port\", \"" + port + "\"]\n";
    }

    String deployment(Defect defect) {
      String surge = defect == Defect.MAX_SURGE_ZERO ? "0" : "1";
      String metadata = "metadata:\n  name: " + name + "\n  labels:\n    app.kubernetes.io/name: " + name + "\n";
      return "# " + name + " on the GPU node pool; promotion.yaml sets the tag per stage.\n"
          + "apiVersion: apps/v1\n"
          + "kind: Deployment\n"
          + metadata
          + "spec:\n"
          + "  replicas: " + replicas + "\n"
          + "  revisionHistoryLimit: 5\n"
          + "  selector:\n"
          + "    matchLabels:\n"
          + "      app.kubernetes.io/name: " + name + "\n"
          + "  strategy:\n"
          + "    type: RollingUpdate\n"
          + "    rollingUpdate:\n"
          + "      maxSurge: " + surge + "\n"
          + "      maxUnavailable: 0\n"
          + "  template:\n"
          + "    metadata:\n"
          + "      labels:\n"
          + "        app.kubernetes.io/name: " + name + "\n"
          + "    spec:\n"
          + "      nodeSelector:\n"
          + "        nvidia.com/gpu.present: \"true\"\n"
          + "      tolerations:\n"
          + "        - key: nvidia.com/gpu\n"
          + "          operator: Exists\n"
          + "          effect: NoSchedule\n"
          + "      securityContext:\n"
          + "        runAsNonRoot: true\n"
          + "        runAsUser: 10001\n"
          + "        seccompProfile:\n"
          + "          type: RuntimeDefault\n"
          + "      terminationGracePeriodSeconds: 30\n"
          + "      containers:\n"
          + "        - name: " + name + "\n"
          + "          image: " + image() + ":sha-4b825dc642cb6eb9a060e54bf8d69288fbee4904\n"
          + "          ports:\n"
          + "            - name: http\n"
          + "              containerPort: " + port + "\n"
          + "          resources:\n"
          + "            requests:\n"
          + "              cpu: \"2\"\n"
          + "              memory: 4Gi\n"
          + "            limits:\n"
          + "              memory: 4Gi\n"
          + "              nvidia.com/gpu: 1\n"
          + "          securityContext:\n"
          + "            allowPrivilegeEscalation: false\n"
          + "            readOnlyRootFilesystem: true\n"
          + "            capabilities:\n"
          + "              drop: [\"ALL\"]\n"
          + "          startupProbe:\n"
          + "            exec:\n"
          + "              command: [\"java\", \"-jar\", \"/opt/gpukit/gpukit-probe.jar\", \"--heartbeat\", \"/tmp/gpu-heartbeat.json\", \"--max-age\", \"20s\"]\n"
          + "            periodSeconds: 5\n"
          + "            timeoutSeconds: 2\n"
          + "            failureThreshold: 24\n"
          + "          readinessProbe:\n"
          + "            exec:\n"
          + "              command: [\"java\", \"-jar\", \"/opt/gpukit/gpukit-probe.jar\", \"--mode\", \"readiness\", \"--timeout-ms\", \"2000\"]\n"
          + "            periodSeconds: 10\n"
          + "            timeoutSeconds: 3\n"
          + "            failureThreshold: 3\n"
          + "          livenessProbe:\n"
          + "            exec:\n"
          + "              command: [\"java\", \"-jar\", \"/opt/gpukit/gpukit-probe.jar\", \"--heartbeat\", \"/tmp/gpu-heartbeat.json\", \"--max-age\", \"20s\"]\n"
          + "            periodSeconds: 10\n"
          + "            timeoutSeconds: 2\n"
          + "            failureThreshold: 6\n"
          + "          volumeMounts:\n"
          + "            - name: tmp\n"
          + "              mountPath: /tmp\n"
          + "      volumes:\n"
          + "        - name: tmp\n"
          + "          emptyDir:\n"
          + "            sizeLimit: 256Mi\n";
    }

    String promotion(Defect defect) {
      String prodGate = defect == Defect.AUTOMATIC_PROD_GATE ? "ci-green" : "[smoke-test, manual-approval]";
      return "# How a build of " + name + " reaches production, and how it is taken back.\n"
          + "image_promotion_flow:\n"
          + (defect == Defect.BROKEN_YAML ? "  - stage: dev\n   env: development\n" : "  - stage: dev\n")
          + "    env: development\n"
          + "    namespace: " + name + "-dev\n"
          + "    tag_pattern: \"sha-[0-9a-f]{40}\"\n"
          + "    gate: ci-green\n"
          + "  - stage: staging\n"
          + "    env: staging\n"
          + "    namespace: " + name + "-staging\n"
          + "    tag_pattern: \"sha-[0-9a-f]{40}\"\n"
          + "    gate: [ci-green, smoke-test]\n"
          + "  - stage: prod\n"
          + "    env: production\n"
          + "    namespace: " + name + "-prod\n"
          + "    tag_pattern: \"sha-[0-9a-f]{40}\"\n"
          + "    gate: " + prodGate + "\n"
          + "\n"
          + "rollback_commands:\n"
          + "  - kubectl rollout history deployment/" + name + " -n " + name + "-prod\n"
          + "  - kubectl rollout undo deployment/" + name + " -n " + name + "-prod\n"
          + "  - kubectl rollout status deployment/" + name + " -n " + name + "-prod --timeout=20m\n";
    }

    String workflow(Defect defect) {
      String gate = defect == Defect.PUSH_NOT_GATED ? "" : "    if: github.ref == 'refs/heads/main' && github.event_name == 'push'\n";
      return "# Build " + name + " once, test that image on a GPU, push it from main once the GPU test passed.\n"
          + "name: " + name + "\n"
          + "\n"
          + "on:\n"
          + "  push:\n"
          + "    branches: [main]\n"
          + "    paths: [\"services/" + name + "/**\"]\n"
          + "  pull_request:\n"
          + "    paths: [\"services/" + name + "/**\"]\n"
          + "\n"
          + "permissions:\n"
          + "  contents: read\n"
          + "\n"
          + "env:\n"
          + "  IMAGE: " + image() + "\n"
          + "\n"
          + "jobs:\n"
          + "  build:\n"
          + "    runs-on: ubuntu-24.04\n"
          + "    timeout-minutes: 30\n"
          + "    steps:\n"
          + "      - uses: actions/checkout@v4\n"
          + "      - name: Build the image\n"
          + "        run: docker build -t \"$IMAGE:sha-$GITHUB_SHA\" services/" + name + "\n"
          + "      - name: Save it for the GPU test and the push\n"
          + "        run: docker save \"$IMAGE:sha-$GITHUB_SHA\" | gzip > image.tar.gz\n"
          + "      - uses: actions/upload-artifact@v4\n"
          + "        with:\n"
          + "          name: image\n"
          + "          path: image.tar.gz\n"
          + "          retention-days: 3\n"
          + "\n"
          + "  test:\n"
          + "    needs: build\n"
          + "    runs-on: [self-hosted, gpu]\n"
          + "    timeout-minutes: 30\n"
          + "    steps:\n"
          + "      - uses: actions/download-artifact@v4\n"
          + "        with:\n"
          + "          name: image\n"
          + "      - name: Load the image built for this commit\n"
          + "        run: gunzip -c image.tar.gz | docker load\n"
          + "      - name: Its probe, deep mode, on this runner's GPU\n"
          + "        run: docker run --rm --gpus all --entrypoint java \"$IMAGE:sha-$GITHUB_SHA\" -jar /opt/gpukit/gpukit-probe.jar --mode deep\n"
          + "\n"
          + "  push:\n"
          + "    needs: test\n"
          + gate
          + "    runs-on: ubuntu-24.04\n"
          + "    timeout-minutes: 15\n"
          + "    permissions:\n"
          + "      contents: read\n"
          + "      packages: write\n"
          + "      id-token: write\n"
          + "    steps:\n"
          + "      - uses: actions/download-artifact@v4\n"
          + "        with:\n"
          + "          name: image\n"
          + "      - name: Load the tested image\n"
          + "        run: gunzip -c image.tar.gz | docker load\n"
          + "      - name: Log in to the registry\n"
          + "        run: echo \"${{ secrets.GITHUB_TOKEN }}\" | docker login ghcr.io -u \"${{ github.actor }}\" --password-stdin\n"
          + "      - name: Push the tag that names this build\n"
          + "        run: docker push \"$IMAGE:sha-$GITHUB_SHA\"\n"
          + "      - name: Sign what was pushed\n"
          + "        run: cosign sign --yes \"$IMAGE:sha-$GITHUB_SHA\"\n";
    }
  }
}
