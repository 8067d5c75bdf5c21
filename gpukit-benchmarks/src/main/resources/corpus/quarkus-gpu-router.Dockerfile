# A Quarkus request router in front of GPU workers: JVM mode, fast-jar layout.
FROM registry.access.redhat.com/ubi9/openjdk-21:1.20 AS build
USER root
WORKDIR /code
COPY --chown=185 mvnw /code/mvnw
COPY --chown=185 .mvn /code/.mvn
COPY --chown=185 pom.xml /code/
USER 185
RUN ./mvnw -B org.apache.maven.plugins:maven-dependency-plugin:3.8.0:go-offline
COPY src /code/src
RUN ./mvnw -B package -DskipTests -Dquarkus.package.jar.type=fast-jar

FROM nvidia/cuda:12.4.1-base-ubi9 AS runtime
RUN microdnf install -y java-21-openjdk-headless shadow-utils \
 && microdnf clean all \
 && useradd --uid 185 --gid 0 --no-create-home jboss
ENV LANGUAGE='en_US:en' \
    JAVA_OPTS_APPEND="-Dquarkus.http.host=0.0.0.0 -Djava.util.logging.manager=org.jboss.logmanager.LogManager"
COPY --from=build --chown=185 /code/target/quarkus-app/lib/ /deployments/lib/
COPY --from=build --chown=185 /code/target/quarkus-app/*.jar /deployments/
COPY --from=build --chown=185 /code/target/quarkus-app/app/ /deployments/app/
COPY --from=build --chown=185 /code/target/quarkus-app/quarkus/ /deployments/quarkus/
EXPOSE 8080
USER 185
HEALTHCHECK --interval=20s --timeout=5s --start-period=30s \
  CMD ["java", "-cp", "/deployments/lib/main/*", "com.example.router.GpuProbe"]
ENTRYPOINT ["java", "-jar", "/deployments/quarkus-run.jar"]
