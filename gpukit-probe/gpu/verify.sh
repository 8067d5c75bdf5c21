#!/usr/bin/env bash
# Verifies gpukit-probe's exit-code contract on a machine with an NVIDIA GPU and driver.
#
#   JAVA=/path/to/jdk/bin/java gpukit-probe/gpu/verify.sh path/to/gpukit-probe.jar
#
# Prints every JSON line and exit code; exits non-zero (and says which) when a code is not the
# expected one. PROBE_TIMEOUT_MS raises the deadline of the readiness runs (default: the probe's own
# 900 ms) for hosts without persistence mode, where the first NVML/CUDA init is slow.
set -u -o pipefail

JAVA="${JAVA:-java}"
JAR="${1:?usage: verify.sh path/to/gpukit-probe.jar}"
TIMEOUT_ARGS=()
if [[ -n "${PROBE_TIMEOUT_MS:-}" ]]; then TIMEOUT_ARGS=(--timeout-ms "$PROBE_TIMEOUT_MS"); fi
WORK="$(mktemp -d "${TMPDIR:-/tmp}/gpukit-verify.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
FAILED=()
JVM_FLAGS=()

# run NAME EXPECTED [env VAR=VALUE ...] -- ARGS...
run() {
  local name="$1" expected="$2"; shift 2
  local envs=()
  while [[ $# -gt 0 && "$1" != "--" ]]; do envs+=("$1"); shift; done
  shift
  local out rc
  out="$(env "${envs[@]}" "$JAVA" "${JVM_FLAGS[@]}" -jar "$JAR" --json "$@" 2>"$WORK/stderr")"
  rc=$?
  LAST_OUT="$out"
  echo "== $name: exit $rc (expected $expected)"
  echo "$out"
  if [[ "$rc" != "$expected" ]]; then
    echo "!! $name: UNEXPECTED exit $rc, expected $expected; stderr:" >&2
    sed 's/^/   /' "$WORK/stderr" >&2
    FAILED+=("$name (got $rc, expected $expected)")
  fi
}

echo "java: $("$JAVA" -version 2>&1 | head -1)"
echo "jar:  $JAR ($(stat -c %s "$JAR") bytes)"
command -v nvidia-smi >/dev/null && nvidia-smi -L

# A warm-up: the first run extracts the JNI libraries into the cache; not judged.
"$JAVA" -jar "$JAR" --json --timeout-ms 30000 >/dev/null 2>&1 || true

run "healthy readiness"             0  -- "${TIMEOUT_ARGS[@]}"
run "healthy liveness"              0  -- --mode liveness "${TIMEOUT_ARGS[@]}"
run "device 0 only"                 0  -- --device 0 "${TIMEOUT_ARGS[@]}"
run "no visible device"             11 CUDA_VISIBLE_DEVICES= -- "${TIMEOUT_ARGS[@]}"
run "device out of range"           11 -- --device 64 "${TIMEOUT_ARGS[@]}"
run "min free above total"          14 -- --min-free-mib 100000000 "${TIMEOUT_ARGS[@]}"
run "max temperature 1 C"           14 -- --max-temp-c 1 "${TIMEOUT_ARGS[@]}"
run "forced hang in kernel.saxpy"   15 GPUKIT_PROBE_TEST_HANG=kernel.saxpy -- --timeout-ms 5000
run "forced hang in cuda.init"      15 GPUKIT_PROBE_TEST_HANG=cuda.init -- --timeout-ms 3000
run "deep"                          0  -- --mode deep
run "deep, SGEMM 1024"              0  -- --mode deep --sgemm-size 1024 --timeout-ms 60000
run "usage error"                   64 -- --mode warm

# The same contract with the probe's JNI library as a JVM agent (the README's launch line starts the
# driver from it, a few milliseconds into the JVM's boot): extracted as an image build would.
"$JAVA" -Dorg.bytedeco.javacpp.cachedir="$WORK/natives" -jar "$JAR" --cds-training >/dev/null 2>&1
AGENT_LIB="$WORK/natives/libgpukitprobe.so"  # the link the training makes (README)
if [[ -e "$AGENT_LIB" ]]; then
  JVM_FLAGS=(-agentpath:"$AGENT_LIB" -Dorg.bytedeco.javacpp.cachedir="$WORK/natives")
  run "agent: healthy readiness"           0  -- "${TIMEOUT_ARGS[@]}"
  grep -q 'driver started at JVM start' <<<"$LAST_OUT" || FAILED+=("agent: cuda.init does not say the agent started the driver")
  run "agent: healthy liveness"            0  -- --mode liveness "${TIMEOUT_ARGS[@]}"
  grep -q 'driver started at JVM start' <<<"$LAST_OUT" && FAILED+=("agent: started the driver for liveness")
  run "agent: device 0 only"               0  -- --device 0 "${TIMEOUT_ARGS[@]}"
  run "agent: no visible device"           11 CUDA_VISIBLE_DEVICES= -- "${TIMEOUT_ARGS[@]}"
  run "agent: device out of range"         11 -- --device 64 "${TIMEOUT_ARGS[@]}"
  run "agent: forced hang in kernel.saxpy" 15 GPUKIT_PROBE_TEST_HANG=kernel.saxpy -- --timeout-ms 5000
  run "agent: deep"                        0  -- --mode deep
  run "agent: usage error"                 64 -- --mode warm
  run "agent: one argument with a space"   64 -- --mode "readiness --json"
  JVM_FLAGS=()
else
  echo "!! --cds-training extracted no libgpukitprobe.so: the agent runs are left out" >&2
  FAILED+=("agent: no libgpukitprobe.so in the jar")
fi

# Unprivileged, without a home, natives extracted under /tmp (as in an image running as 10001).
if [[ "$(id -u)" == "0" ]] && command -v setpriv >/dev/null; then
  chmod a+r "$JAR"
  out="$(setpriv --reuid 10001 --regid 10001 --clear-groups env -u HOME \
    "$JAVA" -jar "$JAR" --json --timeout-ms 30000 2>"$WORK/stderr")"; rc=$?
  echo "== unprivileged uid 10001: exit $rc (expected 0)"; echo "$out"
  [[ "$rc" == 0 ]] || { sed 's/^/   /' "$WORK/stderr" >&2; FAILED+=("unprivileged (got $rc)"); }
  grep -q 'user.home is not writable' <<<"$out" || FAILED+=("unprivileged: cache not under tmp")
else
  echo "== unprivileged run skipped (needs root and setpriv)"
fi

# Heartbeat: the real GpuHeartbeat (two beats in one JVM, XID watch included) writes the file,
# then the probe judges it without touching the GPU.
HB="$WORK/heartbeat.json"
out="$("$JAVA" -jar "$JAR" --write-heartbeat "$HB" 2>"$WORK/stderr")"; rc=$?
echo "== GpuHeartbeat in-process: exit $rc (expected 0)"; echo "$out"; cat "$HB" 2>/dev/null
[[ "$rc" == 0 ]] || { sed 's/^/   /' "$WORK/stderr" >&2; FAILED+=("GpuHeartbeat (got $rc)"); }
run "heartbeat fresh (GpuHeartbeat)" 0 -- --heartbeat "$HB" --max-age 15s
# The same shape with a timestamp set back, to see staleness.
"$JAVA" -jar "$JAR" --json "${TIMEOUT_ARGS[@]}" > "$WORK/probe.json" 2>/dev/null
python3 - "$WORK/probe.json" "$HB" 0 <<'PY'
import datetime, json, os, sys
src, dst, age = sys.argv[1], sys.argv[2], int(sys.argv[3])
d = json.load(open(src))
d["timestamp"] = (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(seconds=age)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
open(dst + ".tmp", "w").write(json.dumps(d) + "\n"); os.replace(dst + ".tmp", dst)
PY
run "heartbeat fresh"               0  -- --heartbeat "$HB" --max-age 15s
python3 - "$WORK/probe.json" "$HB" 60 <<'PY'
import datetime, json, os, sys
src, dst, age = sys.argv[1], sys.argv[2], int(sys.argv[3])
d = json.load(open(src))
d["timestamp"] = (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(seconds=age)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
open(dst + ".tmp", "w").write(json.dumps(d) + "\n"); os.replace(dst + ".tmp", dst)
PY
run "heartbeat stale"               15 -- --heartbeat "$HB" --max-age 15s
run "heartbeat missing"             10 -- --heartbeat "$WORK/none.json"

echo
if [[ ${#FAILED[@]} -gt 0 ]]; then
  echo "FAILED: ${#FAILED[@]} unexpected exit code(s):" >&2
  printf '  - %s\n' "${FAILED[@]}" >&2
  exit 1
fi
echo "OK: every exit code as expected"
