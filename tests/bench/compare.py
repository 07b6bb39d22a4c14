#!/usr/bin/env python3
"""Two builds of jifen on the same data, runs alternating; run through tests/bench/compare.sh.

    BASE_JIFEN=... HEAD_JIFEN=... python3 tests/bench/compare.py SIZE

Each figure is a whole process's CPU time (user + sys, from wait4), the median of the runs; the
two binaries take turns (A B, B A, A B, ...) so that a change in the machine's load falls on both.
The ratio is head / base: below 1 the head is faster. "same output" says whether the two printed
the same bytes (the first run of each). Results go to $BENCH_DIR/SIZE/compare.json.
"""
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import perf  # noqa: E402  (timed, prepare)

SIDES = {'base': os.environ['BASE_JIFEN'], 'head': os.environ['HEAD_JIFEN']}
NAMES = {'base': os.environ.get('BASE_NAME', 'base'), 'head': os.environ.get('HEAD_NAME', 'head')}
REPEAT = int(os.environ.get('REPEAT', '7'))
IMPORT_REPEAT = int(os.environ.get('IMPORT_REPEAT', '3'))
VILLAGE, MONTH, YEAR = perf.VILLAGE, perf.MONTH, perf.YEAR


def alternate(rounds, run):
    """run(side, i) for each side, `rounds` times, the first side alternating; {side: [result]}."""
    out = {'base': [], 'head': []}
    for i in range(rounds):
        for side in (('base', 'head') if i % 2 == 0 else ('head', 'base')):
            out[side].append(run(side, i))
    return out


def import_ledgers(d, body, adopts, work):
    """Imports the log with each binary into a fresh ledger, alternating; keeps the last of each."""
    def run(side, _):
        ledger = os.path.join(work, side)
        shutil.rmtree(ledger, ignore_errors=True)
        for rd, a in adopts:
            subprocess.run([SIDES[side], '--ledger', ledger] + a, cwd=rd, check=True,
                           stdout=subprocess.DEVNULL)
        return perf.timed([SIDES[side], '--ledger', ledger, 'import', body])
    return alternate(IMPORT_REPEAT, run)


def chain_head(jifen, ledger):
    out = subprocess.run([jifen, '--ledger', ledger, 'verify'], capture_output=True, text=True,
                         check=True).stdout
    return out.split()[-1]


def queries(work):
    """Each query REPEAT times a side, alternating, on the side's own imported ledger."""
    commands = [('verify', ['verify']),
                (f'score {VILLAGE} {MONTH}', ['score', '--village', VILLAGE, '--period', MONTH]),
                (f'annual {VILLAGE} {YEAR}', ['annual', '--village', VILLAGE, '--year', YEAR]),
                (f'compare --period {MONTH}', ['compare', '--period', MONTH]),
                (f'compare --year {YEAR}', ['compare', '--year', YEAR])]
    results = {}
    for name, args in commands:
        outputs = {}

        def run(side, i):
            ledger = os.path.join(work, side)
            if side not in outputs:
                path = os.path.join(work, f'{side}.out')
                with open(path, 'w') as f:
                    t = perf.timed([SIDES[side], '--ledger', ledger] + args, stdout=f)
                outputs[side] = open(path, 'rb').read()
                return t
            return perf.timed([SIDES[side], '--ledger', ledger] + args)
        runs = alternate(REPEAT, run)
        results[name] = {'runs': runs, 'same_output': outputs['base'] == outputs['head']}
        print(f'  {name}: base {median(runs["base"]):.3f} s, head {median(runs["head"]):.3f} s',
              flush=True)
    return results


def web(work):
    """tests/bench/web_bench.sh on a copy of each side's ledger, base first: {side: {name: (rps, p99 ms)}}."""
    out = {}
    for side in ('base', 'head'):
        with tempfile.TemporaryDirectory(dir=work) as tmp:
            ledger = os.path.join(tmp, 'ledger')
            shutil.copytree(os.path.join(work, side), ledger)
            text = subprocess.run(['sh', os.path.join(HERE, 'web_bench.sh'), ledger, SIDES[side]],
                                  capture_output=True, text=True).stdout
        figures, name = {}, None
        for line in text.splitlines():
            if line.startswith('== '):
                name = line[3:].split(',')[0]
                figures[name] = [None, None]
            elif name and line.strip().startswith('Requests/sec:'):
                figures[name][0] = float(line.split()[1])
            elif name and line.strip().startswith('99%'):
                figures[name][1] = milliseconds(line.split()[1])
        out[side] = figures
    return out


