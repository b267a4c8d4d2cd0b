"""Rotating snapshots of a project file, taken with SQLite's backup API.

A snapshot is written to a temporary name, checked with ``quick_check`` and only then
renamed into place, so a failed or damaged snapshot never replaces a good older one.
"""
from __future__ import annotations

import datetime as _dt
import os
import shutil
import sqlite3
from pathlib import Path

import sqlite_utils

from emendo.core import store
from emendo.core.errors import EmendoError, WriteFailedError

KEEP = 5
DAILY_PREFIX = "daily"


def backup_dir(project_path: Path) -> Path:
    """Where a project's snapshots live: a hidden folder beside the project file."""
    return project_path.parent / ".emendo-backups" / project_path.stem


def list_backups(project_path: Path) -> list[Path]:
    """The project's snapshots, newest first."""
    folder = backup_dir(project_path)
    if not folder.is_dir():
        return []
    return sorted(folder.glob("*.emendo"), key=lambda p: p.name, reverse=True)


def snapshot(db: sqlite_utils.Database, project_path: Path, reason: str = "manual") -> Path:
    """Copy the open database to a new checked snapshot and prune old ones."""
    folder = backup_dir(project_path)
    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"{stamp}-{reason}.emendo"
    tmp = target.with_suffix(".tmp")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        dest = sqlite3.connect(str(tmp))
        try:
            db.conn.backup(dest)
            # The copy takes the source's header, write-ahead-log mode included; a
            # snapshot at rest is one plain file.
            dest.execute("PRAGMA journal_mode = DELETE")
            problems = [r[0] for r in dest.execute("PRAGMA quick_check").fetchall()
                        if r[0] != "ok"]
            # A snapshot is nobody's open project: it must not carry our lock.
            dest.execute("DELETE FROM lock") if _has_table(dest, "lock") else None
            dest.commit()
        finally:
            dest.close()
        if problems:
            tmp.unlink(missing_ok=True)
            raise EmendoError(f"backup of {project_path.name} failed its check: {problems[0]}")
        os.replace(tmp, target)
    except (OSError, sqlite3.Error) as exc:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
        raise WriteFailedError(f"cannot write a backup of {project_path.name}: {exc}") from None
    prune(project_path)
    return target


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?",
                        (name,)).fetchone() is not None


def project_identity(path: Path) -> str | None:
    """The ``project_id`` setting of a project or snapshot file (None when it has none)."""
    try:
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    except (OSError, sqlite3.Error):
        return None
    try:
        row = conn.execute("SELECT value FROM settings WHERE key = 'project_id'").fetchone()
        return str(row[0]) if row and row[0] is not None else None
    except sqlite3.Error:
        return None
    finally:
        conn.close()


def prune(project_path: Path, keep: int = KEEP) -> None:
    """Keep the newest ``keep`` snapshots (all checked when they were made).

    Snapshots of another project that lived at this path (a project re-created after
    the file was emptied or deleted) do not count against the current one's, and the
    newest of them is never removed: a new project cannot rotate out the last good
    backup of the old one.
    """
    backups = list_backups(project_path)
    if len(backups) <= keep:
        return
    ids = [project_identity(b) for b in backups]
    current = ids[0]
    same = 0
    others: set[str | None] = set()
    for old, ident in zip(backups, ids):
        if ident == current:
            same += 1
            if same <= keep:
                continue
        elif ident not in others:
            others.add(ident)
            continue
        for path in (old, *_companions(old)):
            try:
                path.unlink(missing_ok=True)
            except OSError:
                pass


def daily_snapshot_due(project_path: Path) -> bool:
    """True when no snapshot was taken in the last 24 hours."""
    backups = list_backups(project_path)
    if not backups:
        return True
    age = _dt.datetime.now().timestamp() - backups[0].stat().st_mtime
    return age > 24 * 3600


def _fold(path: Path) -> list[str]:
    """Fold a database's write-ahead log into it and make it one file; quick_check's findings.

    Checkpointing is SQLite's own crash-safe copy: killed midway, the log is still there
    and the next connection finishes the job.
    """
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=5.0)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode = DELETE")
        return [r[0] for r in conn.execute("PRAGMA quick_check").fetchall() if r[0] != "ok"]
    finally:
        conn.close()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _copy_with_log(src: Path, dest: Path) -> None:
    """Copy a database file and the write-ahead log beside it (if any) to ``dest``."""
    for companion in _companions(dest):
        companion.unlink(missing_ok=True)
    shutil.copyfile(src, dest)
    wal = _companions(src)[0]
    if wal.exists():
        shutil.copyfile(wal, _companions(dest)[0])


