package io.gpukit.examples.scoring;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.gpukit.probe.GpuHeartbeat;
import io.gpukit.probe.ProbeMode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The scoring service: {@code POST /score} answers cosine similarities computed on the GPU, {@code
 * GET /healthz} says the process serves HTTP. While it runs, a {@link GpuHeartbeat} proves the GPU
 * in this process every few seconds and rewrites a status file, which the Kubernetes liveness probe
 * and the image's HEALTHCHECK judge with {@code gpukit-probe.jar --heartbeat}.
 *
 * <pre>
 * POST /score  {"queries": [[…]], "documents": [[…], …]}
 *   200 {"backend": "gpu", "scores": [[…]]}
 *   400 {"error": "…"}  the body is not JSON, or not a request (wrong dimensions, a zero vector, …)
 *   413 {"error": "…"}  the body is larger than 16 MiB
 *   503 {"error": "…"}  the GPU backend did not start or a CUDA call failed
 * GET /healthz
 *   200 {"status": "ok", "backend": "gpu"}
 * </pre>
 *
 * <p>HTTP is the JDK's own {@code com.sun.net.httpserver} (module {@code jdk.httpserver}); the
 * service has no other dependency than gpukit-probe and JavaCPP.
 *
 * @since 0.1.0
 */
public final class ScoringService implements AutoCloseable {

  /** The largest request body read. */
  public static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

  /** The line logged once the service accepts requests. */
  public static final String LISTENING = "scoring service listening on port ";

  private static final String JSON = "application/json; charset=utf-8";

  private final HttpServer server;
  private final ExecutorService requests;
  private final Scorer scorer;
  private final GpuHeartbeat heartbeat;

  private ScoringService(HttpServer server, ExecutorService requests, Scorer scorer, GpuHeartbeat heartbeat) {
    this.server = server;
    this.requests = requests;
    this.scorer = scorer;
    this.heartbeat = heartbeat;
  }

  /**
   * Runs the service until the process is stopped.
   *
   * @param args see {@link ServiceOptions}
   * @throws IOException when the port cannot be bound
   * @since 0.1.0
   */
  public static void main(String[] args) throws IOException {
    ServiceOptions options;
    try {
      options = ServiceOptions.parse(List.of(args));
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(ServiceOptions.USAGE);
      System.exit(64);
      return;
    }
    ScoringService service = start(options);
    Runtime.getRuntime().addShutdownHook(new Thread(service::close, "scoring-shutdown"));
  }

  /**
   * Starts the backend, the heartbeat and the HTTP server. A GPU backend that cannot start does not
   * stop the service: {@code /score} then answers 503 with the reason, and the heartbeat records
   * the GPU's failure for the probes, which take the pod out of service and restart it.
   *
   * @param options what to start
   * @return the running service
   * @throws IOException when the port cannot be bound
   * @throws IllegalStateException when the Java runtime lacks the {@code jdk.httpserver} module
   * @since 0.1.0
   */
  public static ScoringService start(ServiceOptions options) throws IOException {
    requireHttpServer();
    // The scorer first: JavaCPP then links the CUDA runtime and cuBLAS on this thread alone,
    // before the heartbeat's thread links NVML.
    Scorer scorer = switch (options.backend()) {
      case CPU -> new CpuScorer();
      case GPU -> {
        try {
          yield CublasScorer.open(options.device());
        } catch (ScorerUnavailableException e) {
          log("the GPU backend did not start; /score answers 503 until the service restarts: " + e.getMessage());
          yield new UnavailableScorer(e);
        }
      }
    };
    GpuHeartbeat heartbeat = null;
    if (options.heartbeat().isPresent()) {
      heartbeat = GpuHeartbeat.builder()
          .file(options.heartbeat().get())
          .interval(options.heartbeatInterval())
          .mode(ProbeMode.READINESS)
          .device(options.device())
          .build()
          .start();
    }
    AtomicInteger threadNumber = new AtomicInteger();
    ExecutorService requests = Executors.newFixedThreadPool(options.threads(),
        r -> new Thread(r, "scoring-http-" + threadNumber.incrementAndGet()));
    HttpServer server = HttpServer.create(new InetSocketAddress(options.port()), 64);
    ScoringService service = new ScoringService(server, requests, scorer, heartbeat);
    server.createContext("/score", service::score);
    server.createContext("/healthz", service::healthz);
    server.createContext("/", exchange -> {
      try (exchange) {
        send(exchange, 404, error("no such path '" + exchange.getRequestURI().getPath() + "'; try POST /score"));
      }
    });
    server.setExecutor(requests);
    server.start();
    log("backend: " + scorer.describe());
    options.heartbeat().ifPresent(file -> log("GPU heartbeat every " + options.heartbeatInterval().toMillis()
        + " ms to " + file));
    log(LISTENING + service.port());
    return service;
  }

