#!/usr/bin/env bash
# Start-up benchmark: gpukit as a pre-commit hook runs it (a whole process per file), side by side
# with two Node Dockerfile linters, in one run. See bench/README.md.
#
# Usage: bench/startup-bench.sh [-n RUNS] [--no-build] [--no-peers] [--flags]
#   -n RUNS     runs per command (default 20); every command runs RUNS times, the commands in turn
#   --no-build  use gpukit-cli/target/gpukit as it is (default: build it first, tests skipped)
#   --no-peers  do not install the Node linters (no npm, no registry): gpukit's figures only
#   --flags     also time JVM option sets on lib/gpukit.jar, to choose bin/gpukit's
#   JAVA25_HOME a JDK 24 or later: the build makes the AOT cache with it, and bin/gpukit is also
#               timed with JAVA_HOME set to it (the AOT cache), beside the default java (the archive)
#
# Prints the machine (CPUs, load average before and after, Java, Node), then for each command the
# median and 90th percentile wall time of one whole process and its mean CPU time (user + system,
# all threads), and the ratios of the medians against the peers.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)

RUNS=20
BUILD=true
PEERS=true
FLAGS=false
while [ "$#" -gt 0 ]; do
  case "$1" in
    -n) RUNS=${2:?-n needs a number}; shift 2 ;;
    --no-build) BUILD=false; shift ;;
    --no-peers) PEERS=false; shift ;;
    --flags) FLAGS=true; shift ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "startup-bench: unknown option '$1' (try --help)" >&2; exit 2 ;;
  esac
done
case "$RUNS" in ''|*[!0-9]*|0) echo "startup-bench: -n wants a positive number, not '$RUNS'" >&2; exit 2 ;; esac

DIST="$ROOT/gpukit-cli/target/gpukit"
FILE="$ROOT/gpukit-examples/Dockerfile"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/gpukit-startup-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

cpus() { getconf _NPROCESSORS_ONLN 2>/dev/null || nproc; }
load() { cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime | sed 's/.*load average[s]*: *//'; }

echo "==> Machine: $(cpus) CPUs, load average $(load) (1, 5, 15 min)"
echo "==> $(java -version 2>&1 | head -n 1); node $(node --version 2>/dev/null || echo 'not installed')"
if awk -v l="$(load | cut -d' ' -f1 | tr -d ,)" -v n="$(cpus)" 'BEGIN { exit !(l > n / 2) }'; then
  echo "    (a load average above half the CPUs: other work competes; compare the ratios, not the times)"
fi

if [ "$BUILD" = true ] || [ ! -x "$DIST/bin/gpukit" ]; then
  echo "==> Building the distribution (./mvnw -B -q -pl gpukit-cli -am -DskipTests package)"
  ./mvnw -B -q -pl gpukit-cli -am -DskipTests package
fi
J25=""
if [ -n "${JAVA25_HOME:-}" ] && [ -x "$JAVA25_HOME/bin/java" ]; then
  J25=$JAVA25_HOME
  echo "==> JDK 24+: $("$J25/bin/java" -version 2>&1 | head -n 1) ($J25)"
  if [ -s "$DIST/lib/gpukit.aot" ]; then
    echo "==> $DIST: AOT cache for $(cat "$DIST/lib/gpukit.aot.for" 2>/dev/null) (folder, JVM)"
  else
    echo "==> $DIST: no AOT cache (see the build's message); bin/gpukit runs JDK 25 with the archive"
  fi
fi
if [ -s "$DIST/lib/gpukit.jsa" ]; then
  echo "==> $DIST: class-data sharing archive for $(cat "$DIST/lib/gpukit.jsa.for" 2>/dev/null) (folder, JVM)"
else
  echo "==> $DIST: no class-data sharing archive (see the build's message); bin/gpukit runs without one"
fi

# The folder: real-world-shaped Dockerfiles from the repository's corpora, flat, one name each.
FOLDER="$TMP/dockerfiles"
mkdir -p "$FOLDER"
i=0
while IFS= read -r f; do
  i=$((i + 1))
  rel=${f#"$ROOT"/}
  name=$(printf '%03d-%s' "$i" "$(printf '%s' "$rel" | tr '/' '-' | sed 's/^gpukit-[a-z]*-src-[a-z]*-resources-//')")
  case "$name" in *.Dockerfile) ;; *) name="$name.Dockerfile" ;; esac
  cp "$f" "$FOLDER/$name"
done < <(find "$ROOT/gpukit-core/src/test/resources/fixtures/corpus" "$ROOT/gpukit-benchmarks/src/main/resources/corpus" \
  -type f \( -name 'Dockerfile' -o -name 'Dockerfile.*' -o -name '*.Dockerfile' -o -name 'Containerfile' \) \
  ! -name '*.out' | LC_ALL=C sort)
