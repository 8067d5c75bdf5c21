#!/usr/bin/env bash
# Builds the JMH benchmarks and runs DockerfileBenchmarks, then prints files/s, MB/s and the
# ratios between benchmarks measured in the same run. See bench/README.md.
#
# Usage: bench/dockerfile-bench.sh [JMH options]
#   With no options the run is: -f 1 -wi 3 -w 2s -i 5 -r 2s (about 3 minutes on 2 cores).
#   Options given replace those defaults, e.g. a quick look: bench/dockerfile-bench.sh -f 1 -wi 1 -i 2
#   or one input only: bench/dockerfile-bench.sh -f 1 -wi 3 -w 2s -i 5 -r 2s -p input=corpus
#   The script always adds -rf json -rff target/dockerfile-bench.json; do not pass -rf or -rff.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

RESULT_JSON=target/dockerfile-bench.json
CORPUS_SIZES=target/dockerfile-corpus.txt
LOG=target/dockerfile-bench.log

if [ "$#" -gt 0 ]; then
  jmh_args=("$@")
else
  jmh_args=(-f 1 -wi 3 -w 2s -i 5 -r 2s)
fi

echo "==> Machine: $(nproc) CPUs, $(java -version 2>&1 | head -n 1), load average$(uptime | sed 's/.*load average//')"

echo "==> Building gpukit-benchmarks"
./mvnw -B -q -pl gpukit-benchmarks -am -DskipTests package

mkdir -p target
rm -f "${RESULT_JSON}" "${CORPUS_SIZES}"
echo "==> java -jar gpukit-benchmarks/target/benchmarks.jar DockerfileBenchmarks ${jmh_args[*]} -rf json -rff ${RESULT_JSON}"
java -jar gpukit-benchmarks/target/benchmarks.jar DockerfileBenchmarks "${jmh_args[@]}" \
  -rf json -rff "${RESULT_JSON}" | tee "${LOG}"

# One line per result: benchmark method, input, score, error (NaN with fewer than 2 iterations).
extract_tsv() {
  if command -v jq >/dev/null 2>&1; then
    jq -r '.[] | [(.benchmark | split(".") | last), (.params.input // "-"),
                  .primaryMetric.score, .primaryMetric.scoreError] | @tsv' "${RESULT_JSON}"
  elif command -v python3 >/dev/null 2>&1; then
    python3 - "${RESULT_JSON}" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1])):
    m = r["primaryMetric"]
    print("\t".join([r["benchmark"].rsplit(".", 1)[-1], r.get("params", {}).get("input", "-"),
                     str(m["score"]), str(m["scoreError"])]))
PY
  else
    return 1
  fi
}

echo
echo "==> Summary ($(nproc) CPUs, $(java -version 2>&1 | head -n 1))"
if [ ! -s "${RESULT_JSON}" ] || [ ! -s "${CORPUS_SIZES}" ]; then
  echo "No ${RESULT_JSON} or ${CORPUS_SIZES}: see the JMH output above." >&2
  exit 1
fi
if ! tsv="$(extract_tsv)"; then
  echo "Neither jq nor python3 is installed; the JMH table (files/s) and the input sizes:"
  sed -n '/^Benchmark /,$p' "${LOG}"
  grep -v '^#' "${CORPUS_SIZES}"
  exit 0
fi

# MB/s = files/s x mean bytes per file / 10^6. Ratios compare throughputs within this run.
awk -F'\t' -v sizes="${CORPUS_SIZES}" '
  BEGIN {
    while ((getline line < sizes) > 0) {
      if (line ~ /^#/ || line == "") continue
      split(line, f, " ")
      mean[f[1]] = f[3] / f[2]
      files[f[1]] = f[2]
    }
  }
  {
    key = $1 SUBSEP $2
    score[key] = $3; err[key] = $4
    if (!($2 in seenInput)) { seenInput[$2] = 1; inputs[++ni] = $2 }
    if (!($1 in seenBench)) { seenBench[$1] = 1; benches[++nb] = $1 }
  }
  END {
    printf "%-14s %-7s %16s %14s %10s\n", "benchmark", "input", "files/s", "error", "MB/s"
    for (i = 1; i <= ni; i++) {
      in_ = inputs[i]
      for (b = 1; b <= nb; b++) {
        key = benches[b] SUBSEP in_
        if (!(key in score)) continue
        e = (err[key] == "NaN" || err[key] == "") ? "n/a" : sprintf("+- %.1f", err[key])
        mbs = (in_ in mean) ? sprintf("%.2f", score[key] * mean[in_] / 1e6) : "n/a"
        printf "%-14s %-7s %16.1f %14s %10s\n", benches[b], in_, score[key], e, mbs
      }
    }
    print ""
    for (i = 1; i <= ni; i++) {
      in_ = inputs[i]
      if (in_ in mean) printf "input %-7s %d file(s), mean %.0f bytes per file\n", in_, files[in_], mean[in_]
    }
    print ""
    for (i = 1; i <= ni; i++) {
      in_ = inputs[i]
      ratio(in_, "parse", "splitLines")
      ratio(in_, "parseAndCheck", "parse")
    }
  }
  function ratio(in_, a, b,    ka, kb, r) {
    ka = a SUBSEP in_; kb = b SUBSEP in_
    if (!(ka in score) || !(kb in score) || score[kb] == 0) return
    r = score[ka] / score[kb]
    printf "%-7s %s/%s = %.4f (%s takes %.1fx the time of %s)\n", in_, a, b, r, a, 1 / r, b
  }
' <<<"${tsv}"
echo
echo "Raw results: ${RESULT_JSON}; JMH log: ${LOG}"
