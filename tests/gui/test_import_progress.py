"""Importing a volume file in the window: progress per document, and Cancel stores nothing."""
from __future__ import annotations

from gui_helpers import DATA
from PySide6.QtWidgets import QProgressDialog

import emendo.gui.main_window_files as files

VOLUME = DATA / "tei" / "frus_style_volume.xml"


class _Watched(QProgressDialog):
    """The window's progress dialog, recording its labels; cancelled at a chosen label."""

    labels: list[str] = []
    cancel_at: str | None = None

    def setLabelText(self, text: str) -> None:  # noqa: N802 (Qt override)
        type(self).labels.append(text)
        super().setLabelText(text)
        if text == type(self).cancel_at:
            self.cancel()


def _watch(monkeypatch, cancel_at: str | None = None) -> type[_Watched]:
    watched = type("Watched", (_Watched,), {"labels": [], "cancel_at": cancel_at})
    monkeypatch.setattr(files, "QProgressDialog", watched)
    return watched


def test_a_volume_import_shows_each_document(win, monkeypatch):
    watched = _watch(monkeypatch)
    before = win.documents.model.rowCount()
    change = win.import_files([VOLUME])
    assert change is not None and len(change.doc_ids) == 3
    assert win.documents.model.rowCount() == before + 3
    name = VOLUME.name
    assert watched.labels == [f"Importing {name}", f"Importing {name}: document 1 of 3",
                              f"Importing {name}: document 2 of 3",
                              f"Importing {name}: document 3 of 3"]


def test_cancel_in_the_middle_of_a_volume_adds_nothing(win, monkeypatch):
    _watch(monkeypatch, cancel_at=f"Importing {VOLUME.name}: document 2 of 3")
    before = win.documents.model.rowCount()
    history = len(win.project.history())
    assert win.import_files([VOLUME]) is None
    assert win.documents.model.rowCount() == before
    assert len(win.project.history()) == history
    assert win.statusBar().currentMessage() == "Import cancelled; nothing was added."
