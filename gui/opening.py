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
        text = tr("{0} is already open in another Emendo window or process "
                  "(process {1} on {2}, since {3}).\n\nOpen it read-only? You can read and "
                  "export but not change it.").format(path.name, exc.pid, exc.host or "?",
                                                       since or "?")
        if not dialogs.yes_no(tr("Project in use"), text):
            return None
        try:
            return Project.open(path, readonly=True)
        except EmendoError as exc2:
            dialogs.error(tr("Cannot open project"), str(exc2))
            return None
    except DamagedProjectError as exc:
        return _damaged(path, str(exc), dialogs)
    except EmendoError as exc:
        dialogs.error(tr("Cannot open project"), str(exc))
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
