#!/usr/bin/env python3
"""SQLite baseline for the jifen performance benchmark (docs/PERFORMANCE.md).

Loads the award records of a `jifen log` JSONL file into one SQLite table

    award(village TEXT, date TEXT, household TEXT, points INTEGER)   -- points in 1/100 point
    index award_vd ON award(village, date)

with each award's points = the item's points (parsed from the rule text in the log's
`rules` records: `item CODE "name" POINTS per ...` or `项目 CODE "name" POINTS 每...`) × qty,
and its household = the subject itself (a household code) or the household the person was
registered in (`person` records; moves ignored).  Caps, bonuses, moves and rule versions are
ignored (the latest adopted rules of a village are used); revoked awards are left out at load
time, so the queries do strictly less work than jifen's replay.

    sqlite_baseline.py load LOG.jsonl DB.sqlite     build the database (replaces DB)
    sqlite_baseline.py sql month VILLAGE YYYY-MM    print query (a): one village-month
    sqlite_baseline.py sql year YYYY                print query (b): every village-month of a year
"""
import json
import os
import re
import sqlite3
import sys
from decimal import Decimal, ROUND_HALF_UP

ITEM = re.compile(r'^\s*(?:item|项目)\s+(\S+)\s+"[^"]*"\s*([+-]?\d+(?:\.\d+)?)', re.M)


def month_sql(village, month):
    y, m = int(month[:4]), int(month[5:7])
    last = [31, 29 if (y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)) else 28,
            31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
    return ("SELECT household, SUM(points) FROM award "
            f"WHERE village = '{village}' AND date BETWEEN '{month}-01' AND '{month}-{last:02d}' "
            "GROUP BY household ORDER BY household;")


def year_sql(year):
    return ("SELECT village, substr(date, 1, 7) AS month, household, SUM(points) FROM award "
            f"WHERE date BETWEEN '{year}-01-01' AND '{year}-12-31' "
            "GROUP BY village, month, household ORDER BY village, month, household;")


def load(log_path, db_path):
    """Two passes over the log: rules, persons and revocations first, then the awards
    streamed into the table (memory stays small at millions of records)."""
    items = {}        # village -> {item code -> Decimal points}
    person_hh = {}    # (village, person) -> household
    revoked = set()   # (village, id)
    with open(log_path, encoding='utf-8') as f:
        for line in f:
            if line.startswith('{"type":"award"'):
                continue
            r = json.loads(line)
            t = r['type']
            if t == 'person':
                person_hh[(r['village'], r['person'])] = r['household']
            elif t == 'revoke':
                revoked.add((r['village'], r['target']))
            elif t == 'rules':
                items[r['village']] = {c: Decimal(p) for c, p in ITEM.findall(r['text'])}
    counts = [0, 0]   # rows loaded, awards seen

    def rows():
        with open(log_path, encoding='utf-8') as f:
            for line in f:
                if not line.startswith('{"type":"award"'):
                    continue
                r = json.loads(line)
                counts[1] += 1
                v = r['village']
                if r.get('id') is not None and (v, r['id']) in revoked:
                    continue
                qty = Decimal(str(r.get('qty', 1)))
                pts = (items[v][r['item']] * qty * 100).quantize(Decimal(1), ROUND_HALF_UP)
                counts[0] += 1
                yield (v, r['date'], person_hh.get((v, r['subject']), r['subject']), int(pts))

    if os.path.exists(db_path):
        os.remove(db_path)
    db = sqlite3.connect(db_path)
    db.execute('CREATE TABLE award(village TEXT NOT NULL, date TEXT NOT NULL, '
               'household TEXT NOT NULL, points INTEGER NOT NULL)')
    db.executemany('INSERT INTO award VALUES (?, ?, ?, ?)', rows())
    db.execute('CREATE INDEX award_vd ON award(village, date)')
    db.commit()
    db.execute('ANALYZE')
    db.commit()
    db.close()
    return counts[0], counts[1]


def main(argv):
    if len(argv) == 4 and argv[1] == 'load':
        n, total = load(argv[2], argv[3])
        print(f'{n} award rows loaded ({total - n} revoked awards left out)')
    elif len(argv) == 5 and argv[1:3] == ['sql', 'month']:
        print(month_sql(argv[3], argv[4]))
    elif len(argv) == 4 and argv[1:3] == ['sql', 'year']:
        print(year_sql(argv[3]))
    else:
        sys.exit(__doc__)


if __name__ == '__main__':
    main(sys.argv)
