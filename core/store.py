"""The project file: one SQLite database, its format version, migrations and lock.

Discipline (after novelWriter): the file announces itself with ``application_id``, its
format in ``user_version``; a file that is not ours, is damaged, or comes from a newer
Emendo is refused *before* anything is written to it, so it stays byte-for-byte intact.
Older formats are migrated inside one transaction after a snapshot of the file.
"""
from __future__ import annotations

import datetime as _dt
import os
import socket
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from emendo.core.errors import (
    DamagedProjectError,
    NewerVersionError,
    NotAProjectError,
    ProjectInUseError,
    WriteFailedError,
)

APPLICATION_ID = 0x456D6E64  # "Emnd"
WAL_AUTOCHECKPOINT_PAGES = 16000  # about 64 MB of log before SQLite checkpoints by itself
FORMAT_VERSION = 3
SQLITE_MAGIC = b"SQLite format 3\x00"

SCHEMA = [
    """CREATE TABLE IF NOT EXISTS documents (
        id INTEGER PRIMARY KEY,
        title TEXT NOT NULL DEFAULT '',
        date TEXT,
        text TEXT NOT NULL DEFAULT '',
        spans TEXT NOT NULL DEFAULT '[]',
        source_z BLOB,
        imported_text TEXT,
        source_name TEXT NOT NULL DEFAULT '',
        fields_text TEXT NOT NULL DEFAULT '',
        meta TEXT NOT NULL DEFAULT '{}',
        created TEXT NOT NULL DEFAULT '',
        modified TEXT NOT NULL DEFAULT ''
    )""",
    """CREATE TABLE IF NOT EXISTS oplog (
        id INTEGER PRIMARY KEY,
        doc_id INTEGER,
        op TEXT NOT NULL,
        label TEXT NOT NULL DEFAULT '',
        time TEXT NOT NULL,
        author TEXT NOT NULL DEFAULT '',
        reason TEXT,
        before TEXT NOT NULL DEFAULT '{}',
        after TEXT NOT NULL DEFAULT '{}',
        undone INTEGER NOT NULL DEFAULT 0
    )""",
    "CREATE INDEX IF NOT EXISTS oplog_doc ON oplog(doc_id)",
    # Undo and redo labels (asked after every change) find their step here, not by reading
    # every step's before-and-after states: 2 ms with 3,000 steps, and growing.
    "CREATE INDEX IF NOT EXISTS oplog_undone ON oplog(undone, id)",
    """CREATE TABLE IF NOT EXISTS settings (
        key TEXT PRIMARY KEY,
        value TEXT
    )""",
    """CREATE TABLE IF NOT EXISTS lock (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        host TEXT NOT NULL,
        pid INTEGER NOT NULL,
        since TEXT NOT NULL,
        token TEXT NOT NULL DEFAULT ''
    )""",
    # External-content FTS5: the index stores only the inverted lists, not a second copy.
    """CREATE VIRTUAL TABLE IF NOT EXISTS documents_fts USING fts5(
        title, text, fields_text, content='documents', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    )""",
    """CREATE TRIGGER IF NOT EXISTS documents_ai AFTER INSERT ON documents BEGIN
        INSERT INTO documents_fts(rowid, title, text, fields_text)
        VALUES (new.id, new.title, new.text, new.fields_text);
    END""",
    """CREATE TRIGGER IF NOT EXISTS documents_ad AFTER DELETE ON documents BEGIN
        INSERT INTO documents_fts(documents_fts, rowid, title, text, fields_text)
        VALUES ('delete', old.id, old.title, old.text, old.fields_text);
    END""",
    """CREATE TRIGGER IF NOT EXISTS documents_au AFTER UPDATE OF title, text, fields_text
        ON documents BEGIN
        INSERT INTO documents_fts(documents_fts, rowid, title, text, fields_text)
        VALUES ('delete', old.id, old.title, old.text, old.fields_text);
        INSERT INTO documents_fts(rowid, title, text, fields_text)
        VALUES (new.id, new.title, new.text, new.fields_text);
    END""",
    # Title hits weigh most, then field values, then the body; ORDER BY rank uses this.
    "INSERT INTO documents_fts(documents_fts, rank) VALUES ('rank', 'bm25(5.0, 1.0, 2.0)')",
]


def now_iso() -> str:
    """The current UTC time, ISO 8601 to the millisecond."""
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="milliseconds")


