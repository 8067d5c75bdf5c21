package io.gpukit.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The Dockerfiles the benchmarks read: the bundled corpus of realistic files, and one large file
 * generated from repeated realistic stages.
 *
 * <p>Everything here is deterministic, so every run and every fork measures the same bytes.
 */
public final class Corpus {

  /** The classpath folder of the bundled corpus. */
  public static final String RESOURCE_FOLDER = "corpus";

  /** The size the generated large file reaches before it stops growing: 1 MiB. */
  public static final int LARGE_MIN_BYTES = 1 << 20;

  /** One Dockerfile: a name for its path, and its text. */
  public record Entry(String name, String text) {

    /** The size of the text in UTF-8 bytes. */
    public int bytes() {
      return text.getBytes(StandardCharsets.UTF_8).length;
    }
  }

  private Corpus() {}

  /** The bundled corpus, sorted by name, read from the classpath (a folder or the shaded jar). */
  public static List<Entry> bundled() {
    URL url = Corpus.class.getClassLoader().getResource(RESOURCE_FOLDER);
    if (url == null) {
      throw new IllegalStateException("the corpus folder '" + RESOURCE_FOLDER + "' is not on the classpath");
    }
    try {
      URI uri = url.toURI();
      if ("jar".equals(uri.getScheme())) {
        return readFromJar(uri);
      }
      return readFolder(Path.of(uri));
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate the corpus: " + url, e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Entry> readFromJar(URI uri) throws IOException {
    try {
      // Opened elsewhere in this JVM: read through it and leave it open.
      return readFolder(FileSystems.getFileSystem(uri).getPath("/" + RESOURCE_FOLDER));
    } catch (FileSystemNotFoundException e) {
      try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
        return readFolder(jar.getPath("/" + RESOURCE_FOLDER));
      }
    }
  }

  private static List<Entry> readFolder(Path folder) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(folder)) {
      files = s.filter(p -> p.getFileName().toString().endsWith(".Dockerfile"))
          .sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()))
          .toList();
    }
    List<Entry> entries = new ArrayList<>(files.size());
    for (Path f : files) {
      entries.add(new Entry(RESOURCE_FOLDER + "/" + f.getFileName(), Files.readString(f, StandardCharsets.UTF_8)));
    }
    if (entries.isEmpty()) {
      throw new IllegalStateException("the corpus folder " + folder + " holds no *.Dockerfile");
    }
    return List.copyOf(entries);
  }

  /**
   * A Dockerfile of at least {@link #LARGE_MIN_BYTES}: global build args, then pairs of a build
   * stage and a service stage (continuations, a heredoc, cache mounts, {@code COPY --from}, a GPU
   * HEALTHCHECK) repeated with distinct stage names, then a final stage built from the last one.
   */
  public static Entry large() {
    StringBuilder sb = new StringBuilder(LARGE_MIN_BYTES + 4096);
    sb.append(
        """
        # syntax=docker/dockerfile:1
        # Generated: many services built from one file, as a monorepo's image build does.
        ARG CUDA_VERSION=12.4.1
        ARG UBUNTU_VERSION=22.04
        ARG PYTHON_VERSION=3.11
        ARG DEVEL_IMAGE=nvidia/cuda:${CUDA_VERSION}-cudnn-devel-ubuntu${UBUNTU_VERSION}
        ARG RUNTIME_IMAGE=nvidia/cuda:${CUDA_VERSION}-cudnn-runtime-ubuntu${UBUNTU_VERSION}

        """);
    int n = 0;
    while (sb.length() < LARGE_MIN_BYTES) {
      sb.append(STAGE_PAIR.replace("@N@", Integer.toString(n)));
      n++;
    }
    sb.append("FROM service-").append(n - 1).append('\n');
    sb.append("LABEL org.opencontainers.image.title=\"monorepo-services\"\n");
    return new Entry("generated/large.Dockerfile", sb.toString());
  }

  private static final String STAGE_PAIR =
      """
      FROM ${DEVEL_IMAGE} AS build-@N@
      ARG PYTHON_VERSION
      ENV DEBIAN_FRONTEND=noninteractive \\
          PIP_NO_CACHE_DIR=1 \\
          TORCH_CUDA_ARCH_LIST="8.0;8.6;9.0"
      RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \\
          apt-get update \\
       && apt-get install -y --no-install-recommends \\
            build-essential git ninja-build \\
            python${PYTHON_VERSION} python${PYTHON_VERSION}-venv python${PYTHON_VERSION}-dev \\
       && rm -rf /var/lib/apt/lists/*
      WORKDIR /src/service-@N@
      COPY services/service-@N@/requirements.txt ./
      RUN --mount=type=cache,target=/root/.cache/pip \\
          python${PYTHON_VERSION} -m venv /opt/venv \\
       && /opt/venv/bin/pip install -r requirements.txt
      COPY services/service-@N@/ ./
      RUN /opt/venv/bin/python -m compileall -q . && make -j"$(nproc)" kernels

      FROM ${RUNTIME_IMAGE} AS service-@N@
      ARG PYTHON_VERSION
      RUN apt-get update && apt-get install -y --no-install-recommends python${PYTHON_VERSION} \\
       && rm -rf /var/lib/apt/lists/* \\
       && useradd --uid 10001 --no-create-home --shell /usr/sbin/nologin app
      COPY --from=build-@N@ /opt/venv /opt/venv
      COPY --from=build-@N@ --chown=10001:10001 /src/service-@N@ /srv/app
      COPY <<'EOF' /usr/local/bin/gpu-smoke.py
      import sys, torch
      sys.exit(0 if torch.cuda.is_available() else "no CUDA device")
      EOF
      ENV PATH=/opt/venv/bin:$PATH \\
          SERVICE_NAME=service-@N@
      USER 10001:10001
      EXPOSE 8080
      HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \\
        CMD ["python", "/usr/local/bin/gpu-smoke.py"]
      ENTRYPOINT ["python", "-m", "app.server", "--port", "8080"]

      """;
}
