"""Opening a project from the window: in use, damaged and newer files get a clear answer."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication

from emendo.core.errors import DamagedProjectError, EmendoError, ProjectInUseError
from emendo.core.project import Project


def tr(text: str) -> str:
    """Translate a string in the opening context."""
    return QCoreApplication.translate("opening", text)


def open_project(path: Path, dialogs: Any) -> Project | None:
    """Open a project for writing, or read-only when the user agrees; None when not opened."""
    try:
        return Project.open(path)
    except ProjectInUseError as exc:
        since = (exc.since or "").replace("T", " ")[:19]
        if exc.foreign:
            return _foreign_lock(path, exc, since, dialogs)
        text = tr("{0} is already open in another Emendo window or process "
                  "(process {1} on {2}, since {3}).\n\nOpen it read-only? You can read and "
                  "export but not change it.").format(path.name, exc.pid, exc.host or "?",
                                                       since or "?")
        if not dialogs.yes_no(tr("Project in use"), text):
            return None
        return _read_only(path, dialogs)
    except DamagedProjectError as exc:
        return _damaged(path, str(exc), dialogs)
    except EmendoError as exc:
        dialogs.error(tr("Cannot open project"), str(exc))
        return None


def _read_only(path: Path, dialogs: Any) -> Project | None:
    try:
        return Project.open(path, readonly=True)
    except EmendoError as exc:
        dialogs.error(tr("Cannot open project"), str(exc))
        return None


def _foreign_lock(path: Path, exc: ProjectInUseError, since: str,
                  dialogs: Any) -> Project | None:
    """A lock from another computer: say whose and since when, offer to take it over.

    Whether that Emendo still runs cannot be seen from here (a project copied while it was
    open, a computer renamed since), so the user decides. The lock taken over is the one
    shown: one taken meanwhile by someone else is not broken unseen.
    """
    text = tr("{0} is marked as open in Emendo on another computer: {1} (process {2}, "
              "since {3}).\n\nIf it is no longer open there — the project was copied "
              "while open, or that computer was renamed — take the lock over and work on "
              "it here. If it is still open there, changes made in both places would "
              "overwrite each other; open it read-only instead.").format(
                  path.name, exc.host or "?", exc.pid, since or "?")
    answer = dialogs.choose(tr("Project open on another computer"), text,
                            [tr("Take Over the Lock"), tr("Open Read-Only")])
    if answer == 0:
        try:
            return Project.open(path, take_over=(exc.host, exc.pid, exc.since))
        except EmendoError as exc2:
            dialogs.error(tr("Cannot open project"), str(exc2))
            return None
    if answer == 1:
        return _read_only(path, dialogs)
    return None


def _damaged(path: Path, message: str, dialogs: Any) -> Project | None:
    """Open what can be read, read-only, so nothing can make the damage worse.

    The window then shows what is damaged and offers a backup (a message over the
    editor, not a dialog). Only when even that fails is a backup offered here.
    """
    from emendo.core import backup

    try:
        return Project.open(path, readonly=True)
    except EmendoError as exc:
        unreadable = str(exc)
    backups = backup.list_backups(path)
    if backups:
        text = tr("{0}\n\nThe file cannot be read ({1}). Restore the newest good backup "
                  "({2})? The damaged file is kept beside the backups.").format(
                      message, unreadable, backups[0].name)
        if dialogs.yes_no(tr("Project damaged"), text):
            chosen = dialogs.choose_backup(backups) if len(backups) > 1 else backups[0]
            if chosen is not None:
                try:
                    backup.restore(path, chosen)
                    return Project.open(path)
                except EmendoError as exc:
                    dialogs.error(tr("Restore failed"), str(exc))
                    return None
        return None
    dialogs.error(tr("Project damaged"), tr("{0}\n\nNo backup exists and the file cannot "
                                            "be read ({1}).").format(message, unreadable))
    return None
