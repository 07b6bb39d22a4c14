#!/bin/sh
# Installs what is missing from Debian's packages, then configures and builds jifen into build/.
# Used by both README commands; safe to run again (installs nothing when all is there).
#   sh scripts/setup.sh         what jifen needs to build and run (the demo's command)
#   sh scripts/setup.sh test    that, and what only the tests use (the test command)
set -eu
cd "$(dirname "$0")/.."
# libfmt-dev: spdlog and fmt are used header-only. libxlsxwriter4: loaded by `board --xlsx` and
# `template`. libexpat1-dev (linked from its archive) and libzip-dev (libzip4 loaded when an .xlsx
# is imported): a clerk's workbooks (docs/IMPORT.md). libsimdjson-dev (linked): the
# JSON Lines reader (formats/flat_json.cc).
# libmicrohttpd-dev and libmstch-dev: `jifen serve` (web/, the jifen-serve program), and
# libcpp-httplib-dev the web tests' HTTP client; libicu-dev:
# its pinyin search of names (web/pinyin.h). libqrencode-dev (libqrencode4 loaded by `jifen cards`).
# chromium, chromium-driver and python3-selenium: the browser test (tests/web/browser/e2e.py).
PACKAGES="cmake g++ make pkg-config python3 tao-pegtl-dev liblmdb-dev libcli11-dev libspdlog-dev \
libfmt-dev libgtest-dev libgmock-dev libbenchmark-dev fonts-wqy-microhei nlohmann-json3-dev libssl-dev libutf8proc-dev libxxhash-dev \
libxlsxwriter-dev libxlsxwriter4 libexpat1-dev libzip-dev libzip4 \
libsimdjson-dev libsimdjson14 chromium libmicrohttpd-dev libcpp-httplib-dev libmstch-dev libicu-dev libqrencode-dev chromium-driver python3-selenium"
# Only the tests use these: Go's own transparency-log code (golang.org/x/mod/sumdb) checks
# jifen's checkpoints and proofs independently; ClickHouse receives `jifen export`.
TEST_PACKAGES="golang-go golang-golang-x-mod-dev clickhouse-server clickhouse-client"
[ "${1:-}" = test ] && PACKAGES="$PACKAGES $TEST_PACKAGES"
missing=""
for p in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "installing:$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"
