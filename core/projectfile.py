"""The project file open in a process: opening, transactions, queries and checks.

:class:`ProjectFile` is the base of :class:`emendo.core.project.Project`; the operations
that change documents live in :mod:`emendo.core.operations` and undo in
:mod:`emendo.core.undo`.
"""

from __future__ import annotations

import functools
import json
import os
import re
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import sqlite_utils

from emendo.core import store
from emendo.core.codec import (
    DOC_COLUMNS,
    StoredSpans,
    doc_from_json,
    doc_to_json,
    doc_to_row,
    encode_spans,
    fields_text,
    row_to_doc,
    row_to_parts,
)
from emendo.core.errors import (
    DamagedProjectError,
    DocumentNotFoundError,
    EmendoError,
    ImportFailedError,
    NotAProjectError,
    ReadOnlyProjectError,
    WriteFailedError,
)
from emendo.core.model import Document

_P = TypeVar("_P", bound="ProjectFile")
_F = TypeVar("_F", bound=Callable[..., Any])

# A new document's row without its id and timestamps, in this column order: the same for
# an import in-process and one encoded in worker processes (emendo.core.importers.bulk).
IMPORT_COLUMNS = ("title", "date", "text", "spans", "source_z", "imported_text",
                  "source_name", "meta", "fields_text")
ImportRow = tuple[Any, ...]


def import_row(doc: Document) -> ImportRow:
    """The stored values of a parsed document (its spans numbered), as :data:`IMPORT_COLUMNS`."""
    doc.assign_ids()
    row = doc_to_row(doc, "")
    return tuple(row[c] for c in IMPORT_COLUMNS)


def _read_error(path: Path, exc: sqlite3.DatabaseError) -> EmendoError:
    """A named error for a failed read: busy is not damage, anything else is."""
    if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
        return EmendoError(f"{path.name} is busy in another process; try again ({exc})")
    if store.interrupted(exc):
        return DamagedProjectError(store.interrupted_message(path))
    return DamagedProjectError(f"{path.name} cannot be read ({exc}); restore a backup")


@contextmanager
def _reading(path: Path) -> Iterator[None]:
    try:
        yield
    except sqlite3.DatabaseError as exc:
        raise _read_error(path, exc) from None


def _reads(method: _F) -> _F:
    """Queries raise a named EmendoError, never a raw sqlite3 error, on a bad file."""
    @functools.wraps(method)
    def wrapper(self: ProjectFile, *args: Any, **kwargs: Any) -> Any:
        with _reading(self.path):
            return method(self, *args, **kwargs)
    return wrapper  # type: ignore[return-value]


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