def _migrate_1_to_2(conn: sqlite3.Connection) -> None:
    """Version 1 kept spans in their own table and had no lock or reason column."""
    import json

    conn.execute("ALTER TABLE documents ADD COLUMN fields_text TEXT NOT NULL DEFAULT ''")
    conn.execute("ALTER TABLE documents ADD COLUMN spans TEXT NOT NULL DEFAULT '[]'")
    conn.execute("ALTER TABLE documents ADD COLUMN meta TEXT NOT NULL DEFAULT '{}'")
    conn.execute("ALTER TABLE oplog ADD COLUMN reason TEXT")
    conn.execute("ALTER TABLE documents ADD COLUMN source_z BLOB")
    rows = conn.execute(
        "SELECT doc_id, id, kind, start, end_, attrs FROM spans ORDER BY doc_id, id"
    ).fetchall()
    by_doc: dict[int, list[dict]] = {}
    for doc_id, sid, kind, start, end, attrs in rows:
        by_doc.setdefault(doc_id, []).append(
            {"id": sid, "kind": kind, "start": start, "end": end,
             "attrs": json.loads(attrs or "{}")})
    for doc_id, spans in by_doc.items():
        conn.execute("UPDATE documents SET spans = ? WHERE id = ?",
                     (json.dumps(spans, ensure_ascii=False), doc_id))
    conn.execute("DROP TABLE spans")
    from emendo.core.codec import compress

    for doc_id, source in conn.execute("SELECT id, source_text FROM documents").fetchall():
        conn.execute("UPDATE documents SET source_z = ? WHERE id = ?", (compress(source), doc_id))
    conn.execute("ALTER TABLE documents DROP COLUMN source_text")
    _refresh_fields_text(conn)
    # FTS and lock come from SCHEMA (CREATE ... IF NOT EXISTS); fill the index afterwards.


def _refresh_fields_text(conn: sqlite3.Connection) -> None:
    """Recompute every document's indexed field text (after a change of span storage)."""
    from emendo.core.codec import DOC_COLUMNS, doc_to_row, row_to_doc

    for row in conn.execute(f"SELECT {', '.join(DOC_COLUMNS)} FROM documents").fetchall():
        new = doc_to_row(row_to_doc(dict(zip(DOC_COLUMNS, row))), now_iso())
        conn.execute("UPDATE documents SET fields_text = ?, spans = ? WHERE id = ?",
                     (new["fields_text"], new["spans"], new["id"]))


def _migrate_2_to_3(conn: sqlite3.Connection) -> None:
    """Version 3 may store a source as its lines beyond the transcription; nothing to move.

    Sources stored by version 2 (zlib of the whole file) stay readable as they are; the
    version is raised so that an older Emendo refuses a file it could not fully read.
    """


MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {1: _migrate_1_to_2,
                                                               2: _migrate_2_to_3}


def inspect_file(path: Path) -> int | None:
    """The format version of an existing project, checked without writing to it.

    Returns None when the file does not exist or is empty (a new project).  Raises
    NotAProjectError, DamagedProjectError or NewerVersionError otherwise.
    """
    if not path.exists():
        return None
    if path.is_dir():
        raise NotAProjectError(f"{path} is a folder, not an Emendo project")
    size = path.stat().st_size
    if size == 0:
        return None
    try:
        with open(path, "rb") as fh:
            header = fh.read(100)
    except OSError as exc:
        raise NotAProjectError(f"cannot read {path}: {exc.strerror}") from None
    if not header.startswith(SQLITE_MAGIC):
        raise NotAProjectError(f"{path} is not an Emendo project (not an SQLite database)")
    if len(header) < 100:
        raise DamagedProjectError(f"{path} is truncated (only {size} bytes)")
    app_id = int.from_bytes(header[68:72], "big")
    version = int.from_bytes(header[60:64], "big")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    page_count = int.from_bytes(header[28:32], "big")
    if app_id != APPLICATION_ID:
        raise NotAProjectError(
            f"{path} is an SQLite database of another application, not an Emendo project")
    if version > FORMAT_VERSION:
        raise NewerVersionError(
            f"{path} was written by a newer Emendo (format {version}; this one reads up to "
            f"{FORMAT_VERSION}); update Emendo to open it")
    wal = path.with_name(path.name + "-wal")
    pending_log = wal.exists() and wal.stat().st_size > 0
    # With a write-ahead log left beside it the header may promise pages that live in
    # the log, and with a rollback journal left by an interrupted write it may be the
    # header of that write; SQLite's own check decides then (after recover_interrupted).
    if page_size and page_count and size < page_size * page_count and not pending_log \
            and not _journal_left(path):
        raise DamagedProjectError(
            f"{path} is truncated ({size} bytes, the header promises "
            f"{page_size * page_count}); restore a backup")
    return version


