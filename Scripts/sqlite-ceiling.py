#!/usr/bin/env python3
"""How fast can SQLite itself store Hotline's ticket rows on this machine?

Copies every row of an existing Hotline database into fresh databases with
the same schema through Python's sqlite3 `executemany` (almost no per-row work
outside SQLite), in batches of 20,000 per transaction, WAL mode, under
several storage settings. The import cannot be faster than this ceiling.

    python3 Scripts/sqlite-ceiling.py path/to/hotline.sqlite
"""
import os
import sqlite3
import sys
import tempfile
import time

src = sqlite3.connect(sys.argv[1])
cols = [r[1] for r in src.execute("PRAGMA table_info(ticket)")]
rows = src.execute("SELECT * FROM ticket").fetchall()
schema = src.execute("SELECT sql FROM sqlite_master WHERE name = 'ticket'").fetchone()[0]
indexes = [r[0] for r in src.execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")]
raw_at = cols.index("raw")
query = f"INSERT INTO ticket({','.join(cols)}) VALUES ({','.join('?' * len(cols))})"

variants = [
    ("4 KiB pages (SQLite default)", 4096, True, False),
    ("64 KiB pages (Hotline)", 65536, True, False),
    ("64 KiB pages, no audit row", 65536, True, True),
    ("64 KiB pages, no secondary indexes", 65536, False, False),
]
with tempfile.TemporaryDirectory() as tmp:
    for name, page, with_indexes, no_raw in variants:
        path = os.path.join(tmp, f"{page}-{with_indexes}-{no_raw}.sqlite")
        c = sqlite3.connect(path, isolation_level=None)
        c.execute(f"PRAGMA page_size = {page}")
        c.execute("PRAGMA journal_mode = WAL")
        c.execute("PRAGMA synchronous = NORMAL")
        c.execute("PRAGMA cache_size = -262144")
        c.execute(schema)
        for i in indexes if with_indexes else []:
            c.execute(i)
        data = [r[:raw_at] + ("{}",) + r[raw_at + 1:] for r in rows] if no_raw else rows
        t = time.perf_counter()
        for k in range(0, len(data), 20000):
            c.execute("BEGIN")
            c.executemany(query, data[k:k + 20000])
            c.execute("COMMIT")
        c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        dt = time.perf_counter() - t
        c.close()
        print(f"{name:38s} {len(data) / dt:>10,.0f} rows/s  ({len(data):,} rows, {dt:.1f} s)")
