#!/bin/sh
# Whole-process performance benchmark of jifen with an SQLite baseline (docs/PERFORMANCE.md).
#   sh tests/bench/run.sh [small|medium|double|large|all|VILLAGESxHOUSEHOLDS ...]   (default: small)
# Builds the Release binary in build-bench/ and works under build-bench/bench/ (simulated ledgers
# and their JSONL logs are kept there and reused; delete a size's directory to re-simulate it).
# Not part of ctest.  Environment:
#   REV=COMMIT   benchmark a commit instead of the working tree: `git archive` it to
#                build-bench/rev-SHA/src and build it there (a stable binary while others edit)
#   JIFEN=PATH   use this binary and build nothing
#   REPEAT=N     runs of each short command (default 5; the median is reported)
#   BENCH_DIR    work directory (default build-bench/bench)
set -e
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD_DIR:-$ROOT/build-bench}
if [ -z "$JIFEN" ]; then
  if [ -n "$REV" ]; then
    SHA=$(git -C "$ROOT" rev-parse --short=12 "$REV^{commit}")
    SRC=$BUILD/rev-$SHA/src
    if [ ! -f "$SRC/CMakeLists.txt" ]; then
      mkdir -p "$SRC"
      git -C "$ROOT" archive "$SHA" | tar -x -C "$SRC"
    fi
    cmake -S "$SRC" -B "$BUILD/rev-$SHA/build" -DCMAKE_BUILD_TYPE=Release >/dev/null
    cmake --build "$BUILD/rev-$SHA/build" -j2 --target jifen >/dev/null
    JIFEN=$BUILD/rev-$SHA/build/cli/jifen
    JIFEN_REV=$SHA
  else
    cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
    cmake --build "$BUILD" -j2 --target jifen >/dev/null
    JIFEN=$BUILD/cli/jifen
    JIFEN_REV="working tree at $(git -C "$ROOT" describe --always --dirty)"
  fi
fi
command -v sqlite3 >/dev/null 2>&1 || echo "note: no sqlite3 CLI; the SQLite baseline runs through python3 -c (apt-get install -y sqlite3 for the CLI)" >&2
export JIFEN JIFEN_REV
BENCH_DIR=${BENCH_DIR:-$BUILD/bench} exec python3 "$ROOT/tests/bench/perf.py" "$@"