FOLDER_FILES=()
while IFS= read -r f; do FOLDER_FILES+=("$f"); done < <(find "$FOLDER" -type f | LC_ALL=C sort)
echo "==> Inputs: one file $(wc -l <"$FILE") lines ($FILE); a folder of ${#FOLDER_FILES[@]} Dockerfiles, $(cat "${FOLDER_FILES[@]}" | wc -l) lines"

PEER_BIN=""
if [ "$PEERS" = true ]; then
  if command -v npm >/dev/null 2>&1; then
    echo "==> Installing dockerfile-utils and dockerfilelint with npm into a temporary folder"
    if npm install --prefix "$TMP/peers" --no-audit --no-fund --no-save --silent dockerfile-utils dockerfilelint \
        >"$TMP/npm.log" 2>&1; then
      PEER_BIN="$TMP/peers/node_modules/.bin"
      for p in dockerfile-utils dockerfilelint; do
        echo "    $p $(node -p "require('$TMP/peers/node_modules/$p/package.json').version")"
      done
    else
      echo "    npm install failed (no registry?); gpukit's figures only. Last lines:"; tail -n 5 "$TMP/npm.log" | sed 's/^/    /'
    fi
  else
    echo "==> No npm: gpukit's figures only"
  fi
fi

# Microseconds since the epoch, without a process where bash has EPOCHREALTIME (bash 5).
if [ -n "${EPOCHREALTIME:-}" ]; then
  now_us() { NOW=${EPOCHREALTIME/[.,]/}; }
elif [ "$(date +%N)" != "%N" ]; then
  now_us() { NOW=$(( $(date +%s%N) / 1000 )); }
else
  now_us() { NOW=$(perl -MTime::HiRes=time -e 'printf "%d", time * 1e6'); }
fi

# bench NAME COMMAND...: registers a command; run_all measures them, in turns. A gpukit command
# (its NAME says gpukit or options) must exit 0 or 1; the peers exit with their issue counts.
NAMES=(); CMDS=()
bench() { NAMES+=("$1"); shift; CMDS+=("$(printf '%q ' "$@")"); }
is_gpukit() { case "$1" in *gpukit* | *options* | *'['archive']'* | *-XX:* | *-Xshare* ) return 0 ;; *) return 1 ;; esac; }

# One run of command K: its wall time to wall.K, and its user + system CPU (bash's `times` in the
# subshell that ran it: that subshell's children, i.e. the command and its threads) to cpu.K.
run_one() {
  local k=$1 start cpu
  now_us; start=$NOW
  cpu=$(eval "${CMDS[$k]}" >/dev/null 2>&1; times)
  now_us
  echo $((NOW - start)) >>"$TMP/wall.$k"
  printf '%s\n' "$cpu" | tail -n 1 >>"$TMP/cpu.$k"
}

