#!/bin/sh
# `jifen serve` under load with wrk (docs/PERFORMANCE.md "The web office"). Not part of ctest.
#   sh tests/bench/web_bench.sh LEDGER [JIFEN]
# LEDGER: a simulated township ledger (e.g. the 220-village, 8.0M-record one of
# `jifen simulate --villages 220 --households 100 --year 2022`); it is written to: the board of
# SYS 2022-06 is posted if it was not, cards are made for SYS and DXZ, and a scorer account
# `bench` (DXZ, scorer S02) is added, whose awards are recorded for household H050.
# Measures, 50 connections for 15 s each: the public board of SYS 2022-06 (100 households), a
# card page outside any notice window (DXZ H001) and one inside it (SYS H001), the latest
# checkpoint, one tile and random tiles (/tlog/); then 1 connection and then 20 recording awards
# (POST /record) for 15 s each.
# PARTS (default "pages tlog record") picks which of the three groups run; SECONDS (default 15)
# how long each run lasts.
set -eu
LEDGER=$1
JIFEN=${2:-$(cd "$(dirname "$0")/../.." && pwd)/build/cli/jifen}
PORT=${PORT:-18600}
PARTS=${PARTS:-pages tlog record}
SECONDS_EACH=${SECONDS:-15}
want() { case " $PARTS " in *" $1 "*) return 0 ;; esac; return 1; }
BASE=http://127.0.0.1:$PORT
WORK=$(mktemp -d)
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
command -v wrk >/dev/null || { apt-get install -y -qq wrk >/dev/null; }
"$JIFEN" post --village SYS --period 2022-06 --scorer S01 --ledger "$LEDGER" >/dev/null 2>&1 || true
"$JIFEN" cards --village SYS --out "$WORK/sys.html" --base-url "$BASE" --ledger "$LEDGER" >/dev/null
"$JIFEN" cards --village DXZ --out "$WORK/dxz.html" --base-url "$BASE" --ledger "$LEDGER" >/dev/null
echo benchpassword > "$WORK/pw"
"$JIFEN" user add bench --role scorer --village DXZ --scorer S02 --password-file "$WORK/pw" --ledger "$LEDGER" \
  >/dev/null 2>&1 || true
"$JIFEN" serve --ledger "$LEDGER" --listen 127.0.0.1:$PORT >/dev/null 2>&1 &
SERVER=$!
sleep 2
card() { grep -o "$BASE/h/$1/H001/[0-9a-f]*" "$2" | head -1; }
run() {
  echo "== $1"
  shift
  wrk --latency "$@" 2>&1 | grep -E "requests in|Requests/sec|50%|90%|99%|Socket|Non-2xx"
}
if want pages; then
run "public board SYS 2022-06, 50 connections" -t2 -c50 -d${SECONDS_EACH}s "$BASE/v/SYS/board/2022-06"
run "card page outside a notice window (DXZ H001), 50 connections" -t2 -c50 -d${SECONDS_EACH}s "$(card DXZ "$WORK/dxz.html")"
run "card page in a notice window, with its objection form (SYS H001), 50 connections" -t2 -c50 -d${SECONDS_EACH}s \
  "$(card SYS "$WORK/sys.html")"
fi
if want tlog; then
# The transparency log for monitors (SPEC.md §6): the latest signed checkpoint (made per request),
# one full level-0 tile, and full level-0 tiles at random over the whole tree (each read from the
# records: 256 leaf hashes), as a monitor catching up would ask for them.
SIZE=$(curl -s "$BASE/tlog/checkpoint" | sed -n 2p)
run "latest checkpoint (/tlog/checkpoint, tree size $SIZE), 50 connections" -t2 -c50 -d${SECONDS_EACH}s \
  "$BASE/tlog/checkpoint"
run "one full tile (/tlog/tile/0/000), 50 connections" -t2 -c50 -d${SECONDS_EACH}s "$BASE/tlog/tile/0/000"
cat >"$WORK/tiles.lua" <<LUA
tiles = math.floor($SIZE / 256)
request = function()
  local index = math.random(0, tiles - 1)
  local path = string.format("%03d", index % 1000)
  index = math.floor(index / 1000)
  while index > 0 do
    path = string.format("x%03d/", index % 1000) .. path
    index = math.floor(index / 1000)
  end
  return wrk.format(nil, "/tlog/tile/0/" .. path)
end
LUA
run "full level-0 tiles at random over the tree, 50 connections" -t2 -c50 -d${SECONDS_EACH}s \
  -s "$WORK/tiles.lua" "$BASE"
fi
want record || exit 0
# Sign in as the scorer, then record from 1 connection and from 20 (SECONDS each).
curl -s -c "$WORK/jar" -b "$WORK/jar" "$BASE/login" >"$WORK/login.html"
TOKEN=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$WORK/login.html" | head -1 | sed 's/.*value="//;s/"//')
curl -s -c "$WORK/jar" -b "$WORK/jar" -o /dev/null -d "name=bench&password=benchpassword&csrf=$TOKEN" "$BASE/login"
SESSION=$(awk '/jifen_session/ {print $7}' "$WORK/jar")
CSRF=$(curl -s -b "$WORK/jar" "$BASE/record" | grep -o 'name="csrf" value="[0-9a-f]*"' | head -1 | sed 's/.*value="//;s/"//')
cat >"$WORK/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "jifen_session=$SESSION"
n = 0
request = function()
  n = n + 1
  return wrk.format(nil, "/record", nil,
    "csrf=$CSRF&subject=H050&item=C3.02&qty=1&date=$(date +%F)&place=bench&reason=bench-" .. n)
end
LUA
run "recording awards (POST /record, each acknowledged after its commit), 1 connection" -t1 -c1 -d${SECONDS_EACH}s \
  -s "$WORK/post.lua" "$BASE"
run "recording awards (POST /record, each acknowledged after its commit), 20 connections" -t2 -c20 -d${SECONDS_EACH}s \
  -s "$WORK/post.lua" "$BASE"
