#!/usr/bin/env bash
# Times whole processes, alternating, on a GPU machine:
#   probe       the README's launch line (the probe's JNI library as a JVM agent, static AppCDS
#               archive + minimal JVM flags + JNI libraries extracted at "build time", loaded in
#               place) --mode readiness --json
#   probenoagent the same line without -agentpath: the driver starts first thing in main instead of
#               a few milliseconds into the JVM's boot (the previous launch line)
#   probeafter  the same line with -Dgpukit.probe.warmup=afterparse: the early CUDA start only at the
#               natives.cache check, after argument parsing (what the probe did before it started the
#               driver first thing in main)
#   probeptx    the same line with -Dgpukit.probe.kernel=ptx: the saxpy from the plain PTX (JIT)
#               instead of the fatbin with SASS for the common GPUs
#   probejcpp   the same line with -Dgpukit.probe.warmup=javacpp: no early CUDA start through the
#               probe's own JNI library, cuInit only once JavaCPP has linked its CUDA binding (what
#               the probe did before libgpukitprobe.so)
#   probeplain  java -jar gpukit-probe.jar --mode readiness --json
#   torch       python3 torch_smoke.py (NVML init, torch.cuda.is_available(), 4 MiB round trip, saxpy)
#   floor       floor.c, CUDA runtime API (NVML init, CUDA context, 4 MiB round trip), returning
#               from main (the C exit handlers, and the context teardown in them, run)
#   floorfast   floor.c --fast-exit, the same ending with _exit once stdout is flushed
#   floordrv    floor.c --driver, the same with the driver API alone
#   smi         nvidia-smi -L
# and prints median, p90, the ratios probe/floor and torch/probe, peak RSS, and the GPU memory the
# probe's process takes while it holds its CUDA context.
#
#   JAVA=/path/to/jdk/bin/java gpukit-probe/gpu/bench.sh path/to/gpukit-probe.jar [RUNS]
set -u -o pipefail

JAVA="${JAVA:-java}"
JAR="${1:?usage: bench.sh path/to/gpukit-probe.jar [runs]}"
RUNS="${2:-15}"
(( RUNS >= 10 )) || { echo "runs must be 10 or more" >&2; exit 64; }
HERE="$(cd "$(dirname "$0")" && pwd)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/gpukit-bench.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

# ---- build the C floor ----
# floor.c opens libnvidia-ml.so.1, libcuda.so.1 and libcudart with dlopen: no CUDA header, no link
# path and no rpath are needed, and the loader finds the driver's libraries through ldconfig.
mkdir -p "$WORK/bin" "$WORK/res"
CC="${CC:-$(command -v cc || command -v gcc)}"
echo "-- building the C floor: $CC -O2 -o $WORK/bin/floor $HERE/floor.c -ldl"
if ! "$CC" -O2 -o "$WORK/bin/floor" "$HERE/floor.c" -ldl 2>&1 | sed 's/^/   /'; then
  echo "!! cannot build floor.c" >&2; exit 1
fi
[[ -x "$WORK/bin/floor" ]] || { echo "!! cannot build floor.c (no binary)" >&2; exit 1; }
echo "-- ldd of the floor (the driver libraries are opened at run time, see ldconfig):"
ldd "$WORK/bin/floor" 2>&1 | sed 's/^/   /'
echo "-- ldconfig -p | grep -E 'libcuda.so.1|libnvidia-ml.so.1|libcudart.so':"
ldconfig -p 2>/dev/null | grep -E 'libcuda\.so\.1 |libnvidia-ml\.so\.1 |libcudart\.so' | sed 's/^/   /'
echo "-- one floor run of each API (stdout JSON with per-step micros, then stderr):"
for api in "" --driver "--fast-exit" "--driver --fast-exit"; do
  # shellcheck disable=SC2086
  "$WORK/bin/floor" $api 2>&1 | sed 's/^/   /'; echo "   exit ${PIPESTATUS[0]}"
done

# ---- the probe's recommended launch line (gpukit-probe/README.md), with its AppCDS archive ----
MINIMAL_FLAGS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:CICompilerCount=1 -Xss512k -Xlog:disable -Xlog:all=warning:stderr"
# A static archive (class list, then -Xshare:dump): works on a jlink'ed runtime without a default
# CDS archive too, where -XX:ArchiveClassesAtExit refuses to start.
# The training also extracts the JNI libraries, which the probe then loads in place.
NATIVES="-Dorg.bytedeco.javacpp.cachedir=$WORK/natives"
echo "-- AppCDS archive: $JAVA -XX:DumpLoadedClassList=$WORK/probe.lst $MINIMAL_FLAGS $NATIVES -jar $JAR --cds-training"
# shellcheck disable=SC2086
"$JAVA" -XX:DumpLoadedClassList="$WORK/probe.lst" $MINIMAL_FLAGS $NATIVES -jar "$JAR" --cds-training 2>&1 | sed 's/^/   /'
echo "   $JAVA -Xshare:dump -XX:SharedClassListFile=$WORK/probe.lst -XX:SharedArchiveFile=$WORK/probe.jsa $MINIMAL_FLAGS -cp $JAR"
# shellcheck disable=SC2086
"$JAVA" -Xshare:dump -XX:SharedClassListFile="$WORK/probe.lst" -XX:SharedArchiveFile="$WORK/probe.jsa" \
  $MINIMAL_FLAGS -cp "$JAR" 2>&1 | grep -v -e 'Skipping' -e 'Preload Warning: Cannot find jdk/proxy' | sed 's/^/   /'