def _journal_left(path: Path) -> bool:
    journal = path.with_name(path.name + "-journal")
    return journal.exists() and journal.stat().st_size > 0


def recover_interrupted(path: Path) -> None:
    """Roll back a write that a killed process left half done in a rollback journal.

    A bulk import writes through a rollback journal (as does every write on a filesystem
    without shared memory, where the log cannot be used). If its process dies while
    storing, the file holds part of the import and the journal the pages as they were;
    SQLite puts those back the first time a connection that may write reads the file (a
    read-only one cannot, and would see the file as unreadable). This is that read. While
    the writing process still lives, the journal is not stale and nothing is touched.
    """
    if not _journal_left(path):
        return
    try:
        conn = sqlite3.connect(str(path), timeout=5.0)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise ProjectInUseError(f"{path.name} is being written by another process; try "
                                    "again when it has finished") from None
        raise DamagedProjectError(f"{path} was left half written and cannot be put back "
                                  f"({exc}); restore a backup") from None
    except sqlite3.DatabaseError as exc:
        raise DamagedProjectError(f"{path} was left half written and cannot be put back "
                                  f"({exc}); restore a backup") from None


# A statement that runs longer than this is stopped (a recursive view or trigger in a
# planted schema would otherwise hang every command). The longest legitimate statements
# (an integrity check or an import of 10,000 files) take seconds; the environment
# variable lowers it for tests.
STATEMENT_SECONDS = float(os.environ.get("EMENDO_STATEMENT_SECONDS") or 300)
_PROGRESS_STEPS = 20_000  # virtual-machine instructions between looks at the clock


class GuardedConnection(sqlite3.Connection):
    """A connection whose statements are interrupted after :data:`STATEMENT_SECONDS`.

    SQLite calls the progress handler every few thousand instructions while a statement
    runs; the clock starts at each ``execute`` (each row of an ``executemany``) and again
    whenever the handler has not been called for a second (the caller was busy between
    the rows it fetched), so only time spent inside SQLite without a pause counts.
    """

    limit = STATEMENT_SECONDS

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._started = self._seen = time.monotonic()
        self.set_progress_handler(self._progress, _PROGRESS_STEPS)

    def _progress(self) -> int:
        now = time.monotonic()
        if now - self._seen > 1.0:
            self._started = now
        self._seen = now
        return 1 if now - self._started > self.limit else 0

    def _restart(self) -> None:
        self._started = self._seen = time.monotonic()

    def execute(self, sql: str, parameters: object = (), /) -> sqlite3.Cursor:
        """As sqlite3's, with the statement's clock started."""
        self._restart()
        return super().execute(sql, parameters)  # type: ignore[arg-type]

    def executemany(self, sql: str, parameters: Iterable[object], /) -> sqlite3.Cursor:
        """As sqlite3's, with the clock started again for every row."""
        def timed() -> Iterator[object]:
            for row in parameters:
                self._restart()
                yield row
        return super().executemany(sql, timed())  # type: ignore[arg-type]

    def executescript(self, sql_script: str, /) -> sqlite3.Cursor:
        """As sqlite3's, with the clock started."""
        self._restart()
        return super().executescript(sql_script)


def interrupted(exc: BaseException) -> bool:
    """True when a statement was stopped by the time limit of :class:`GuardedConnection`."""
    return isinstance(exc, sqlite3.OperationalError) and str(exc) == "interrupted"


def interrupted_message(path: Path) -> str:
    """The one line for a statement stopped by the time limit."""
    return (f"a statement on {path.name} ran longer than {GuardedConnection.limit:g} s and "
            "was stopped; run 'emendo check' on it")


def connect(path: Path, readonly: bool = False) -> sqlite_utils.Database:
    """An sqlite-utils Database on the file, with the pragmas Emendo relies on."""
    if readonly:
        uri = path.resolve().as_uri() + "?mode=ro"
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=5.0,
                               check_same_thread=False, factory=GuardedConnection)
    else:
        conn = sqlite3.connect(str(path), isolation_level=None, timeout=5.0,
                               check_same_thread=False, factory=GuardedConnection)
    conn.execute("PRAGMA foreign_keys = ON")
    if not readonly:
        conn.execute("PRAGMA synchronous = FULL")  # a commit that returned is on the disk
    return sqlite_utils.Database(conn)


