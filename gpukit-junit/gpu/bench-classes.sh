#!/usr/bin/env bash
# Times @GpuContainerTest classes on a GPU Docker host, through the JUnit console launcher, and
# proves that a GPU class fails when the GPU is not attached.
#
#   gpukit-junit/gpu/bench-classes.sh BUNDLE_DIR
#
# BUNDLE_DIR (made by gpukit-junit/gpu/make-bundle.sh on a build machine) holds:
#   lib/*.jar                                   gpukit-junit's test class path
#   classes/  test-classes/                     gpukit-junit's classes and test classes
#   junit-platform-console-standalone-*.jar     the console launcher
#   gpukit-probe.jar                            the probe, copied into the containers
#
# Environment (all optional):
#   JAVA        the java that runs the launcher                 (java on PATH)
#   CUDA_IMAGE  the local image gpu-service/Dockerfile builds FROM: a JRE with java on PATH, the
#               CUDA runtime, sh, sleep and env; never pulled       (gpukit-cuda-base:local)
#   RUNS        timed runs of the single class                   (3)
#   NS          how many copies of the class run in one JVM      ("1 2 4")
#   MODES       how the copies run: sequential, concurrent       ("sequential concurrent")
#   WORK        where the logs go (kept)                         (a new folder under $TMPDIR)
#   DOCKER_HOST or the socket /var/run/docker.sock; TESTCONTAINERS_RYUK_DISABLED (true) and
#   TESTCONTAINERS_HOST_OVERRIDE (localhost) are set unless given: nothing can be pulled here.
#   SELF_TEST=1 runs the same steps on a host without a GPU: the java-less shell-service class
#               (proven by its HEALTHCHECK) with -Dgpukit.gpu.attach=none stands in for the GPU
#               class, and CUDA_IMAGE defaults to the JRE base the tests import
#               (gpukit-jre-base:test-<java feature>); both base images must exist (run the
#               gpukit-junit tests once).
#
# What it runs, each in its own JVM, with -Dgpukit.gpu.required=true:
#   1. the class io.gpukit.junit.GpuContainerTestGpuTests once untimed (the warm-up: page cache,
#      the base image's layers), then RUNS times: per run the JVM's wall time and the class's steps
#      from its gpukit.timings report entry (image build, container start, probe route, probe,
#      negative control, HEALTHCHECK proof, total of the set-up);
#   2. for each N in NS and each mode: N copies of the class (GpuContainerTestGpuCopies$Copy1..N,
#      each its own container and proofs, all sharing the one image the first builds) in one JVM,
#      one after another (sequential) or all at once (concurrent, N threads); the JVM's wall time
#      and how it grows with N;
#   3. GpuNotAttachedGpuTests, which runs the class with -Dgpukit.gpu.attach=none through
#      EngineTestKit and must pass; then the class itself with -Dgpukit.gpu.attach=none, which must
#      FAIL, saying the probe is not healthy and that no GPU was attached;
#   4. no container or image labelled io.gpukit.junit.session may be left.
# Prints every figure and a table; keeps every launcher output in WORK; exits 1 on any surprise,
# 2 when the host or the bundle is not fit to run it.
# Class names hold a literal '$' and report entries literal backticks: single quotes on purpose.
# shellcheck disable=SC2016
set -u -o pipefail

BUNDLE="${1:?usage: bench-classes.sh BUNDLE_DIR (see the top of this script)}"
BUNDLE="$(cd "$BUNDLE" && pwd)" || exit 2
SELF_TEST="${SELF_TEST:-0}"
JAVA="${JAVA:-$(command -v java || echo java)}"
RUNS="${RUNS:-3}"
NS="${NS:-1 2 4}"
MODES="${MODES:-sequential concurrent}"
WORK="${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/gpukit-bench-classes.XXXXXX")}"
export TESTCONTAINERS_RYUK_DISABLED="${TESTCONTAINERS_RYUK_DISABLED:-true}"
export TESTCONTAINERS_HOST_OVERRIDE="${TESTCONTAINERS_HOST_OVERRIDE:-localhost}"
SOCK="${DOCKER_SOCK:-/var/run/docker.sock}"
SURPRISES=()

