#!/usr/bin/env bash
# Runs gpukit-probe inside containers through the Docker Engine API with curl alone: no docker CLI
# and no NVIDIA Container Toolkit. The GPU is passed by hand, the way the toolkit would: every
# /dev/nvidia* node as a device, and the driver's user-space libraries bind-mounted read-only at
# /usr/local/nvidia/lib64 (on the image's LD_LIBRARY_PATH).
#
#   gpukit-probe/gpu/container.sh path/to/gpukit-probe.jar
#
# Needs: curl, python3 (JSON and the log stream's demultiplexing), dockerd on DOCKER_SOCK
# (/var/run/docker.sock), and the image IMAGE (gpukit-cuda-base:local): a JRE at /opt/jre/bin/java,
# libcudart/libcublas in /usr/local/cuda/lib64, user app (uid 10001),
# LD_LIBRARY_PATH=/usr/local/nvidia/lib64:/usr/local/cuda/lib64.
#
# Every container: User 10001, NetworkMode none, ReadonlyRootfs, a tmpfs /tmp, the jar's folder
# read-only at /opt/gpukit. Cases and expected exit codes:
#   healthy                  0
#   CUDA_VISIBLE_DEVICES=    11
#   no devices               10
#   deep                     0
#   --min-free-mib above     14
#   forced hang (watchdog)   15
#   heartbeat                0 writing it with the GPU; judged in containers without GPU devices:
#                            fresh 0, stale 15, missing 10
#   /tmp with Docker's default tmpfs options (Tmpfs {"/tmp": ""}): reported, 0 or 10 accepted
#     (Docker mounts it noexec, where the JNI libraries cannot be mapped)
#   natives pre-extracted    0 extracting with --cds-training without devices (as at build time), 0
#                            with that folder read-only as -Dorg.bytedeco.javacpp.cachedir and
#                            Docker's default tmpfs /tmp, natives.cache saying "loaded in place"
#   agent                    the same, with -agentpath through the training's link: healthy 0 (the
#                            driver started at JVM start), CUDA_VISIBLE_DEVICES= 11, no devices 10
# Prints each JSON line, exit code and log; removes the containers; exits 1 on any surprise.
set -u -o pipefail

JAR_IN="${1:?usage: container.sh path/to/gpukit-probe.jar}"
SOCK="${DOCKER_SOCK:-/var/run/docker.sock}"
IMAGE="${IMAGE:-gpukit-cuda-base:local}"
API="http://localhost/v1.41"
JAVA_IN_IMAGE="${JAVA_IN_IMAGE:-/opt/jre/bin/java}"
FLAGS=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:CICompilerCount=1 -Xss512k -Xlog:disable
  -Xlog:all=warning:stderr)
