"""Fixtures for window tests: a project with the corpus, settings in tmp, answering dialogs."""
from __future__ import annotations

from pathlib import Path

import pytest
from gui_helpers import CORPUS, FakeDialogs, make_project


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
