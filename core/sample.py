"""The bundled sample project: the model cable and a few others, copied on first run."""
from __future__ import annotations

import os
import sys
from importlib import resources
from pathlib import Path

from emendo.core.project import Project

SAMPLE_NAME = "sample.emendo"


def user_data_dir() -> Path:
    """The user's data folder for Emendo (EMENDO_DATA_DIR overrides it)."""
    env = os.environ.get("EMENDO_DATA_DIR")
    if env:
        return Path(env)
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming"))
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "emendo"


def sample_sources() -> list[Path]:
    """The bundled sample documents, in order (the model cable first)."""
    folder = resources.files("emendo.resources") / "sample"
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.endswith(".txt"))


def ensure_sample_project(data_dir: Path | None = None) -> Path:
    """The sample project's path, importing the bundled documents on first run."""
    from emendo.core.importers import import_file

    data_dir = data_dir or user_data_dir()
    path = data_dir / SAMPLE_NAME
    if path.exists() and path.stat().st_size:
        return path
    docs = [doc for src in sample_sources() for doc in import_file(src)]
    with Project.open(path) as project:
        project.import_documents(docs, label="Import the sample documents")
        project.set_setting("title", "Emendo sample project")
    return path
