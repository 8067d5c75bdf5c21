#!/usr/bin/env bash
# Where the cold probe's start-up time goes, on a GPU machine. Times whole processes of several
# launch variants, alternating (one run of each variant per round), and prints per variant the
# median and p90 wall time, peak RSS, the failures, and the median of each check's own micros from
# the JSON line, so that a run splits into
#   outside the checks  wall time minus the sum of the checks: JVM start, loading the probe's classes,
#                       writing the JSON, exit
#   JavaCPP linking     nvml.load + cuda.load (JNI libraries, their JNI_OnLoad, the binding classes)
#   driver init         nvml.init + cuda.init
#   context + copy      tensor.roundtrip (primary context, 4 MiB there and back)
#
#   JAVA=/path/to/java gpukit-probe/gpu/startup.sh path/to/gpukit-probe.jar [RUNS]
#   STARTUP_NAMES="recommended jcpp-warmup" ... times only those variants
#
# The variants (RECOMMENDED is the launch line gpukit-probe/README.md documents):
#   plain        java -jar
#   c1           -XX:TieredStopAtLevel=1
#   minimal      MINIMAL_FLAGS
#   cds          -XX:SharedArchiveFile, a static archive from the image-build training
#                (--cds-training, no GPU needed; -XX:DumpLoadedClassList, then -Xshare:dump)
#   recommended  the cds archive + MINIMAL_FLAGS + the JNI libraries the training extracted
#                (-Dorg.bytedeco.javacpp.cachedir), loaded in place + the probe's own JNI library
#                as a JVM agent (-agentpath: the driver starts a few ms into the JVM's boot)
#   no-agent     RECOMMENDED without -agentpath (the driver starts first thing in main)
#   noagent-trace no-agent with -Dgpukit.probe.trace=true
#   no-warmup    RECOMMENDED -Dgpukit.probe.warmup=false (every driver call on the checks thread)
#   jcpp-warmup  RECOMMENDED -Dgpukit.probe.warmup=javacpp (no early CUDA start through the probe's
#                own JNI library: cuInit only once JavaCPP has linked its CUDA binding)
#   jcpp-trace   jcpp-warmup with -Dgpukit.probe.trace=true
#   warmup-late  RECOMMENDED -Dgpukit.probe.warmup=late (the warm-up links CUDA at once but starts
#                cuInit only after nvmlInit_v2 returned: do the two contend in the driver?)
#   jcpp-cache   RECOMMENDED -Dorg.bytedeco.javacpp.cacheLibraries=true (JavaCPP's own cache
#                bookkeeping instead of loading the already extracted JNI libraries in place)
#   rec-noperf   RECOMMENDED -XX:-UsePerfData (no hsperfdata file created and mmap'ed in /tmp)
#   rec-halt     RECOMMENDED -Dgpukit.probe.exit=halt (Runtime.halt after the flush: no shutdown hooks)
#   rec-xint     RECOMMENDED -XX:-UsePerfData -Xint (no JIT at all; on a CPU-only box it was slower)
#   rec-fast     RECOMMENDED -XX:-UsePerfData -Dgpukit.probe.exit=halt (the two candidates together)
#   rec-trace    RECOMMENDED -Dgpukit.probe.trace=true: splits "outside the checks" into JVM boot
#                (launch to main), the phases main prints on stderr, and exit (last mark to reaped)
#   after-trace  rec-trace with -Dgpukit.probe.warmup=afterparse (the early CUDA start only at the
#                natives.cache check, after argument parsing, as before it moved to the top of main)
#   cds-real     an archive recorded from one real readiness run + MINIMAL_FLAGS
#   liveness     RECOMMENDED --mode liveness (no CUDA context)
#   hb-plain     java -jar --heartbeat FILE --max-age 15s (judging a fresh GpuHeartbeat file)
#   heartbeat    RECOMMENDED --heartbeat FILE --max-age 15s (target: 150 ms whole process)
set -u -o pipefail

