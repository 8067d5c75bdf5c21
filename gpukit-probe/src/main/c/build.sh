#!/bin/sh
# Builds the probe's one JNI library, libgpukitprobe.so (the early CUDA start), for the platform of
# the build machine into the classes folder, where the jar picks it up:
#   build.sh JAVA_HOME CLASSES_DIR
# Without a C compiler, or on another platform, it says so and builds nothing: the probe then
# starts CUDA through JavaCPP alone, as before.
set -u
java_home="$1"
classes="$2"
src="$(dirname "$0")/gpukit_probe_cuda.c"
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) platform=linux-x86_64 ;;
  Linux-aarch64 | Linux-arm64) platform=linux-arm64 ;;
  *) echo "[gpukit-probe] no JNI library for $(uname -s)-$(uname -m): the probe starts CUDA through JavaCPP alone"; exit 0 ;;
esac
cc="${CC:-$(command -v cc || command -v gcc || true)}"
if [ -z "$cc" ]; then
  echo "[gpukit-probe] WARNING: no C compiler (cc, gcc, or CC): libgpukitprobe.so not built; the probe starts CUDA through JavaCPP alone"
  exit 0
fi
out="$classes/io/gpukit/probe/native/$platform"
mkdir -p "$out"
# Quiet on success (a -q build prints nothing); the compiler speaks for itself on failure.
"$cc" -O2 -Wall -Wextra -Werror -fPIC -shared -pthread -Wl,-soname,libgpukitprobe.so \
  -I"$java_home/include" -I"$java_home/include/linux" -o "$out/libgpukitprobe.so" "$src" -ldl
