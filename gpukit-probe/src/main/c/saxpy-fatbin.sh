#!/bin/sh
# Regenerates src/main/resources/io/gpukit/probe/saxpy.fatbin from saxpy.ptx next to it: SASS for
# the common GPU generations (ptxas from the CUDA toolkit), and the PTX itself for every other GPU,
# which the driver then JIT-compiles as before. The probe loads the fatbin, so that on those GPUs
# the saxpy check needs no JIT, and falls back to the plain PTX when a driver rejects it.
# The build does not run this (no CUDA toolkit needed); run it after editing saxpy.ptx and commit
# both (SaxpyKernelTests checks that the fatbin's PTX is saxpy.ptx's):
#   src/main/c/saxpy-fatbin.sh [CUDA_HOME]
set -eu
cuda="${1:-${CUDA_HOME:-/usr/local/cuda}}"
res="$(cd "$(dirname "$0")/../resources/io/gpukit/probe" && pwd)"
# One SASS per major generation runs on its later minor ones (sm_80 on sm_86 and sm_89, sm_100 on
# sm_103, sm_120 on sm_121): Turing, Ampere/Ada, Hopper, Blackwell, Thor, Blackwell workstation.
archs="75 80 90 100 110 120"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
images=""
for sm in $archs; do
  "$cuda/bin/ptxas" -arch="sm_$sm" -o "$work/saxpy.sm_$sm.cubin" "$res/saxpy.ptx"
  images="$images --image3=kind=elf,sm=$sm,file=$work/saxpy.sm_$sm.cubin"
done
# shellcheck disable=SC2086
"$cuda/bin/fatbinary" --64 --compress=false --create="$res/saxpy.fatbin" $images \
  --image3=kind=ptx,sm=52,file="$res/saxpy.ptx"
echo "$res/saxpy.fatbin: $(wc -c < "$res/saxpy.fatbin") bytes, SASS for sm_$(echo $archs | sed 's/ /, sm_/g') and the PTX (sm_52)"
"$cuda/bin/ptxas" --version | tail -n 1
