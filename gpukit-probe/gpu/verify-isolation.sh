#!/usr/bin/env bash
# Verifies gpukit-probe where a container would isolate it, without Docker: private mount
# namespaces (unshare -m, needs root) hide the GPU's device nodes or make the root file system
# read-only, and setpriv drops to uid 10001 without a home directory.
#
#   JAVA=/path/to/java gpukit-probe/gpu/verify-isolation.sh path/to/gpukit-probe.jar
#
# Cases, each printed with its JSON line, exit code and the failing check:
#   nodes -> /dev/null          every /dev/nvidia* bind-mounted over by /dev/null          -> 10
#   no nodes (fresh /dev)       a read-only tmpfs /dev with only null, zero, random, ...    -> 10
#   read-only root, uid 10001   / remounted read-only, a fresh tmpfs /tmp, no HOME          -> 0,
#                               natives extracted under /tmp
#   read-only ~/.javacpp        (fallback without mount namespaces) uid 10001, HOME with a
#                               read-only .javacpp                                          -> 0,
#                               natives extracted under /tmp
# Exits 1 and lists the surprises when any code or detail is not the expected one.
set -u -o pipefail

JAVA="${JAVA:-java}"
JAR_IN="${1:?usage: verify-isolation.sh path/to/gpukit-probe.jar}"
TIMEOUT_MS="${PROBE_TIMEOUT_MS:-30000}"
FAILED=()

