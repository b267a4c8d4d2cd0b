"""What a sound project file holds, checked without trusting any of it.

A project file is input from disk, so it is checked like any other: its schema against the
one this Emendo creates (tables, columns, indexes, triggers, views — nothing extra, nothing
missing: a planted trigger would run inside our own writes), every stored value's type, and
the operation log that undo replays.  :func:`quick_problems` is cheap (SQL over the rows,
no decoding) and runs before anything is written; :func:`log_problems` decodes the log for
``emendo check``.  None of them raises on what it reads: damage is reported, not hit.
"""
from __future__ import annotations

import datetime as _dt
import functools
import json
import re
import sqlite3
from collections.abc import Iterable
from typing import Any

# Indexes added within the current format: a file from an earlier build lacks them, and
# gets them when opened for writing (store.ensure_indexes).
ADDED_WITHIN_FORMAT = frozenset({"oplog_undone"})

# SQLite's own statistics tables (ANALYZE, PRAGMA optimize) hold no data of ours.
_IGNORED = re.compile(r"^sqlite_stat\d$")

# The type each stored value must have, by table and column (SQLite's typeof names).
COLUMN_TYPES: dict[str, dict[str, tuple[str, ...]]] = {
    "documents": {
        "id": ("integer",), "title": ("text",), "date": ("text", "null"),
        "text": ("text",), "spans": ("text",), "source_z": ("blob", "null"),
        "imported_text": ("text", "null"), "source_name": ("text",),
        "fields_text": ("text",), "meta": ("text",), "created": ("text",),
        "modified": ("text",),
    },
    "oplog": {
        "id": ("integer",), "doc_id": ("integer", "null"), "op": ("text",),
        "label": ("text",), "time": ("text",), "author": ("text",),
        "reason": ("text", "null"), "before": ("text",), "after": ("text",),
        "undone": ("integer",),
    },
    "settings": {"key": ("text",), "value": ("text", "null")},
    "lock": {"id": ("integer",), "host": ("text",), "pid": ("integer",),
             "since": ("text",), "token": ("text",)},
}
# JSON columns and the JSON types they must hold (spans: columns object, or the older list).
JSON_COLUMNS: dict[str, dict[str, tuple[str, ...]]] = {
    "documents": {"spans": ("object", "array"), "meta": ("object",)},
    "oplog": {"before": ("object",), "after": ("object",)},
}
KEY_COLUMN = {"documents": "id", "oplog": "id", "settings": "key", "lock": "id"}

ISO_DATE = re.compile(r"^-?\d{4}(-\d{2}(-\d{2})?)?(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$")
SAMPLES = 3  # rows named per kind of damage; the count says how many more


def _norm(sql: str | None) -> str:
    return " ".join((sql or "").split())


def describe(conn: sqlite3.Connection) -> dict[tuple[str, str], Any]:
    """Every schema object as ``(type, name) -> signature``, comparable between files.

    Tables are compared by their columns and constraints rather than their text: a file
    migrated from an older format got its columns by ALTER TABLE, in another order.
    """
    out: dict[tuple[str, str], Any] = {}
    rows = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    for kind, name, table, sql in rows:
        if not isinstance(name, str) or _IGNORED.match(name):
            continue
        if kind == "table" and not _norm(sql).upper().startswith("CREATE VIRTUAL"):
            cols = frozenset(tuple(r[1:]) for r in
                             conn.execute(f"PRAGMA table_xinfo({_quote(name)})").fetchall())
            fks = tuple(tuple(r) for r in
                        conn.execute(f"PRAGMA foreign_key_list({_quote(name)})").fetchall())
            checks = len(re.findall(r"\bCHECK\s*\(", sql or "", re.I))
            rowid = "WITHOUT ROWID" in _norm(sql).upper()
            out[(kind, name)] = ("table", cols, fks, checks, rowid)
        elif kind == "index" and sql is None:  # made by a PRIMARY KEY or UNIQUE constraint
            cols = tuple(tuple(r) for r in
                         conn.execute(f"PRAGMA index_xinfo({_quote(name)})").fetchall())
            out[(kind, name)] = ("autoindex", table, cols)
        else:
            out[(kind, name)] = (kind, table, _norm(sql))
    return out


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@functools.lru_cache(maxsize=1)
def expected_schema() -> dict[tuple[str, str], Any]:
    """The schema this Emendo creates, described (built once in memory)."""
    import sqlite_utils

    from emendo.core import store

    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        store.create_schema(sqlite_utils.Database(conn))
        return describe(conn)
    finally:
        conn.close()


