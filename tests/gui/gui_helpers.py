"""Helpers for window tests: corpus paths, a project maker, dialogs that answer at once."""
from __future__ import annotations

from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parents[1] / "data"
CORPUS = DATA / "corpus"


class FakeDialogs:
    """Answers the window's questions at once (no modal dialog ever opens in a test)."""

    def __init__(self) -> None:
        self.answers: dict[str, Any] = {"yes_no": True, "mark_note": "", "correct": None,
                                        "stamp": None, "text": None, "edit_mark": None,
                                        "choose_backup": "first", "import_files": [],
                                        "open_project": None, "new_project": None,
                                        "choose": None}
        self.errors: list[tuple[str, str]] = []
        self.infos: list[tuple[str, str]] = []
        self.asked: list[tuple[str, str]] = []

    def correct(self, original: str) -> Any:
        return self.answers["correct"]

    def mark_note(self, kind: str) -> Any:
        return self.answers["mark_note"]

    def stamp(self, attrs: dict) -> Any:
        return self.answers["stamp"]

    def text(self, title: str, label: str, value: str = "") -> Any:
        return self.answers["text"]

    def edit_mark(self, kind: str, note: str) -> Any:
        return self.answers["edit_mark"]

    def yes_no(self, title: str, text: str) -> bool:
        self.asked.append((title, text))
        return bool(self.answers["yes_no"])

    def choose(self, title: str, text: str, options: list[str]) -> Any:
        """The option whose label is answers['choose'] (None: the question closed)."""
        self.asked.append((title, text))
        a = self.answers["choose"]
        return options.index(a) if a in options else None

    def error(self, title: str, text: str) -> None:
        self.errors.append((title, text))

    def info(self, title: str, text: str) -> None:
        self.infos.append((title, text))

    def open_project(self) -> Any:
        return self.answers["open_project"]

    def new_project(self) -> Any:
        return self.answers["new_project"]

    def editor_name(self) -> Any:
        self.asked_editor = getattr(self, "asked_editor", 0) + 1
        return self.answers.get("editor_name")

    def import_files(self) -> list:
        return self.answers["import_files"]

    def choose_backup(self, backups: list) -> Any:
        a = self.answers["choose_backup"]
        return backups[0] if a == "first" else a


def make_project(path: Path, files: list[Path]) -> Path:
    """A project holding the parsed files."""
    from emendo.core.importers import import_path
    from emendo.core.project import Project

    with Project.open(path) as p:
        p.import_documents([import_path(f) for f in files])
    return path