FAILED=()
CREATED=()
EXTRA_BINDS=()
WORK="$(mktemp -d "${TMPDIR:-/tmp}/gpukit-container.XXXXXX")"
cleanup() {
  for id in "${CREATED[@]}"; do
    curl -s -o /dev/null --unix-socket "$SOCK" -X DELETE "$API/containers/$id?force=1&v=1"
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

command -v curl >/dev/null || { echo "container.sh needs curl" >&2; exit 1; }
command -v python3 >/dev/null || { echo "container.sh needs python3" >&2; exit 1; }
[[ -S "$SOCK" ]] || { echo "no Docker socket at $SOCK" >&2; exit 1; }

# api METHOD PATH [BODY-FILE] -> body in $WORK/resp, HTTP code on stdout
api() {
  local args=(-s -o "$WORK/resp" -w '%{http_code}' --unix-socket "$SOCK" -X "$1" --max-time 300)
  [[ $# -ge 3 ]] && args+=(-H 'Content-Type: application/json' --data-binary "@$3")
  curl "${args[@]}" "$API$2"
}

code=$(api GET /_ping); echo "dockerd ping: HTTP $code $(cat "$WORK/resp")"
[[ "$code" == 200 ]] || { echo "!! dockerd does not answer on $SOCK" >&2; exit 1; }
api GET /version >/dev/null && python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("dockerd:", d.get("Version"), "API", d.get("ApiVersion"), "min", d.get("MinAPIVersion"))' "$WORK/resp"
code=$(api GET "/images/$IMAGE/json")
[[ "$code" == 200 ]] || { echo "!! image $IMAGE not found (HTTP $code): $(cat "$WORK/resp")" >&2; exit 1; }
echo "image: $IMAGE present"

JAR_DIR="$(cd "$(dirname "$JAR_IN")" && pwd)"
JAR_NAME="$(basename "$JAR_IN")"
chmod a+r "$JAR_IN"
chmod a+rx "$JAR_DIR" 2>/dev/null

# ---- the driver: device nodes and user-space libraries ----
DEVICES=()
while IFS= read -r d; do DEVICES+=("$d"); done < <(find /dev -maxdepth 2 -path '/dev/nvidia*' -type c | sort)
echo "device nodes: ${DEVICES[*]:-NONE}"
[[ ${#DEVICES[@]} -gt 0 ]] || { echo "!! no /dev/nvidia* device nodes on this host" >&2; exit 1; }
CUDA_LIB="$(ldconfig -p | awk '/libcuda\.so\.1 /{print $NF; exit}')"
[[ -n "$CUDA_LIB" ]] || { echo "!! ldconfig -p knows no libcuda.so.1" >&2; exit 1; }
DRIVER_DIR="$(dirname "$CUDA_LIB")"
echo "driver libraries: $DRIVER_DIR (libcuda.so.1 -> $(readlink -f "$CUDA_LIB"))"
BINDS=("$JAR_DIR:/opt/gpukit:ro")
if [[ -e "$DRIVER_DIR/libc.so.6" ]]; then
  # A system library folder: binding all of it onto the image's LD_LIBRARY_PATH would put the
  # host's libc ahead of the image's. Bind only the driver's own libraries, file by file.
  echo "   $DRIVER_DIR is a system folder (it holds libc.so.6): binding the driver's files only"
  for f in libcuda.so.1 libnvidia-ml.so.1 libnvidia-ptxjitcompiler.so.1 libnvidia-nvvm.so.4; do
    [[ -e "$DRIVER_DIR/$f" ]] && BINDS+=("$(readlink -f "$DRIVER_DIR/$f"):/usr/local/nvidia/lib64/$f:ro")
  done
  for f in "$DRIVER_DIR"/libnvidia-gpucomp.so.*; do
    [[ -e "$f" ]] && BINDS+=("$(readlink -f "$f"):/usr/local/nvidia/lib64/$(basename "$f"):ro")
  done
else
  BINDS+=("$DRIVER_DIR:/usr/local/nvidia/lib64:ro")
fi
printf '   bind %s\n' "${BINDS[@]}"

# create_body FILE DEVICES(yes|no) TMPFS-OPTIONS ENV-JSON ARGS...
create_body() {
  local file="$1" devs="$2" tmpfs="$3" env="$4"; shift 4
  python3 - "$file" "$devs" "$tmpfs" "$env" "$JAVA_IN_IMAGE" "$IMAGE" "$@" <<PY
import json, sys
file, devs, tmpfs, env, java, image = sys.argv[1:7]
args = sys.argv[7:]
devices = [{"PathOnHost": d, "PathInContainer": d, "CgroupPermissions": "rwm"}
           for d in """${DEVICES[*]}""".split()] if devs == "yes" else []
body = {
    "Image": image,
    "User": "10001",
    "Entrypoint": [java],
    "Cmd": args,
    "Env": json.loads(env),
    "WorkingDir": "/",
    "NetworkDisabled": True,
    "HostConfig": {
        "NetworkMode": "none",
        "ReadonlyRootfs": True,
        "Tmpfs": {"/tmp": tmpfs},
        "Devices": devices,
        "Binds": json.loads("""$(python3 -c 'import json,sys; print(json.dumps(sys.argv[1:]))' "${BINDS[@]}" "${EXTRA_BINDS[@]}")"""),
    },
}
open(file, "w").write(json.dumps(body))
PY
}

# run_case NAME EXPECTED(s, space-separated) DEVICES TMPFS ENV-JSON ARGS...
run_case() {
  local name="$1" expected="$2" devs="$3" tmpfs="$4" env="$5"; shift 5
  local cname
  cname="gpukit-probe-$(tr -c 'a-z0-9' '-' <<<"$name" | head -c 40)-$$"
  create_body "$WORK/body.json" "$devs" "$tmpfs" "$env" "$@"
  echo
  echo "== $name (expected ${expected// / or })"
  local code id status
  code=$(api POST "/containers/create?name=$cname" "$WORK/body.json")
  if [[ "$code" != 201 ]]; then
    echo "!! create failed: HTTP $code $(cat "$WORK/resp")"; echo "   body: $(cat "$WORK/body.json")"
    FAILED+=("$name (create: HTTP $code)"); return
  fi
  id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["Id"])' "$WORK/resp")
  CREATED+=("$id")
  python3 -c 'import json,sys; [print("   warning:", w) for w in (json.load(open(sys.argv[1])).get("Warnings") or [])]' "$WORK/resp"
  code=$(api POST "/containers/$id/start")
  if [[ "$code" != 204 ]]; then
    echo "!! start failed: HTTP $code $(cat "$WORK/resp")"
    FAILED+=("$name (start: HTTP $code)"); return
  fi
  code=$(api POST "/containers/$id/wait")
  status=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d.get("StatusCode")); e=d.get("Error"); e and print("wait error:", e, file=sys.stderr)' "$WORK/resp")
  api GET "/containers/$id/logs?stdout=1&stderr=1" >/dev/null
  # Without a TTY the log is multiplexed: 8-byte headers (stream, 0, 0, 0, big-endian size).
  python3 - "$WORK/resp" "$WORK/stdout" "$WORK/stderr" <<'PY'
import struct, sys
data = open(sys.argv[1], "rb").read()
out = {1: open(sys.argv[2], "wb"), 2: open(sys.argv[3], "wb")}
i = 0
while i + 8 <= len(data):
    stream, size = data[i], struct.unpack(">I", data[i + 4:i + 8])[0]
    out.get(stream, out[2]).write(data[i + 8:i + 8 + size])
    i += 8 + size
PY
  echo "   exit $status"
  echo "   stdout: $(cat "$WORK/stdout")"
  python3 - "$WORK/stdout" <<'PY' 2>/dev/null
import json, sys
d = json.loads(open(sys.argv[1]).read().strip().splitlines()[-1])
checks = d.get("checks", [])
bad = [c for c in checks if not c.get("ok")]
for c in checks:
    if c["name"] == "natives.cache" or not c.get("ok"):
        print(f"   {c['name']}: {c.get('detail')}")
PY
  [[ -s "$WORK/stderr" ]] && { echo "   stderr:"; sed 's/^/     /' "$WORK/stderr" | head -30; }
  if [[ " $expected " != *" $status "* ]]; then
    echo "!! $name: UNEXPECTED exit $status, expected ${expected// / or }" >&2
    FAILED+=("$name (got $status, expected $expected)")
  fi
  api DELETE "/containers/$id?force=1&v=1" >/dev/null
}

JAR="/opt/gpukit/$JAR_NAME"
EXEC_TMP="rw,exec,nosuid,nodev,size=256m"
run_case "healthy" 0 yes "$EXEC_TMP" '[]' "${FLAGS[@]}" -jar "$JAR" --json --timeout-ms 30000
run_case "CUDA_VISIBLE_DEVICES=" 11 yes "$EXEC_TMP" '["CUDA_VISIBLE_DEVICES="]' "${FLAGS[@]}" -jar "$JAR" --json --timeout-ms 30000
run_case "no devices" 10 no "$EXEC_TMP" '[]' "${FLAGS[@]}" -jar "$JAR" --json --timeout-ms 30000
run_case "deep" 0 yes "$EXEC_TMP" '[]' "${FLAGS[@]}" -jar "$JAR" --json --mode deep --timeout-ms 60000
run_case "liveness" 0 yes "$EXEC_TMP" '[]' "${FLAGS[@]}" -jar "$JAR" --json --mode liveness --timeout-ms 30000
run_case "Docker's default tmpfs /tmp (noexec?)" "0 10" yes "" '[]' "${FLAGS[@]}" -jar "$JAR" --json --timeout-ms 30000
run_case "free VRAM threshold above the total" 14 yes "$EXEC_TMP" '[]' "${FLAGS[@]}" -jar "$JAR" --json \
  --min-free-mib 100000000 --timeout-ms 30000
run_case "forced hang in kernel.saxpy (watchdog)" 15 yes "$EXEC_TMP" '["GPUKIT_PROBE_TEST_HANG=kernel.saxpy"]' \
  "${FLAGS[@]}" -jar "$JAR" --json --timeout-ms 5000

# The heartbeat: one container with the GPU runs GpuHeartbeat and writes the file into a shared
# folder; containers WITHOUT any GPU device then judge it, as a probe would beside the service.
mkdir -p "$WORK/hb" && chmod 777 "$WORK/hb" && chmod 755 "$WORK"
EXTRA_BINDS=("$WORK/hb:/opt/hb:rw")
run_case "GpuHeartbeat writes the status file" 0 yes "$EXEC_TMP" '[]' "${FLAGS[@]}" -jar "$JAR" \
  --write-heartbeat /opt/hb/heartbeat.json
run_case "heartbeat fresh, judged without GPU devices" 0 no "$EXEC_TMP" '[]' "${FLAGS[@]}" -jar "$JAR" --json \
  --heartbeat /opt/hb/heartbeat.json --max-age 60s
sleep 3
run_case "heartbeat stale, judged without GPU devices" 15 no "$EXEC_TMP" '[]' "${FLAGS[@]}" -jar "$JAR" --json \
  --heartbeat /opt/hb/heartbeat.json --max-age 2s
run_case "heartbeat missing" 10 no "$EXEC_TMP" '[]' "${FLAGS[@]}" -jar "$JAR" --json \
  --heartbeat /opt/hb/none.json --max-age 60s
EXTRA_BINDS=()

# Natives extracted ahead of time, as an image build would: one container without GPU devices runs
# --cds-training with -Dorg.bytedeco.javacpp.cachedir, which extracts into a writable folder, the next one mounts that folder
# read-only and points -Dorg.bytedeco.javacpp.cachedir at it, with Docker's default tmpfs /tmp.
mkdir -p "$WORK/natives" && chmod 777 "$WORK/natives" && chmod 755 "$WORK"
EXTRA_BINDS=("$WORK/natives:/opt/gpukit-natives:rw")
run_case "pre-extracting natives (build time, no GPU)" 0 no "" '[]' "${FLAGS[@]}" \
  -Dorg.bytedeco.javacpp.cachedir=/opt/gpukit-natives -jar "$JAR" --cds-training
echo "   extracted: $(cd "$WORK/natives" && find . -type f -o -type l | sort | tr '\n' ' ')"
EXTRA_BINDS=("$WORK/natives:/opt/gpukit-natives:ro")
run_case "natives pre-extracted (read-only), default tmpfs" 0 yes "" '[]' "${FLAGS[@]}" \
  -Dorg.bytedeco.javacpp.cachedir=/opt/gpukit-natives -jar "$JAR" --json --timeout-ms 30000
# JavaCPP skips a cache directory it cannot write to; the probe must have loaded them in place.
if ! grep -q 'loaded in place (read-only)' "$WORK/stdout"; then
  echo "!! natives pre-extracted: natives.cache does not say 'loaded in place (read-only)'" >&2
  FAILED+=("natives pre-extracted (read-only): not loaded in place")
fi
# The README's launch line: the same read-only folder, and the probe's library as a JVM agent
# through the link the training made there.
AGENT=(-agentpath:/opt/gpukit-natives/libgpukitprobe.so -Dorg.bytedeco.javacpp.cachedir=/opt/gpukit-natives)
run_case "agent, natives pre-extracted (read-only)" 0 yes "" '[]' "${FLAGS[@]}" "${AGENT[@]}" \
  -jar "$JAR" --json --timeout-ms 30000
if ! grep -q 'driver started at JVM start (-agentpath)' "$WORK/stdout"; then
  echo "!! agent: cuda.init does not say the agent started the driver" >&2
  FAILED+=("agent: driver not started at JVM start")
fi
run_case "agent, CUDA_VISIBLE_DEVICES=" 11 yes "" '["CUDA_VISIBLE_DEVICES="]' "${FLAGS[@]}" "${AGENT[@]}" \
  -jar "$JAR" --json --timeout-ms 30000
run_case "agent, no devices" 10 no "" '[]' "${FLAGS[@]}" "${AGENT[@]}" -jar "$JAR" --json --timeout-ms 30000
EXTRA_BINDS=()

echo
if [[ ${#FAILED[@]} -gt 0 ]]; then
  echo "FAILED: ${#FAILED[@]} surprise(s):" >&2
  printf '  - %s\n' "${FAILED[@]}" >&2
  exit 1
fi
echo "OK: every container case as expected"
