#!/bin/sh
# Builds the fuzz targets (clang, libFuzzer, ASan + UBSan) into build-fuzz/ and runs each for
# SECONDS (default 60) on a scratch copy of its seed corpus, the regression files and the rule
# files of the repository. Exits non-zero if any target finds a crash, a leak, a sanitizer report,
# a broken promise (tests/fuzz/targets.h) or an input that takes over 10 s.
#   usage: tests/fuzz/run.sh [SECONDS] [TARGET...]     targets: rules record_json csv xlsx fmt forms
# A crasher is left in build-fuzz/artifacts/TARGET/; once fixed, copy it to
# tests/fuzz/regressions/TARGET/ so that tests/reliability/fuzz_regressions_test.cc replays it.
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
seconds="${1:-60}"
[ $# -gt 0 ] && shift
targets="${*:-rules record_json csv xlsx fmt forms}"
build="${JIFEN_FUZZ_BUILD:-$root/build-fuzz}"
cxx="${JIFEN_FUZZ_CXX:-clang++-14}"
command -v "$cxx" >/dev/null || { echo "fuzz: $cxx not found (apt-get install clang-14 libclang-rt-14-dev)"; exit 2; }

cmake -S "$here" -B "$build" -DCMAKE_CXX_COMPILER="$cxx" >/dev/null
cmake --build "$build" -j"$(nproc)" >/dev/null

failed=""
for target in $targets; do
  case "$target" in
    rules | fmt) dict=rules.dict max_len=16384 ;;
    record_json) dict=json.dict max_len=4096 ;;
    csv) dict=csv.dict max_len=8192 ;;
    xlsx) dict=xlsx.dict max_len=16384 ;;
    forms) dict=forms.dict max_len=16384 ;;
    *) echo "fuzz: unknown target $target"; exit 2 ;;
  esac
  work="$(mktemp -d /tmp/jifen-fuzz-XXXXXX)"
  mkdir -p "$work/corpus" "$build/artifacts/$target"
  cp "$here/corpus/$target/"* "$work/corpus/"
  cp "$here/regressions/$target/"* "$work/corpus/" 2>/dev/null || true
  if [ "$target" = rules ] || [ "$target" = fmt ]; then
    for f in "$root"/villages/*.rules "$root"/tests/rules/*.rules; do cp "$f" "$work/corpus/"; done
  fi
  echo "fuzz: $target for ${seconds}s ($(ls "$work/corpus" | wc -l) seeds)"
  # Leaks are reported, allocations over 1 GiB are a failure, outputs of the fuzzer go to a log.
  if "$build/fuzz_$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -malloc_limit_mb=1024 -max_len="$max_len" -dict="$here/$dict" -print_final_stats=1 \
      -artifact_prefix="$build/artifacts/$target/" "$work/corpus" >"$work/log" 2>&1; then
    grep -E '^stat::number_of_executed_units|^stat::new_units_added' "$work/log" | tr '\n' ' '
    echo
    rm -rf "$work"
  else
    echo "fuzz: $target FAILED; log in $work/log, inputs in $build/artifacts/$target/:"
    grep -E 'ERROR|SUMMARY|broken promise|Test unit written' "$work/log" | head -20 || tail -5 "$work/log"
    failed="$failed $target"
  fi
done
if [ -n "$failed" ]; then
  echo "fuzz: failing targets:$failed"
  exit 1
fi
echo "fuzz: all targets passed"
