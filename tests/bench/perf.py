#!/usr/bin/env python3
"""Whole-process performance benchmark of jifen against an SQLite baseline.

Run through tests/bench/run.sh (which builds the Release binary first):

    sh tests/bench/run.sh [SIZE ...]

SIZE is VILLAGESxHOUSEHOLDS (e.g. 2x100) or a name: small = 2x100 (~55k records),
medium = 20x100 (~550k), double = 40x100 (~1.1M), large = 220x100 (~6M); `all` = all four.
Default: small; `--report` prints the tables of the last results.  Everything happens under $BENCH_DIR (default build-bench/bench/SIZE/);
a simulated ledger and its JSONL log are kept there and reused by later runs (delete the
directory to start over).  Results are merged into $BENCH_DIR/results.json and printed
as markdown tables.

Every figure is a whole process: wall clock, and user, sys and peak RSS from the child's
rusage (wait4, what /usr/bin/time -v reports);
commands are repeated REPEAT times (default 5) and the median of each figure is reported,
except commands whose first run takes over 30 s CPU (run once) or over 5 s (run 3 times).
Rates (records/s) are given per CPU second (user+sys) and per wall second.
"""
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, '..', '..'))
JIFEN = os.environ.get('JIFEN', os.path.join(ROOT, 'build-bench', 'cli', 'jifen'))
BENCH = os.environ.get('BENCH_DIR', os.path.join(ROOT, 'build-bench', 'bench'))
SQLITE = os.environ.get('SQLITE3', shutil.which('sqlite3') or '')
REPEAT = int(os.environ.get('REPEAT', '5'))
VILLAGE = os.environ.get('VILLAGE', 'SYS')
MONTH = '2022-06'
YEAR = '2022'
NAMES = {'small': '2x100', 'medium': '20x100', 'double': '40x100', 'large': '220x100'}
sys.path.insert(0, HERE)
import sqlite_baseline  # noqa: E402  (SQL text only; loading runs in a child)


def loadavg():
    with open('/proc/loadavg') as f:
        return ' '.join(f.read().split()[:3])