JAVA="${JAVA:-java}"
JAR="${1:?usage: startup.sh path/to/gpukit-probe.jar [runs]}"
RUNS="${2:-12}"
(( RUNS >= 10 )) || { echo "runs must be 10 or more" >&2; exit 64; }
command -v python3 >/dev/null || { echo "startup.sh needs python3 for the statistics" >&2; exit 1; }
JAR="$(cd "$(dirname "$JAR")" && pwd)/$(basename "$JAR")"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/gpukit-startup.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/res"

# Keep these two lines identical to the launch line in gpukit-probe/README.md.
MINIMAL_FLAGS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:CICompilerCount=1 -Xss512k -Xlog:disable -Xlog:all=warning:stderr"
CDS_ARCHIVE="$WORK/probe.jsa"
# The JNI libraries, extracted by the training as an image build does, loaded in place from there.
NATIVES="-Dorg.bytedeco.javacpp.cachedir=$WORK/natives"

echo "java:  $("$JAVA" -version 2>&1 | head -1)"
echo "jar:   $JAR ($(stat -c %s "$JAR") bytes)"
echo "runs:  $RUNS per variant, alternating"
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,persistence_mode \
  --format=csv,noheader 2>&1 | sed 's/^/gpu:   /'

# ---- the archives ----
# A static AppCDS archive: the class list of a run (-XX:DumpLoadedClassList), then -Xshare:dump.
# Unlike -XX:ArchiveClassesAtExit (a dynamic archive on top of the runtime's default CDS archive),
# it works on any Java 17 runtime, including a jlink'ed one without lib/server/classes.jsa.
# build_archive NAME ARGS... -> $WORK/NAME.jsa from a run of the jar with ARGS
build_archive() {
  local name="$1"; shift
  local props=()
  [[ "${1:-}" == -D* ]] && { props=("$1"); shift; }
  echo "   $JAVA -XX:DumpLoadedClassList=$WORK/$name.lst $MINIMAL_FLAGS ${props[*]} -jar $JAR $*"
  # shellcheck disable=SC2086
  "$JAVA" -XX:DumpLoadedClassList="$WORK/$name.lst" $MINIMAL_FLAGS "${props[@]}" -jar "$JAR" "$@" \
    >"$WORK/$name.out" 2>"$WORK/$name.err"
  echo "   exit $?; $(wc -l <"$WORK/$name.lst" 2>/dev/null || echo 0) classes listed; stdout: $(head -c 600 "$WORK/$name.out")"
  [[ -s "$WORK/$name.err" ]] && { echo "   stderr:"; sed 's/^/     /' "$WORK/$name.err" | head -20; }
  echo "   $JAVA -Xshare:dump -XX:SharedClassListFile=$WORK/$name.lst -XX:SharedArchiveFile=$WORK/$name.jsa $MINIMAL_FLAGS -cp $JAR"
  # shellcheck disable=SC2086
  "$JAVA" -Xshare:dump -XX:SharedClassListFile="$WORK/$name.lst" -XX:SharedArchiveFile="$WORK/$name.jsa" \
    $MINIMAL_FLAGS -cp "$JAR" >"$WORK/$name.dump" 2>&1
  echo "   exit $?; archive: $(stat -c %s "$WORK/$name.jsa" 2>/dev/null || echo MISSING) bytes"
  grep -v -e 'Skipping' -e 'Preload Warning: Cannot find jdk/proxy' "$WORK/$name.dump" | sed 's/^/     /' | head -20
}
echo "-- building the AppCDS archive as an image build would (static, no GPU used):"
build_archive probe "$NATIVES" --cds-training
echo "-- recording an archive from one real readiness run:"
build_archive real "$NATIVES" --json --timeout-ms 30000
NO_AGENT="-XX:SharedArchiveFile=$CDS_ARCHIVE $MINIMAL_FLAGS $NATIVES"
AGENT_LIB="$WORK/natives/libgpukitprobe.so"  # the link the training makes (README)
[[ -e "$AGENT_LIB" ]] || { echo "!! --cds-training made no $AGENT_LIB (a jar built without cc?)" >&2; exit 1; }
RECOMMENDED="-agentpath:$AGENT_LIB $NO_AGENT"
for a in "$CDS_ARCHIVE" "$WORK/real.jsa"; do
  # -Xshare:on refuses to start when the archive cannot be mapped: fail loudly rather than time
  # runs that silently went without it.
  # shellcheck disable=SC2086
  if ! "$JAVA" -Xshare:on -XX:SharedArchiveFile="$a" $MINIMAL_FLAGS -jar "$JAR" --help >/dev/null 2>"$WORK/on.err"; then
    echo "!! $(basename "$a") cannot be used (-Xshare:on):" >&2; sed 's/^/   /' "$WORK/on.err" >&2; exit 1
  fi
  # shellcheck disable=SC2086
  "$JAVA" -XX:SharedArchiveFile="$a" $MINIMAL_FLAGS $NATIVES -Xlog:class+load:file="$WORK/cl.txt" \
    -jar "$JAR" --json --timeout-ms 30000 >/dev/null 2>&1
  n=$(grep -c 'source: shared objects file' "$WORK/cl.txt"); t=$(grep -c 'source:' "$WORK/cl.txt")
  echo "-- $(basename "$a"): $n of $t loaded classes came from the archive in a readiness run; not from it:"
  grep -v 'source: shared objects file' "$WORK/cl.txt" | grep 'source:' | sed 's/.*load\] /   /' | head -40
  (( n > 0 )) || { echo "!! $(basename "$a") was not used" >&2; exit 1; }