def _keep_current(project_path: Path) -> Path:
    """Keep the project as it is now as a snapshot (what a crashed session committed too).

    The file's log is folded into the file first, so the project itself becomes one file
    (the rename that restores is then all there is) and its snapshot is self-contained.
    A file too damaged to fold is kept as it is, with its log beside it.
    """
    folder = backup_dir(project_path)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    keep = folder / f"{stamp}-before-restore.emendo"
    tmp = keep.with_suffix(".tmp")
    try:
        problems = _fold(project_path)
    except sqlite3.Error as exc:
        problems = [str(exc)]
    if problems:  # damaged: its bytes (and log) are all there is to keep
        _copy_with_log(project_path, tmp)
        wal = _companions(tmp)[0]
        if wal.exists():
            os.replace(wal, _companions(keep)[0])
        _fsync(tmp)
        os.replace(tmp, keep)
        return keep
    src = sqlite3.connect(str(project_path))
    try:
        dest = sqlite3.connect(str(tmp))
        try:
            src.backup(dest)
            dest.execute("PRAGMA journal_mode = DELETE")
            dest.execute("DELETE FROM lock") if _has_table(dest, "lock") else None
            dest.commit()
        finally:
            dest.close()
    finally:
        src.close()
    _fsync(tmp)
    os.replace(tmp, keep)
    return keep


def restore(project_path: Path, backup: Path | None = None) -> Path:
    """Replace the project with a snapshot (the newest when none is named).

    The current file is itself kept as a snapshot first, so a restore can be undone. Every
    step may be killed: the project is the old one until one atomic rename makes it the
    restored one.  The project must not be open elsewhere.
    """
    candidates = [backup] if backup is not None else list_backups(project_path)
    if not candidates:
        raise EmendoError(f"no backups of {project_path.name} in {backup_dir(project_path)}")
    chosen = candidates[0]
    if not chosen.is_file():
        raise EmendoError(f"backup {chosen} does not exist")
    version = store.inspect_file(chosen)
    if version is None:
        raise EmendoError(f"backup {chosen} is empty")
    # The restored file is built whole beside the project: the snapshot with any log it
    # has (snapshots of older Emendos kept one) folded in, checked, without a lock.
    tmp = project_path.with_name(project_path.name + RESTORE_SUFFIX)
    try:
        _copy_with_log(chosen, tmp)
        problems = _fold(tmp)
        if not problems:
            problems = [p for p in store.check_file(tmp)[0]]
        if problems:
            raise EmendoError(f"backup {chosen.name} is damaged ({problems[0]})")
        conn = sqlite3.connect(str(tmp))
        try:
            conn.execute("DELETE FROM lock") if _has_table(conn, "lock") else None
            conn.commit()
        finally:
            conn.close()
        _fsync(tmp)
    except (EmendoError, sqlite3.Error) as exc:
        _remove_with_companions(tmp)
        if isinstance(exc, EmendoError):
            raise
        raise EmendoError(f"backup {chosen.name} is damaged ({exc})") from None
    if project_path.exists() and project_path.stat().st_size:
        _keep_current(project_path)
    # No log may be left beside the old file to be applied to the restored one (after the
    # fold above there is none, unless the old file was too damaged to fold: then its log
    # was kept with its snapshot).
    for companion in _companions(project_path):
        companion.unlink(missing_ok=True)
    os.replace(tmp, project_path)
    _fsync_dir(project_path.parent)
    return chosen


RESTORE_SUFFIX = ".restore-tmp"


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _remove_with_companions(path: Path) -> None:
    for p in (path, *_companions(path), path.with_name(path.name + "-journal")):
        try:
            p.unlink(missing_ok=True)
        except OSError:
            pass


def clean_leftovers(project_path: Path) -> list[Path]:
    """Remove what a killed snapshot or restore left behind (the caller holds the lock).

    A daily snapshot killed while it copies leaves a full-size ``.tmp`` and its journal in
    the backup folder, and a killed restore its ``.restore-tmp`` beside the project: never
    a finished snapshot, so nothing of value.
    """
    removed: list[Path] = []
    folder = backup_dir(project_path)
    leftovers = [project_path.with_name(project_path.name + RESTORE_SUFFIX)]
    if folder.is_dir():
        leftovers += [p for p in folder.iterdir() if ".tmp" in p.name]
    for path in leftovers:
        for p in (path, *_companions(path), path.with_name(path.name + "-journal")):
            if p.exists() or p.is_symlink():
                try:
                    p.unlink()
                    removed.append(p)
                except OSError:
                    pass
    return removed


def _companions(path: Path) -> tuple[Path, Path]:
    """The write-ahead log and shared-memory files SQLite keeps beside a database."""
    return path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")
