#!/usr/bin/env python3
"""The most disk one jifen command claims for a ledger's data file (docs/RELIABILITY.md, "Disk").

    python3 tests/bench/disk_peak.py LEDGER JIFEN ARGS...

Runs `JIFEN ARGS...` under strace, which records every fallocate(2) of LEDGER/data.mdb, while a
thread reads the blocks the file has (st_blocks) every millisecond. jifen allocates the data file's
blocks from its start and cuts the file back when a write ends (ledger/FORMAT.md "The data file"),
so the furthest end of a successful fallocate is the most the file held blocks for. Prints that,
the most blocks seen by the sampler (which can miss a short peak), the file at rest afterwards and
the number of fallocate calls. Not part of ctest. Needs strace (apt-get install -y strace).
"""
import os
import re
import subprocess
import sys
import tempfile
import threading
import time

CALL = re.compile(r'fallocate\(\d+<([^>]*)>, (\d+), (\d+), (\d+)\)\s+= (-?\d+)')


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    data = os.path.join(os.path.realpath(argv[0]), 'data.mdb')
    command = argv[1:]
    most_sampled = 0
    done = threading.Event()

    def sample():
        nonlocal most_sampled
        while not done.is_set():
            try:
                most_sampled = max(most_sampled, os.stat(data).st_blocks * 512)
            except OSError:
                pass
            time.sleep(0.001)

    sampler = threading.Thread(target=sample)
    sampler.start()
    with tempfile.NamedTemporaryFile('r', suffix='.strace') as trace:
        started = time.perf_counter()
        strace = ['strace', '-f', '--seccomp-bpf', '-y', '-e', 'trace=fallocate', '-o', trace.name]
        run = subprocess.run(strace + command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        wall = time.perf_counter() - started
        done.set()
        sampler.join()
        calls = [m for m in map(CALL.search, trace.read().splitlines()) if m and m.group(1) == data]
    if run.returncode != 0:
        sys.exit(f'failed ({run.returncode}): {" ".join(command)}\n{run.stderr.decode()[-2000:]}')
    ok = [(int(offset), int(length)) for _, mode, offset, length, rc in (m.groups() for m in calls)
          if mode == '0' and rc == '0']
    reached = max((offset + length for offset, length in ok), default=0)
    rest = os.stat(data).st_size
    mib = lambda b: f'{b / (1 << 20):.2f} MiB'
    print(f'{" ".join(os.path.basename(a) for a in command[:3])}: fallocate reached {mib(reached)} '
          f'({reached} bytes) in {len(ok)} calls; most blocks sampled {mib(most_sampled)}; '
          f'data.mdb at rest {mib(rest)}; {wall:.1f} s under strace')


if __name__ == '__main__':
    main(sys.argv[1:])