done

# ---- a fresh heartbeat file for the judge ----
HB="$WORK/heartbeat.json"
"$JAVA" -jar "$JAR" --write-heartbeat "$HB" >"$WORK/hb.out" 2>"$WORK/hb.err"
echo "-- GpuHeartbeat wrote $HB: exit $? $(cat "$WORK/hb.out")"
[[ -s "$WORK/hb.err" ]] && sed 's/^/   /' "$WORK/hb.err" | head -20
refresh_heartbeat() { # keep the file's content, move its timestamp to now
  python3 - "$HB" <<'PY'
import datetime, json, os, sys
p = sys.argv[1]
d = json.load(open(p))
d["timestamp"] = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
open(p + ".tmp", "w").write(json.dumps(d) + "\n"); os.replace(p + ".tmp", p)
PY
}

declare -A CMD=(
  [plain]="$JAVA -jar $JAR --json"
  [c1]="$JAVA -XX:TieredStopAtLevel=1 -jar $JAR --json"
  [minimal]="$JAVA $MINIMAL_FLAGS -jar $JAR --json"
  [cds]="$JAVA -XX:SharedArchiveFile=$CDS_ARCHIVE -jar $JAR --json"
  [recommended]="$JAVA $RECOMMENDED -jar $JAR --json"
  [no-agent]="$JAVA $NO_AGENT -jar $JAR --json"
  [noagent-trace]="$JAVA $NO_AGENT -Dgpukit.probe.trace=true -jar $JAR --json"
  [no-warmup]="$JAVA $RECOMMENDED -Dgpukit.probe.warmup=false -jar $JAR --json"
  [jcpp-warmup]="$JAVA $RECOMMENDED -Dgpukit.probe.warmup=javacpp -jar $JAR --json"
  [jcpp-trace]="$JAVA $RECOMMENDED -Dgpukit.probe.warmup=javacpp -Dgpukit.probe.trace=true -jar $JAR --json"
  [warmup-late]="$JAVA $RECOMMENDED -Dgpukit.probe.warmup=late -jar $JAR --json"
  [jcpp-cache]="$JAVA $RECOMMENDED -Dorg.bytedeco.javacpp.cacheLibraries=true -jar $JAR --json"
  [rec-noperf]="$JAVA $RECOMMENDED -XX:-UsePerfData -jar $JAR --json"
  [rec-halt]="$JAVA $RECOMMENDED -Dgpukit.probe.exit=halt -jar $JAR --json"
  [rec-xint]="$JAVA $RECOMMENDED -XX:-UsePerfData -Xint -jar $JAR --json"
  [rec-fast]="$JAVA $RECOMMENDED -XX:-UsePerfData -Dgpukit.probe.exit=halt -jar $JAR --json"
  [rec-trace]="$JAVA $RECOMMENDED -Dgpukit.probe.trace=true -jar $JAR --json"
  [after-trace]="$JAVA $RECOMMENDED -Dgpukit.probe.warmup=afterparse -Dgpukit.probe.trace=true -jar $JAR --json"
  [cds-real]="$JAVA -XX:SharedArchiveFile=$WORK/real.jsa $MINIMAL_FLAGS $NATIVES -jar $JAR --json"
  [liveness]="$JAVA $RECOMMENDED -jar $JAR --json --mode liveness"
  [hb-plain]="$JAVA -jar $JAR --json --heartbeat $HB --max-age 15s"
  [heartbeat]="$JAVA $RECOMMENDED -jar $JAR --json --heartbeat $HB --max-age 15s"
)
NAMES=(plain c1 minimal cds recommended no-agent noagent-trace no-warmup jcpp-warmup warmup-late jcpp-cache rec-noperf
  rec-halt rec-xint rec-fast rec-trace after-trace jcpp-trace cds-real liveness hb-plain heartbeat)
