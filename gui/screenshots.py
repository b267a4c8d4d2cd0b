"""Render the window for the README: the model cable as imported, then marked and corrected.

Run: ``QT_QPA_PLATFORM=offscreen python -m emendo.gui.screenshots docs/screenshots``.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtGui import QPalette
    from PySide6.QtWidgets import QApplication

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _settle(app: QApplication, n: int = 6) -> None:
    for _ in range(n):
        app.processEvents()


def main(out: Path) -> int:
    """Write window-*.png to ``out``."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from emendo.core.importers import import_file
    from emendo.core.project import Project
    from emendo.gui.app import ensure_app, open_window

    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        os.environ["EMENDO_CONFIG_DIR"] = str(tmp / "config")
        app = ensure_app()
        corpus = sorted((ROOT / "tests" / "data" / "corpus").glob("*.txt"))
        path = tmp / "sample.emendo"
        with Project.open(path) as p:
            p.import_documents([d for f in corpus for d in import_file(f)])
        w = open_window(path)
        w.resize(1400, 900)
        model = next(r.id for r in w.project.list_documents() if r.date == "1965-04-17")
        w.open_document(model)
        _settle(app)
        w.grab().save(str(out / "window-model-cable.png"))

        # Mark "Izvestia" unclear, fix two typos by typing, emend one as sic.
        view = w.source
        text = view.text
        i = text.index("Izvestia")
        w.project.add_span(w.doc.id, "unclear", i, i + 8, {"cert": "low", "reason": "faded"})
        for needle, at, ins in (("forein", 5, "g"), ("Dongand", 4, " ")):
            k = view.text.index(needle) + at
            w.project.edit_text(w.doc.id, k, 0, ins, merge=False)
        k = view.text.index("discus the")
        w.project.correct(w.doc.id, k, k + 6, "discuss", kind="sic", reason="spelling")
        w._show_doc(w.project.document(w.doc.id))
        w._update_actions()
        view.set_cursor_offset(view.text.index("Izvestia"), view.text.index("Izvestia") + 8)
        view.flush_cursor()
        w.docks["history"].raise_()
        _settle(app)
        view.set_cursor_offset(view.text.index("During the past week"))
        view.verticalScrollBar().setValue(view.verticalScrollBar().maximum() // 4)
        _settle(app)
        w.grab().save(str(out / "window-marked-corrected.png"))

        w.findChild(type(w.acts["search"]), "actionSearchProject").trigger()
        w.search.query.setText("Kosygin")
        w.search.run_search()
        item = w.search.results.topLevelItem(0)
        if item is not None:
            w.search._open(item)
        _settle(app)
        w.grab().save(str(out / "window-search.png"))
        w.close()

        # The same window in a dark palette (as under a dark desktop theme).
        app.setStyle("Fusion")
        app.setPalette(dark_palette())
        w = open_window(path)
        w.resize(1400, 900)
        w.open_document(model)
        w.docks["history"].raise_()
        w.docks["documents"].raise_()
        _settle(app)
        w.source.set_cursor_offset(w.source.text.index("During the past week"))
        _settle(app)
        w.grab().save(str(out / "window-dark.png"))
        w.close()
        app.setPalette(app.style().standardPalette())

        # A damaged project: opened read-only, what is damaged listed, a backup offered.
        from emendo.core import backup, store

        damaged = tmp / "damaged.emendo"
        damaged.write_bytes(path.read_bytes())
        db = store.connect(damaged)
        backup.snapshot(db, damaged, reason="daily")
        db.close()
        data = bytearray(damaged.read_bytes())
        page = len(data) // 4096 // 2
        data[page * 4096:(page + 1) * 4096] = bytes((i * 7919) % 256 for i in range(4096))
        damaged.write_bytes(bytes(data))
        w = open_window(damaged)
        w.resize(1400, 900)
        _settle(app)
        w.grab().save(str(out / "window-damaged.png"))
        w.close()
    return 0


def dark_palette() -> QPalette:
    """A dark QPalette like the ones desktop themes set (for the dark screenshot and tests)."""
    from PySide6.QtGui import QColor, QPalette

    pal = QPalette()
    roles = {
        QPalette.ColorRole.Window: "#2b2b2b", QPalette.ColorRole.WindowText: "#e6e6e6",
        QPalette.ColorRole.Base: "#1e1e1e", QPalette.ColorRole.AlternateBase: "#262626",
        QPalette.ColorRole.Text: "#e6e6e6", QPalette.ColorRole.Button: "#353535",
        QPalette.ColorRole.ButtonText: "#e6e6e6", QPalette.ColorRole.Highlight: "#2f65ca",
        QPalette.ColorRole.HighlightedText: "#ffffff", QPalette.ColorRole.ToolTipBase: "#353535",
        QPalette.ColorRole.ToolTipText: "#e6e6e6", QPalette.ColorRole.PlaceholderText: "#8a8a8a",
        QPalette.ColorRole.Link: "#6ea8fe", QPalette.ColorRole.BrightText: "#ff6b6b",
        QPalette.ColorRole.Light: "#505050", QPalette.ColorRole.Midlight: "#404040",
        QPalette.ColorRole.Mid: "#303030", QPalette.ColorRole.Dark: "#1a1a1a",
        QPalette.ColorRole.Shadow: "#000000",
    }
    for role, colour in roles.items():
        pal.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText,
                 QPalette.ColorRole.ButtonText):
        pal.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7a7a7a"))
    return pal


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")))
