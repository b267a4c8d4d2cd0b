"""Writes project-v1.emendo: a project in format 1, kept as legacy test data.

Format 1 (Emendo 0.0.x) kept spans in their own table and had no search index, lock or
reason column.  The file is committed; this script documents how it was made.
"""
from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

TEXT = ("[Stamp] Foreign Ministry\n\nPriority: Urgent\n\nIzvestia on April 16th reported. "
        "Liu, Zhang, [illegible], Archive 67 copies printed\n")


def main(path: Path) -> None:
    path.unlink(missing_ok=True)
    conn = sqlite3.connect(path)
    conn.executescript("""
    CREATE TABLE documents (id INTEGER PRIMARY KEY, title TEXT NOT NULL DEFAULT '', date TEXT,
        text TEXT NOT NULL DEFAULT '', source_text TEXT NOT NULL DEFAULT '',
        imported_text TEXT, source_name TEXT NOT NULL DEFAULT '',
        created TEXT NOT NULL DEFAULT '', modified TEXT NOT NULL DEFAULT '');
    CREATE TABLE spans (id INTEGER, doc_id INTEGER NOT NULL REFERENCES documents(id),
        kind TEXT NOT NULL, start INTEGER, end_ INTEGER, attrs TEXT NOT NULL DEFAULT '{}',
        PRIMARY KEY (doc_id, id));
    CREATE TABLE oplog (id INTEGER PRIMARY KEY, doc_id INTEGER, op TEXT NOT NULL,
        label TEXT NOT NULL DEFAULT '', time TEXT NOT NULL, author TEXT NOT NULL DEFAULT '',
        before TEXT NOT NULL DEFAULT '{}', after TEXT NOT NULL DEFAULT '{}',
        undone INTEGER NOT NULL DEFAULT 0);
    CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT);
    PRAGMA application_id = 1164799588;
    PRAGMA user_version = 1;
    """)
    conn.execute("INSERT INTO documents (id, title, date, text, source_text, source_name, "
                 "created, modified) VALUES (1, 'Cable from the Chinese Embassy', "
                 "'1965-04-17', ?, ?, 'cable.txt', '2025-01-01T00:00:00', "
                 "'2025-01-01T00:00:00')", (TEXT, TEXT))
    spans = [(1, "stamp", 0, TEXT.index("\n"), {"text": "Foreign Ministry"}),
             (2, "priority", TEXT.index("Priority"), TEXT.index("Urgent") + 6,
              {"value": "Urgent"}),
             (3, "illegible", TEXT.index("[illegible]"), TEXT.index("[illegible]") + 11, {})]
    for sid, kind, start, end, attrs in spans:
        conn.execute("INSERT INTO spans VALUES (?, 1, ?, ?, ?, ?)",
                     (sid, kind, start, end, json.dumps(attrs)))
    conn.execute("INSERT INTO oplog (doc_id, op, label, time, author, before, after) VALUES "
                 "(1, 'import', 'Import', '2025-01-01T00:00:00', 'someone', "
                 "'{\"documents\": {\"1\": null}}', '{\"documents\": {\"1\": true}}')")
    conn.commit()
    conn.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name(
        "project-v1.emendo"))
