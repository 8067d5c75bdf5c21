# A Spring Boot service that runs PyTorch models through DJL on the GPU.
ARG MAVEN_IMAGE=maven:3.9.9-eclipse-temurin-21
ARG JDK_IMAGE=eclipse-temurin:21.0.4_7-jdk-jammy
ARG CUDA_IMAGE=nvidia/cuda:12.1.1-cudnn8-runtime-ubuntu22.04

FROM ${MAVEN_IMAGE} AS build
WORKDIR /workspace
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B dependency:go-offline
COPY src/ src/
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -DskipTests package \
 && java -Djarmode=layertools -jar target/inference.jar extract --destination target/layers

FROM ${JDK_IMAGE} AS jre
RUN $JAVA_HOME/bin/jlink \
      --add-modules java.base,java.logging,java.management,java.naming,java.net.http,java.security.jgss,java.instrument,jdk.unsupported \
      --strip-debug --no-man-pages --no-header-files --compress=zip-6 \
      --output /opt/jre

FROM ${CUDA_IMAGE}
ENV JAVA_HOME=/opt/jre \
    PATH=/opt/jre/bin:$PATH \
    DJL_CACHE_DIR=/var/cache/djl \
    PYTORCH_FLAVOR=cu121
RUN groupadd --system --gid 10001 spring \
 && useradd --system --uid 10001 --gid spring --home-dir /app spring \
 && mkdir -p /var/cache/djl && chown spring:spring /var/cache/djl
COPY --from=jre /opt/jre /opt/jre
WORKDIR /app
COPY --from=build /workspace/target/layers/dependencies/ ./
COPY --from=build /workspace/target/layers/spring-boot-loader/ ./
COPY --from=build /workspace/target/layers/snapshot-dependencies/ ./
COPY --from=build /workspace/target/layers/application/ ./
USER 10001:10001
EXPOSE 8080 8081
HEALTHCHECK --interval=30s --timeout=10s --start-period=90s --retries=3 \
  CMD ["java", "-cp", "/app", "com.example.inference.GpuSmokeTest"]
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "org.springframework.boot.loader.launch.JarLauncher"]