class ProjectFile:
    """An open project file.  Use :meth:`open`; close with :meth:`close` or ``with``."""

    def __init__(self, path: Path, db: sqlite_utils.Database, readonly: bool,
                 author: str) -> None:
        self.path = path
        self.db = db
        self.readonly = readonly
        self.author = author
        self._checkpointer: threading.Thread | None = None
        self.damage: list[str] = []  # quick_check's findings when opened damaged, read-only
        self.backup_warning: str | None = None  # set when the daily snapshot failed
        self.took_over: tuple[str, int, str] | None = None  # another host's lock, taken
        self._closed = False
        # The document last written, kept between keystrokes so a keystroke need not
        # decode it again; valid while no other connection has committed (data_version).
        self._cache: Document | None = None
        self._cache_version: int | None = None

    # --- opening and closing -------------------------------------------------------------

    @classmethod
    def open(cls: type[_P], path: str | Path, *, readonly: bool = False, create: bool = True,
             author: str | None = None,
             take_over: bool | tuple[str, int, str] = False) -> _P:
        """Open (or create) a project; refuses foreign, damaged, newer or locked files.

        ``take_over`` takes over a lock left by another host (see
        :func:`emendo.core.store.acquire_lock`); :attr:`took_over` then names it.
        """
        path = Path(path)
        try:
            version = store.inspect_file(path)
        except NotAProjectError as exc:
            if "cannot read" in str(exc):  # unreadable: say where the backups are
                raise NotAProjectError(f"{exc}; {_backups_hint(path)}") from None
            raise
        if version is None and path.is_file():
            # Emendo creates a project under another name and renames it into place
            # whole, so an empty file here was emptied; a new project would let the
            # daily snapshots rotate the good backups out.
            raise DamagedProjectError(f"{path} is empty (0 bytes), not a project; "
                                      f"{_backups_hint(path)}")
        problems: list[str] = []
        if version is None:
            if not create:
                raise EmendoError(f"{path} does not exist")
            if readonly:
                raise EmendoError(f"{path} does not exist (cannot create it read-only)")
            db = cls._create_file(path)
        else:
            # An import killed while storing is rolled back first (SQLite's own recovery,
            # which a read-only connection cannot do); nothing else is written before the
            # check.
            store.recover_interrupted(path)
            # Check through a read-only connection first: a damaged file must never be
            # written, not even by the checkpoint a writing connection makes on closing.
            problems, version = store.check_file(path)
            if problems and not readonly:
                raise DamagedProjectError(
                    f"{path} is damaged ({problems[0]}); open it read-only or restore "
                    "a backup")
            db = store.connect(path, readonly=readonly)
            try:
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
        project = cls(path, db, readonly, author or "")
        if author is None:
            # The editor's name is the project's setting (asked once in the window; the
            # command line's --author), never the operating system's login.
            project.author = os.environ.get("EMENDO_AUTHOR") or project.editor_name
        # Read-only opening of a damaged file: show what can be read, change nothing.
        project.damage = problems
        if not readonly:
            try:
                project.took_over = store.acquire_lock(db, path, take_over)
                store.begin_writing(db)
                store.ensure_indexes(db)
            except BaseException:
                db.close()
                raise
            from emendo.core import backup

            backup.clean_leftovers(path)  # ours to clean now that we hold the lock
            project._ensure_identity()
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

    def _ensure_identity(self) -> None:
        """Give a project (made by an older Emendo) the id its snapshots are told apart by."""
        try:
            if not self.setting("project_id"):
                self.set_setting("project_id", uuid.uuid4().hex)
        except EmendoError:
            pass  # a full disk: the id is only for telling backups apart

    @staticmethod
    def _create_file(path: Path) -> sqlite_utils.Database:
        """A new project, built under a temporary name and linked into place whole."""
        tmp = path.with_name(path.name + NEW_SUFFIX)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            for leftover in (tmp, tmp.with_name(tmp.name + "-journal")):
                leftover.unlink(missing_ok=True)
            db = store.connect(tmp)
        except (OSError, sqlite3.Error) as exc:
            raise WriteFailedError(f"cannot create {path}: {exc}") from None
        try:
            db.conn.execute("BEGIN IMMEDIATE")
            store.create_schema(db)
            db.conn.execute("INSERT INTO settings (key, value) VALUES ('project_id', ?)",
                            (uuid.uuid4().hex,))
            db.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            db.close()
            tmp.unlink(missing_ok=True)
            raise WriteFailedError(f"cannot create {path}: {exc}") from None
        db.close()
        try:
            # A link fails if another process created the project meanwhile: theirs wins.
            os.link(tmp, path)
        except FileExistsError:
            pass
        except OSError as exc:
            if not path.exists():
                try:
                    os.replace(tmp, path)  # a filesystem without hard links
                except OSError:
                    tmp.unlink(missing_ok=True)
                    raise WriteFailedError(f"cannot create {path}: {exc}") from None
        tmp.unlink(missing_ok=True)
        try:
            return store.connect(path)
        except sqlite3.Error as exc:
            raise WriteFailedError(f"cannot create {path}: {exc}") from None

    def close(self) -> None:
        """Release the lock and close the file."""
        if self._closed:
            return
        self._closed = True
        if self._checkpointer is not None:
            self._checkpointer.join()
        if not self.readonly:
            store.release_lock(self.db)
            store.end_writing(self.db)
        self.db.close()

    @contextmanager
    def _bulk_writing(self) -> Iterator[None]:
        """A rollback journal for one large write (see :func:`store.rollback_journal`)."""
        if self._checkpointer is not None:
            self._checkpointer.join()  # its connection would keep the file in WAL mode
        with store.rollback_journal(self.db):
            yield

    def checkpoint(self, background: bool = False) -> None:
        """Fold the write-ahead log into the file (the window calls it when idle).

        With ``background`` a thread does it on its own connection: copying a long typing
        session's log into the file and syncing it can take tens of milliseconds, and
        SQLite lets go of Python's lock while it works, so the window stays responsive.
        """
        if self.readonly or self._closed:
            return
        if not background:
            store.checkpoint(self.db)
            return
        if self._checkpointer is not None and self._checkpointer.is_alive():
            return  # one at a time; the next pause starts another
        self._checkpointer = threading.Thread(
            target=store.checkpoint_file, args=(self.path,), name="emendo-checkpoint",
            daemon=True)
        self._checkpointer.start()

    def __enter__(self: _P) -> _P:
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
            if store.interrupted(exc):
                raise DamagedProjectError(store.interrupted_message(self.path)) from None
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
        """Every document, in id order (the views sort).

        In a damaged file the rows before the damage are returned and the failure is
        added to :attr:`damage`, so what can be read can still be seen and exported.
        """
        out: list[DocSummary] = []
        try:
            for doc_id, title, date, source_name in self.db.execute(
                    "SELECT id, title, date, source_name FROM documents ORDER BY id"):
                # A value of the wrong type (a BLOB title) is shown as unreadable; the
                # document itself is then refused by name when it is opened.
                out.append(DocSummary(doc_id, _text_or(title, "(unreadable title)"),
                                      _text_or(date, None), _text_or(source_name, "")))
        except sqlite3.DatabaseError as exc:
            if not self.damage:
                raise _read_error(self.path, exc) from None
            self.damage.append(f"documents after {out[-1].id if out else 0}: {exc}")
        return out

    def count_documents(self) -> int:
        """How many documents the project holds."""
        with _reading(self.path):
            return int(self.db.execute("SELECT count(*) FROM documents").fetchone()[0])

    def document(self, doc_id: int, *, source: bool = True) -> Document:
        """One document with its text and spans.

        ``source=False`` leaves the file as imported unread (``source_text`` is then
        empty): the window shows and edits the text without it, and it is the larger half
        of a document to decompress.
        """
        data = self._row(doc_id, source)
        try:
            return row_to_doc(data)
        except (ValueError, KeyError, TypeError, IndexError, RecursionError) as exc:  # spans, meta
            raise DamagedProjectError(f"document {doc_id} cannot be read: {exc}") from None

    def document_parts(self, doc_id: int) -> tuple[Document, StoredSpans]:
        """A document without its source file or, yet, its spans, and the spans to build.

        The window builds the spans on screen first and the rest after the first paint
        (``doc.spans = stored.all()``).
        """
        data = self._row(doc_id, source=False)
        try:
            return row_to_parts(data)
        except (ValueError, KeyError, TypeError, IndexError, RecursionError) as exc:
            raise DamagedProjectError(f"document {doc_id} cannot be read: {exc}") from None

    def _row(self, doc_id: int, source: bool) -> dict[str, Any]:
        """A document's row by column name (``source_z`` None when not read)."""
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
        _check_types(data)
        return data

    def documents_for_export(self, doc_ids: list[int]) -> list[tuple[Document, str]]:
        """Documents (without their source files) with their spans as stored, in id order given.

        One query for them all; the stored span encoding goes into a TEI edition's record
        as it is, instead of being encoded again.
        """
        marks = ", ".join("?" * len(doc_ids))
        try:
            rows = self.db.execute(f"SELECT {', '.join(_NO_SOURCE_COLUMNS)} FROM documents "
                                   f"WHERE id IN ({marks})", doc_ids).fetchall()
        except sqlite3.DatabaseError as exc:
            raise DamagedProjectError(f"documents cannot be read: {exc}") from None
        by_id = {row[0]: dict(zip(_NO_SOURCE_COLUMNS, row)) for row in rows}
        out = []
        for doc_id in doc_ids:
            data = by_id.get(doc_id)
            if data is None:
                raise DocumentNotFoundError(f"no document {doc_id} in {self.path.name}")
            data["source_z"] = None
            _check_types(data)
            try:
                out.append((row_to_doc(data), data["spans"]))
            except (ValueError, KeyError, TypeError, IndexError, RecursionError) as exc:
                raise DamagedProjectError(f"document {doc_id} cannot be read: "
                                          f"{_why(exc)}") from None
        return out

    @_reads
    def find_document(self, ref: str) -> Document:
        """A document by id, or by exact (then unique prefix of) title."""
        if ref.isascii() and ref.isdigit():
            if int(ref) > MAX_ID:
                raise DocumentNotFoundError(f"no document {ref} in {self.path.name}")
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

    @_reads
    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        """Ranked full-text search over titles, texts and fields, with snippets."""
        query = query.strip()
        if not query or limit <= 0:
            return []
        limit = min(limit, MAX_ID)
        # FTS5's snippet() reads the whole of each hit's text to choose its fragment: a
        # 60 MB document took minutes. A long text's snippet is found by Emendo instead,
        # around the first place a word of the query occurs, so a search costs what its
        # hits cost, not what their documents weigh.
        sql = ("SELECT f.rowid, d.title, d.fields_text, CASE WHEN length(d.text) <= ? "
               "THEN snippet(documents_fts, -1, '[', ']', '…', 12) END, rank"
               " FROM documents_fts f JOIN documents d ON d.id = f.rowid"
               " WHERE documents_fts MATCH ? ORDER BY rank LIMIT ?")
        try:
            rows = self.db.execute(sql, (SNIPPET_TEXT_LIMIT, query, limit)).fetchall()
        except sqlite3.OperationalError:
            # Not FTS syntax (a stray quote or colon): search the words as typed.
            rows = self.db.execute(sql, (SNIPPET_TEXT_LIMIT, _quote_fts(query),
                                         limit)).fetchall()
        terms = _query_terms(query)
        hits = []
        for doc_id, title, fields, snippet, rank in rows:
            if snippet is None:
                snippet = self._long_snippet(doc_id, title, fields, terms)
            hits.append(SearchHit(doc_id, title, _hit_field(title, snippet, fields, terms),
                                  " ".join(snippet.split()), rank))
        return hits

    def _long_snippet(self, doc_id: int, title: str, fields: str, terms: list[str]) -> str:
        """A snippet of a long document: the first line of title or fields with a word of
        the query, else the text around the word's first occurrence in it.

        ``instr`` finds it in SQLite's C loop and only the window around it is read; a
        word FTS matched only through its folding of accents is not found this way, and
        the snippet is then the text's beginning.
        """
        words = [t for t in terms if t]
        for line in [title, *fields.splitlines()]:
            marked = _mark_words(line, words)
            if marked is not None:
                return marked
        best = 0
        for word in words:
            pos = self.db.execute("SELECT instr(lower(text), ?) FROM documents WHERE id = ?",
                                  (word, doc_id)).fetchone()[0] or 0
            if pos and (not best or pos < best):
                best = pos
        start = max(1, best - SNIPPET_CONTEXT)
        window = self.db.execute("SELECT substr(text, ?, ?) FROM documents WHERE id = ?",
                                 (start, 2 * SNIPPET_CONTEXT + 40, doc_id)).fetchone()[0]
        marked = _mark_words(window, words) or window
        return ("…" if start > 1 else "") + marked + "…"

    @_reads
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
        from emendo.core.integrity import state_problem

        entries = []
        for r in rows:
            try:
                before, after = _object(r[8]), _object(r[9])
                problem = state_problem(r[2], r[1], before, after, bool(r[7]))
            except (ValueError, TypeError, RecursionError) as exc:
                problem = _why(exc)
            if problem:
                raise DamagedProjectError(f"the operation log of {self.path.name} cannot "
                                          f"be read (entry {r[0]}: {problem}); run "
                                          "'emendo check'")
            entries.append(LogEntry(r[0], r[1], r[2], r[3], r[4], r[5], r[6], bool(r[7]),
                                    before, after))
        return entries

    @_reads
    def undo_label(self) -> str | None:
        """The label of the step undo would take back, or None."""
        row = self.db.execute(
            "SELECT label FROM oplog WHERE undone = 0 ORDER BY id DESC LIMIT 1").fetchone()
        return row[0] if row else None

    @_reads
    def redo_label(self) -> str | None:
        """The label of the step redo would do again, or None."""
        row = self.db.execute(
            "SELECT label FROM oplog WHERE undone = 1 ORDER BY id LIMIT 1").fetchone()
        return row[0] if row else None

    def setting(self, key: str, default: str = "") -> str:
        """A project setting (transcriber, editor, …)."""
        row = self.db.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row[0] if row and row[0] is not None else default

    @property
    def editor_name(self) -> str:
        """The editor's name kept in the project's settings ('' until it is given)."""
        return self.setting("editor").strip()

    def set_editor_name(self, name: str) -> None:
        """Keep the editor's name for this project; later changes are logged under it."""
        name = " ".join(name.split())
        self.set_setting("editor", name)
        self.author = name

    def set_setting(self, key: str, value: str) -> None:
        """Store a project setting (its own transaction; not an undoable step)."""
        with self._transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                         (key, value))

    @_reads
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
        doc = self.document(doc_id)
        from emendo.core.model import validate_spans

        # A change is made only to a document whose marks fit it: one damaged on disk
        # (a mark past the end, attributes that are not an object) is refused by name.
        problems = validate_spans(doc.text, doc.spans)
        if problems:
            raise DamagedProjectError(f"document {doc_id} cannot be changed: {problems[0]}; "
                                      "run 'emendo check'")
        return doc

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
        ids = self._insert_rows(conn, (import_row(doc) for doc in docs))
        for doc, doc_id in zip(docs, ids):
            doc.id = doc_id
        return ids

    def _insert_rows(self, conn: sqlite3.Connection, rows: Iterable[ImportRow]) -> list[int]:
        """Insert encoded rows (:func:`import_row`, possibly made in worker processes)."""
        now = store.now_iso()
        cols = ("id",) + IMPORT_COLUMNS + ("created", "modified")
        sql = f"INSERT INTO documents ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
        # New ids follow the highest in use (undo is last-in first-out, so an id freed by
        # a deletion is only reused once that deletion can no longer be undone first).
        highest = conn.execute("SELECT MAX(id) FROM documents").fetchone()[0] or 0
        ids: list[int] = []

        def numbered() -> Iterator[tuple[Any, ...]]:
            # A generator, so rows still arriving from workers are inserted as they come.
            for n, row in enumerate(rows, highest + 1):
                if n > MAX_ID:
                    raise ImportFailedError(
                        f"no document id is left in {self.path.name}: its highest is "
                        f"{highest}, the largest SQLite stores; nothing was imported")
                ids.append(n)
                yield (n, *row, now, now)

        conn.executemany(sql, numbered())
        return ids

    def _doc_snapshot(self, doc_id: int) -> dict[str, Any]:
        return doc_to_json(self.document(doc_id))

    def _restore_snapshot(self, conn: sqlite3.Connection, snap: dict[str, Any]) -> None:
        row = doc_to_row(doc_from_json(snap), store.now_iso())
        cols = list(row)
        conn.execute(
            f"INSERT OR REPLACE INTO documents ({', '.join(cols)}) "
            f"VALUES ({', '.join('?' * len(cols))})", tuple(row[c] for c in cols))

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
        """Integrity and consistency problems (empty when the project is sound).

        Everything in the file is read as untrusted input: whatever a part of the check
        meets (a BLOB where text belongs, JSON nested too deep, a statement stopped by the
        time limit) is reported as damage, never raised.
        """
        problems: list[str] = []
        for label, part in (("file", self._check_file), ("documents", self._check_documents),
                            ("search index", self._check_search_index),
                            ("operation log", self._check_log)):
            try:
                problems += part()
            except Exception as exc:  # damage of any shape is a finding
                problems.append(f"{label}: cannot be checked ({_why(exc)})")
        return problems

    def _check_file(self) -> list[str]:
        """SQLite's checks, the application id, the schema and every stored value's type."""
        from emendo.core import integrity

        problems = store.quick_check(self.db)
        problems += [r[0] for r in self.db.execute("PRAGMA integrity_check").fetchall()
                     if r[0] != "ok"]
        if self.db.execute("PRAGMA application_id").fetchone()[0] != store.APPLICATION_ID:
            problems.append("application_id is not Emendo's")
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        problems += integrity.schema_problems(self.db.conn, version)
        problems += integrity.type_problems(self.db.conn)
        return problems

    def _check_documents(self) -> list[str]:
        """Each document decodes, its spans fit its text, its dates and search fields agree."""
        from emendo.core import integrity
        from emendo.core.model import validate_spans

        problems: list[str] = []
        columns = DOC_COLUMNS + ("fields_text", "created", "modified")
        for row in self.db.execute(f"SELECT {', '.join(columns)} FROM documents"):
            data = dict(zip(columns, row))
            where = f"document {data['id']}"
            try:
                doc = row_to_doc(data)
                found = [f"{where}: {p}" for p in validate_spans(doc.text, doc.spans)]
                if doc.date is not None and not integrity.is_iso_date(doc.date):
                    found.append(f"{where}: date is not an ISO 8601 date")
                for col in ("created", "modified"):
                    if data[col] != "" and not integrity.is_iso_time(data[col]):
                        found.append(f"{where}: {col} is not an ISO 8601 date-time")
                if not found and data["fields_text"] != fields_text(doc):
                    found.append(f"{where}: search fields out of date")
            except DamagedProjectError as exc:
                found = [f"{where}: {exc}"]
            except Exception as exc:  # a stored value of any shape
                found = [f"{where}: unreadable ({_why(exc)})"]
            problems += found
        return problems

    def _check_log(self) -> list[str]:
        """The operation log's entries have states undo can apply, in a sound order."""
        from emendo.core import integrity

        rows = self.db.execute("SELECT id, doc_id, op, time, undone, before, after "
                               "FROM oplog ORDER BY id")
        return integrity.log_problems(rows)