echo "   archive: $(stat -c %s "$WORK/probe.jsa" 2>/dev/null || echo MISSING) bytes"
AGENT_LIB="$WORK/natives/libgpukitprobe.so"  # the link the training makes (README)
[[ -e "$AGENT_LIB" ]] || { echo "!! --cds-training made no $AGENT_LIB (a jar built without cc?)" >&2; exit 1; }
echo "   agent: $AGENT_LIB"
NOAGENT_FLAGS="-XX:SharedArchiveFile=$WORK/probe.jsa $MINIMAL_FLAGS $NATIVES"
PROBE_FLAGS="-agentpath:$AGENT_LIB $NOAGENT_FLAGS"
# shellcheck disable=SC2086
if ! "$JAVA" -Xshare:on $PROBE_FLAGS -jar "$JAR" --help >/dev/null 2>"$WORK/on.err"; then
  echo "!! the archive cannot be used (-Xshare:on); the probe line would run without it:" >&2
  sed 's/^/   /' "$WORK/on.err" >&2; exit 1
fi
# shellcheck disable=SC2086
"$JAVA" $PROBE_FLAGS -Xlog:class+load:file="$WORK/cl.txt" -jar "$JAR" --json --timeout-ms 30000 >/dev/null 2>&1
echo "   $(grep -c 'source: shared objects file' "$WORK/cl.txt") of $(grep -c 'source:' "$WORK/cl.txt") classes of a readiness run came from the archive"

TIME_V=""
[[ -x /usr/bin/time ]] && /usr/bin/time -v true >/dev/null 2>&1 && TIME_V=/usr/bin/time

declare -A CMD=(
  [probe]="$JAVA $PROBE_FLAGS -jar $JAR --mode readiness --json --timeout-ms 30000"
  [probenoagent]="$JAVA $NOAGENT_FLAGS -jar $JAR --mode readiness --json --timeout-ms 30000"
  [probeafter]="$JAVA $PROBE_FLAGS -Dgpukit.probe.warmup=afterparse -jar $JAR --mode readiness --json --timeout-ms 30000"
  [probeptx]="$JAVA $PROBE_FLAGS -Dgpukit.probe.kernel=ptx -jar $JAR --mode readiness --json --timeout-ms 30000"
  [probejcpp]="$JAVA $PROBE_FLAGS -Dgpukit.probe.warmup=javacpp -jar $JAR --mode readiness --json --timeout-ms 30000"
  [probeplain]="$JAVA -jar $JAR --mode readiness --json --timeout-ms 30000"
  [torch]="python3 $HERE/torch_smoke.py"
  [floor]="$WORK/bin/floor"
  [floorfast]="$WORK/bin/floor --fast-exit"
  [floordrv]="$WORK/bin/floor --driver"
  [smi]="nvidia-smi -L"
)
NAMES=(${BENCH_NAMES:-probe probenoagent probeafter probejcpp probeplain torch floor floorfast floordrv smi})

# One untimed run each: JNI extraction, page cache, PyTorch's first import.
for n in "${NAMES[@]}"; do ${CMD[$n]} >/dev/null 2>&1 || echo "warm-up of $n failed" >&2; done