  /**
   * Returns the port the service listens on.
   *
   * @return the bound port, also when 0 was asked for
   * @since 0.1.0
   */
  public int port() {
    return server.getAddress().getPort();
  }

  /**
   * Returns the backend that computes the scores.
   *
   * @return the scorer
   * @since 0.1.0
   */
  public Scorer scorer() {
    return scorer;
  }

  /**
   * Stops accepting requests, lets running ones finish for up to a second, then stops the
   * heartbeat and releases the GPU.
   *
   * @since 0.1.0
   */
  @Override
  public void close() {
    server.stop(1);
    requests.shutdown();
    if (heartbeat != null) {
      heartbeat.close();
    }
    if (scorer instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        log("closing the backend failed: " + e);
      }
    }
  }

  private void score(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!exchange.getRequestMethod().equals("POST")) {
        exchange.getResponseHeaders().set("Allow", "POST");
        send(exchange, 405, error("use POST with a JSON body {\"queries\": [[...]], \"documents\": [[...]]}"));
        return;
      }
      byte[] body = readAtMost(exchange.getRequestBody(), MAX_BODY_BYTES);
      if (body == null) {
        send(exchange, 413, error("the body is larger than " + MAX_BODY_BYTES + " bytes; send fewer documents"));
        return;
      }
      ScoreRequest request;
      try {
        request = ScoreRequest.parse(new String(body, StandardCharsets.UTF_8));
      } catch (BadRequestException e) {
        send(exchange, 400, error(e.getMessage()));
        return;
      }
      float[][] scores;
      try {
        scores = scorer.score(request);
      } catch (ScorerUnavailableException e) {
        log("503 on /score: " + e.getMessage());
        send(exchange, 503, error(e.getMessage()));
        return;
      }
      send(exchange, 200, scores(scorer.backend(), scores));
    } catch (RuntimeException e) {
      log("500 on /score: " + e);
      throw e;
    }
  }

  private void healthz(HttpExchange exchange) throws IOException {
    try (exchange) {
      send(exchange, 200, "{\"status\":\"ok\",\"backend\":" + quote(scorer.backend()) + "}");
    }
  }

  /** The body, or {@code null} when it is longer than {@code limit}. */
  private static byte[] readAtMost(InputStream in, int limit) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[64 * 1024];
    for (int n; (n = in.read(buffer)) > 0; ) {
      if (out.size() + n > limit) {
        return null;
      }
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
  }

  private static void send(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", JSON);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  static String scores(String backend, float[][] scores) {
    StringBuilder json = new StringBuilder(32 + scores.length * (scores.length == 0 ? 0 : scores[0].length) * 12);
    json.append("{\"backend\":").append(quote(backend)).append(",\"scores\":[");
    for (int i = 0; i < scores.length; i++) {
      json.append(i == 0 ? "[" : ",[");
      for (int j = 0; j < scores[i].length; j++) {
        if (j > 0) {
          json.append(',');
        }
        json.append(scores[i][j]);
      }
      json.append(']');
    }
    return json.append("]}").toString();
  }

  static String error(String message) {
    return "{\"error\":" + quote(message) + "}";
  }

  static String quote(String text) {
    StringBuilder out = new StringBuilder(text.length() + 2).append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  private static void requireHttpServer() {
    if (ModuleLayer.boot().findModule("jdk.httpserver").isEmpty()) {
      try {
        Class.forName("com.sun.net.httpserver.HttpServer");
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException("this Java runtime (" + System.getProperty("java.home") + ") lacks the"
            + " jdk.httpserver module the service serves HTTP with: use a full JRE, or add it to the jlink"
            + " --add-modules list", e);
      }
    }
  }

  static void log(String message) {
    System.out.println(Instant.now() + " " + message);
  }
}
