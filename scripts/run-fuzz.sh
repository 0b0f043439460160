#!/usr/bin/env bash
# Builds the libFuzzer targets with clang and runs each for a bounded number of inputs, starting from
# the seed corpus. Skipped (exit 0, with a note) when clang++ or its libFuzzer runtime is missing.
#   scripts/run-fuzz.sh [runs-per-target]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-20000}
if ! command -v clang++ >/dev/null || ! compgen -G "/usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a" >/dev/null; then
  echo "fuzz: skipped (clang++ with libFuzzer is not installed)"
  exit 0
fi
[[ -f build-fuzz/build.ninja ]] || cmake -S fuzz -B build-fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++ >/dev/null
cmake --build build-fuzz -j "$(nproc)"
for target in webhook_signature_fuzz webhook_envelope_fuzz relay_policy_fuzz; do
  corpus=fuzz/corpus/${target%_fuzz}
  corpus=${corpus/webhook_/}
  work=$(mktemp -d)
  cp "$corpus"/* "$work"/
  ./build-fuzz/$target -runs="$runs" -max_len=8192 -timeout=5 "$work" 2>&1 | tail -n 2
  rm -rf "$work"
  echo "fuzz: $target ran $runs inputs without a crash"
done