def schema_problems(conn: sqlite3.Connection, version: int) -> list[str]:
    """How the file's schema differs from Emendo's (empty when it is exactly Emendo's).

    A file in an older format is migrated later, so only what could run inside our writes
    (triggers, views) is compared for it, and only what it has that Emendo would not
    create; the migration checks the whole schema before it commits.
    """
    from emendo.core import store

    try:
        found = describe(conn)
    except (sqlite3.Error, ValueError, TypeError) as exc:
        return [f"the schema cannot be read ({exc})"]
    expected = expected_schema()
    if version < store.FORMAT_VERSION:
        keep = ("trigger", "view")
        found = {k: v for k, v in found.items() if k[0] in keep}
        expected = {k: v for k, v in expected.items() if k[0] in keep}
    problems: list[str] = []
    for key in sorted(set(found) | set(expected)):
        kind, name = key
        what = f"{kind} '{name}'"
        if key not in expected:
            target = found[key][1] if kind in ("trigger", "index") else None
            on = f" on {target}" if isinstance(target, str) else ""
            problems.append(f"unexpected schema: {what}{on} is not Emendo's")
        elif key not in found:
            # An older format lacks what its migration will create.
            if version == store.FORMAT_VERSION and name not in ADDED_WITHIN_FORMAT:
                problems.append(f"unexpected schema: {what} is missing")
        elif found[key] != expected[key]:
            problems.append(f"unexpected schema: {what} differs from Emendo's"
                            + _column_difference(found[key], expected[key]))
    return problems


def _column_difference(found: Any, expected: Any) -> str:
    """Which columns of a table differ, as a short clause (or '')."""
    if found[0] != "table" or expected[0] != "table":
        return ""
    have = {c[0]: c for c in found[1]}
    want = {c[0]: c for c in expected[1]}
    extra = sorted(set(have) - set(want))
    missing = sorted(set(want) - set(have))
    changed = sorted(n for n in set(have) & set(want) if have[n] != want[n])
    parts = [f"extra column {', '.join(extra)}" if extra else "",
             f"missing column {', '.join(missing)}" if missing else "",
             f"column {', '.join(changed)} defined otherwise" if changed else ""]
    parts = [p for p in parts if p]
    return f" ({'; '.join(parts)})" if parts else ""


def type_problems(conn: sqlite3.Connection) -> list[str]:
    """Stored values of the wrong type, invalid JSON and undone flags other than 0 or 1.

    One scan of each table in SQL: a type is read from the record header, JSON is checked
    by SQLite's own parser, nothing is decoded in Python.
    """
    problems: list[str] = []
    for table, columns in COLUMN_TYPES.items():
        key = KEY_COLUMN[table]
        tests: list[tuple[str, str]] = []
        for col, types in columns.items():
            allowed = ", ".join(f"'{t}'" for t in types)
            tests.append((f"typeof({col}) NOT IN ({allowed})",
                          f"{col} is not {' or '.join(types)}"))
        for col, jtypes in JSON_COLUMNS.get(table, {}).items():
            allowed = ", ".join(f"'{t}'" for t in jtypes)
            tests.append((f"typeof({col}) = 'text' AND (NOT json_valid({col}) OR "
                          f"json_type({col}) NOT IN ({allowed}))",
                          f"{col} is not a JSON {' or '.join(jtypes)}"))
        if table == "oplog":
            tests.append(("undone NOT IN (0, 1)", "undone is neither 0 nor 1"))
        for condition, message in tests:
            try:
                rows = conn.execute(f"SELECT {key} FROM {table} WHERE {condition} "
                                    f"LIMIT {SAMPLES + 1}").fetchall()
            except sqlite3.Error as exc:
                problems.append(f"{table}: cannot be checked ({exc})")
                break
            if rows:
                problems.append(f"{table}: {message} ({_rows_named(table, rows)})")
    return problems


def _rows_named(table: str, rows: list[tuple[Any, ...]]) -> str:
    noun = {"documents": "document", "oplog": "entry", "settings": "setting",
            "lock": "lock row"}[table]
    names = [_short(r[0]) for r in rows[:SAMPLES]]
    more = " and more" if len(rows) > SAMPLES else ""
    return f"{noun} {', '.join(names)}{more}"


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else repr(value)
    text = " ".join(text.split())
    return text if len(text) <= 40 else text[:39] + "…"


def quick_problems(conn: sqlite3.Connection, version: int) -> list[str]:
    """The checks made before anything is written: schema, then (current format) types."""
    from emendo.core import store

    problems = schema_problems(conn, version)
    if not problems and version == store.FORMAT_VERSION:
        problems = type_problems(conn)
    return problems


def is_iso_date(value: object) -> bool:
    """True for a document's date as Emendo stores it: ISO 8601, a year or month alone."""
    if not isinstance(value, str) or not ISO_DATE.match(value):
        return False
    parts = value.lstrip("-")[:10].split("-")
    try:
        if len(parts) == 3:
            _dt.date(int(parts[0]) or 1, int(parts[1]), int(parts[2]))
        elif len(parts) == 2 and not 1 <= int(parts[1]) <= 12:
            return False
    except ValueError:
        return False
    return True


