#!/usr/bin/env bash
# Runs every fuzz target in fuzzing mode, one after the other, and prints per target: executions,
# coverage (libFuzzer's cov/ft counters), corpus size and whether Jazzer found something.
#
#   bench/fuzz-campaign.sh [seconds-per-target] [target...]
#
# seconds-per-target defaults to 600 (the campaign the fuzzing issue asks for; 60-90 s is a smoke
# run on a shared machine). Targets are fuzz test class names (default: all of them). A finding
# fails that target's run: Jazzer writes the input as crash-<sha1> into the test's inputs folder
# under src/test/resources, where the regression run (./mvnw verify) replays it from then on.
# Logs: target/fuzz/<Class>.log at the repository root. Environment: PER_INPUT_TIMEOUT (seconds
# one input may take before Jazzer reports it as a timeout; default 10, generous on a busy machine),
# MAX_LEN (the largest input in bytes; default 65536), MVN_FLAGS (default -o: offline).
set -uo pipefail

cd "$(dirname "$0")/.."
seconds="${1:-600}"
shift || true
timeout_s="${PER_INPUT_TIMEOUT:-10}"
max_len="${MAX_LEN:-65536}"
read -r -a mvn_flags <<< "${MVN_FLAGS:--o}"

all_targets=(
  gpukit-core:DockerfileFuzzTests
  gpukit-core:WorkflowFuzzTests
  gpukit-core:ManifestFuzzTests
  gpukit-core:PromotionFlowFuzzTests
  gpukit-core:RunbookFuzzTests
  gpukit-core:ShellWordsFuzzTests
  gpukit-core:KubectlRolloutFuzzTests
  gpukit-core:GoDurationFuzzTests
  gpukit-core:JsonStringArrayFuzzTests
  gpukit-core:GpuKitConfigFuzzTests
  gpukit-core:BaselineFuzzTests
  gpukit-probe:ProbeArgsFuzzTests
)
targets=()
if [ "$#" -gt 0 ]; then
  for wanted in "$@"; do
    for t in "${all_targets[@]}"; do
      [ "${t#*:}" = "$wanted" ] && targets+=("$t")
    done
  done
  if [ "${#targets[@]}" -ne "$#" ]; then
    echo "unknown target among: $*; known: ${all_targets[*]#*:}" >&2
    exit 64
  fi
else
  targets=("${all_targets[@]}")
fi

mkdir -p target/fuzz
echo "fuzz campaign: ${seconds}s per target, ${timeout_s}s per input of at most ${max_len} bytes; $(nproc) CPUs; load $(cut -d' ' -f1-3 /proc/loadavg)"
java -version 2>&1 | head -1
./mvnw -B -q "${mvn_flags[@]}" -pl gpukit-core,gpukit-probe -am -DskipTests test-compile || exit 1

printf '%-26s %12s %10s %8s %8s %8s  %s\n' target executions exec/s cov ft corpus result
failed=0
for t in "${targets[@]}"; do
  module="${t%%:*}"
  class="${t#*:}"
  log="target/fuzz/${class}.log"
  # Jazzer keeps the inputs it generates in <module>/.cifuzz-corpus; between runs they live under
  # target/fuzz/corpus, out of the source tree, and the next campaign starts from them.
  mkdir -p "target/fuzz/corpus/$module"
  rm -rf "$module/.cifuzz-corpus"
  mv "target/fuzz/corpus/$module" "$module/.cifuzz-corpus"
  JAZZER_FUZZ=1 ./mvnw -B "${mvn_flags[@]}" -pl "$module" test -Dtest="$class" \
    -Dsurefire.failIfNoSpecifiedTests=false \
    -Djazzer.max_duration="${seconds}s" \
    -Djazzer.internal.arg.0=fuzz -Djazzer.internal.arg.1=-timeout="$timeout_s" \
    -Djazzer.internal.arg.2=-max_len="$max_len" > "$log" 2>&1
  rc=$?
  mv "$module/.cifuzz-corpus" "target/fuzz/corpus/$module"
  # libFuzzer's last status line: "#12345 DONE cov: 812 ft: 3021 corp: 140/20Kb ..." (or the
  # last "pulse"/"NEW" line when the run was cut short), and "Done 12345 runs in 60 second(s)".
  last=$(grep -E '^#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE|INITED)' "$log" | tail -1)
  execs=$(grep -oE 'Done [0-9]+ runs' "$log" | tail -1 | grep -oE '[0-9]+')
  [ -z "$execs" ] && execs=$(sed -nE 's/^#([0-9]+).*/\1/p' <<< "$last")
  cov=$(grep -oE 'cov: [0-9]+' <<< "$last" | grep -oE '[0-9]+')
  ft=$(grep -oE 'ft: [0-9]+' <<< "$last" | grep -oE '[0-9]+')
  corp=$(grep -oE 'corp: [0-9]+' <<< "$last" | grep -oE '[0-9]+')
  rate=$(grep -oE 'exec/s: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+')
  if [ "$rc" -eq 0 ]; then
    result=ok
  else
    failed=$((failed + 1))
    result="FOUND (see $log: $(grep -m1 -oE '(FuzzTestFinding|Java Exception|Timeout|timeout)[^]]{0,100}' "$log" | head -1))"
  fi
  printf '%-26s %12s %10s %8s %8s %8s  %s\n' "$class" "${execs:--}" "${rate:--}" "${cov:--}" "${ft:--}" \
    "${corp:--}" "$result"
done
exit "$failed"
