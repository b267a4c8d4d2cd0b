"""A project: the open file, its documents, and the operations that change them.

Every user operation is one transaction that writes the new state *and* an operation-log
entry holding what it changed (before and after), so undo and redo live in the file and
survive a restart.  Operations return a :class:`Change` telling the caller what to refresh,
after Anki's ``OpChanges``.
"""
from __future__ import annotations

import getpass
import json
import re
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import sqlite_utils

from emendo.core import store
from emendo.core.errors import (
    DamagedProjectError,
    DocumentNotFoundError,
    EmendoError,
    InvalidEditError,
    NothingToUndoError,
    ReadOnlyProjectError,
    WriteFailedError,
)
from emendo.core.model import (
    ALL_KINDS,
    FIELD_KINDS,
    FIELD_LABELS,
    Document,
    Span,
    span_sort_key,
)
from emendo.core.codec import (
    DOC_COLUMNS,
    SEARCH_KINDS,
    doc_from_json,
    doc_to_json,
    doc_to_row,
    encode_spans,
    fields_text,
    row_to_doc,
)
from emendo.core.textedit import map_span, shift_spans, touched_spans

# Consecutive keystrokes closer together than this merge into one undo step.
MERGE_SECONDS = 2.0


@dataclass
class Change:
    """What an operation changed, so views refresh only what they must."""

    op: str
    label: str
    doc_ids: list[int] = field(default_factory=list)
    text: bool = False
    spans: bool = False
    documents: bool = False  # the list of documents (added, removed, retitled)
    entry_id: int | None = None


@dataclass
class DocSummary:
    """A row of the documents list."""

    id: int
    title: str
    date: str | None
    source_name: str


@dataclass
class SearchHit:
    """One ranked search result."""

    doc_id: int
    title: str
    field: str
    snippet: str
    rank: float


@dataclass
class LogEntry:
    """One operation-log entry, as the History panel shows it."""

    id: int
    doc_id: int | None
    op: str
    label: str
    time: str
    author: str
    reason: str | None
    undone: bool
    before: dict[str, Any]
    after: dict[str, Any]


_NO_SOURCE_COLUMNS = tuple(c for c in DOC_COLUMNS if c != "source_z")


