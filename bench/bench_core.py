"""Core benchmark: a 10,000-cable project against the bare SQLite limit, in one run.

Prints, side by side: import (parse + store) against raw ``executemany`` of the same texts
into a table with the same FTS5 index; loading one document (text and spans) against a
bare SELECT of the same row with its spans decoded; search against a bare FTS5 MATCH;
the file size against the raw text size.  Run with ``make bench``.
"""
from __future__ import annotations

import json
import os
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cables import cable  # noqa: E402
from timing import best_of  # noqa: E402

from emendo.core.importers.bulk import text_rows, worker_count  # noqa: E402
from emendo.core.project import Project  # noqa: E402
from emendo.core.workers import paused_gc  # noqa: E402

N = int(os.environ.get("EMENDO_BENCH_DOCS", "10000"))
QUERIES = ["Kosygin", "Izvestia", "negotiations", "Geneva AND Cambodia", "Archive",
           "Peng Zhen", "propaganda", "Urgent"]


def raw_import(path: Path, texts: list[str]) -> float:
    """Bare limit: executemany of the texts into a table with the same FTS5 index."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("CREATE TABLE documents (id INTEGER PRIMARY KEY, title TEXT, text TEXT)")
    conn.execute("CREATE VIRTUAL TABLE documents_fts USING fts5(title, text, "
                 "content='documents', content_rowid='id', "
                 "tokenize='unicode61 remove_diacritics 2')")
    conn.execute("CREATE TRIGGER ai AFTER INSERT ON documents BEGIN INSERT INTO "
                 "documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END")
    t = time.perf_counter()
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO documents (title, text) VALUES (?, ?)",
                     ((txt.split("\n", 4)[4][:200], txt) for txt in texts))
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - t
    conn.close()
    return elapsed


def main() -> int:
    """Build the project, measure, print the table."""
    print(f"generating {N} cables…", flush=True)
    texts = [cable(i) for i in range(N)]
    raw_bytes = sum(len(t.encode("utf-8")) for t in texts)
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        raw_s = raw_import(tmpdir / "raw.db", texts)

        # As `emendo import` does for many files: workers parse and encode chunks while
        # this process stores the rows as they arrive (one transaction, one undo step).
        failed: list[str] = []
        t0 = time.perf_counter()
        with paused_gc(), Project.open(tmpdir / "bench.emendo") as project:
            project.import_rows(text_rows([(t, f"cable-{i}.txt") for i, t in enumerate(texts)],
                                          lambda _i, msg: failed.append(msg)), bulk=True)
        ours_s = time.perf_counter() - t0
        assert not failed, failed[:3]
        counting = sqlite3.connect(tmpdir / "bench.emendo")
        spans = counting.execute("SELECT SUM(json_array_length(spans, '$.t')) "
                                 "FROM documents").fetchone()[0]
        counting.close()
        size = (tmpdir / "bench.emendo").stat().st_size

        project = Project.open(tmpdir / "bench.emendo", readonly=True)
        conn = sqlite3.connect(tmpdir / "bench.emendo")
        rng = random.Random(7)
        ids = [rng.randint(1, N) for _ in range(300)]

        def load_ours() -> None:
            for i in ids:
                project.document(i, source=False)

        def load_bare() -> None:
            for i in ids:
                row = conn.execute("SELECT text, spans FROM documents WHERE id = ?",
                                   (i,)).fetchone()
                json.loads(row[1])

        load_ours()
        load_bare()
        ours_load = best_of(load_ours) / len(ids)
        bare_load = best_of(load_bare) / len(ids)

        def search_ours() -> None:
            for q in QUERIES:
                project.search(q, limit=20)

        def search_bare() -> None:
            for q in QUERIES:
                conn.execute("SELECT rowid FROM documents_fts WHERE documents_fts MATCH ? "
                             "ORDER BY rank LIMIT 20", (q,)).fetchall()

        search_ours()
        search_bare()
        ours_search = best_of(search_ours, 3) / len(QUERIES)
        bare_search = best_of(search_bare, 3) / len(QUERIES)
        project.close()
        conn.close()

    rows = [
        ("import 10k cables (parse + store)", ours_s, raw_s, 3.0, "s"),
        ("load one document (text + spans)", ours_load, bare_load, 2.0, "ms"),
        ("search (ranked, with snippets)", ours_search, bare_search, 1.5, "ms"),
        ("file size vs raw text", size / 2**20, raw_bytes / 2**20, 3.0, "MiB"),
    ]
    print(f"\n{N} documents, {spans} spans ({spans / N:.0f} per document); "
          f"parse + encode in {worker_count()} worker processes while storing: {ours_s:.2f} s")
    print(f"{'measure':38} {'Emendo':>10} {'bare limit':>11} {'ratio':>7} {'target':>7}")
    ok = True
    for name, ours, bare, target, unit in rows:
        scale = 1000 if unit == "ms" else 1
        ratio = ours / bare if bare else float("inf")
        ok &= ratio <= target
        print(f"{name:38} {ours * scale:>8.3f}{unit:>2} {bare * scale:>9.3f}{unit:>2} "
              f"{ratio:>6.2f}x {target:>5.1f}x {'ok' if ratio <= target else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