def check_file(path: Path) -> tuple[list[str], int]:
    """quick_check's findings and the format version, read through a read-only connection.

    The header was already read by :func:`inspect_file`; this asks SQLite itself, which also
    sees a write-ahead log a crashed session left behind.
    """
    db = connect(path, readonly=True)
    try:
        try:
            app_id = db.execute("PRAGMA application_id").fetchone()[0]
            version = db.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise DamagedProjectError(f"{path} cannot be read ({exc}); restore a backup") \
                from None
        if app_id != APPLICATION_ID:
            raise NotAProjectError(
                f"{path} is an SQLite database of another application, not an Emendo project")
        if version > FORMAT_VERSION:
            raise NewerVersionError(
                f"{path} was written by a newer Emendo (format {version}; this one reads up "
                f"to {FORMAT_VERSION}); update Emendo to open it")
        if version < 1:
            raise DamagedProjectError(f"{path} has format version {version}, which no Emendo "
                                      "writes; restore a backup")
        problems = quick_check(db)
        if not problems:
            from emendo.core import integrity

            problems = integrity.quick_problems(db.conn, version)
        return problems, version
    finally:
        db.close()


def begin_writing(db: sqlite_utils.Database) -> None:
    """Switch to a write-ahead log while a writer has the project open.

    Measured on this project's machines, a keystroke's commit takes 0.3 ms median and under
    1 ms at worst with WAL and synchronous=FULL (one append and one fsync), against 1.1 ms
    median and 4 ms, tens under load, with a rollback journal (a journal file created,
    synced and deleted per commit).  Durability is the same: FULL syncs the log on commit.
    """
    try:
        db.execute("PRAGMA journal_mode = WAL")
        # SQLite folds the log in automatically every 1,000 pages, inside whichever
        # commit crosses the mark: a keystroke would then wait tens of milliseconds.  The
        # window checkpoints while the user pauses instead; this bound is the safety net.
        db.execute(f"PRAGMA wal_autocheckpoint = {WAL_AUTOCHECKPOINT_PAGES}")
    except sqlite3.OperationalError:
        pass  # a filesystem without shared memory keeps the rollback journal


@contextmanager
def rollback_journal(db: sqlite_utils.Database) -> Iterator[None]:
    """A rollback journal for one large transaction, then the write-ahead log again.

    A bulk import writes every page once with a rollback journal (new pages need no journal
    entry) but twice through the log (appended, then checkpointed): measured, 10,000 cables
    store 10–15% faster.  When another connection keeps the file in WAL mode the switch is
    refused and the import simply goes through the log.
    """
    try:
        mode = db.execute("PRAGMA journal_mode").fetchone()[0]
        if mode == "wal":
            mode = db.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
            switched = mode == "delete"
        else:
            switched = False
    except sqlite3.OperationalError:
        switched = False
    try:
        yield
    finally:
        if switched:
            begin_writing(db)


def checkpoint_file(path: Path) -> None:
    """A passive checkpoint through a connection of its own (for a background thread)."""
    try:
        conn = sqlite3.connect(str(path), timeout=1.0)
    except sqlite3.Error:
        return
    try:
        conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
    except sqlite3.Error:
        pass  # busy: the next checkpoint or the close does it
    finally:
        conn.close()


def checkpoint(db: sqlite_utils.Database) -> None:
    """Fold what the write-ahead log holds into the file, without waiting for readers."""
    try:
        db.execute("PRAGMA wal_checkpoint(PASSIVE)")
    except sqlite3.Error:
        pass  # busy or not in WAL mode: the next checkpoint or the close does it


def end_writing(db: sqlite_utils.Database) -> None:
    """Fold the write-ahead log back in, so a closed project is again one file."""
    try:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.execute("PRAGMA journal_mode = DELETE")
    except sqlite3.Error:
        pass  # a reader still has it open: it stays in WAL until the next clean close


def quick_check(db: sqlite_utils.Database) -> list[str]:
    """SQLite's quick_check plus foreign_key_check: empty when sound."""
    try:
        rows = [r[0] for r in db.execute("PRAGMA quick_check").fetchall()]
        problems = [r for r in rows if r != "ok"]
        problems += [f"foreign key: {tuple(r)}"
                     for r in db.execute("PRAGMA foreign_key_check").fetchall()]
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    return problems


def ensure_indexes(db: sqlite_utils.Database) -> None:
    """Indexes added within a format (an older Emendo reads and keeps them up to date).

    Only a speed-up: a file where one cannot be written (a full disk) still opens.
    """
    for statement in SCHEMA:
        if statement.startswith("CREATE INDEX"):
            try:
                db.execute(statement)
            except sqlite3.Error:
                return