class Project:
    """An open project file.  Use :meth:`open`; close with :meth:`close` or ``with``."""

    def __init__(self, path: Path, db: sqlite_utils.Database, readonly: bool,
                 author: str) -> None:
        self.path = path
        self.db = db
        self.readonly = readonly
        self.author = author
        self.damage: list[str] = []  # quick_check's findings when opened damaged, read-only
        self.backup_warning: str | None = None  # set when the daily snapshot failed
        self._closed = False
        # The document last written, kept between keystrokes so a keystroke need not
        # decode it again; valid while no other connection has committed (data_version).
        self._cache: Document | None = None
        self._cache_version: int | None = None

    # --- opening and closing -------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, *, readonly: bool = False, create: bool = True,
             author: str | None = None) -> Project:
        """Open (or create) a project; refuses foreign, damaged, newer or locked files."""
        path = Path(path)
        version = store.inspect_file(path)
        if version is None:
            if not create:
                raise EmendoError(f"{path} does not exist")
            if readonly:
                raise EmendoError(f"{path} does not exist (cannot create it read-only)")
            db = cls._create_file(path)
        else:
            db = store.connect(path, readonly=readonly)
            try:
                problems = store.quick_check(db)
                if problems and not readonly:
                    raise DamagedProjectError(
                        f"{path} is damaged ({problems[0]}); open it read-only or restore "
                        "a backup")
                if version < store.FORMAT_VERSION:
                    if readonly:
                        raise EmendoError(
                            f"{path} is in an older format and must be migrated; open it "
                            "for writing")
                    from emendo.core import backup

                    backup.snapshot(db, path, reason=f"before-migration-v{version}")
                    store.migrate(db, version)
            except BaseException:
                db.close()
                raise
        if author is None:
            author = _default_author()
        project = cls(path, db, readonly, author)
        if version is not None:
            # Read-only opening of a damaged file: show what can be read, change nothing.
            project.damage = problems
        if not readonly:
            try:
                store.acquire_lock(db, path)
            except BaseException:
                db.close()
                raise
            if version is not None:
                project._daily_snapshot()
        return project

    def _daily_snapshot(self) -> None:
        """At most once a day, a checked snapshot of the file as it was opened."""
        from emendo.core import backup

        try:
            if self.count_documents() and backup.daily_snapshot_due(self.path):
                backup.snapshot(self.db, self.path, reason="daily")
        except EmendoError as exc:
            # A backup that cannot be written must not stop the researcher working, but
            # they must be told: the window and the command line show this warning.
            self.backup_warning = f"no backup was written: {exc}"

    @staticmethod
    def _create_file(path: Path) -> sqlite_utils.Database:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            db = store.connect(path)
        except (OSError, sqlite3.Error) as exc:
            raise WriteFailedError(f"cannot create {path}: {exc}") from None
        try:
            db.conn.execute("BEGIN IMMEDIATE")
            store.create_schema(db)
            db.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            db.close()
            raise WriteFailedError(f"cannot create {path}: {exc}") from None
        return db

    def close(self) -> None:
        """Release the lock and close the file."""
        if self._closed:
            return
        self._closed = True
        if not self.readonly:
            store.release_lock(self.db)
        self.db.close()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- transactions ------------------------------------------------------------------------

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One user operation: all of it is committed, or none of it."""
        if self.readonly:
            raise ReadOnlyProjectError(f"{self.path.name} is open read-only")
        conn = self.db.conn
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise WriteFailedError(f"cannot write to {self.path.name}: {exc}") from None
        try:
            yield conn
            conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            self._cache = None
            _rollback(conn)
            raise WriteFailedError(f"cannot write to {self.path.name}: {exc}") from None
        except BaseException:
            self._cache = None  # it may hold a half-applied change
            _rollback(conn)
            raise
        self._cache_version = conn.execute("PRAGMA data_version").fetchone()[0]

    def _log(self, conn: sqlite3.Connection, op: str, label: str, doc_id: int | None,
             before: dict[str, Any], after: dict[str, Any], reason: str | None = None) -> int:
        # A new operation ends the redo branch.
        conn.execute("DELETE FROM oplog WHERE undone = 1")
        cur = conn.execute(
            "INSERT INTO oplog (doc_id, op, label, time, author, reason, before, after) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (doc_id, op, label, store.now_iso(), self.author, reason,
             json.dumps(before, ensure_ascii=False), json.dumps(after, ensure_ascii=False)))
        return int(cur.lastrowid)  # type: ignore[arg-type]

    # --- queries -----------------------------------------------------------------------------

    def list_documents(self) -> list[DocSummary]:
        """Every document, in id order (the views sort)."""
        rows = self.db.execute(
            "SELECT id, title, date, source_name FROM documents ORDER BY id").fetchall()
        return [DocSummary(*r) for r in rows]

    def count_documents(self) -> int:
        """How many documents the project holds."""
        return int(self.db.execute("SELECT count(*) FROM documents").fetchone()[0])

    def document(self, doc_id: int, *, source: bool = True) -> Document:
        """One document with its text and spans.

        ``source=False`` leaves the file as imported unread (``source_text`` is then
        empty): the window shows and edits the text without it, and it is the larger half
        of a document to decompress.
        """
        columns = DOC_COLUMNS if source else _NO_SOURCE_COLUMNS
        try:
            row = self.db.execute(
                f"SELECT {', '.join(columns)} FROM documents WHERE id = ?", (doc_id,)
            ).fetchone()
        except sqlite3.DatabaseError as exc:
            raise DamagedProjectError(f"document {doc_id} cannot be read: {exc}") from None
        if row is None:
            raise DocumentNotFoundError(f"no document {doc_id} in {self.path.name}")
        data = dict(zip(columns, row))
        if not source:
            data["source_z"] = None
        return row_to_doc(data)

    def find_document(self, ref: str) -> Document:
        """A document by id, or by exact (then unique prefix of) title."""
        if ref.isdigit():
            return self.document(int(ref))
        rows = self.db.execute("SELECT id FROM documents WHERE title = ?", (ref,)).fetchall()
        if not rows:
            rows = self.db.execute(
                "SELECT id FROM documents WHERE title LIKE ? ESCAPE '\\'",
                (_like_prefix(ref),)).fetchall()
        if len(rows) == 1:
            return self.document(rows[0][0])
        if not rows:
            raise DocumentNotFoundError(f"no document '{ref}' in {self.path.name}")
        raise DocumentNotFoundError(f"'{ref}' matches {len(rows)} documents; use an id")

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        """Ranked full-text search over titles, texts and fields, with snippets."""
        query = query.strip()
        if not query:
            return []
        sql = ("SELECT f.rowid, d.title, d.fields_text, "
               "snippet(documents_fts, -1, '[', ']', '…', 12), rank"
               " FROM documents_fts f JOIN documents d ON d.id = f.rowid"
               " WHERE documents_fts MATCH ? ORDER BY rank LIMIT ?")
        try:
            rows = self.db.execute(sql, (query, limit)).fetchall()
        except sqlite3.OperationalError:
            # Not FTS syntax (a stray quote or colon): search the words as typed.
            rows = self.db.execute(sql, (_quote_fts(query), limit)).fetchall()
        terms = _query_terms(query)
        return [SearchHit(doc_id, title, _hit_field(title, snippet, fields, terms),
                          " ".join(snippet.split()), rank)
                for doc_id, title, fields, snippet, rank in rows]

    def history(self, doc_id: int | None = None, include_undone: bool = False) -> list[LogEntry]:
        """Operation-log entries, oldest first (for one document, or all)."""
        sql = ("SELECT id, doc_id, op, label, time, author, reason, undone, before, after "
               "FROM oplog")
        where, params = [], []
        if doc_id is not None:
            where.append("(doc_id = ? OR doc_id IS NULL)")
            params.append(doc_id)
        if not include_undone:
            where.append("undone = 0")
        if where:
            sql += " WHERE " + " AND ".join(where)
        rows = self.db.execute(sql + " ORDER BY id", params).fetchall()
        return [LogEntry(r[0], r[1], r[2], r[3], r[4], r[5], r[6], bool(r[7]),
                         json.loads(r[8]), json.loads(r[9])) for r in rows]

    def undo_label(self) -> str | None:
        """The label of the step undo would take back, or None."""
        row = self.db.execute(
            "SELECT label FROM oplog WHERE undone = 0 ORDER BY id DESC LIMIT 1").fetchone()
        return row[0] if row else None

    def redo_label(self) -> str | None:
        """The label of the step redo would do again, or None."""
        row = self.db.execute(
            "SELECT label FROM oplog WHERE undone = 1 ORDER BY id LIMIT 1").fetchone()
        return row[0] if row else None

    def setting(self, key: str, default: str = "") -> str:
        """A project setting (transcriber, editor, …)."""
        row = self.db.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row[0] if row and row[0] is not None else default

    def set_setting(self, key: str, value: str) -> None:
        """Store a project setting (its own transaction; not an undoable step)."""
        with self._transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                         (key, value))

    def priorities(self) -> list[str]:
        """The priority values already used in the project, most used first."""
        rows = self.db.execute(
            "SELECT fields_text FROM documents WHERE fields_text LIKE '%Priority: %'"
        ).fetchall()
        counts: dict[str, int] = {}
        for (ft,) in rows:
            for line in ft.splitlines():
                if line.startswith("Priority: "):
                    v = line[len("Priority: "):]
                    counts[v] = counts.get(v, 0) + 1
        return sorted(counts, key=lambda v: (-counts[v], v))

    # --- document writes (used inside transactions) ------------------------------------------

    def _load_for_write(self, conn: sqlite3.Connection, doc_id: int) -> Document:
        """The document to change, inside the operation's transaction (cached)."""
        cached = self._cache
        if cached is not None and cached.id == doc_id and self._cache_version == \
                conn.execute("PRAGMA data_version").fetchone()[0]:
            return cached
        self._cache = None
        return self.document(doc_id)

    def _write_doc(self, conn: sqlite3.Connection, doc: Document, columns: set[str],
                   fields: bool = True) -> None:
        """Write the changed columns; ``fields=False`` when no field's text changed."""
        values: dict[str, Any] = {}
        if "text" in columns:
            values["text"] = doc.text
            values["imported_text"] = doc.imported_text
        if "spans" in columns or "text" in columns:
            values["spans"] = encode_spans(doc.text, doc.spans)
            if fields:
                values["fields_text"] = fields_text(doc)
        if "title" in columns:
            values["title"] = doc.title
        if "date" in columns:
            values["date"] = doc.date
        if "meta" in columns:
            values["meta"] = json.dumps(doc.meta, ensure_ascii=False)
        values["modified"] = store.now_iso()
        assignments = ", ".join(f"{k} = ?" for k in values)
        conn.execute(f"UPDATE documents SET {assignments} WHERE id = ?",
                     (*values.values(), doc.id))
        self._cache = doc

    def _insert_docs(self, conn: sqlite3.Connection, docs: list[Document]) -> list[int]:
        now = store.now_iso()
        cols = DOC_COLUMNS + ("fields_text", "created", "modified")
        sql = f"INSERT INTO documents ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
        # New ids follow the highest in use (undo is last-in first-out, so an id freed by
        # a deletion is only reused once that deletion can no longer be undone first).
        next_id = conn.execute("SELECT COALESCE(MAX(id), 0) FROM documents").fetchone()[0] + 1
        rows = []
        for n, doc in enumerate(docs):
            doc.id = next_id + n
            doc.assign_ids()
            row = doc_to_row(doc, now)
            rows.append(tuple(row[c] for c in cols))
        conn.executemany(sql, rows)
        return [doc.id for doc in docs]  # type: ignore[misc]

    def _doc_snapshot(self, doc_id: int) -> dict[str, Any]:
        return doc_to_json(self.document(doc_id))

    def _restore_snapshot(self, conn: sqlite3.Connection, snap: dict[str, Any]) -> None:
        row = doc_to_row(doc_from_json(snap), store.now_iso())
        cols = list(row)
        conn.execute(
            f"INSERT OR REPLACE INTO documents ({', '.join(cols)}) "
            f"VALUES ({', '.join('?' * len(cols))})", tuple(row[c] for c in cols))

    # --- operations --------------------------------------------------------------------------

    def import_documents(self, docs: list[Document], label: str | None = None) -> Change:
        """Add parsed documents in one transaction (one undo step)."""
        if not docs:
            return Change("import", "Import", documents=False)
        label = label or (f"Import “{_short(docs[0].title)}”" if len(docs) == 1
                          else f"Import {len(docs)} documents")
        with self._transaction() as conn:
            ids = self._insert_docs(conn, docs)
            entry = self._log(conn, "import", label, ids[0] if len(ids) == 1 else None,
                              {"documents": {str(i): None for i in ids}},
                              {"documents": {str(i): True for i in ids}})
        return Change("import", label, ids, documents=True, entry_id=entry)

    def delete_documents(self, doc_ids: list[int]) -> Change:
        """Remove documents (undoable: the log keeps them)."""
        label = "Delete document" if len(doc_ids) == 1 else f"Delete {len(doc_ids)} documents"
        with self._transaction() as conn:
            snaps = {str(i): self._doc_snapshot(i) for i in doc_ids}
            conn.executemany("DELETE FROM documents WHERE id = ?", [(i,) for i in doc_ids])
            entry = self._log(conn, "delete", label, None, {"documents": snaps},
                              {"documents": {str(i): None for i in doc_ids}})
        return Change("delete", label, list(doc_ids), documents=True, entry_id=entry)

    def edit_text(self, doc_id: int, position: int, removed: int, inserted: str, *,
                  merge: bool = True, reason: str | None = None,
                  label: str | None = None, op: str = "edit") -> Change:
        """Replace ``removed`` characters at ``position`` (a transcription fix); spans move."""
        with self._transaction() as conn:
            doc = self._load_for_write(conn, doc_id)
            n = len(doc.text)
            if position < 0 or removed < 0 or position + removed > n:
                raise InvalidEditError(
                    f"edit [{position}, {position + removed}) is outside the text (0–{n})")
            old_str = doc.text[position:position + removed]
            if old_str == inserted:
                return Change(op, "", [doc_id])
            if doc.imported_text is None:
                doc.imported_text = doc.text
            old_spans = doc.spans
            doc.text = doc.text[:position] + inserted + doc.text[position + removed:]
            doc.spans = shift_spans(old_spans, position, removed, len(inserted))
            # Log only the spans that undoing the edit would not put back by itself.
            touched = touched_spans(old_spans, doc.spans, position, removed, len(inserted))
            new_by_id = {s.id: s for s in doc.spans}
            span_before = {str(s.id): s.to_json() for s in touched}
            span_after = {str(s.id): (new_by_id[s.id].to_json() if s.id in new_by_id else None)
                          for s in touched}
            edit_end = position + removed
            self._write_doc(conn, doc, {"text"}, fields=any(
                s.kind in SEARCH_KINDS and s.anchored and s.start <= edit_end
                and s.end >= position for s in old_spans))
            label = label or _edit_label(old_str, inserted)
            merged = None
            if merge and reason is None and op == "edit":
                merged = self._try_merge(conn, doc, position, old_str, inserted, span_before)
            if merged is not None:
                entry = merged
            else:
                entry = self._log(
                    conn, op, label, doc_id,
                    {"doc": doc_id, "text": [position, old_str], "spans": span_before},
                    {"doc": doc_id, "text": [position, inserted], "spans": span_after},
                    reason)
        return Change(op, label, [doc_id], text=True, spans=bool(span_before),
                      entry_id=entry)

    def _try_merge(self, conn: sqlite3.Connection, doc: Document, pos: int, old: str,
                   new: str, span_before: dict[str, Any]) -> int | None:
        """Fold a keystroke into the previous typing step when they touch."""
        if conn.execute("SELECT 1 FROM oplog WHERE undone = 1 LIMIT 1").fetchone():
            return None  # after an undo, typing starts a new step and ends the redo branch
        row = conn.execute(
            "SELECT id, doc_id, op, time, before, after, reason FROM oplog "
            "WHERE undone = 0 ORDER BY id DESC LIMIT 1").fetchone()
        if row is None:
            return None
        entry_id, edoc, eop, etime, before_s, after_s, ereason = row
        doc_id = doc.id
        if edoc != doc_id or eop != "edit" or ereason is not None:
            return None
        if _seconds_since(etime) > MERGE_SECONDS:
            return None
        before, after = json.loads(before_s), json.loads(after_s)
        p1, old1 = before["text"]
        _, new1 = after["text"]
        if len(new) > 1 or len(old) > 1:
            return None  # only typing and single deletions merge; a paste is its own step
        if not (pos <= p1 + len(new1) and pos + len(old) >= p1):
            return None
        # Combine both into one edit of the text before the first.  In the text after
        # edit 1 the combined region is A + new1 + B, where A and B are the characters the
        # keystroke removed outside new1: unchanged since edit 0, so they are also old text.
        start = min(p1, pos)
        end1 = max(p1 + len(new1), pos + len(old))
        a_len = p1 - start
        b_len = end1 - (p1 + len(new1))
        a = old[:a_len] if a_len > 0 else ""
        b = old[len(old) - b_len:] if b_len > 0 else ""
        combined_old = a + old1 + b
        region = a + new1 + b
        rel = pos - start
        combined_new = region[:rel] + new + region[rel + len(old):]
        # A span first logged by this keystroke was, before the first edit, where
        # undoing that edit puts it back.
        merged_before = dict(before.get("spans", {}))
        for key, state in span_before.items():
            if key not in merged_before:
                merged_before[key] = _unshift(state, p1, len(old1), len(new1))
        current = {str(s.id): s for s in doc.spans}
        merged_after = {k: (current[k].to_json() if k in current else None)
                        for k in merged_before}
        conn.execute(
            "UPDATE oplog SET before = ?, after = ?, time = ?, label = ? WHERE id = ?",
            (json.dumps({"doc": doc_id, "text": [start, combined_old],
                         "spans": merged_before}, ensure_ascii=False),
             json.dumps({"doc": doc_id, "text": [start, combined_new],
                         "spans": merged_after}, ensure_ascii=False),
             store.now_iso(), _edit_label(combined_old, combined_new), entry_id))
        return entry_id

    def correct(self, doc_id: int, start: int, end: int, corrected: str, *,
                kind: str = "fix", reason: str | None = None) -> Change:
        """A correction: ``fix`` changes the transcription; ``sic`` keeps it and adds a sic span."""
        if kind == "fix":
            doc = self.document(doc_id)
            original = doc.text[start:end]
            return self.edit_text(doc_id, start, end - start, corrected, merge=False,
                                  reason=reason or "", op="correct",
                                  label=f"Correct “{_short(original)}” → “{_short(corrected)}”")
        if kind == "sic":
            attrs: dict[str, Any] = {"corr": corrected}
            if reason:
                attrs["reason"] = reason
            return self.add_span(doc_id, "sic", start, end, attrs, reason=reason,
                                 label=f"Emend “{_short(corrected)}” (sic)")
        raise InvalidEditError(f"unknown correction kind '{kind}' (fix or sic)")

    def add_span(self, doc_id: int, kind: str, start: int | None, end: int | None,
                 attrs: dict[str, Any] | None = None, *, reason: str | None = None,
                 label: str | None = None) -> Change:
        """Mark a range (or add an unanchored field when start and end are None)."""
        _check_kind(kind)
        with self._transaction() as conn:
            doc = self._load_for_write(conn, doc_id)
            _check_range(doc, start, end)
            span = Span(kind, start, end, dict(attrs or {}), doc.next_span_id())
            doc.spans.append(span)
            self._write_doc(conn, doc, {"spans"})
            label = label or f"Mark {kind}" + (f" “{_short(doc.span_text(span))}”"
                                               if span.anchored else "")
            entry = self._log(conn, "mark", label, doc_id,
                              {"doc": doc_id, "spans": {str(span.id): None}},
                              {"doc": doc_id, "spans": {str(span.id): span.to_json()}}, reason)
        return Change("mark", label, [doc_id], spans=True, entry_id=entry)

    def update_span(self, doc_id: int, span_id: int, *, kind: str | None = None,
                    start: int | None | str = "keep", end: int | None | str = "keep",
                    attrs: dict[str, Any] | None = None, label: str | None = None) -> Change:
        """Change a span's kind, range or attrs (attrs replace the old ones)."""
        if kind is not None:
            _check_kind(kind)
        with self._transaction() as conn:
            doc = self._load_for_write(conn, doc_id)
            span = _find_span(doc, span_id)
            old = span.to_json()
            if kind is not None:
                span.kind = kind
            if start != "keep":
                span.start = start  # type: ignore[assignment]
            if end != "keep":
                span.end = end  # type: ignore[assignment]
            _check_range(doc, span.start, span.end)
            if attrs is not None:
                span.attrs = dict(attrs)
            self._write_doc(conn, doc, {"spans"})
            label = label or f"Edit {span.kind}"
            entry = self._log(conn, "span", label, doc_id,
                              {"doc": doc_id, "spans": {str(span_id): old}},
                              {"doc": doc_id, "spans": {str(span_id): span.to_json()}})
        return Change("span", label, [doc_id], spans=True, entry_id=entry)

    def remove_span(self, doc_id: int, span_id: int) -> Change:
        """Remove a mark or field (and the recipients of a list with it)."""
        with self._transaction() as conn:
            doc = self._load_for_write(conn, doc_id)
            span = _find_span(doc, span_id)
            gone = [span] + [s for s in doc.spans if s.attrs.get("parent") == span_id]
            gone_ids = {s.id for s in gone}
            doc.spans = [s for s in doc.spans if s.id not in gone_ids]
            self._write_doc(conn, doc, {"spans"})
            label = f"Remove {span.kind}"
            entry = self._log(conn, "unmark", label, doc_id,
                              {"doc": doc_id, "spans": {str(s.id): s.to_json() for s in gone}},
                              {"doc": doc_id, "spans": {str(s.id): None for s in gone}})
        return Change("unmark", label, [doc_id], spans=True, entry_id=entry)

    def set_field(self, doc_id: int, kind: str, value: str) -> Change:
        """Set a single-valued field's normalised value (title and date update the record)."""
        _check_kind(kind)
        with self._transaction() as conn:
            doc = self._load_for_write(conn, doc_id)
            span = doc.first(kind)
            before: dict[str, Any] = {"doc": doc_id, "spans": {}, "cols": {}}
            after: dict[str, Any] = {"doc": doc_id, "spans": {}, "cols": {}}
            value = value.strip()
            if span is None and value:
                span = Span(kind, None, None, {"value": value}, doc.next_span_id())
                doc.spans.append(span)
                before["spans"][str(span.id)] = None
                after["spans"][str(span.id)] = span.to_json()
            elif span is not None:
                before["spans"][str(span.id)] = span.to_json()
                if not value and not span.anchored:
                    doc.spans.remove(span)
                    after["spans"][str(span.id)] = None
                else:
                    span.attrs = {**span.attrs, "value": value}
                    after["spans"][str(span.id)] = span.to_json()
            cols = {"spans"}
            if kind == "title":
                before["cols"]["title"], after["cols"]["title"] = doc.title, value
                doc.title = value
                cols.add("title")
            if kind == "date":
                from emendo.core.dates import parse_date

                iso = parse_date(value) if value else None
                before["cols"]["date"], after["cols"]["date"] = doc.date, iso
                doc.date = iso
                cols.add("date")
            self._write_doc(conn, doc, cols)
            label = f"Set {FIELD_LABELS.get(kind, kind).lower()}"
            entry = self._log(conn, "field", label, doc_id, before, after)
        return Change("field", label, [doc_id], spans=True,
                      documents=kind in ("title", "date"), entry_id=entry)

    def reorder_children(self, doc_id: int, parent_id: int, ordered_ids: list[int]) -> Change:
        """Put the recipients of a list in a new order (kept in attrs['order'])."""
        with self._transaction() as conn:
            doc = self._load_for_write(conn, doc_id)
            children = {s.id: s for s in doc.spans if s.attrs.get("parent") == parent_id}
            if set(ordered_ids) != set(children):
                raise InvalidEditError("the new order must name every item of the list once")
            before = {str(i): children[i].to_json() for i in ordered_ids}
            for n, i in enumerate(ordered_ids):
                children[i].attrs = {**children[i].attrs, "order": n}
            after = {str(i): children[i].to_json() for i in ordered_ids}
            self._write_doc(conn, doc, {"spans"})
            entry = self._log(conn, "reorder", "Reorder list", doc_id,
                              {"doc": doc_id, "spans": before}, {"doc": doc_id, "spans": after})
        return Change("reorder", "Reorder list", [doc_id], spans=True, entry_id=entry)

    # --- undo, redo, revert ------------------------------------------------------------------

    def undo(self) -> Change:
        """Take back the latest step still done."""
        row = self.db.execute(
            "SELECT id FROM oplog WHERE undone = 0 ORDER BY id DESC LIMIT 1").fetchone()
        if row is None:
            raise NothingToUndoError("nothing to undo")
        return self._step(row[0], undo=True)

    def redo(self) -> Change:
        """Do again the earliest undone step."""
        row = self.db.execute(
            "SELECT id FROM oplog WHERE undone = 1 ORDER BY id LIMIT 1").fetchone()
        if row is None:
            raise NothingToUndoError("nothing to redo")
        return self._step(row[0], undo=False)

    def _step(self, entry_id: int, undo: bool) -> Change:
        with self._transaction() as conn:
            op, label, before_s, after_s = conn.execute(
                "SELECT op, label, before, after FROM oplog WHERE id = ?", (entry_id,)
            ).fetchone()
            before, after = json.loads(before_s), json.loads(after_s)
            if undo and "documents" in after:
                # Keep what an undone import created, so redo can bring it back.
                stash = {k: (self._doc_snapshot(int(k)) if v is True else v)
                         for k, v in after["documents"].items()}
                after = {"documents": stash}
                conn.execute("UPDATE oplog SET after = ? WHERE id = ?",
                             (json.dumps(after, ensure_ascii=False), entry_id))
            target, current = (before, after) if undo else (after, before)
            change = self._apply_state(conn, target, current)
            conn.execute("UPDATE oplog SET undone = ? WHERE id = ?", (1 if undo else 0, entry_id))
        change.op = "undo" if undo else "redo"
        change.label = ("Undo " if undo else "Redo ") + label
        change.entry_id = entry_id
        return change

    def _apply_state(self, conn: sqlite3.Connection, target: dict[str, Any],
                     current: dict[str, Any]) -> Change:
        """Bring the file to ``target`` (one side of a log entry) from ``current``."""
        change = Change("", "")
        if "documents" in target:
            for key, snap in target["documents"].items():
                doc_id = int(key)
                if snap is None:
                    conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
                else:
                    self._restore_snapshot(conn, snap)
                change.doc_ids.append(doc_id)
            change.documents = True
            return change
        doc_id = int(target["doc"])
        doc = self._load_for_write(conn, doc_id)
        columns: set[str] = set()
        if "text" in target:
            pos, text_to = target["text"]
            _, text_from = current["text"]
            if doc.text[pos:pos + len(text_from)] != text_from:
                raise InvalidEditError("the text has changed since; undo the later steps first")
            doc.text = doc.text[:pos] + text_to + doc.text[pos + len(text_from):]
            # Spans untouched by the edit shift back; touched ones are restored exactly.
            doc.spans = shift_spans(doc.spans, pos, len(text_from), len(text_to))
            if doc.text == doc.imported_text:
                doc.imported_text = None
            columns.add("text")
            change.text = True
        spans_target = target.get("spans", {})
        if spans_target:
            by_id = {s.id: s for s in doc.spans}
            for key, data in spans_target.items():
                sid = int(key)
                if data is None:
                    by_id.pop(sid, None)
                else:
                    by_id[sid] = Span.from_json(data)
            doc.spans = list(by_id.values())
            columns.add("spans")
            change.spans = True
        for col, value in target.get("cols", {}).items():
            setattr(doc, col, value)
            columns.add(col)
            change.documents = True
        self._write_doc(conn, doc, columns)
        change.doc_ids.append(doc_id)
        return change

    def revert(self, entry_id: int) -> Change:
        """Undo one past change (not necessarily the latest) as a new, undoable step."""
        entry = next((e for e in self.history(include_undone=False) if e.id == entry_id), None)
        if entry is None:
            raise InvalidEditError(f"no change {entry_id} to revert")
        if "documents" in entry.before:
            raise InvalidEditError("imports and deletions are reverted with undo")
        doc_id = int(entry.before["doc"])
        if "text" in entry.before:
            pos, old = entry.before["text"]
            _, new = entry.after["text"]
            # Later edits before this position move it.
            for later in self.history(doc_id):
                if later.id <= entry_id or "text" not in later.before:
                    continue
                lpos, lold = later.before["text"]
                _, lnew = later.after["text"]
                if lpos + len(lold) <= pos:
                    pos += len(lnew) - len(lold)
                elif lpos < pos + len(new):
                    raise InvalidEditError("a later change overlaps this one; revert that first")
            doc = self.document(doc_id)
            if doc.text[pos:pos + len(new)] != new:
                raise InvalidEditError("the text has changed there since")
            return self.edit_text(doc_id, pos, len(new), old, merge=False, op="revert",
                                  reason="", label=f"Revert: {entry.label}")
        with self._transaction() as conn:
            doc = self._load_for_write(conn, doc_id)
            by_id = {s.id: s for s in doc.spans}
            before = {"doc": doc_id, "spans": {}, "cols": {}}
            after = {"doc": doc_id, "spans": {}, "cols": {}}
            for key, data in entry.before.get("spans", {}).items():
                sid = int(key)
                before["spans"][key] = by_id[sid].to_json() if sid in by_id else None
                after["spans"][key] = data
                if data is None:
                    by_id.pop(sid, None)
                else:
                    by_id[sid] = Span.from_json(data)
            doc.spans = list(by_id.values())
            cols = {"spans"}
            for col, value in entry.before.get("cols", {}).items():
                before["cols"][col] = getattr(doc, col)
                after["cols"][col] = value
                setattr(doc, col, value)
                cols.add(col)
            self._write_doc(conn, doc, cols)
            label = f"Revert: {entry.label}"
            new_id = self._log(conn, "revert", label, doc_id, before, after)
        return Change("revert", label, [doc_id], spans=True, documents=bool(after["cols"]),
                      entry_id=new_id)

    # --- consistency -------------------------------------------------------------------------

    def _check_search_index(self) -> list[str]:
        """FTS5's own integrity check, which is an INSERT command: run it and roll back."""
        conn = self.db.conn
        own = None
        if self.readonly:
            # A read-only connection refuses the command; a private one that rolls back
            # changes nothing and takes no lasting lock.
            try:
                own = sqlite3.connect(self.path.resolve().as_uri() + "?mode=rw", uri=True,
                                      isolation_level=None, timeout=5.0)
            except sqlite3.Error:
                return []
            conn = own
        try:
            conn.execute("BEGIN")
            conn.execute(
                "INSERT INTO documents_fts(documents_fts, rank) VALUES ('integrity-check', 1)")
            return []
        except sqlite3.DatabaseError as exc:
            if "readonly" in str(exc) or "locked" in str(exc):
                return []  # a read-only file or a busy writer: nothing we may check
            return [f"search index: {exc}"]
        finally:
            try:
                conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass
            if own is not None:
                own.close()

    def check(self) -> list[str]:
        """Integrity and consistency problems (empty when the project is sound)."""
        from emendo.core.model import validate_spans

        problems = store.quick_check(self.db)
        problems += [r[0] for r in self.db.execute("PRAGMA integrity_check").fetchall()
                     if r[0] != "ok"]
        if self.db.execute("PRAGMA application_id").fetchone()[0] != store.APPLICATION_ID:
            problems.append("application_id is not Emendo's")
        for row in self.db.execute(
                f"SELECT {', '.join(DOC_COLUMNS)}, fields_text FROM documents").fetchall():
            data = dict(zip(DOC_COLUMNS + ("fields_text",), row))
            try:
                doc = row_to_doc(data)
            except (ValueError, KeyError, TypeError) as exc:
                problems.append(f"document {data['id']}: unreadable spans or meta ({exc})")
                continue
            for p in validate_spans(doc.text, doc.spans):
                problems.append(f"document {doc.id}: {p}")
            if data["fields_text"] != fields_text(doc):
                problems.append(f"document {doc.id}: search fields out of date")
        problems += self._check_search_index()
        for (entry_id, before, after) in self.db.execute(
                "SELECT id, before, after FROM oplog").fetchall():
            try:
                json.loads(before)
                json.loads(after)
            except ValueError:
                problems.append(f"operation log entry {entry_id} is unreadable")
        return problems


