package io.gpukit.junit;

/** The child JVM of {@link DockerStatusDockerTests}: sets up Testcontainers' client once and says how it went. */
final class DockerStatusChild {

  private DockerStatusChild() {
  }

  public static void main(String[] args) {
    DockerStatus status = DockerStatus.local();
    System.out.println("ANSWERS " + status.answers());
    System.out.println("DESCRIBE " + status.describe());
    System.out.flush();
  }
}