def create_schema(db: sqlite_utils.Database) -> None:
    """Create every table of the current format in a fresh file (inside a transaction)."""
    for statement in SCHEMA:
        db.execute(statement)
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    db.execute(f"PRAGMA user_version = {FORMAT_VERSION}")


def migrate(db: sqlite_utils.Database, version: int) -> None:
    """Bring an older project to the current format in one transaction, checked first."""
    conn = db.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        # Another process may have migrated the file since its version was read.
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        for v in range(version, FORMAT_VERSION):
            MIGRATIONS[v](conn)
        for statement in SCHEMA:
            conn.execute(statement)
        conn.execute("INSERT INTO documents_fts(documents_fts) VALUES ('rebuild')")
        conn.execute(f"PRAGMA user_version = {FORMAT_VERSION}")
        problems = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()
                    if r[0] != "ok"]
        if not problems:
            from emendo.core import integrity

            problems = integrity.quick_problems(conn, FORMAT_VERSION)
        if problems:
            raise DamagedProjectError("migration left the file inconsistent: " + problems[0])
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


# --- the lock --------------------------------------------------------------------------

def _process_token(pid: int) -> str:
    """Something that tells a process apart from a later one with the same pid."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            fields = fh.read().rsplit(b")", 1)[1].split()
        return fields[19].decode()  # starttime in clock ticks since boot
    except (OSError, IndexError):
        return ""


def _process_alive(pid: int, token: str) -> bool:
    """True when the process that took a lock on this host still runs."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    if token:
        current = _process_token(pid)
        if current and current != token:
            return False  # the pid was reused by another process
    return True


LockHolder = tuple[str, int, str]  # (host, pid, since) of a lock record


def acquire_lock(db: sqlite_utils.Database, path: Path,
                 take_over: bool | LockHolder = False) -> LockHolder | None:
    """Take the project's writer lock, clearing a stale one; ProjectInUseError if held.

    A lock from another host cannot be judged stale from here. ``take_over`` replaces it:
    ``True`` whatever its holder, or a holder ``(host, pid, since)`` as shown to the user,
    so that a lock taken since by someone else is not broken unseen. A lock of a live
    process on this host is never taken over. Returns the holder taken over, or None.
    """
    host = socket.gethostname()
    pid = os.getpid()
    conn = db.conn
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        raise ProjectInUseError(f"{path.name} is in use by another process ({exc})") from None
    taken: LockHolder | None = None
    try:
        row = conn.execute("SELECT host, pid, since, token FROM lock WHERE id = 1").fetchone()
        if row is not None:
            lhost, lpid, since, token = row
            same = lhost == host and lpid == pid
            stale = lhost == host and not _process_alive(lpid, token)
            foreign = lhost != host
            if foreign and (take_over is True or take_over == (lhost, lpid, since)):
                taken = (lhost, lpid, since)
            elif not same and not stale:
                hint = ("; if it is no longer open there (a copied project, a renamed "
                        "computer), take the lock over with --break-lock") if foreign else ""
                raise ProjectInUseError(
                    f"{path.name} is open in another Emendo (process {lpid} on {lhost}, "
                    f"since {since}){hint}", host=lhost, pid=lpid, since=since,
                    foreign=foreign)
        conn.execute(
            "INSERT OR REPLACE INTO lock (id, host, pid, since, token) VALUES (1, ?, ?, ?, ?)",
            (host, pid, now_iso(), _process_token(pid)))
        conn.execute("COMMIT")
    except sqlite3.OperationalError as exc:
        conn.execute("ROLLBACK")
        raise WriteFailedError(f"cannot write to {path}: {exc}") from None
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return taken


def lock_holder(db: sqlite_utils.Database) -> tuple[str, int, str] | None:
    """(host, pid, since) of the current lock, or None."""
    row = db.execute("SELECT host, pid, since FROM lock WHERE id = 1").fetchone()
    return tuple(row) if row else None  # type: ignore[return-value]


def lock_is_live(host: str, pid: int, since: str = "") -> bool:
    """True unless the lock was taken on this host by a process that is gone."""
    if host != socket.gethostname():
        return True  # another machine: we cannot tell, so we must assume it is live
    return _process_alive(pid, "")


def release_lock(db: sqlite_utils.Database) -> None:
    """Drop our lock record (best effort: a failed release only leaves a stale lock)."""
    try:
        db.conn.execute("DELETE FROM lock WHERE id = 1 AND host = ? AND pid = ?",
                        (socket.gethostname(), os.getpid()))
    except sqlite3.Error:
        pass