if [[ -n "${STARTUP_NAMES:-}" ]]; then
  read -r -a NAMES <<<"$STARTUP_NAMES"
  for n in "${NAMES[@]}"; do [[ -n "${CMD[$n]:-}" ]] || { echo "unknown variant $n" >&2; exit 64; }; done
fi
echo "-- commands:"
for n in "${NAMES[@]}"; do printf '   %-12s %s\n' "$n" "${CMD[$n]}"; done

TIME_V=""
[[ -x /usr/bin/time ]] && /usr/bin/time -v true >/dev/null 2>&1 && TIME_V=/usr/bin/time

# run_once NAME ROUND -> $WORK/res/NAME.tsv gets "ms rss_kb rc", $WORK/res/NAME.ROUND.json the
# stdout; the first failing run's stderr is kept in $WORK/res/NAME.firsterr
run_once() {
  local n="$1" r="$2" start end rc rss=0
  local out="$WORK/res/$n.$r.json" err="$WORK/res/$n.err"
  if [[ -n "$TIME_V" ]]; then
    start=$(date +%s%N)
    # shellcheck disable=SC2086
    $TIME_V -v -o "$WORK/res/$n.time" ${CMD[$n]} >"$out" 2>"$err"; rc=$?
    end=$(date +%s%N)
    rss=$(awk -F': ' '/Maximum resident set size/{print $2}' "$WORK/res/$n.time")
  else
    start=$(date +%s%N)
    # shellcheck disable=SC2086
    ${CMD[$n]} >"$out" 2>"$err" & local pid=$! peak=0 cur
    while kill -0 "$pid" 2>/dev/null; do
      cur=$(awk '/VmHWM/{print $2}' "/proc/$pid/status" 2>/dev/null)
      (( ${cur:-0} > peak )) && peak=$cur
      sleep 0.005
    done
    wait "$pid"; rc=$?
    end=$(date +%s%N)
    rss=$peak
  fi
  echo "$(( (end - start) / 1000000 )) ${rss:-0} $rc" >> "$WORK/res/$n.tsv"
  # -Dgpukit.probe.trace=true: "LAUNCH_NS END_NS gpukit-probe trace: main=EPOCH_US phase=+US ..."
  grep -m1 '^gpukit-probe trace:' "$err" | sed "s/^/$start $end /" >> "$WORK/res/$n.trace"
  if [[ "$rc" != 0 && ! -e "$WORK/res/$n.firsterr" ]]; then
    { echo "exit $rc; stdout:"; cat "$out"; echo "stderr:"; cat "$err"; } > "$WORK/res/$n.firsterr"
  fi
}

# One untimed run each (page cache, JNI extraction), then the alternating rounds.
for n in "${NAMES[@]}"; do
  # shellcheck disable=SC2086
  ${CMD[$n]} >/dev/null 2>&1 || echo "   (warm-up of $n exited $?)"
done
for ((i = 1; i <= RUNS; i++)); do
  refresh_heartbeat
  for n in "${NAMES[@]}"; do run_once "$n" "$i"; done