# --- helpers ---------------------------------------------------------------------------------

NEW_SUFFIX = ".new-tmp"  # a project being created, before it is linked into place
MAX_ID = 2**63 - 1  # the largest integer SQLite stores, so the largest document id
SNIPPET_TEXT_LIMIT = 200_000  # characters; longer texts get their snippet from Emendo
SNIPPET_CONTEXT = 60  # characters shown before a hit in a long text's snippet


def _backups_hint(path: Path) -> str:
    """Where this project's backups are, for a message about a file that cannot be used."""
    from emendo.core import backup

    backups = backup.list_backups(path)
    if not backups:
        return "no backups of it were found; move it aside to start a new project"
    return (f"restore a backup with 'emendo restore {path}' (newest: {backups[0].name}, "
            f"{len(backups)} in {backup.backup_dir(path)})")


def _check_types(data: dict[str, Any]) -> None:
    """Refuse, by name, a document row holding a value of the wrong type (a BLOB title)."""
    from emendo.core.integrity import COLUMN_TYPES

    types = COLUMN_TYPES["documents"]
    for col, value in data.items():
        allowed = types.get(col)
        if allowed is None or (value is None and "null" in allowed):
            continue
        kind = {str: "text", bytes: "blob", int: "integer", float: "real"}.get(type(value))
        if kind not in allowed:
            raise DamagedProjectError(f"document {data.get('id')} cannot be read: its "
                                      f"{col} is not {' or '.join(allowed)}; run "
                                      "'emendo check'")


