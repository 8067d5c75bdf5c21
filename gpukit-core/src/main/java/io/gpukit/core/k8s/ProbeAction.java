package io.gpukit.core.k8s;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a probe does: one of the four handlers Kubernetes supports.
 *
 * @since 0.1.0
 */
public sealed interface ProbeAction {

  /**
   * {@code exec.command}: runs a command in the container.
   *
   * @param command the argument vector
   */
  record Exec(List<String> command) implements ProbeAction {
    /** Copies the list. */
    public Exec {
      command = List.copyOf(command);
    }

    /** The command as one line, arguments joined by spaces. */
    public String commandLine() {
      return String.join(" ", command);
    }
  }

  /**
   * {@code httpGet}: an HTTP GET that must answer 200-399.
   *
   * @param path the path, {@code /} when absent
   * @param port the port number or name
   * @param scheme {@code HTTP} or {@code HTTPS}
   */
  record HttpGet(String path, String port, String scheme) implements ProbeAction {
    /** Validates the fields. */
    public HttpGet {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(port, "port");
      Objects.requireNonNull(scheme, "scheme");
    }
  }

  /**
   * {@code tcpSocket}: a TCP connection that must open.
   *
   * @param port the port number or name
   */
  record TcpSocket(String port) implements ProbeAction {
    /** Validates the field. */
    public TcpSocket {
      Objects.requireNonNull(port, "port");
    }
  }

  /**
   * {@code grpc}: the gRPC health checking protocol.
   *
   * @param port the port number
   * @param service the service name, if set
   */
  record Grpc(String port, Optional<String> service) implements ProbeAction {
    /** Validates the fields. */
    public Grpc {
      Objects.requireNonNull(port, "port");
      Objects.requireNonNull(service, "service");
    }
  }

  /** A few words for messages: {@code exec 'python3 /app/smoke_test.py'}, {@code httpGet /healthz}. */
  default String describe() {
    if (this instanceof Exec e) {
      return "exec '" + e.commandLine() + "'";
    } else if (this instanceof HttpGet h) {
      return "httpGet " + h.path() + " on port " + h.port();
    } else if (this instanceof TcpSocket t) {
      return "tcpSocket on port " + t.port();
    } else {
      return "grpc on port " + ((Grpc) this).port();
    }
  }
}
