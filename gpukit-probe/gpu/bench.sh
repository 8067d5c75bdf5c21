#!/usr/bin/env bash
# Times whole processes, alternating, on a GPU machine:
#   probe  java -jar gpukit-probe.jar --mode readiness --json
#   torch  python3 torch_smoke.py (NVML init, torch.cuda.is_available(), 4 MiB round trip)
#   floor  ./floor (C: NVML init, CUDA context, 4 MiB round trip)
#   smi    nvidia-smi -L
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
DRIVER_DIR="$(ldconfig -p | awk '/libcuda\.so\.1 /{print $NF; exit}' | xargs -r dirname)"
NVML_DIR="$(ldconfig -p | awk '/libnvidia-ml\.so\.1 /{print $NF; exit}' | xargs -r dirname)"
# Link against the soname files: libnvidia-ml.so (without .1) may be absent from a driver folder.
mkdir -p "$WORK/lib"
[[ -n "$NVML_DIR" ]] && ln -sf "$NVML_DIR/libnvidia-ml.so.1" "$WORK/lib/libnvidia-ml.so"
CUDA=/usr/local/cuda
if [[ -x "$CUDA/bin/nvcc" ]]; then
  "$CUDA/bin/nvcc" -O2 -o "$WORK/floor" "$HERE/floor.c" -I"$CUDA/include" \
    -L"$CUDA/lib64" -L"$WORK/lib" ${DRIVER_DIR:+-L"$DRIVER_DIR"} -lcudart -lnvidia-ml \
    -Xlinker -rpath="$CUDA/lib64"
else
  gcc -O2 -o "$WORK/floor" "$HERE/floor.c" -I"$CUDA/include" -L"$CUDA/lib64" -L"$WORK/lib" \
    ${DRIVER_DIR:+-L"$DRIVER_DIR"} -lcudart -lnvidia-ml -Wl,-rpath,"$CUDA/lib64"
fi || { echo "cannot build floor.c" >&2; exit 1; }

TIME_V=""
[[ -x /usr/bin/time ]] && /usr/bin/time -v true >/dev/null 2>&1 && TIME_V=/usr/bin/time

declare -A CMD=(
  [probe]="$JAVA -jar $JAR --mode readiness --json --timeout-ms 30000"
  [torch]="python3 $HERE/torch_smoke.py"
  [floor]="$WORK/floor"
  [smi]="nvidia-smi -L"
)
NAMES=(probe torch floor smi)

# One untimed run each: JNI extraction, page cache, PyTorch's first import.
for n in "${NAMES[@]}"; do ${CMD[$n]} >/dev/null 2>&1 || echo "warm-up of $n failed" >&2; done

# run_once NAME -> appends "ms rss_kb rc" to $WORK/NAME
run_once() {
  local n="$1" start end rc rss=""
  if [[ -n "$TIME_V" ]]; then
    start=$(date +%s%N)
    $TIME_V -v -o "$WORK/$n.time" ${CMD[$n]} >/dev/null 2>"$WORK/$n.err"; rc=$?
    end=$(date +%s%N)
    rss=$(awk -F': ' '/Maximum resident set size/{print $2}' "$WORK/$n.time")
  else
    start=$(date +%s%N)
    ${CMD[$n]} >/dev/null 2>"$WORK/$n.err" & local pid=$!
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
  echo "$(( (end - start) / 1000000 )) ${rss:-0} $rc" >> "$WORK/$n"
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

printf '\n%-6s %6s %10s %8s %14s %s\n' what runs median_ms p90_ms peak_rss_mib failures
declare -A MED
for n in "${NAMES[@]}"; do
  read -r med p90 <<<"$(stats "$WORK/$n" 1)"
  read -r rss _ <<<"$(stats "$WORK/$n" 2)"
  fails=$(awk '$3 != 0' "$WORK/$n" | wc -l)
  MED[$n]=$med
  printf '%-6s %6d %10s %8s %14s %s\n' "$n" "$RUNS" "$med" "$p90" \
    "$(awk -v k="$rss" 'BEGIN{printf "%.1f", k/1024}')" "$fails"
done
echo
awk -v p="${MED[probe]}" -v f="${MED[floor]}" -v t="${MED[torch]}" 'BEGIN {
  if (f > 0) printf "probe/floor  %.2fx\n", p / f;
  if (p > 0) printf "torch/probe  %.2fx\n", t / p }'

# GPU memory of the probe's process while its context is alive (hold it with a forced hang).
if command -v nvidia-smi >/dev/null; then
  GPUKIT_PROBE_TEST_HANG=kernel.saxpy $JAVA -jar "$JAR" --json --timeout-ms 8000 \
    >/dev/null 2>&1 & pid=$!
  mem=""
  for _ in $(seq 1 70); do
    sleep 0.1
    mem=$(nvidia-smi --query-compute-apps=pid,used_memory --format=csv,noheader,nounits \
      2>/dev/null | awk -F', *' -v p="$pid" '$1 == p {s += $2} END {if (s) print s}')
    [[ -n "$mem" ]] && break
  done
  wait "$pid" 2>/dev/null
  echo "probe CUDA context: ${mem:-not visible to nvidia-smi (PID namespace?)} MiB of GPU memory"
fi
for n in "${NAMES[@]}"; do
  if awk '$3 != 0' "$WORK/$n" | grep -q .; then
    echo "-- $n failed at least once; last stderr:"; sed 's/^/   /' "$WORK/$n.err"
  fi
done