def timed(cmd, cwd=None, stdout=subprocess.DEVNULL, stdin=None):
    """Run cmd as a child process; return dict(wall, user, sys, cpu, rss_mb, anon_mb).

    user, sys and the peak RSS (rss_mb, ru_maxrss: what time -v calls "Maximum resident set
    size") come from wait4() at microsecond resolution; wall is measured around fork..wait.
    RSS counts the ledger pages the process has mapped (clean page cache) as well as its own
    memory, so the peak of its private memory (RssAnon in /proc/PID/status) is sampled every
    2 ms as anon_mb."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=cwd, stdout=stdout, stdin=stdin, stderr=subprocess.PIPE)
    errs = []
    import threading
    reader = threading.Thread(target=lambda: errs.append(p.stderr.read()))
    reader.start()
    anon_kb = 0
    while True:
        pid, status, ru = os.wait4(p.pid, os.WNOHANG)
        if pid:
            break
        try:
            with open(f'/proc/{p.pid}/status') as f:
                m = re.search(r'RssAnon:\s+(\d+)', f.read())
                if m:
                    anon_kb = max(anon_kb, int(m.group(1)))
        except OSError:
            pass
        time.sleep(0.002)
    wall = time.perf_counter() - t0
    reader.join()
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        raise SystemExit(f'failed ({p.returncode}): {" ".join(cmd)}\n{errs[0].decode()[-2000:]}')
    return {'wall': round(wall, 4), 'user': round(ru.ru_utime, 4), 'sys': round(ru.ru_stime, 4),
            'cpu': round(ru.ru_utime + ru.ru_stime, 4), 'rss_mb': round(ru.ru_maxrss / 1024, 1),
            'anon_mb': round(anon_kb / 1024, 1)}


def median_of(runs):
    out = {k: round(statistics.median(r[k] for r in runs), 3) for k in runs[0]}
    out['runs'] = len(runs)
    return out


def repeat(cmd, setup=None, **kw):
    """Run cmd REPEAT times (fewer if slow), after setup() each time; median figures."""
    runs = []
    n = REPEAT
    while len(runs) < n:
        if setup:
            setup()
        runs.append(timed(cmd, **kw))
        if len(runs) == 1:
            if runs[0]['cpu'] > 30 or runs[0]['wall'] > 60:
                n = 1
            elif runs[0]['cpu'] > 5:
                n = min(n, 3)
    return median_of(runs)


def jifen(ledger, *args):
    return [JIFEN, '--ledger', ledger] + list(args)


def prepare(size, d):
    """Simulate the ledger (once), log it to JSONL (once), split off the rules."""
    v, h = size.split('x')
    ledger = os.path.join(d, 'ledger')
    info = {}
    if not os.path.exists(os.path.join(d, 'simulate.ok')):
        shutil.rmtree(ledger, ignore_errors=True)
        print(f'[{size}] simulate --villages {v} --households {h} ...', flush=True)
        with open(os.path.join(d, 'simulate.out'), 'w') as out:
            t = timed([JIFEN, 'simulate', '--villages', v, '--households', h, '--year', YEAR,
                       '--seed', '1', '--ledger', ledger], stdout=out)
        with open(os.path.join(d, 'simulate.json'), 'w') as f:
            json.dump(t, f)
        open(os.path.join(d, 'simulate.ok'), 'w').close()
    sim_json = os.path.join(d, 'simulate.json')
    if os.path.exists(sim_json):
        info['simulate'] = json.load(open(sim_json))
    elif os.path.exists(os.path.join(d, 'simulate.time')):   # started by hand with time -v
        txt = open(os.path.join(d, 'simulate.time')).read()
        g = lambda k: re.search(re.escape(k) + r':\s*(\S+)', txt).group(1)
        wall = g('Elapsed (wall clock) time (h:mm:ss or m:ss)').split(':')
        info['simulate'] = {'wall': sum(float(x) * 60 ** i for i, x in enumerate(reversed(wall))),
                            'user': float(g('User time (seconds)')),
                            'sys': float(g('System time (seconds)')),
                            'rss_mb': round(int(g('Maximum resident set size (kbytes)')) / 1024, 1)}
        info['simulate']['cpu'] = round(info['simulate']['user'] + info['simulate']['sys'], 2)
    info['simulate_summary'] = open(os.path.join(d, 'simulate.out')).read().splitlines()[0]

    log = os.path.join(d, 'log.jsonl')
    if not os.path.exists(log + '.ok'):
        print(f'[{size}] log ...', flush=True)
        with open(log, 'w') as out:
            info['log'] = timed(jifen(ledger, 'log'), stdout=out)
        with open(log + '.json', 'w') as f:
            json.dump(info['log'], f)
        open(log + '.ok', 'w').close()
    info['log'] = json.load(open(log + '.json'))

    # Split the log: rules records become rule files adopted with `jifen rules adopt`
    # (import refuses them); everything else is the import file.  Each rule file is written
    # under its original file name in its own directory and adopted from there, so that the
    # imported ledger is byte-identical to the simulated one (same chain head).
    body = os.path.join(d, 'body.jsonl')
    rules_dir = os.path.join(d, 'rules')
    adopts = []
    counts = {'total': 0, 'body': 0, 'village_total': 0, 'village_month_awards': 0,
              'year_awards': 0, 'villages': set()}
    shutil.rmtree(rules_dir, ignore_errors=True)
    with open(log, encoding='utf-8') as f, open(body, 'w', encoding='utf-8') as o:
        for i, line in enumerate(f):
            counts['total'] += 1
            if line.startswith('{"type":"rules"'):
                r = json.loads(line)
                rd = os.path.join(rules_dir, f'{i:04d}')
                os.makedirs(rd)
                with open(os.path.join(rd, r['file']), 'w', encoding='utf-8') as rf:
                    rf.write(r['text'])
                a = ['rules', 'adopt', r['file'], '--effective', r['effective']]
                if r.get('approved_by'):
                    a += ['--approved-by', r['approved_by']]
                if r.get('recorded'):
                    a += ['--recorded', r['recorded']]
                adopts.append((rd, a))
                counts['villages'].add(r['village'])
                continue
            o.write(line)
            counts['body'] += 1
            if f'"village":"{VILLAGE}"' in line:
                counts['village_total'] += 1
                if line.startswith('{"type":"award"') and f'"date":"{MONTH}-' in line:
                    counts['village_month_awards'] += 1
            if line.startswith('{"type":"award"') and f'"date":"{YEAR}-' in line:
                counts['year_awards'] += 1
    counts['villages'] = len(counts['villages'])
    info['counts'] = counts
    return ledger, body, adopts, info


def bench(size):
    d = os.path.join(BENCH, size)
    os.makedirs(d, exist_ok=True)
    res = {'size': size, 'load_before': loadavg(), 'started': time.strftime('%Y-%m-%d %H:%M:%S'),
           'jifen': JIFEN, 'jifen_rev': os.environ.get('JIFEN_REV', 'unknown')}
    ledger, body, adopts, info = prepare(size, d)
    res.update(info)
    n = info['counts']['total']
    print(f'[{size}] {n} records; measuring ...', flush=True)

    # 1. import into an empty ledger (rules adopted first, not timed)
    imp = os.path.join(d, 'imported')

    def fresh():
        shutil.rmtree(imp, ignore_errors=True)
        for rd, a in adopts:
            subprocess.run(jifen(imp, *a), cwd=rd, check=True, stdout=subprocess.DEVNULL)
    chunk = int(os.environ.get('IMPORT_CHUNK', '0')) or (
        0 if info['counts']['body'] <= 1_000_000 else 600_000)
    if not chunk:
        res['import'] = repeat(jifen(imp, 'import', body), setup=fresh)
    else:
        # Import holds the whole file in memory (about 2 KB a record): above a million records
        # the file is imported as consecutive files of CHUNK lines, one process each; the figures
        # are the sums (peak RSS: the largest), and each chunk's own figures are kept.
        files = []
        with open(body, encoding='utf-8') as f:
            out = None
            for i, line in enumerate(f):
                if i % chunk == 0:
                    if out:
                        out.close()
                    files.append(os.path.join(d, f'body.{len(files):03d}.jsonl'))
                    out = open(files[-1], 'w', encoding='utf-8')
                out.write(line)
            out.close()
        fresh()
        runs = []
        for fn in files:
            runs.append(timed(jifen(imp, 'import', fn)))
            print(f'[{size}] import chunk {len(runs)}/{len(files)}: {runs[-1]}', flush=True)
            os.remove(fn)
        res['import'] = {k: round(sum(r[k] for r in runs), 3) for k in ('wall', 'user', 'sys', 'cpu')}
        res['import']['rss_mb'] = max(r['rss_mb'] for r in runs)
        res['import']['anon_mb'] = max(r.get('anon_mb', 0) for r in runs)
        res['import']['runs'] = 1
        res['import_chunk_lines'] = chunk
        res['import_chunks'] = runs
    head = lambda l: subprocess.run(jifen(l, 'verify'), capture_output=True, text=True,
                                    check=True).stdout.split()[-1]
    res['import_identical'] = head(imp) == head(ledger)

    # 2.-6. queries on the imported ledger: the same records (same chain head) as the simulated
    # one, laid out on disk by this build of jifen.
    res['verify'] = repeat(jifen(imp, 'verify'))
    res['score'] = repeat(jifen(imp, 'score', '--village', VILLAGE, '--period', MONTH))
    res['compare_month'] = repeat(jifen(imp, 'compare', '--period', MONTH))
    res['annual'] = repeat(jifen(imp, 'annual', '--village', VILLAGE, '--year', YEAR))
    res['compare_year'] = repeat(jifen(imp, 'compare', '--year', YEAR))
    res['ledger_mb'] = round(os.path.getsize(os.path.join(imp, 'data.mdb')) / 2**20, 1)
    shutil.rmtree(imp, ignore_errors=True)

    # 7. SQLite baseline
    db = os.path.join(d, 'baseline.sqlite')
    t0 = time.time()   # in a child process, so that this process stays small
    out = subprocess.run([sys.executable, os.path.join(HERE, 'sqlite_baseline.py'), 'load',
                          os.path.join(d, 'log.jsonl'), db], capture_output=True, text=True, check=True)
    res['sqlite_load_s'] = round(time.time() - t0, 2)
    res['sqlite_rows'] = int(out.stdout.split()[0])
    if SQLITE:
        res['sqlite_client'] = 'sqlite3 CLI ' + subprocess.run(
            [SQLITE, '--version'], capture_output=True, text=True).stdout.split()[0]
        q = lambda sql: [SQLITE, db, sql]
    else:
        res['sqlite_client'] = 'python3 -c (sqlite3 module ' + __import__('sqlite3').sqlite_version + ')'
        q = lambda sql: [sys.executable, '-c',
                         'import sqlite3,sys;c=sqlite3.connect(sys.argv[1]);'
                         'sys.stdout.writelines("|".join(map(str,r))+"\\n" for r in c.execute(sys.argv[2]))',
                         db, sql]
    res['sqlite_month'] = repeat(q(sqlite_baseline.month_sql(VILLAGE, MONTH)))
    res['sqlite_year'] = repeat(q(sqlite_baseline.year_sql(YEAR)))
    res['load_after'] = loadavg()
    return res


def rate(n, t, k):
    return round(n / t[k]) if t[k] > 0 else float('inf')


def fmt_rate(x):
    return '∞' if x == float('inf') else f'{x:,}'


def report(all_res):
    sizes = sorted(all_res.values(), key=lambda r: r['counts']['total'])
    lines = []
    for r in sizes:
        n = r['counts']['total']
        c = r['counts']
        lines.append(f"\n### {r['size']}: {n:,} records, {c['villages']} villages "
                     f"(ledger {r['ledger_mb']} MB; load average {r['load_before']} → {r['load_after']})\n")
        lines.append(f"{VILLAGE}: {c['village_total']:,} records, {c['village_month_awards']:,} awards in {MONTH}; "
                     f"SQLite table: {r['sqlite_rows']:,} award rows\n")
        lines.append('| command | runs | wall s | user s | sys s | CPU s | peak RSS MB | private MB | records/CPU-s | records/wall-s |')
        lines.append('|---|---|---|---|---|---|---|---|---|---|')
        imp_name = 'import' + (f" ({len(r['import_chunks'])} files of {r['import_chunk_lines']:,} lines)"
                               if r.get('import_chunks') else '')
        rows = [('simulate', r.get('simulate'), n), ('log (to JSONL)', r.get('log'), n),
                (imp_name, r['import'], c['body']), ('verify', r['verify'], n),
                (f'score {VILLAGE} {MONTH}', r['score'], None),
                (f'compare --period {MONTH}', r['compare_month'], None),
                (f'annual {VILLAGE} {YEAR}', r['annual'], None),
                (f'compare --year {YEAR}', r['compare_year'], n),
                (f'SQLite (a) {VILLAGE} {MONTH}', r['sqlite_month'], None),
                (f'SQLite (b) every village-month', r['sqlite_year'], None)]
        for name, t, cnt in rows:
            if not t:
                continue
            rc = fmt_rate(rate(cnt, t, 'cpu')) if cnt else ''
            rw = fmt_rate(rate(cnt, t, 'wall')) if cnt else ''
            lines.append(f"| {name} | {t.get('runs', 1)} | {t['wall']:.3f} | {t['user']:.3f} | {t['sys']:.3f} | "
                         f"{t['cpu']:.3f} | {t['rss_mb']:.0f} | {t.get('anon_mb', 0):.0f} | {rc} | {rw} |")
        ra = lambda a, b, k: f"{r[a][k] / r[b][k]:.2f}" if r[b][k] > 0 else 'n/a'
        lines.append(f"\njifen ÷ SQLite: score/(a) wall {ra('score', 'sqlite_month', 'wall')}, "
                     f"CPU {ra('score', 'sqlite_month', 'cpu')}; compare --year/(b) wall "
                     f"{ra('compare_year', 'sqlite_year', 'wall')}, CPU {ra('compare_year', 'sqlite_year', 'cpu')}. "
                     f"Import identical to the simulated ledger (same chain head): {r['import_identical']}. "
                     f"SQLite client: {r['sqlite_client']}. jifen: {r.get('jifen_rev', '?')}, "
                     f"measured {r['started']}.")
    return '\n'.join(lines)


def main(argv):
    if argv[1:] == ['--report']:   # print the tables of the last results, run nothing
        rf = os.path.join(BENCH, 'results.json')
        print(report(json.load(open(rf))))
        return
    sizes = argv[1:] or ['small']
    if sizes == ['all']:
        sizes = list(NAMES)
    sizes = [NAMES.get(s, s) for s in sizes]
    for s in sizes:
        if not re.fullmatch(r'\d+x\d+', s):
            sys.exit(f'bad size {s!r}: VILLAGESxHOUSEHOLDS or one of {", ".join(NAMES)} or all')
    os.makedirs(BENCH, exist_ok=True)
    rf = os.path.join(BENCH, 'results.json')
    all_res = json.load(open(rf)) if os.path.exists(rf) else {}
    print(f'jifen {JIFEN}; {os.cpu_count()} CPUs; load average {loadavg()}', flush=True)
    for s in sizes:
        all_res[s] = bench(s)
        with open(rf, 'w') as f:
            json.dump(all_res, f, indent=1, ensure_ascii=False)
    print(report({s: all_res[s] for s in all_res}))
    print(f'\nresults: {rf}')


if __name__ == '__main__':
    main(sys.argv)
