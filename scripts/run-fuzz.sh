#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/CMakeLists.txt, with clang, into build-fuzz/) and runs each one,
# one after the other, from its seed corpus in fuzz/corpus/<target without _fuzz>/.
#
#   scripts/run-fuzz.sh [RUNS]       short runs for `make test`: RUNS inputs per target (default
#                                    20000), in a throw-away copy of the seeds
#   scripts/run-fuzz.sh --seconds S  long runs for `make fuzz`: S seconds per target
#   scripts/run-fuzz.sh --runs N     long runs of N inputs per target
# Long runs keep what libFuzzer finds in --work DIR/<target>/ (default fuzz-work/, not committed)
# and start from it next time; copy an input worth keeping into fuzz/corpus/ by hand.
#   --only TARGET   run only this target (repeatable)
#   --max-len N     longest input libFuzzer makes (default 8192)
#
# Fails when clang++ or libFuzzer is missing (scripts/install-deps.sh installs them), when a target
# does not build, and when any target crashes, leaks, hangs (-timeout) or hits undefined behaviour;
# the input that did it is kept as crash-*/leak-*/timeout-* in the work directory.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=20000
seconds=""
work=""
max_len=8192
only=()
long=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seconds) seconds=$2; long=1; shift 2 ;;
    --runs) runs=$2; long=1; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --only) only+=("$2"); shift 2 ;;
    --max-len) max_len=$2; shift 2 ;;
    [0-9]*) runs=$1; shift ;;
    *) echo "usage: $0 [RUNS] | [--seconds S | --runs N] [--work DIR] [--only TARGET]... [--max-len N]" >&2
       exit 2 ;;
  esac
done

if ! command -v clang++ >/dev/null ||
   ! compgen -G "/usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a" >/dev/null; then
  echo "fuzz: FAILED: clang++ with libFuzzer is not installed (run scripts/install-deps.sh:" \
       "Debian's clang and libclang-rt-14-dev)" >&2
  exit 1
fi

# Configure again when fuzz/CMakeLists.txt changed, so a new target is built and run.
if [[ ! -f build-fuzz/build.ninja || fuzz/CMakeLists.txt -nt build-fuzz/fuzz_targets.txt ]]; then
  cmake -S fuzz -B build-fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++ >/dev/null
fi
cmake --build build-fuzz -j "$(nproc)"

mapfile -t targets < build-fuzz/fuzz_targets.txt
# A fuzz/*_fuzz.cpp that fuzz/CMakeLists.txt does not build would silently never run.
for source in fuzz/*_fuzz.cpp; do
  name=$(basename "$source" .cpp)
  if ! printf '%s\n' "${targets[@]}" | grep -qx "$name"; then
    echo "fuzz: FAILED: $source has no calrt_fuzzer($name) line in fuzz/CMakeLists.txt" >&2
    exit 1
  fi
done
if [[ ${#only[@]} -gt 0 ]]; then
  for name in "${only[@]}"; do
    printf '%s\n' "${targets[@]}" | grep -qx "$name" || { echo "fuzz: no target $name" >&2; exit 2; }
  done
  targets=("${only[@]}")
fi

if [[ $long -eq 1 ]]; then
  work=${work:-fuzz-work}
  mkdir -p "$work"
else
  work=${work:-$(mktemp -d)}
  trap 'rm -rf "$work"' EXIT
fi
limit=(-runs="$runs")
[[ -n $seconds ]] && limit=(-max_total_time="$seconds")

# Undefined behaviour aborts (the targets are built with -fno-sanitize-recover); say where.
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}

failed=()
for target in "${targets[@]}"; do
  seeds=fuzz/corpus/${target%_fuzz}
  if [[ ! -d $seeds ]] || [[ -z $(ls -A "$seeds") ]]; then
    echo "fuzz: FAILED: $target has no seed corpus in $seeds/" >&2
    failed+=("$target")
    continue
  fi
  corpus=$work/$target
  mkdir -p "$corpus"
  log=$work/$target.log
  # The first directory receives new inputs; the seeds are only read.
  if ./build-fuzz/"$target" "${limit[@]}" -max_len="$max_len" -timeout=5 -print_final_stats=1 \
       -artifact_prefix="$work/$target-" "$corpus" "$seeds" >"$log" 2>&1; then
    executed=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    per_second=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
    size=$(find "$corpus" -type f | wc -l)
    echo "fuzz: $target: ${executed:-?} executions, ${per_second:-?}/s, no crash (corpus $corpus: $size new inputs)"
  else
    echo "fuzz: FAILED: $target crashed; the end of its log ($log):" >&2
    tail -n 60 "$log" >&2
    ls "$work/$target"-* 2>/dev/null | sed 's/^/fuzz: input: /' >&2 || true
    failed+=("$target")
  fi
done

if [[ ${#failed[@]} -gt 0 ]]; then
  echo "fuzz: ${#failed[@]} of ${#targets[@]} targets failed: ${failed[*]}" >&2
  [[ $long -eq 1 ]] || trap - EXIT  # keep the log and the crashing input
  echo "fuzz: logs and inputs in $work" >&2
  exit 1
fi
echo "fuzz: ${#targets[@]} passed, 0 failed"