def is_iso_time(value: object) -> bool:
    """True for a date-time as Emendo stores it (ISO 8601, e.g. '2026-12-04T20:46:09.123+00:00')."""
    if not isinstance(value, str) or not value:
        return False
    try:
        _dt.datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def log_problems(rows: Iterable[tuple[Any, ...]]) -> list[str]:
    """Problems with operation-log rows ``(id, doc_id, op, time, undone, before, after)``.

    Each entry's before and after states must have a shape undo can apply: both sides
    of an import or deletion name documents, an edit's sides name its document and hold
    text, spans or column changes of the right types. Undone entries follow every done
    one (undo takes back the latest, redo brings back the earliest).
    """
    problems: list[str] = []
    last_done: int | None = None
    first_undone: int | None = None
    for entry_id, doc_id, op, time, undone, before_s, after_s in rows:
        where = f"operation log entry {_short(entry_id)}"
        if not is_iso_time(time):
            problems.append(f"{where}: time {_short(time)} is not an ISO 8601 date-time")
        if undone == 0:
            last_done = entry_id
        elif undone == 1 and first_undone is None:
            first_undone = entry_id
        try:
            before, after = json.loads(before_s), json.loads(after_s)
        except (ValueError, TypeError, RecursionError):
            problems.append(f"{where} is unreadable")
            continue
        problem = state_problem(op, doc_id, before, after, undone == 1)
        if problem:
            problems.append(f"{where} ({_short(op)}): {problem}")
    if last_done is not None and first_undone is not None and first_undone < last_done:
        problems.append(f"operation log: entry {first_undone} is undone but entry "
                        f"{last_done} after it is not")
    return problems


def state_problem(op: Any, doc_id: Any, before: Any, after: Any,
                  undone: bool = False) -> str | None:
    """Why a log entry's decoded states cannot be applied by undo or redo, or None.

    An import's after-state says ``true`` for each document it created until it is first
    undone, which keeps a snapshot of each for redo: an undone entry needs snapshots.
    """
    if not isinstance(before, dict) or not isinstance(after, dict):
        return "its states are not objects"
    if "documents" in before or "documents" in after:
        for side in (before, after):
            docs = side.get("documents")
            if not isinstance(docs, dict):
                return "its documents are not an object"
            for key, snap in docs.items():
                if not _int_key(key):
                    return f"document key {_short(key)} is not an id"
                if snap is True and side is after and not undone:
                    continue
                if snap is not None and not _snapshot(snap):
                    return f"document {_short(key)} is neither a snapshot nor absent"
        return None
    for side in (before, after):
        if not isinstance(side.get("doc"), int) or isinstance(side.get("doc"), bool):
            return "it names no document"
        if doc_id is not None and side["doc"] != doc_id:
            return f"it names document {_short(side['doc'])}, the entry {_short(doc_id)}"
        text = side.get("text")
        if text is not None and not (isinstance(text, list) and len(text) == 2
                                     and isinstance(text[0], int) and text[0] >= 0
                                     and isinstance(text[1], str)):
            return "its text change is not [position, text]"
        spans = side.get("spans", {})
        if not isinstance(spans, dict) or not all(
                _int_key(k) and (v is None or isinstance(v, dict)) for k, v in spans.items()):
            return "its spans are not an object of span ids"
        cols = side.get("cols", {})
        if not isinstance(cols, dict) or not set(cols) <= {"title", "date", "meta"} or not all(
                v is None or isinstance(v, str) for k, v in cols.items() if k != "meta"):
            return "its field columns are not title or date strings"
        # set_language keeps the whole meta object; undo writes it back as the meta column.
        if "meta" in cols and not (isinstance(cols["meta"], dict)
                                   and all(isinstance(k, str) for k in cols["meta"])):
            return "its meta column is not an object"
    if ("text" in before) != ("text" in after):
        return "a text change on one side only"
    return None


_SNAPSHOT_TYPES: dict[str, tuple[type, ...]] = {
    "id": (int,), "title": (str,), "text": (str,), "spans": (list,), "meta": (dict,),
    "date": (str, type(None)), "source_text": (str,), "imported_text": (str, type(None)),
    "source_name": (str,)}


def _snapshot(snap: Any) -> bool:
    """True for a whole document as the log keeps it (doc_to_json's keys and types)."""
    if not isinstance(snap, dict):
        return False
    for key, types in _SNAPSHOT_TYPES.items():
        if key in snap and not isinstance(snap[key], types):
            return False
    spans = snap.get("spans", [])
    return (isinstance(snap.get("text"), str) and isinstance(snap.get("id"), int)
            and all(isinstance(s, dict) for s in spans))


def _int_key(key: Any) -> bool:
    return isinstance(key, str) and key.isascii() and key.isdigit() and len(key) <= 19