# Runs every command once (a check that it works), once
# more to warm the caches, then RUNS turns of all of them, so that a change in the machine's load
# falls on every command alike.
run_all() {
  local n=${#NAMES[@]} k r rc
  for ((k = 0; k < n; k++)); do
    : >"$TMP/wall.$k"; : >"$TMP/cpu.$k"
    set +e; eval "${CMDS[$k]}" >"$TMP/out.$k" 2>&1; rc=$?; set -e
    if [ "$rc" -ge 2 ] && is_gpukit "${NAMES[$k]}"; then
      echo "startup-bench: '${NAMES[$k]}' exits $rc; its output:" >&2; head -n 20 "$TMP/out.$k" >&2; exit 1
    fi
    eval "${CMDS[$k]}" >/dev/null 2>&1 || true
  done
  for ((r = 1; r <= RUNS; r++)); do
    for ((k = 0; k < n; k++)); do run_one "$k"; done
  done
}

# One line per command: median and 90th percentile wall time, mean CPU time. Medians also go to
# $TMP/medians (name, tab, seconds) for ratio.
report() {
  local n=${#NAMES[@]} k med
  printf '    %-48s %9s %9s %9s\n' "${1:-command (one whole process)}" "median" "p90" "CPU mean"
  for ((k = 0; k < n; k++)); do
    med=$(sort -n "$TMP/wall.$k" | awk '{ v[NR] = $1 } END { printf "%.4f", ((NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) / 1e6 }')
    printf '%s\t%s\n' "${NAMES[$k]}" "$med" >>"$TMP/medians"
    sort -n "$TMP/wall.$k" | awk -v name="${NAMES[$k]}" -v med="$med" -v cpufile="$TMP/cpu.$k" '
      { v[NR] = $1 }
      END {
        i90 = int(0.9 * NR + 0.999999); if (i90 < 1) i90 = 1
        while ((getline line < cpufile) > 0) {   # "0m0.210s 0m0.040s": user, system
          split(line, t, " ")
          for (i = 1; i <= 2; i++) { s = t[i]; m = s; sub(/m.*/, "", m); sub(/^[0-9]+m/, "", s); sub(/s$/, "", s); cpu += m * 60 + s }
          runs++
        }
        printf "    %-48s %7.3f s %7.3f s %7.3f s\n", name, med, v[i90] / 1e6, runs ? cpu / runs : 0
      }'
  done
}

ratio() { # ratio A B: median(A) / median(B), when both ran
  awk -F'\t' -v a="$1" -v b="$2" '
    { med[$1] = $2 }
    END { if ((a in med) && (b in med) && med[b] > 0) printf "    %-40s / %-30s = %5.2f\n", a, b, med[a] / med[b] }' "$TMP/medians"
}

GPUKIT="$DIST/bin/gpukit"
JAR="$DIST/lib/gpukit.jar"
JAVA=java
if [ -n "${JAVA_HOME:-}" ]; then JAVA="$JAVA_HOME/bin/java"; fi

echo
echo "==> (a) one Dockerfile, whole process, $RUNS runs each (load average $(load))"
: >"$TMP/medians"
NAMES=(); CMDS=()
bench "bin/gpukit check FILE" "$GPUKIT" check "$FILE"
bench "java -jar gpukit.jar check FILE" "$JAVA" -jar "$JAR" check "$FILE"
if [ -n "$J25" ]; then
  bench "bin/gpukit check FILE [JDK 25]" env JAVA_HOME="$J25" "$GPUKIT" check "$FILE"
fi
if [ -n "$PEER_BIN" ]; then
  bench "dockerfile-utils lint FILE" "$PEER_BIN/dockerfile-utils" lint "$FILE"
  bench "dockerfilelint FILE" "$PEER_BIN/dockerfilelint" "$FILE"
fi
run_all
report
ratio "bin/gpukit check FILE" "dockerfile-utils lint FILE"
ratio "bin/gpukit check FILE" "dockerfilelint FILE"
ratio "java -jar gpukit.jar check FILE" "dockerfile-utils lint FILE"
ratio "bin/gpukit check FILE" "java -jar gpukit.jar check FILE"
ratio "bin/gpukit check FILE [JDK 25]" "dockerfile-utils lint FILE"
ratio "bin/gpukit check FILE [JDK 25]" "dockerfilelint FILE"

echo
echo "==> (b) ${#FOLDER_FILES[@]} Dockerfiles in one process, $RUNS runs each (load average $(load))"
: >"$TMP/medians"
NAMES=(); CMDS=()
bench "bin/gpukit check FILES" "$GPUKIT" check "${FOLDER_FILES[@]}"
bench "bin/gpukit check FOLDER (project view)" "$GPUKIT" check "$FOLDER"
bench "java -jar gpukit.jar check FILES" "$JAVA" -jar "$JAR" check "${FOLDER_FILES[@]}"
if [ -n "$J25" ]; then
  bench "bin/gpukit check FILES [JDK 25]" env JAVA_HOME="$J25" "$GPUKIT" check "${FOLDER_FILES[@]}"
fi
if [ -n "$PEER_BIN" ]; then
  bench "dockerfilelint FILES" "$PEER_BIN/dockerfilelint" "${FOLDER_FILES[@]}"
fi
run_all
report
ratio "bin/gpukit check FILES" "dockerfilelint FILES"
ratio "java -jar gpukit.jar check FILES" "dockerfilelint FILES"
ratio "bin/gpukit check FILES [JDK 25]" "dockerfilelint FILES"

if [ "$FLAGS" = true ]; then
  echo
  echo "==> JVM options on lib/gpukit.jar, $RUNS runs each (load average $(load))"
  CDS=()
  if [ -s "$DIST/lib/gpukit.jsa" ]; then CDS=("-XX:SharedArchiveFile=$DIST/lib/gpukit.jsa" -Xshare:auto -Xlog:cds=off); fi
  SETS=(
    ""
    "-XX:TieredStopAtLevel=1"
    "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
    "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData"
    "-XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -XX:+UseSerialGC -XX:-UsePerfData"
    "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -Xss512k"
    "-XX:+UseSerialGC -XX:-UsePerfData -Xint"
    "-XX:+UseSerialGC -XX:-UsePerfData"
  )
  for target in one folder; do
    : >"$TMP/medians"
    NAMES=(); CMDS=()
    for s in "${SETS[@]}"; do
      # shellcheck disable=SC2086 # each set is a list of options
      if [ "$target" = one ]; then
        bench "${s:-(no options)} [archive]" "$JAVA" $s "${CDS[@]}" -jar "$JAR" check "$FILE"
      else
        bench "${s:-(no options)} [archive]" "$JAVA" $s "${CDS[@]}" -jar "$JAR" check "${FOLDER_FILES[@]}"
      fi
    done
    # shellcheck disable=SC2086
    if [ "$target" = one ]; then
      bench "(bin/gpukit's options) -Xshare:off" "$JAVA" -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 \
        -XX:+UseSerialGC -XX:-UsePerfData -Xshare:off -jar "$JAR" check "$FILE"
      echo "    one file:"
    else
      echo "    ${#FOLDER_FILES[@]} files:"
    fi
    run_all
    report "JVM options (whole process)"
  done
fi

echo
echo "==> Done; load average $(load)"
