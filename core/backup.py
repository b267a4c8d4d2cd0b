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


def prune(project_path: Path, keep: int = KEEP) -> None:
    """Keep the newest ``keep`` snapshots (all checked when they were made)."""
    for old in list_backups(project_path)[keep:]:
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


def restore(project_path: Path, backup: Path | None = None) -> Path:
    """Replace the project with a snapshot (the newest when none is named).

    The current file is itself kept as a snapshot first, so a restore can be undone.
    The project must not be open elsewhere.
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
    check = store.connect(chosen, readonly=True)
    try:
        problems = store.quick_check(check)
    finally:
        check.close()
    if problems:
        raise EmendoError(f"backup {chosen.name} is damaged ({problems[0]})")
    wal, shm = _companions(project_path)
    if project_path.exists():
        keep = backup_dir(project_path) / (
            _dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f") + "-before-restore.emendo")
        keep.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(project_path, keep)
        if wal.exists():  # what a crashed session committed lives there too: keep it
            shutil.copy2(wal, _companions(keep)[0])
    tmp = project_path.with_name(project_path.name + ".restore-tmp")
    shutil.copy2(chosen, tmp)
    # A log left beside the old file must never be applied to the restored one.
    for companion in (wal, shm):
        companion.unlink(missing_ok=True)
    os.replace(tmp, project_path)
    return chosen


def _companions(path: Path) -> tuple[Path, Path]:
    """The write-ahead log and shared-memory files SQLite keeps beside a database."""
    return path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")
