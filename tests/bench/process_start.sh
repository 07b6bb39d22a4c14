#!/bin/sh
# Process start (docs/PERFORMANCE.md, "Process start"): CPU and page faults of `jifen --version`
# (builds the whole command line and exits), for one binary or two compared in alternating
# rounds so that both see the same load. Not part of ctest.
#   sh tests/bench/process_start.sh JIFEN [OTHER_JIFEN] [RUNS] [ROUNDS]   (defaults: 100 runs, 3 rounds)
set -eu
a=$1
b=${2:-}
runs=${3:-100}
rounds=${4:-3}
measure() {
  # perf's CSV: value,unit,event,...; task-clock in ms, page-faults a count.
  perf stat -x, -r "$runs" -e task-clock,page-faults "$1" --version 2>&1 >/dev/null |
    awk -F, -v who="$1" '/task-clock/ {ms=$1} /page-faults/ {pf=$1} END {printf "%s: %.2f ms CPU, %d page faults\n", who, ms, pf}'
}
i=1
while [ "$i" -le "$rounds" ]; do
  echo "round $i"
  measure "$a"
  if [ -n "$b" ]; then measure "$b"; fi
  i=$((i + 1))
done