# run_once NAME -> appends "ms rss_kb rc" to $WORK/res/NAME (one line per run); keeps the first
# failing stderr in $WORK/res/NAME.firsterr
run_once() {
  local n="$1" start end rc rss=""
  if [[ -n "$TIME_V" ]]; then
    start=$(date +%s%N)
    $TIME_V -v -o "$WORK/res/$n.time" ${CMD[$n]} >/dev/null 2>"$WORK/res/$n.err"; rc=$?
    end=$(date +%s%N)
    rss=$(awk -F': ' '/Maximum resident set size/{print $2}' "$WORK/res/$n.time")
  else
    start=$(date +%s%N)
    ${CMD[$n]} >/dev/null 2>"$WORK/res/$n.err" & local pid=$!
    local peak=0 cur
    while kill -0 "$pid" 2>/dev/null; do
      cur=$(awk '/VmHWM/{print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
      (( ${cur:-0} > peak )) && peak=$cur
      sleep 0.005
    done
    wait "$pid"; rc=$?
    end=$(date +%s%N)
    rss=$peak
  fi
  echo "$(( (end - start) / 1000000 )) ${rss:-0} $rc" >> "$WORK/res/$n"
  if [[ "$rc" != 0 && ! -e "$WORK/res/$n.firsterr" ]]; then
    { echo "exit $rc"; cat "$WORK/res/$n.err"; } > "$WORK/res/$n.firsterr"
  fi
}

for ((i = 1; i <= RUNS; i++)); do
  for n in "${NAMES[@]}"; do run_once "$n"; done
done

stats() { # file column -> "median p90"
  awk -v c="$2" '{print $c}' "$1" | sort -n | awk '{a[NR]=$1} END {
    m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2;
    p = a[int(0.9 * NR + 0.999999)]; if (p == "") p = a[NR];
    printf "%s %s", m, p }'
}

printf '\n%-10s %6s %10s %8s %14s %s\n' what runs median_ms p90_ms peak_rss_mib failures
declare -A MED
for n in "${NAMES[@]}"; do
  read -r med p90 <<<"$(stats "$WORK/res/$n" 1)"
  read -r rss _ <<<"$(stats "$WORK/res/$n" 2)"
  fails=$(awk '$3 != 0 {f++} END {print f + 0}' "$WORK/res/$n")
  MED[$n]=$med
  printf '%-10s %6d %10s %8s %14s %s\n' "$n" "$RUNS" "$med" "$p90" \
    "$(awk -v k="$rss" 'BEGIN{printf "%.1f", k/1024}')" "$fails"
done
echo
awk -v p="${MED[probe]:-0}" -v n="${MED[probenoagent]:-0}" -v e="${MED[probejcpp]:-0}" -v q="${MED[probeplain]:-0}" -v a="${MED[probeafter]:-0}" \
    -v f="${MED[floor]:-0}" -v g="${MED[floorfast]:-0}" -v d="${MED[floordrv]:-0}" -v t="${MED[torch]:-0}" 'BEGIN {
  if (f > 0 && p > 0) printf "probe/floor  %.2fx (target <= 1.25x)\n", p / f;
  if (g > 0 && p > 0) printf "probe/floorfast  %.2fx\n", p / g;
  if (d > 0 && p > 0) printf "probe/floordrv  %.2fx\n", p / d;
  if (f > 0 && n > 0) printf "probenoagent/floor  %.2fx (probe - probenoagent: %+d ms)\n", n / f, p - n;
  if (n > 0 && t > 0) printf "torch/probenoagent  %.2fx\n", t / n;
  if (f > 0 && a > 0) printf "probeafter/floor  %.2fx (probe - probeafter: %+d ms)\n", a / f, p - a;
  if (f > 0 && e > 0) printf "probejcpp/floor  %.2fx\n", e / f;
  if (f > 0 && q > 0) printf "probeplain/floor  %.2fx\n", q / f;
  if (p > 0 && t > 0) printf "torch/probe  %.2fx (target >= 10x)\n", t / p;
  if (e > 0 && t > 0) printf "torch/probejcpp  %.2fx\n", t / e }'

# GPU memory of the probe's process while its context is alive (hold it with a forced hang).
if command -v nvidia-smi >/dev/null; then
  # shellcheck disable=SC2086
  GPUKIT_PROBE_TEST_HANG=kernel.saxpy $JAVA $PROBE_FLAGS -jar "$JAR" --json --timeout-ms 8000 \
    >/dev/null 2>&1 & pid=$!
  # The largest reading over two seconds from the first one: with the agent the process shows up
  # while its context is still being created, with a fraction of the memory.
  mem=""; seen=0
  for _ in $(seq 1 70); do
    sleep 0.1
    cur=$(nvidia-smi --query-compute-apps=pid,used_memory --format=csv,noheader,nounits \
      2>/dev/null | awk -F', *' -v p="$pid" '$1 == p {s += $2} END {if (s) print s}')
    if [[ -n "$cur" ]]; then
      (( cur > ${mem:-0} )) && mem=$cur
      (( ++seen >= 20 )) && break
    fi
  done
  wait "$pid" 2>/dev/null
  echo "probe CUDA context: ${mem:-not visible to nvidia-smi (PID namespace?)} MiB of GPU memory"
fi
for n in "${NAMES[@]}"; do
  if [[ -e "$WORK/res/$n.firsterr" ]]; then
    echo "-- $n failed at least once; first failure (exit code, then stderr):"
    sed 's/^/   /' "$WORK/res/$n.firsterr"
  fi
done