# --- helpers ---------------------------------------------------------------------------------

def _unshift(state: dict[str, Any], pos: int, removed: int, inserted: int) -> dict[str, Any]:
    """A logged span state as it was before an edit that merely moved it."""
    if state.get("start") is None:
        return state
    back = map_span(state["start"], state["end"], pos, inserted, removed)
    if back is None:
        return state
    return {**state, "start": back[0], "end": back[1]}


def _rollback(conn: sqlite3.Connection) -> None:
    try:
        conn.execute("ROLLBACK")
    except sqlite3.Error:
        pass


def _default_author() -> str:
    import os

    env = os.environ.get("EMENDO_AUTHOR")
    if env:
        return env
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def _check_kind(kind: str) -> None:
    if kind not in ALL_KINDS:
        raise InvalidEditError(f"unknown mark kind '{kind}'")


def _check_range(doc: Document, start: int | None, end: int | None) -> None:
    if start is None and end is None:
        return
    if start is None or end is None or not (0 <= start < end <= len(doc.text)):
        raise InvalidEditError(
            f"range [{start}, {end}) is not a non-empty part of the text (0–{len(doc.text)})")


def _find_span(doc: Document, span_id: int) -> Span:
    for s in doc.spans:
        if s.id == span_id:
            return s
    raise InvalidEditError(f"document {doc.id} has no mark {span_id}")