done

python3 - "$WORK/res" "$RUNS" "${NAMES[@]}" <<'PY'
import json, os, statistics, sys
res, runs, names = sys.argv[1], int(sys.argv[2]), sys.argv[3:]

def med(xs):
    return statistics.median(xs) if xs else float("nan")

def p90(xs):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(0.9 * len(xs) + 0.999999) - 1)] if xs else float("nan")

print()
print(f"{'variant':<12} {'runs':>4} {'median_ms':>9} {'p90_ms':>7} {'rss_mib':>8} {'fail':>4}  "
      f"{'outside':>7} {'javacpp':>7} {'drv_init':>8} {'ctx+copy':>8}  (medians, ms)")
checks_by = {}
for n in names:
    rows = [l.split() for l in open(os.path.join(res, n + ".tsv"))]
    ms = [int(r[0]) for r in rows]
    rss = [int(r[1]) for r in rows]
    fails = sum(1 for r in rows if r[2] != "0")
    per_check, outside = {}, []
    for i in range(1, runs + 1):
        try:
            d = json.load(open(os.path.join(res, f"{n}.{i}.json")))
        except Exception:
            continue
        checks = d.get("checks", [])
        if d.get("mode") == "heartbeat":  # the rest are the service's own, recorded in the file
            checks = [c for c in checks if c.get("name", "").startswith("heartbeat.")]
        for c in checks:
            per_check.setdefault(c["name"], []).append(c.get("micros", 0))
        if checks:
            outside.append(int(rows[i - 1][0]) - sum(c.get("micros", 0) for c in checks) / 1000)
    checks_by[n] = per_check
    m = {k: med(v) / 1000 for k, v in per_check.items()}
    jcpp = m.get("nvml.load", 0) + m.get("cuda.load", 0)
    drv = m.get("nvml.init", 0) + m.get("cuda.init", 0)
    ctx = m.get("tensor.roundtrip", 0)
    out = med(outside) if outside else med(ms)
    print(f"{n:<12} {len(ms):>4} {med(ms):>9.0f} {p90(ms):>7.0f} {med(rss) / 1024:>8.1f} {fails:>4}  "
          f"{out:>7.0f} {jcpp:>7.1f} {drv:>8.1f} {ctx:>8.1f}")

for n in names:
    tp = os.path.join(res, n + ".trace")
    if not os.path.exists(tp) or os.path.getsize(tp) == 0:
        continue
    phases = {}
    for line in open(tp):
        parts = line.split()
        start_us, end_us = int(parts[0]) / 1000, int(parts[1]) / 1000
        marks = dict(p.split("=", 1) for p in parts[4:])
        main = int(marks.pop("main"))
        phases.setdefault("boot (launch to main)", []).append((main - start_us) / 1000)
        prev, last = 0, 0
        for k, v in marks.items():
            t = int(v.lstrip("+"))
            phases.setdefault(k, []).append((t - prev) / 1000)
            prev = last = t
        phases.setdefault("exit (last mark to reaped)", []).append((end_us - main - last) / 1000)
    print()
    print(f"{n}: phases, ms (medians; each mark since the previous one; 'ran' includes the checks)")
    for k, v in phases.items():
        print(f"   {k:<28} {med(v):8.1f}")

print()
print("per-check medians (us):")
allchecks = []
for n in names:
    for k in checks_by[n]:
        if k not in allchecks:
            allchecks.append(k)
print(f"{'check':<18}" + "".join(f"{n:>12}" for n in names))
for k in allchecks:
    print(f"{k:<18}" + "".join(
        f"{med(checks_by[n][k]):>12.0f}" if k in checks_by[n] else f"{'-':>12}" for n in names))
PY

for n in "${NAMES[@]}"; do
  if [[ -e "$WORK/res/$n.firsterr" ]]; then
    echo "-- $n failed at least once; first failure:"
    sed 's/^/   /' "$WORK/res/$n.firsterr" | head -40
  fi
done
echo "-- one JSON line of ${NAMES[0]}:"
cat "$WORK/res/${NAMES[0]}.1.json"
