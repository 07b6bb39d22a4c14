#!/bin/sh
# Import benchmark: `jifen import` of a simulated ledger's log, whole-process CPU time and
# peak memory, split into private memory (RssAnon) and mapped ledger pages (RssFile).
#
#   sh tests/bench/import_bench.sh JIFEN BENCH_DIR WORK_DIR [LINES]
#
# BENCH_DIR is a size's directory made by tests/bench/run.sh (log.jsonl, rules/ and the simulated
# ledger/, which is only read). The rule files are adopted into WORK_DIR/ledger as perf.py does,
# then the log's other lines are imported in files of LINES lines (default 600000), one process
# each, and every file's figures are printed. The imported ledger's chain head must be the
# simulated ledger's: EXPECTED_HEAD, or else what `jifen verify` says of a copy of BENCH_DIR/ledger
# (a copy, because opening a ledger of an older format upgrades it in place).
# KEEP_LAST=1 stops before the last file and copies the ledger to WORK_DIR/base, so that
# `sh import_bench.sh JIFEN BENCH_DIR WORK_DIR last` can time the last file on top of it again.
set -eu
JIFEN=$(realpath "$1")
BENCH=$(realpath "$2")
WORK=$3
LINES=${4:-600000}
mkdir -p "$WORK"
WORK=$(realpath "$WORK")
LEDGER=$WORK/ledger

# Runs `jifen import FILE` on $LEDGER; prints CPU seconds, records/CPU-s and peak memory.
measure() {
  file=$1
  records=$(wc -l < "$file")
  /usr/bin/time -f '%U %S %M' -o "$WORK/time" "$JIFEN" --ledger "$LEDGER" import "$file" > "$WORK/out" &
  tpid=$!
  sleep 0.05
  pid=$(pgrep -P $tpid | head -1 || true)
  anon=0; mapped=0
  while [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; do
    a=$(awk '/RssAnon/{print $2}' /proc/$pid/status 2>/dev/null || true)
    f=$(awk '/RssFile/{print $2}' /proc/$pid/status 2>/dev/null || true)
    [ -n "$a" ] && [ "$a" -gt "$anon" ] && anon=$a
    [ -n "$f" ] && [ "$f" -gt "$mapped" ] && mapped=$f
    sleep 0.02
  done
  wait $tpid
  read -r user sys rss < "$WORK/time"
  python3 -c "
u, s, r, n = $user, $sys, $rss, $records
print(f'$(basename "$file"): {n} lines, {u + s:.2f} s CPU (user {u} sys {s}), {n / (u + s):,.0f} records/CPU-s, '
      f'peak RSS {r / 1024:.0f} MB (private {$anon / 1024:.0f} MB, ledger pages {$mapped / 1024:.0f} MB)')"
}

if [ "$LINES" = last ]; then
  rm -rf "$LEDGER" && cp -r "$WORK/base" "$LEDGER"
  measure "$WORK/last.jsonl"
  "$JIFEN" --ledger "$LEDGER" verify
  exit 0
fi

rm -rf "$LEDGER" "$WORK"/part.*
python3 - "$JIFEN" "$BENCH" "$LEDGER" <<'EOF'
import json, os, subprocess, sys
jifen, bench, ledger = sys.argv[1:4]
with open(os.path.join(bench, 'log.jsonl'), encoding='utf-8') as f:
    for i, line in enumerate(f):
        if not line.startswith('{"type":"rules"'):
            continue
        r = json.loads(line)
        args = [jifen, '--ledger', ledger, 'rules', 'adopt', r['file'], '--effective', r['effective']]
        if r.get('approved_by'): args += ['--approved-by', r['approved_by']]
        if r.get('recorded'): args += ['--recorded', r['recorded']]
        subprocess.run(args, cwd=os.path.join(bench, 'rules', f'{i:04d}'), check=True, stdout=subprocess.DEVNULL)
EOF
grep -v '^{"type":"rules"' "$BENCH/log.jsonl" | split -l "$LINES" -d -a 3 - "$WORK/part."
last=$(ls "$WORK"/part.* | tail -1)
for part in "$WORK"/part.*; do
  if [ "${KEEP_LAST:-0}" = 1 ] && [ "$part" = "$last" ]; then
    rm -rf "$WORK/base" && cp -r "$LEDGER" "$WORK/base" && mv "$part" "$WORK/last.jsonl"
    measure "$WORK/last.jsonl"
  else
    measure "$part"
    rm "$part"
  fi
done
head=$("$JIFEN" --ledger "$LEDGER" verify | awk '{print $NF}')
if [ -z "${EXPECTED_HEAD:-}" ]; then
  rm -rf "$WORK/simulated" && cp -r "$BENCH/ledger" "$WORK/simulated"
  EXPECTED_HEAD=$("$JIFEN" --ledger "$WORK/simulated" verify | awk '{print $NF}')
  rm -rf "$WORK/simulated"
fi
expected=$EXPECTED_HEAD
echo "imported head $head"
if [ "$head" = "$expected" ]; then echo "same chain head as the simulated ledger"; else echo "DIFFERENT chain head: $expected"; exit 1; fi
