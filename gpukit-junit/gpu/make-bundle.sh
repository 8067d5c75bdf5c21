#!/usr/bin/env bash
# Builds the test bundle that gpukit-junit/gpu/bench-classes.sh runs on a GPU Docker host:
#
#   BUNDLE/lib/*.jar             gpukit-junit's test class path (jars), fresh from this build
#   BUNDLE/classes/              gpukit-junit/target/classes
#   BUNDLE/test-classes/         gpukit-junit/target/test-classes (with the gpu-service Dockerfile)
#   BUNDLE/junit-platform-console-standalone-*.jar
#   BUNDLE/gpukit-probe.jar      the shaded probe, copied into the containers
#
#   gpukit-junit/gpu/make-bundle.sh BUNDLE_DIR
#
# Run it from anywhere in a checkout, on a machine with the Maven repository the build needs
# (MAVEN_ARGS="-o" by default: offline; set MAVEN_ARGS= to let Maven download; MAVEN_LOCAL_REPOSITORY
# when it is not ~/.m2/repository). Copy BUNDLE_DIR and
# bench-classes.sh to the GPU host. Exits non-zero when a part is missing.
set -euo pipefail

OUT="${1:?usage: make-bundle.sh BUNDLE_DIR}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
MAVEN_ARGS="${MAVEN_ARGS--o}"
JUNIT_PLATFORM_VERSION="${JUNIT_PLATFORM_VERSION:-1.14.4}"

cd "$ROOT"
echo "-- building gpukit-junit and what it needs (tests compiled, not run)"
# One reactor run: the class path then names this build's gpukit-core and gpukit-probe jars, not
# whatever an earlier install left in the local repository.
# shellcheck disable=SC2086
./mvnw -B -q $MAVEN_ARGS -pl gpukit-junit -am package dependency:build-classpath -DskipTests \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bundle-classpath.txt
CLASSPATH_FILE="gpukit-junit/target/bundle-classpath.txt"
[[ -s "$CLASSPATH_FILE" ]] || { echo "!! no class path written to $CLASSPATH_FILE" >&2; exit 1; }

rm -rf "$OUT"
mkdir -p "$OUT/lib"
IFS=':' read -r -a JARS < "$CLASSPATH_FILE" || true  # the file ends without a newline
for jar in "${JARS[@]}"; do
  [[ -f "$jar" ]] || { echo "!! class path entry $jar is not a file" >&2; exit 1; }
  cp "$jar" "$OUT/lib/"
done
cp -r gpukit-junit/target/classes "$OUT/classes"
cp -r gpukit-junit/target/test-classes "$OUT/test-classes"
cp gpukit-probe/target/gpukit-probe.jar "$OUT/gpukit-probe.jar"

LAUNCHER="junit-platform-console-standalone-$JUNIT_PLATFORM_VERSION.jar"
LOCAL_REPO="${MAVEN_LOCAL_REPOSITORY:-$HOME/.m2/repository}"
FOUND="$LOCAL_REPO/org/junit/platform/junit-platform-console-standalone/$JUNIT_PLATFORM_VERSION/$LAUNCHER"
if [[ ! -f "$FOUND" ]]; then
  echo "-- fetching the console launcher $LAUNCHER"
  # shellcheck disable=SC2086
  ./mvnw -B -q $MAVEN_ARGS dependency:copy \
    -Dartifact="org.junit.platform:junit-platform-console-standalone:$JUNIT_PLATFORM_VERSION" \
    -DoutputDirectory="$OUT" -Dmdep.useBaseVersion=true
else
  cp "$FOUND" "$OUT/"
fi
[[ -f "$OUT/$LAUNCHER" ]] || { echo "!! no $LAUNCHER" >&2; exit 1; }
[[ -f "$OUT/test-classes/gpu-service/Dockerfile" ]] || { echo "!! no gpu-service/Dockerfile in test-classes" >&2; exit 1; }

echo "-- bundle in $OUT: $(find "$OUT/lib" -name '*.jar' | wc -l) jars in lib, $LAUNCHER, gpukit-probe.jar ($(du -sh "$OUT" | cut -f1))"