def milliseconds(text):
    m = re.fullmatch(r'([\d.]+)(us|ms|s)', text)
    if not m:
        return None
    return float(m.group(1)) * {'us': 0.001, 'ms': 1.0, 's': 1000.0}[m.group(2)]


def median(runs):
    return statistics.median(r['cpu'] for r in runs)


def row(name, runs, records, same):
    b, h = median(runs['base']), median(runs['head'])
    rate = lambda t: f'{records / t:,.0f}' if records and t > 0 else ''
    ratio = f'{h / b:.2f}' if b > 0 else 'n/a'
    return (f'| {name} | {b:.3f} | {h:.3f} | **{ratio}** | {rate(b)} | {rate(h)} | '
            f'{len(runs["base"])} + {len(runs["head"])} | {same} |')


def main(size):
    if not re.fullmatch(r'\d+x\d+', size):
        sys.exit(f'bad size {size!r}: VILLAGESxHOUSEHOLDS')
    d = os.path.abspath(os.path.join(perf.BENCH, size))  # rule files are adopted from their own directories
    os.makedirs(d, exist_ok=True)
    perf.JIFEN = SIDES['head']   # simulates and logs the data once, if not already there
    ledger, body, adopts, info = perf.prepare(size, d)
    n, n_body = info['counts']['total'], info['counts']['body']
    work = os.path.join(d, 'compare')
    os.makedirs(work, exist_ok=True)
    load_before = perf.loadavg()
    print(f'base {NAMES["base"]}, head {NAMES["head"]}; {size}: {n:,} records; '
          f'load average {load_before}', flush=True)
    imports = import_ledgers(d, body, adopts, work)
    heads = {side: chain_head(SIDES[side], os.path.join(work, side)) for side in SIDES}
    simulated = chain_head(SIDES['head'], ledger)
    print(f'  import: base {median(imports["base"]):.3f} s, head {median(imports["head"]):.3f} s; '
          f'chain heads equal: {heads["base"] == heads["head"] == simulated}', flush=True)
    results = queries(work)
    webs = web(work) if os.environ.get('WEB') == '1' else None
    print(f'\n{size} ({n:,} records), base {NAMES["base"]}, head {NAMES["head"]}; '
          f'load average {load_before} → {perf.loadavg()}; CPU seconds (user + sys), median\n')
    print('| benchmark | base CPU s | head CPU s | head ÷ base | base records/CPU-s | '
          'head records/CPU-s | runs | same output |')
    print('|---|---|---|---|---|---|---|---|')
    print(row('import', imports, n_body, 'chain heads ' +
              ('equal' if heads['base'] == heads['head'] == simulated else 'DIFFER')))
    for name, r in results.items():
        records = n if name.startswith(('verify', 'compare --year')) else None
        print(row(name, r['runs'], records, 'yes' if r['same_output'] else 'NO'))
    if webs:
        print('\n| web (wrk, one run each) | base requests/s | head requests/s | head ÷ base | '
              'base p99 ms | head p99 ms |')
        print('|---|---|---|---|---|---|')
        for name, (rps, p99) in webs['base'].items():
            hrps, hp99 = webs['head'].get(name, (None, None))
            ratio = f'{hrps / rps:.2f}' if rps and hrps else 'n/a'
            print(f'| {name} | {rps} | {hrps} | {ratio} | {p99} | {hp99} |')
    with open(os.path.join(d, 'compare.json'), 'w') as f:
        json.dump({'base': NAMES['base'], 'head': NAMES['head'], 'records': n,
                   'import': imports, 'queries': results, 'web': webs,
                   'load': [load_before, perf.loadavg()]}, f, indent=1)


if __name__ == '__main__':
    main(sys.argv[1] if len(sys.argv) > 1 else '10x200')
