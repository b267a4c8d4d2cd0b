"""Window settings in the user's config folder: recent projects, last document, layout."""
from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, QStandardPaths

MAX_RECENT = 10


def config_dir() -> Path:
    """Where settings live: $EMENDO_CONFIG_DIR when set (tests), else the platform's."""
    env = os.environ.get("EMENDO_CONFIG_DIR")
    if env:
        return Path(env)
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericConfigLocation)
    return Path(base) / "emendo"


def data_dir() -> Path:
    """Where the sample project goes: $EMENDO_DATA_DIR when set, else the platform's."""
    env = os.environ.get("EMENDO_DATA_DIR")
    if env:
        return Path(env)
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericDataLocation)
    return Path(base) / "emendo"


class Settings:
    """Typed access to one INI file (never the registry, so tests can point it anywhere)."""

    def __init__(self, path: Path | None = None) -> None:
        path = path or config_dir() / "emendo.ini"
        path.parent.mkdir(parents=True, exist_ok=True)
        self.qs = QSettings(str(path), QSettings.Format.IniFormat)

    def sync(self) -> None:
        """Write pending values to disk."""
        self.qs.sync()

    # --- projects ----------------------------------------------------------------------------

    def recent_projects(self) -> list[str]:
        """Recently opened project paths, newest first (existing files only)."""
        value = self.qs.value("recent", [])
        if isinstance(value, str):
            value = [value]
        return [p for p in (value or []) if Path(p).exists()]

    def add_recent(self, path: Path) -> None:
        """Put a project at the top of the recent list."""
        p = str(Path(path).resolve())
        items = [x for x in self.recent_projects() if x != p]
        self.qs.setValue("recent", [p] + items[: MAX_RECENT - 1])
        self.qs.setValue("last_project", p)

    def last_project(self) -> str | None:
        """The project open when the window last closed."""
        value = self.qs.value("last_project")
        return str(value) if value else None

    _keys: dict[str, str] = {}

    @classmethod
    def _key(cls, project: Path) -> str:
        # QSettings keys cannot hold slashes freely; a hash keeps one group per project.
        # Remembered: resolving the path costs system calls on every document switch.
        raw = str(project)
        key = cls._keys.get(raw)
        if key is None:
            import hashlib

            digest = hashlib.sha1(str(Path(project).resolve()).encode()).hexdigest()[:16]
            key = cls._keys[raw] = "project_" + digest
        return key

    def last_document(self, project: Path) -> tuple[int | None, int]:
        """(document id, cursor position) last shown in a project."""
        key = self._key(project)
        doc = self.qs.value(f"{key}/doc")
        cursor = self.qs.value(f"{key}/cursor", 0)
        try:
            return (int(doc) if doc not in (None, "") else None, int(cursor or 0))
        except (TypeError, ValueError):
            return (None, 0)

    def set_last_document(self, project: Path, doc_id: int | None, cursor: int) -> None:
        """Remember the document and cursor shown in a project."""
        key = self._key(project)
        self.qs.setValue(f"{key}/doc", "" if doc_id is None else doc_id)
        self.qs.setValue(f"{key}/cursor", cursor)

    # --- layout ------------------------------------------------------------------------------

    def geometry(self) -> QByteArray | None:
        """The saved window geometry."""
        value = self.qs.value("window/geometry")
        return value if isinstance(value, QByteArray) else None

    def state(self) -> QByteArray | None:
        """The saved dock and toolbar layout."""
        value = self.qs.value("window/state")
        return value if isinstance(value, QByteArray) else None

    def set_layout(self, geometry: QByteArray, state: QByteArray) -> None:
        """Remember the window geometry and dock layout."""
        self.qs.setValue("window/geometry", geometry)
        self.qs.setValue("window/state", state)
