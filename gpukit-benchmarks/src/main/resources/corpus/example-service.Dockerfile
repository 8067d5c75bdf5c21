# syntax=docker/dockerfile:1
# The example GPU service: built with Maven, run on the CUDA runtime with a JRE copied in,
# as an unprivileged user, with a HEALTHCHECK that proves the GPU (not just the HTTP port).
# Base images come from build args so air-gapped CI can pass locally built ones.
ARG BUILD_IMAGE=maven:3.9.11-eclipse-temurin-17
ARG JRE_IMAGE=eclipse-temurin:17.0.16_8-jre-noble
ARG RUNTIME_IMAGE=nvidia/cuda:13.0.1-runtime-ubuntu24.04

FROM ${BUILD_IMAGE} AS build
WORKDIR /src
COPY pom.xml ./
COPY src ./src
RUN mvn -B -q -DskipTests package

FROM ${JRE_IMAGE} AS jre

FROM ${RUNTIME_IMAGE}
ENV JAVA_HOME=/opt/java/openjdk \
    PATH=/opt/java/openjdk/bin:$PATH
COPY --from=jre /opt/java/openjdk /opt/java/openjdk
RUN groupadd --gid 10001 app \
 && useradd --uid 10001 --gid 10001 --no-create-home --shell /usr/sbin/nologin app
COPY --from=build /src/target/gpukit-examples.jar /app/service.jar
COPY --from=build /src/target/lib/gpukit-probe.jar /opt/gpukit/gpukit-probe.jar
USER 10001:10001
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["java", "-jar", "/opt/gpukit/gpukit-probe.jar", "--mode", "liveness"]
ENTRYPOINT ["java", "-jar", "/app/service.jar"]
