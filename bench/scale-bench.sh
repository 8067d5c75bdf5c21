#!/usr/bin/env bash
# Generates synthetic GPU monorepos of 1,000 and 10,000 files (io.gpukit.benchmarks.ScaleRepository)
# and times `gpukit check` on each, whole process: wall time, files/s, peak RSS, CPU use
# ((user+sys)/wall: the cores used), how the cost per file grows from 1k to 10k, and whether the
# seeded defects were found exactly (findings per rule against seeded-defects.tsv). See bench/README.md.
#
# Usage: bench/scale-bench.sh [RUNNER...]
#   RUNNER: jar (java -jar gpukit-cli/target/gpukit.jar), launcher (gpukit-cli/target/gpukit/bin/gpukit),
#   or a path to another gpukit.jar to compare with (e.g. one built from an older commit).
#   Default: jar launcher.
# Environment:
#   SIZES="1000 10000"   the repository sizes, in files
#   SEED=15              the generator's seed
#   RUNS=3               runs per size and runner; the figures are of the fastest run
#   THREADS=             passed as --threads N when set (runners that know the option only)
#   SKIP_BUILD=1         use the jars already built
# Exit status: 1 when a runner's findings differ from the seeded defects, else 0. No figure is a pass
# or fail: they are printed to be read.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

SIZES=${SIZES:-"1000 10000"}
SEED=${SEED:-15}
RUNS=${RUNS:-3}
THREADS=${THREADS:-}
OUT=target/scale-bench
if [ "$#" -gt 0 ]; then runners=("$@"); else runners=(jar launcher); fi

command -v python3 >/dev/null 2>&1 || { echo "scale-bench: needs python3 to read the JSON reports" >&2; exit 2; }
TIME=/usr/bin/time
if [ ! -x "$TIME" ]; then
  echo "scale-bench: needs GNU time for the peak RSS: apt-get install time" >&2
  exit 2
fi

echo "==> Machine: $(nproc) CPUs, $(java -version 2>&1 | head -n 1), load average$(uptime | sed 's/.*load average//')"
if [ -z "${SKIP_BUILD:-}" ]; then
  echo "==> Building gpukit-cli and gpukit-benchmarks"
  ./mvnw -B -q -pl gpukit-cli,gpukit-benchmarks -am -DskipTests package
fi

mkdir -p "$OUT"
for size in $SIZES; do
  if [ ! -f "$OUT/$size/seeded-defects.tsv" ] || ! head -n 1 "$OUT/$size/seeded-defects.tsv" | grep -q " seed=$SEED\$"; then
    rm -rf "$OUT/$size"
    java -cp gpukit-benchmarks/target/benchmarks.jar io.gpukit.benchmarks.ScaleRepository \
      --out "$OUT/$size" --files "$size" --seed "$SEED"
  fi
done

command_of() {
  case $1 in
    jar) echo "java -jar gpukit-cli/target/gpukit.jar" ;;
    launcher) echo "gpukit-cli/target/gpukit/bin/gpukit" ;;
    *) echo "java -jar $1" ;;
  esac
}

status=0
results=$OUT/results.tsv
: >"$results"
for runner in "${runners[@]}"; do
  cmd=$(command_of "$runner")
  extra=()
  if [ -n "$THREADS" ] && { [ "$runner" = jar ] || [ "$runner" = launcher ]; }; then extra=(--threads "$THREADS"); fi
  for size in $SIZES; do
    dir=$OUT/$size
    best=
    for run in $(seq 1 "$RUNS"); do
      report=$dir/report-$(basename "$runner").json
      # shellcheck disable=SC2086
      "$TIME" -f '%e %U %S %M' -o "$dir/time.txt" $cmd check --format json --fail-on never --output "$report" \
        "${extra[@]}" "$dir/repo" >/dev/null 2>"$dir/stderr.txt" || {
        echo "scale-bench: $runner failed on $size files:" >&2
        cat "$dir/stderr.txt" >&2
        exit 2
      }
      line=$(tail -n 1 "$dir/time.txt")
      wall=${line%% *}
      if [ -z "$best" ] || python3 -c "import sys; sys.exit(0 if $wall < ${best%% *} else 1)"; then best=$line; fi
    done
    verdict=$(python3 - "$report" "$dir/seeded-defects.tsv" <<'EOF'
import collections, json, sys
report = json.load(open(sys.argv[1]))
found = collections.Counter(v["ruleId"] for v in report["violations"])
seeded = collections.Counter(l.split("\t")[0] for l in open(sys.argv[2]) if l.strip() and not l.startswith("#"))
if found == seeded:
    print("exact (%d findings, %d rules)" % (sum(found.values()), len(found)))
else:
    diff = ", ".join("%s found %d seeded %d" % (r, found[r], seeded[r])
                     for r in sorted(set(found) | set(seeded)) if found[r] != seeded[r])
    print("DIFFERS: " + diff)
EOF
)
    case $verdict in exact*) ;; *) status=1 ;; esac
    printf '%s\t%s\t%s\t%s\n' "$runner" "$size" "$best" "$verdict" >>"$results"
  done
done

echo "==> gpukit check on generated repositories (seed $SEED, fastest of $RUNS runs; files/s and per-file cost are whole process)"
python3 - "$results" <<'EOF'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
print("%-28s %7s %8s %9s %8s %9s %6s  %s" % ("runner", "files", "wall s", "files/s", "CPU s", "RSS MB", "cores",
                                              "seeded defects"))
per_file = {}
for runner, size, figures, verdict in rows:
    wall, user, sys_, rss_kb = (float(x) for x in figures.split())
    files = int(size)
    per_file[(runner, files)] = (wall / files, (user + sys_) / files)
    cores = (user + sys_) / wall if wall else 0
    print("%-28s %7d %8.2f %9.0f %8.2f %9.0f %6.2f  %s" % (runner[-28:], files, wall, files / wall if wall else 0,
                                                           user + sys_, rss_kb / 1024, cores, verdict))
for runner in dict.fromkeys(r for r, _ in per_file):
    sizes = sorted(f for r, f in per_file if r == runner)
    if len(sizes) >= 2:
        small, large = sizes[0], sizes[-1]
        print("%s: per-file cost at %d files is %.2fx that at %d in wall time, %.2fx in CPU time" % (
            runner, large, per_file[(runner, large)][0] / per_file[(runner, small)][0], small,
            per_file[(runner, large)][1] / per_file[(runner, small)][1]))
EOF
exit $status