surprise() { SURPRISES+=("$*"); echo "!! SURPRISE: $*"; }
unfit() { echo "!! cannot run: $*" >&2; exit 2; }

[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || unfit "RUNS must be a positive number, was '$RUNS'"
for n in $NS; do
  [[ "$n" =~ ^[1-4]$ ]] || unfit "NS may hold 1 to 4 (there are four copies), was '$n'"
done
for mode in $MODES; do
  [[ "$mode" == sequential || "$mode" == concurrent ]] || unfit "MODES may hold sequential and concurrent, was '$mode'"
done
mkdir -p "$WORK" || unfit "cannot create WORK=$WORK"

# ---- the bundle ----
echo "== bundle $BUNDLE"
LAUNCHER="$(find "$BUNDLE" -maxdepth 1 -name 'junit-platform-console-standalone-*.jar' | sort | tail -1)"
[[ -n "$LAUNCHER" ]] || unfit "no junit-platform-console-standalone-*.jar in $BUNDLE"
PROBE_JAR="$BUNDLE/gpukit-probe.jar"
[[ -f "$PROBE_JAR" ]] || unfit "no gpukit-probe.jar in $BUNDLE"
[[ -d "$BUNDLE/classes/io/gpukit/junit" ]] || unfit "no classes/io/gpukit/junit in $BUNDLE"
[[ -f "$BUNDLE/test-classes/io/gpukit/junit/GpuContainerTestGpuTests.class" ]] \
  || unfit "no test-classes/io/gpukit/junit/GpuContainerTestGpuTests.class in $BUNDLE"
[[ -f "$BUNDLE/test-classes/gpu-service/Dockerfile" ]] || unfit "no test-classes/gpu-service/Dockerfile in $BUNDLE"
# The standalone launcher brings the JUnit Platform and Jupiter: the same jars again on the class
# path would register the junit-jupiter engine twice, which the launcher refuses.
CP=""
JAR_COUNT=0
for jar in "$BUNDLE"/lib/*.jar; do
  [[ -f "$jar" ]] || continue
  case "$(basename "$jar")" in
    junit-jupiter-*.jar | junit-platform-commons-*.jar | junit-platform-engine-*.jar | junit-platform-launcher-*.jar \
      | junit-platform-suite-*.jar | opentest4j-*.jar | apiguardian-api-*.jar) continue ;;
  esac
  CP="$CP$jar:"
  JAR_COUNT=$((JAR_COUNT + 1))
done
(( JAR_COUNT > 0 )) || unfit "no jars in $BUNDLE/lib"
ls "$BUNDLE"/lib/junit-platform-testkit-*.jar >/dev/null 2>&1 || unfit "no junit-platform-testkit-*.jar in $BUNDLE/lib"
CP="$CP$BUNDLE/classes:$BUNDLE/test-classes"
echo "   launcher $(basename "$LAUNCHER"), $JAR_COUNT jars from lib, gpukit-probe.jar $(stat -c %s "$PROBE_JAR") bytes"

# ---- java ----
echo "== java $JAVA"
[[ -x "$JAVA" ]] || unfit "no executable java at JAVA=$JAVA"
"$JAVA" -version 2>&1 | sed 's/^/   /'
FEATURE="$("$JAVA" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/{print $2; exit}')"
[[ "${FEATURE:-0}" -ge 17 ]] 2>/dev/null || unfit "java $FEATURE is older than 17"

# ---- the GPU ----
if [[ "$SELF_TEST" == 1 ]]; then
  echo "== SELF_TEST=1: no GPU needed; the shell-service class with -Dgpukit.gpu.attach=none stands in"
  SINGLE_CLASS='io.gpukit.junit.BenchSelfTestCopies$Copy1'
  COPY_PREFIX='io.gpukit.junit.BenchSelfTestCopies$Copy'
  CONTEXT_FOLDERS=(shell-service gpu-service)
  CUDA_IMAGE="${CUDA_IMAGE:-gpukit-jre-base:test-$FEATURE}"
  CLASS_PROPERTIES=(-Dgpukit.gpu.attach=none "-Dgpukit.test.shell.image=${SHELL_IMAGE:-gpukit-shell-base:test}")
  IMAGES_NEEDED=("$CUDA_IMAGE" "${SHELL_IMAGE:-gpukit-shell-base:test}")
else
  echo "== GPU"
  SINGLE_CLASS='io.gpukit.junit.GpuContainerTestGpuTests'
  COPY_PREFIX='io.gpukit.junit.GpuContainerTestGpuCopies$Copy'
  CONTEXT_FOLDERS=(gpu-service)
  CUDA_IMAGE="${CUDA_IMAGE:-gpukit-cuda-base:local}"
  CLASS_PROPERTIES=()
  IMAGES_NEEDED=("$CUDA_IMAGE")
  NODES="$(find /dev -maxdepth 2 -path '/dev/nvidia*' -type c 2>/dev/null | sort | tr '\n' ' ')"
  echo "   device nodes: ${NODES:-NONE}"
  [[ -e /dev/nvidia0 && -e /dev/nvidiactl ]] || unfit "no /dev/nvidia0 and /dev/nvidiactl: this is not a GPU host (SELF_TEST=1 runs without one)"
  if command -v nvidia-smi >/dev/null; then
    nvidia-smi -L 2>&1 | sed 's/^/   /'
    nvidia-smi --query-gpu=driver_version,memory.used,memory.total --format=csv,noheader 2>&1 | sed 's/^/   driver, memory: /'
  else
    echo "   (no nvidia-smi on this host; the probe in the container proves the GPU)"
  fi
fi

# ---- Docker ----
echo "== Docker"
DOCKER_CLI=""
command -v docker >/dev/null && docker version >/dev/null 2>&1 && DOCKER_CLI=docker
engine() { # METHOD PATH -> body on stdout through the CLI-less Engine API (curl on the socket)
  curl -s --unix-socket "$SOCK" -X "$1" --max-time 60 "http://localhost/v1.41$2"
}
if [[ -n "$DOCKER_CLI" ]]; then
  echo "   $(docker version --format 'server {{.Server.Version}}, API {{.Server.APIVersion}}')"
  echo "   runtimes: $(docker info --format '{{range $k, $v := .Runtimes}}{{$k}} {{end}}' 2>/dev/null)"
elif command -v curl >/dev/null && [[ -S "$SOCK" ]]; then
  echo "   (no docker CLI; the Engine API on $SOCK) $(engine GET /version | tr -d '\n' | cut -c1-200)"
else
  unfit "no docker CLI and no curl with a socket at $SOCK: Testcontainers needs an engine here"
fi
image_present() {
  if [[ -n "$DOCKER_CLI" ]]; then
    docker image inspect "$1" >/dev/null 2>&1
  else
    engine GET "/images/$1/json" | grep -q '"Id"'
  fi
}
for image in "${IMAGES_NEEDED[@]}"; do
  image_present "$image" || unfit "the image '$image' is not on this engine (nothing is pulled): load it, or set CUDA_IMAGE"
  echo "   image $image present"
done
if [[ -n "$DOCKER_CLI" && "$SELF_TEST" != 1 ]]; then
  echo "   java in $CUDA_IMAGE: $(docker run --rm --network none --entrypoint sh "$CUDA_IMAGE" -c 'command -v java && java -version 2>&1 | head -1' 2>&1 | tr '\n' ' ')"
fi
# labelled RESOURCE -> ids of containers (RESOURCE=containers) or images labelled io.gpukit.junit.session
labelled() {
  if [[ -n "$DOCKER_CLI" ]]; then
    if [[ "$1" == containers ]]; then
      docker ps -aq --filter label=io.gpukit.junit.session
    else
      docker images -aq --filter label=io.gpukit.junit.session
    fi
  else
    engine GET "/$1/json?all=1&filters=%7B%22label%22%3A%5B%22io.gpukit.junit.session%22%5D%7D" \
      | grep -o '"Id":"[^"]*"' | cut -d'"' -f4
  fi
}
BEFORE_CONTAINERS="$(labelled containers | sort | tr '\n' ' ')"
BEFORE_IMAGES="$(labelled images | sort | tr '\n' ' ')"
if [[ -z "${BEFORE_CONTAINERS// /}${BEFORE_IMAGES// /}" ]]; then
  echo "   nothing labelled io.gpukit.junit.session before the runs"
else
  echo "   already labelled io.gpukit.junit.session before the runs (not this script's): containers [$BEFORE_CONTAINERS] images [$BEFORE_IMAGES]"
fi

# ---- the runs ----
# The classes build from src/test/resources/<folder>, relative to the working directory.
RUN_DIR="$WORK/project"
for folder in "${CONTEXT_FOLDERS[@]}"; do
  if ! { mkdir -p "$RUN_DIR/src/test/resources" && cp -r "$BUNDLE/test-classes/$folder" "$RUN_DIR/src/test/resources/"; }; then
    unfit "cannot copy the $folder build context into $RUN_DIR"
  fi
done
echo "== logs in $WORK; classes run from $RUN_DIR"
COMMON_PROPERTIES=(-Dgpukit.gpu.required=true "-Dgpukit.test.cuda.image=$CUDA_IMAGE" "-Dgpukit.probe.jar=$PROBE_JAR"
  ${CLASS_PROPERTIES[@]+"${CLASS_PROPERTIES[@]}"})

# launch NAME [java properties...] -- [launcher arguments...]: runs the launcher in RUN_DIR; sets
# LAST_MS (wall time), LAST_RC, LAST_LOG, and the launcher's counts LAST_OK, LAST_FAILED, LAST_CONTAINERS_FAILED
launch() {
  local name="$1"; shift
  local properties=()
  while [[ $# -gt 0 && "$1" != "--" ]]; do properties+=("$1"); shift; done
  shift
  LAST_LOG="$WORK/$name.log"
  local start end
  start=$(date +%s%N)
  (cd "$RUN_DIR" && "$JAVA" ${properties[@]+"${properties[@]}"} -jar "$LAUNCHER" execute --class-path "$CP" --disable-banner \
    --disable-ansi-colors --details=tree "$@") > "$LAST_LOG" 2>&1
  LAST_RC=$?
  end=$(date +%s%N)
  LAST_MS=$(( (end - start) / 1000000 ))
  LAST_OK=$(count "tests successful")
  LAST_FAILED=$(count "tests failed")
  LAST_CONTAINERS_FAILED=$(count "containers failed")
}
# count WHAT -> the number on the launcher's last summary line that says WHAT (0 when none)
count() {
  awk -v what="$1" 'index($0, what) { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+$/) { n = $i; break } }
    END { print n + 0 }' "$LAST_LOG"
}
# timings: the gpukit.timings entries of the last log, one a line
timings() { grep -o 'gpukit\.timings = `[^`]*' "$LAST_LOG" | sed 's/^gpukit\.timings = `//'; }
# step NAME < timings lines -> that step's seconds, one a line
step() { grep -o "$1=[0-9.]*s" | sed "s/^$1=//; s/s\$//"; }
median() { sort -n | awk '{a[NR]=$1} END { if (NR == 0) { print "-"; exit } print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2 }'; }
max() { sort -n | tail -1; }
show_failures() { grep -E 'AssertionError|Exception:|=> ' "$LAST_LOG" | head -20 | sed 's/^/   | /'; }

# ---- 1. one class ----
echo
echo "== 1. $SINGLE_CLASS: a warm-up, then $RUNS timed runs"
launch warm-up "${COMMON_PROPERTIES[@]}" -- --select-class "$SINGLE_CLASS"
echo "   warm-up: exit $LAST_RC, ${LAST_MS} ms, tests ok $LAST_OK failed $LAST_FAILED; $(timings | tr '\n' ' ')"
if [[ "$LAST_RC" != 0 || "${LAST_OK:-0}" -eq 0 ]]; then
  show_failures
  surprise "the warm-up run of $SINGLE_CLASS did not pass (exit $LAST_RC, see $LAST_LOG)"
fi
TESTS_PER_CLASS="${LAST_OK:-0}"
grep -o 'gpukit\.\(gpu\|probe\.route\|image\) = `[^`]*' "$LAST_LOG" | sed 's/^/   /'
: > "$WORK/single.timings"
SINGLE_WALLS=()
for ((i = 1; i <= RUNS; i++)); do
  launch "single-$i" "${COMMON_PROPERTIES[@]}" -- --select-class "$SINGLE_CLASS"
  SINGLE_WALLS+=("$LAST_MS")
  timings >> "$WORK/single.timings"
  echo "   run $i: exit $LAST_RC, JVM ${LAST_MS} ms, tests ok $LAST_OK; $(timings | tr '\n' ' ')"
  if [[ "$LAST_RC" != 0 || "$LAST_OK" != "$TESTS_PER_CLASS" ]]; then
    show_failures
    surprise "run $i of $SINGLE_CLASS: exit $LAST_RC, $LAST_OK of $TESTS_PER_CLASS tests passed (see $LAST_LOG)"
  fi
done

# ---- 2. N copies sharing one image ----
echo
echo "== 2. N copies of the class in one JVM, sharing one image (${COPY_PREFIX}1..N)"
declare -A WALL
declare -A SETUP_MAX
declare -A SETUP_SUM
declare -A HEALTH_MAX
declare -A BUILT
for mode in $MODES; do
  for n in $NS; do
    selectors=()
    for ((c = 1; c <= n; c++)); do selectors+=(--select-class "$COPY_PREFIX$c"); done
    parallel=()
    if [[ "$mode" == concurrent ]]; then
      parallel=(--config junit.jupiter.execution.parallel.enabled=true
        --config junit.jupiter.execution.parallel.mode.default=same_thread
        --config junit.jupiter.execution.parallel.mode.classes.default=concurrent
        --config junit.jupiter.execution.parallel.config.strategy=fixed
        --config "junit.jupiter.execution.parallel.config.fixed.parallelism=$n")
    fi
    launch "copies-$mode-$n" "${COMMON_PROPERTIES[@]}" -- "${selectors[@]}" ${parallel[@]+"${parallel[@]}"}
    lines="$(timings)"
    classes=$(printf '%s\n' "$lines" | grep -c 'total=')
    built=$(printf '%s\n' "$lines" | grep -c '(built)')
    WALL[$mode,$n]=$LAST_MS
    SETUP_MAX[$mode,$n]=$(printf '%s\n' "$lines" | step total | max)
    SETUP_SUM[$mode,$n]=$(printf '%s\n' "$lines" | step total | awk '{s += $1} END {printf "%.2f", s}')
    HEALTH_MAX[$mode,$n]=$(printf '%s\n' "$lines" | step health | max)
    BUILT[$mode,$n]=$built
    echo "   $mode N=$n: exit $LAST_RC, JVM ${LAST_MS} ms, tests ok $LAST_OK failed $LAST_FAILED, $classes classes timed, image built $built time(s)"
    printf '%s\n' "$lines" | sed 's/^/     /'
    if [[ "$LAST_RC" != 0 || "$LAST_OK" != "$((n * TESTS_PER_CLASS))" ]]; then
      show_failures
      surprise "$mode N=$n: exit $LAST_RC, $LAST_OK of $((n * TESTS_PER_CLASS)) tests passed (see $LAST_LOG)"
    fi
    [[ "$classes" == "$n" ]] || surprise "$mode N=$n: $classes gpukit.timings entries, expected $n (see $LAST_LOG)"
    [[ "$built" == 1 ]] || surprise "$mode N=$n: the image was built $built times, expected once for all copies (see $LAST_LOG)"
  done
done

# ---- 3. without the GPU the class fails ----
echo
echo "== 3. without the GPU attached the class must fail"
launch not-attached-kit "${COMMON_PROPERTIES[@]}" -- --select-class io.gpukit.junit.GpuNotAttachedGpuTests
echo "   GpuNotAttachedGpuTests (EngineTestKit, -Dgpukit.gpu.attach=none inside): exit $LAST_RC, tests ok $LAST_OK failed $LAST_FAILED, ${LAST_MS} ms"
grep -o 'gpukit\.not-attached\.failure = `[^`]*' "$LAST_LOG" | head -3 | sed 's/^/   /'
if [[ "$LAST_RC" != 0 || "$LAST_OK" != 1 ]]; then
  show_failures
  surprise "GpuNotAttachedGpuTests did not pass (see $LAST_LOG)"
fi
launch not-attached-direct "${COMMON_PROPERTIES[@]}" -Dgpukit.gpu.attach=none -- \
  --select-class 'io.gpukit.junit.GpuNotAttachedGpuTests$NotAttachedTestCases'
echo "   NotAttachedTestCases with -Dgpukit.gpu.attach=none: exit $LAST_RC (must be 1), containers failed $LAST_CONTAINERS_FAILED, tests ok ${LAST_OK:-0}, ${LAST_MS} ms"
grep -E 'AssertionError|no GPU was attached' "$LAST_LOG" | head -6 | cut -c1-600 | sed 's/^/   | /'
grep -q 'the probe in the container is not healthy' "$LAST_LOG" \
  || surprise "the class without the GPU did not fail with 'the probe in the container is not healthy' (see $LAST_LOG)"
grep -q 'no GPU was attached (-Dgpukit.gpu.attach=none)' "$LAST_LOG" \
  || surprise "the failure without the GPU does not say that no GPU was attached (see $LAST_LOG)"
[[ "$LAST_RC" == 1 && "$LAST_CONTAINERS_FAILED" -ge 1 && "${LAST_OK:-0}" == 0 ]] \
  || surprise "the class without the GPU did not fail as it should: exit $LAST_RC, containers failed $LAST_CONTAINERS_FAILED (see $LAST_LOG)"

# ---- 4. nothing left ----
echo
echo "== 4. what the runs left on the engine"
AFTER_CONTAINERS="$(labelled containers | sort | tr '\n' ' ')"
AFTER_IMAGES="$(labelled images | sort | tr '\n' ' ')"
echo "   labelled containers: [${AFTER_CONTAINERS% }] images: [${AFTER_IMAGES% }]"
[[ "$AFTER_CONTAINERS" == "$BEFORE_CONTAINERS" ]] || surprise "containers labelled io.gpukit.junit.session were left: [$AFTER_CONTAINERS]"
[[ "$AFTER_IMAGES" == "$BEFORE_IMAGES" ]] || surprise "images labelled io.gpukit.junit.session were left: [$AFTER_IMAGES]"

# ---- the table ----
echo
echo "== $SINGLE_CLASS, $RUNS timed runs (seconds; median and max of the runs)"
printf '   %-18s %8s %8s\n' step median max
for s in image start route probe negative-control health total; do
  printf '   %-18s %8s %8s\n' "$s" "$(step "$s" < "$WORK/single.timings" | median)" "$(step "$s" < "$WORK/single.timings" | max)"
done
printf '   %-18s %8s %8s\n' "JVM wall" "$(printf '%s\n' "${SINGLE_WALLS[@]}" | awk '{print $1 / 1000}' | median)" \
  "$(printf '%s\n' "${SINGLE_WALLS[@]}" | awk '{print $1 / 1000}' | max)"
echo
echo "== N copies in one JVM (seconds; growth = JVM wall / JVM wall at N=1 of the same mode)"
printf '   %-11s %2s %9s %7s %11s %11s %11s %6s\n' mode N "JVM wall" growth "setup max" "setup sum" "health max" built
for mode in $MODES; do
  base="${WALL[$mode,1]:-}"
  for n in $NS; do
    wall="${WALL[$mode,$n]}"
    growth="-"
    [[ -n "$base" && "$base" -gt 0 ]] && growth=$(awk -v w="$wall" -v b="$base" 'BEGIN {printf "%.2fx", w / b}')
    printf '   %-11s %2s %9.2f %7s %11s %11s %11s %6s\n' "$mode" "$n" "$(awk -v w="$wall" 'BEGIN {print w / 1000}')" \
      "$growth" "${SETUP_MAX[$mode,$n]}" "${SETUP_SUM[$mode,$n]}" "${HEALTH_MAX[$mode,$n]}" "${BUILT[$mode,$n]}"
  done
done
echo
if [[ ${#SURPRISES[@]} -gt 0 ]]; then
  echo "== ${#SURPRISES[@]} SURPRISE(S):"
  printf '   - %s\n' "${SURPRISES[@]}"
  echo "   logs: $WORK"
  exit 1
fi
echo "== no surprises; logs: $WORK"
