#!/bin/sh
# A/B benchmark of two builds on the same data, runs alternating (docs/PERFORMANCE.md "Comparing
# two commits"). Not part of ctest.
#   sh tests/bench/compare.sh BASE [SIZE]            (SIZE: VILLAGESxHOUSEHOLDS, default 10x200)
# BASE and HEAD are each exported with `git archive` into build-bench/rev-SHA/src and built there
# (Release, jifen only; ccache is used when installed), so the working tree may change meanwhile.
# The ledger of SIZE is simulated once with HEAD's build (`jifen simulate --year 2022 --seed 1`)
# and kept in build-bench/bench/SIZE/ as tests/bench/run.sh keeps it. Then, alternating the two
# binaries: import of its log into an empty ledger; verify, score, annual, compare --period and
# compare --year on each side's imported ledger (the same records: the chain heads must match);
# and, with WEB=1, tests/bench/web_bench.sh against each (on a copy of each side's ledger). Prints
# each benchmark's median CPU time (user + sys) on both sides, their ratio, and whether the two
# printed the same bytes. Environment:
#   HEAD=REV      the other side (default HEAD); HEAD=worktree builds the working tree instead
#   REPEAT=N      runs of each query per side (default 7); IMPORT_REPEAT=N imports (default 3)
#   WEB=1         also run the web benchmark (about 2.5 minutes per side)
set -e
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD_DIR:-$ROOT/build-bench}
[ $# -ge 1 ] || { echo "usage: sh tests/bench/compare.sh BASE [SIZE]" >&2; exit 2; }
LAUNCHER=
command -v ccache >/dev/null 2>&1 && LAUNCHER="-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache"

# Builds commit $1 from `git archive` and prints the binary's path.
build_rev() {
  sha=$(git -C "$ROOT" rev-parse --short=12 "$1^{commit}")
  src=$BUILD/rev-$sha/src
  if [ ! -f "$src/CMakeLists.txt" ]; then
    mkdir -p "$src"
    git -C "$ROOT" archive "$sha" | tar -x -C "$src"
  fi
  # shellcheck disable=SC2086
  cmake -S "$src" -B "$BUILD/rev-$sha/build" -DCMAKE_BUILD_TYPE=Release $LAUNCHER >/dev/null
  cmake --build "$BUILD/rev-$sha/build" -j2 --target jifen >/dev/null
  echo "$BUILD/rev-$sha/build/cli/jifen"
}

BASE_JIFEN=$(build_rev "$1")
BASE_NAME=$(git -C "$ROOT" rev-parse --short=12 "$1^{commit}")
HEAD_REV=${HEAD:-HEAD}
if [ "$HEAD_REV" = worktree ]; then
  # shellcheck disable=SC2086
  cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release $LAUNCHER >/dev/null
  cmake --build "$BUILD" -j2 --target jifen >/dev/null
  HEAD_JIFEN=$BUILD/cli/jifen
  HEAD_NAME="working tree at $(git -C "$ROOT" describe --always --dirty)"
else
  HEAD_JIFEN=$(build_rev "$HEAD_REV")
  HEAD_NAME=$(git -C "$ROOT" rev-parse --short=12 "$HEAD_REV^{commit}")
fi
export BASE_JIFEN BASE_NAME HEAD_JIFEN HEAD_NAME
BENCH_DIR=${BENCH_DIR:-$BUILD/bench} exec python3 "$ROOT/tests/bench/compare.py" "${2:-10x200}"