# The work folder lies outside /tmp, which the read-only case replaces with a fresh tmpfs.
WORK="$(mktemp -d /var/tmp/gpukit-isolation.XXXXXX 2>/dev/null || mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
chmod 755 "$WORK"
cp "$JAR_IN" "$WORK/gpukit-probe.jar" && chmod 644 "$WORK/gpukit-probe.jar"
JAR="$WORK/gpukit-probe.jar"
JAVA_BIN="$(readlink -f "$(command -v "$JAVA")")"
if [[ "$JAVA_BIN" == /tmp/* ]]; then
  # A JRE under /tmp would vanish under the fresh /tmp: copy it next to the jar.
  JHOME="$(dirname "$(dirname "$JAVA_BIN")")"
  echo "-- $JAVA_BIN lies under /tmp; copying $JHOME to $WORK/jre"
  cp -a "$JHOME" "$WORK/jre" && chmod -R a+rX "$WORK/jre"
  JAVA_BIN="$WORK/jre/bin/java"
fi
echo "java: $JAVA_BIN ($("$JAVA_BIN" -version 2>&1 | head -1))"
echo "jar:  $JAR"
echo "uid:  $(id -u); unshare: $(command -v unshare || echo missing); setpriv: $(command -v setpriv || echo missing)"
ls -l /dev/nvidia* 2>&1 | sed 's/^/dev:  /'

# explain FILE: the status, code and the failing (or last) check of a JSON line
explain() {
  python3 - "$1" <<'PY' 2>/dev/null || echo "   (stdout is not one JSON line)"
import json, sys
d = json.loads(open(sys.argv[1]).read().strip().splitlines()[-1])
checks = d.get("checks", [])
bad = [c for c in checks if not c.get("ok")]
c = bad[0] if bad else (checks[-1] if checks else {})
print(f"   status {d.get('status')} code {d.get('code')}; "
      f"{'failed' if bad else 'last'} check {c.get('name')}: {c.get('detail')}")
for c in checks:
    if c.get("name") == "natives.cache":
        print(f"   natives.cache: {c.get('detail')}")
PY
}

# judge NAME EXPECTED RC [grep-pattern that the JSON must contain]
judge() {
  local name="$1" expected="$2" rc="$3" must="${4:-}"
  echo "== $name: exit $rc (expected $expected)"
  cat "$WORK/out"; explain "$WORK/out"
  if [[ "$rc" != "$expected" ]]; then
    echo "!! $name: UNEXPECTED exit $rc, expected $expected; stderr:" >&2
    sed 's/^/   /' "$WORK/err" >&2
    FAILED+=("$name (got $rc, expected $expected)")
  elif [[ -n "$must" ]] && ! grep -q -- "$must" "$WORK/out"; then
    echo "!! $name: the JSON does not contain: $must" >&2
    FAILED+=("$name (JSON lacks: $must)")
  fi
  [[ -s "$WORK/err" && "$rc" == "$expected" ]] && { echo "   stderr:"; sed 's/^/     /' "$WORK/err" | head -20; }
}

CAN_UNSHARE=0
if [[ "$(id -u)" == 0 ]] && command -v unshare >/dev/null && unshare -m true 2>/dev/null; then
  CAN_UNSHARE=1
fi
export JAVA_BIN JAR TIMEOUT_MS WORK

if [[ "$CAN_UNSHARE" == 1 ]] && compgen -G '/dev/nvidia*' >/dev/null; then
  # shellcheck disable=SC2016
  unshare -m sh -c '
    mount --make-rprivate / || exit 90
    for d in /dev/nvidia*; do
      [ -e "$d" ] || continue
      if [ -d "$d" ]; then mount -t tmpfs -o ro tmpfs "$d" || exit 91
      else mount --bind /dev/null "$d" || exit 91; fi
    done
    echo "in the namespace: $(ls -l /dev/nvidiactl 2>&1)" >&2
    exec "$JAVA_BIN" -jar "$JAR" --json --timeout-ms "$TIMEOUT_MS"' >"$WORK/out" 2>"$WORK/err"
  judge "device nodes bound to /dev/null" 10 $? '"code":10'

  # shellcheck disable=SC2016
  unshare -m sh -c '
    mount --make-rprivate / || exit 90
    mount -t tmpfs -o mode=755,nosuid tmpfs /dev || exit 91
    for n in "null 1 3" "zero 1 5" "full 1 7" "random 1 8" "urandom 1 9" "tty 5 0"; do
      set -- $n; mknod -m 666 "/dev/$1" c "$2" "$3" || exit 92
    done
    mkdir -p /dev/shm && chmod 1777 /dev/shm
    mount -o remount,ro,nosuid /dev || exit 93   # nothing (nvidia-modprobe) can add nodes back
    echo "in the namespace: $(ls /dev | tr "\n" " ")" >&2
    exec "$JAVA_BIN" -jar "$JAR" --json --timeout-ms "$TIMEOUT_MS"' >"$WORK/out" 2>"$WORK/err"
  judge "no device nodes (fresh /dev)" 10 $? '"code":10'
else
  echo "== device-node cases skipped: need root, unshare -m and /dev/nvidia* nodes"
  FAILED+=("device-node cases skipped (need root and unshare -m)")
fi

if [[ "$CAN_UNSHARE" == 1 ]] && command -v setpriv >/dev/null; then
  # shellcheck disable=SC2016
  unshare -m sh -c '
    mount --make-rprivate / || exit 90
    mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /tmp || exit 91
    mount -o remount,bind,ro / || exit 92
    if touch /.gpukit-rw-test 2>/dev/null; then rm -f /.gpukit-rw-test; echo "/ is still writable" >&2; exit 93; fi
    echo "in the namespace: / read-only, /tmp: $(df -h /tmp | tail -1)" >&2
    exec setpriv --reuid 10001 --regid 10001 --clear-groups env -u HOME \
      "$JAVA_BIN" -jar "$JAR" --json --timeout-ms "$TIMEOUT_MS"' >"$WORK/out" 2>"$WORK/err"
  judge "read-only root, uid 10001, no HOME, fresh /tmp" 0 $? 'cachedir=/tmp/gpukit-probe-javacpp-10001'
else
  echo "== read-only root case skipped: needs root, unshare -m and setpriv"
fi

# Without mount namespaces too: HOME exists but its .javacpp is not writable by uid 10001.
if [[ "$(id -u)" == 0 ]] && command -v setpriv >/dev/null; then
  mkdir -p "$WORK/home/.javacpp" && chmod 555 "$WORK/home/.javacpp" "$WORK/home"
  setpriv --reuid 10001 --regid 10001 --clear-groups env HOME="$WORK/home" \
    "$JAVA_BIN" -Duser.home="$WORK/home" -jar "$JAR" --json --timeout-ms "$TIMEOUT_MS" \
    >"$WORK/out" 2>"$WORK/err"
  judge "uid 10001, read-only ~/.javacpp" 0 $? 'user.home is not writable'
  setpriv --reuid 10001 --regid 10001 --clear-groups env HOME=/nonexistent \
    "$JAVA_BIN" -jar "$JAR" --json --timeout-ms "$TIMEOUT_MS" >"$WORK/out" 2>"$WORK/err"
  judge "uid 10001, HOME=/nonexistent" 0 $? 'user.home is not writable'
else
  echo "== unprivileged cases skipped: need root and setpriv"
  FAILED+=("unprivileged cases skipped (need root and setpriv)")
fi

echo
if [[ ${#FAILED[@]} -gt 0 ]]; then
  echo "FAILED: ${#FAILED[@]} surprise(s):" >&2
  printf '  - %s\n' "${FAILED[@]}" >&2
  exit 1
fi
echo "OK: every isolation case as expected"