def _short(s: str, n: int = 30) -> str:
    """A label-sized quotation; whitespace that is all there is stays visible."""
    if s and not s.strip():
        return s.replace(" ", "␣").replace("\n", "⏎").replace("\t", "⇥")[:n]
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


def _edit_label(old: str, new: str) -> str:
    if not old:
        return f"Type “{_short(new)}”"
    if not new:
        return f"Delete “{_short(old)}”"
    return f"Replace “{_short(old)}” with “{_short(new)}”"


def _seconds_since(iso: str) -> float:
    import datetime as dt

    try:
        then = dt.datetime.fromisoformat(iso)
    except ValueError:
        return 1e9
    return (dt.datetime.now(dt.timezone.utc) - then).total_seconds()


def _like_prefix(s: str) -> str:
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _quote_fts(query: str) -> str:
    words = [w.replace('"', '""') for w in query.split()]
    return " ".join(f'"{w}"' for w in words if w)


def _query_terms(query: str) -> list[str]:
    """The words of a search, lower-cased, without FTS operators and quotes."""
    words = re.findall(r"\w+", query.lower())
    return [w for w in words if w not in ("and", "or", "not", "near")]


def _hit_field(title: str, snippet: str, fields: str, terms: list[str]) -> str:
    """Which part of the record a hit is in: a field's label, 'title' or 'text'."""
    marked = re.findall(r"\[([^\]]+)\]", snippet)
    words = [m.lower() for m in marked] or terms
    for line in fields.splitlines():
        low = line.lower()
        if any(w and w in low for w in words) and ":" in line:
            label, _, value = line.partition(":")
            if any(w in value.lower() for w in words):
                return label
    if any(w and w in title.lower() for w in words):
        return "title"
    return "text"
