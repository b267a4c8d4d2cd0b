"""Fixtures for window tests: a project with the corpus, settings in tmp, answering dialogs."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

DATA = Path(__file__).resolve().parents[1] / "data"
CORPUS = DATA / "corpus"


class FakeDialogs:
    """Answers the window's questions at once (no modal dialog ever opens in a test)."""

    def __init__(self) -> None:
        self.answers: dict[str, Any] = {"yes_no": True, "mark_note": "", "correct": None,
                                        "stamp": None, "text": None, "edit_mark": None,
                                        "choose_backup": "first", "import_files": [],
                                        "open_project": None, "new_project": None}
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

    def error(self, title: str, text: str) -> None:
        self.errors.append((title, text))

    def info(self, title: str, text: str) -> None:
        self.infos.append((title, text))

    def open_project(self) -> Any:
        return self.answers["open_project"]

    def new_project(self) -> Any:
        return self.answers["new_project"]

    def import_files(self) -> list:
        return self.answers["import_files"]

    def choose_backup(self, backups: list) -> Any:
        a = self.answers["choose_backup"]
        return backups[0] if a == "first" else a


@pytest.fixture(autouse=True)
def _isolated_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Settings and sample data go to tmp, never to the user's folders."""
    cfg = tmp_path / "config"
    monkeypatch.setenv("EMENDO_CONFIG_DIR", str(cfg))
    monkeypatch.setenv("EMENDO_DATA_DIR", str(tmp_path / "data"))
    return cfg


@pytest.fixture
def dialogs() -> FakeDialogs:
    """Dialog answers a test can set."""
    return FakeDialogs()


def make_project(path: Path, files: list[Path]) -> Path:
    """A project holding the parsed files."""
    from emendo.core.importers import import_path
    from emendo.core.project import Project

    with Project.open(path) as p:
        p.import_documents([import_path(f) for f in files])
    return path


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    """A project with the model cable (first) and two more corpus documents."""
    files = [next(CORPUS.glob("000_*.txt")), next(CORPUS.glob("006_*.txt")),
             next(CORPUS.glob("017_*.txt"))]
    return make_project(tmp_path / "test.emendo", files)


@pytest.fixture
def open_win(qtbot, dialogs):
    """Open a window on a project (closed at the end of the test)."""
    from emendo.gui.app import open_window

    windows = []

    def _open(path: Path):
        w = open_window(path, dialogs=dialogs)
        qtbot.addWidget(w)
        w.resize(1400, 900)
        windows.append(w)
        return w

    yield _open
    for w in windows:
        if w.project is not None:
            w.close()


@pytest.fixture
def win(open_win, project_path):
    """The window on the test project, showing the model cable."""
    w = open_win(project_path)
    model = next(r.id for r in w.project.list_documents() if r.date == "1965-04-17")
    w.open_document(model)
    return w