def _text_or(value: Any, default: Any) -> Any:
    return value if isinstance(value, str) else default


def _object(text: Any) -> dict[str, Any]:
    """A JSON object from the file (ValueError when it is not one)."""
    value = json.loads(text)
    if not isinstance(value, dict):
        raise ValueError("a state is not a JSON object")
    return value


def _why(exc: BaseException) -> str:
    """An exception as a short clause: its type and the start of its message."""
    text = " ".join(str(exc).split())
    text = text if len(text) <= 100 else text[:99] + "…"
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _rollback(conn: sqlite3.Connection) -> None:
    try:
        conn.execute("ROLLBACK")
    except sqlite3.Error:
        pass


def _like_prefix(s: str) -> str:
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _quote_fts(query: str) -> str:
    words = [w.replace('"', '""') for w in query.split()]
    return " ".join(f'"{w}"' for w in words if w)


def _query_terms(query: str) -> list[str]:
    """The words of a search, lower-cased, without FTS operators and quotes."""
    words = re.findall(r"\w+", query.lower())
    return [w for w in words if w not in ("and", "or", "not", "near")]


def _mark_words(text: str, words: list[str]) -> str | None:
    """``text`` with each whole word of ``words`` in [brackets], or None when none is in it."""
    if not words:
        return None
    pattern = re.compile(r"\b(" + "|".join(re.escape(w) for w in words) + r")\b", re.I)
    marked, n = pattern.subn(r"[\1]", text)
    return marked if n else None


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
