"""Window speed against the bare limit, measured side by side in one run.

1. Opening a document with 1,000 marks in the window vs a bare QPlainTextEdit showing the
   same text (both laid out and painted once).
2. The longest time a keystroke (its commit to the project file and re-highlighting)
   blocks the event loop, and the deferred panel refresh after a pause in typing.
3. Scrolling the documents list with 10,000 documents (time per scroll step and paint).

Run: ``QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_gui.py`` (prints a table).
"""
from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
MODEL = next((ROOT / "tests" / "data" / "corpus").glob("000_*.txt"))


def _marked_document(n_marks: int = 1000):
    """The model cable, repeated to a long cable, with n_marks marks over its words."""
    import re

    from emendo.core.importers import parse_text
    from emendo.core.model import Span

    raw = MODEL.read_text(encoding="utf-8")
    doc = parse_text(raw, MODEL.name)
    body = doc.text
    text = body + ("\n\n" + body) * 4
    doc.text = text
    doc.source_text = text
    spans = list(doc.spans)
    kinds = ("person", "place", "org", "date", "unclear", "illegible", "supplied", "note")
    words = [m for m in re.finditer(r"[A-Z][a-z]{3,}", text)]
    step = max(1, len(words) // max(1, n_marks - len(spans)))
    i = 0
    for m in words[::step]:
        if len(spans) >= n_marks:
            break
        spans.append(Span(kinds[i % len(kinds)], m.start(), m.end(), {"note": "bench"}))
        i += 1
    doc.spans = [Span(s.kind, s.start, s.end, s.attrs) for s in spans]
    return doc


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def bench_open(tmp: Path) -> tuple[float, float, int]:
    """(bare ms, window ms, marks) to show the marked document."""
    from PySide6.QtWidgets import QApplication, QPlainTextEdit

    from emendo.core.importers import parse_text
    from emendo.core.project import Project
    from emendo.gui.app import open_window

    app = QApplication.instance()
    doc = _marked_document()
    path = tmp / "open.emendo"
    with Project.open(path) as p:
        small = parse_text("A short note.\n", "short.txt")
        p.import_documents([small, doc])
        ids = [r.id for r in p.list_documents()]
    w = open_window(path)
    w.resize(1400, 900)
    app.processEvents()
    marks = len(w.project.document(ids[1]).spans)

    bare = QPlainTextEdit()
    bare.resize(w.source.size())
    bare.show()
    app.processEvents()

    bare_t, win_t, settled_t = [], [], []
    for _ in range(7):
        # Bare: set the text, lay out, paint once.
        bare.setPlainText("")
        app.processEvents()
        t = time.perf_counter()
        bare.setPlainText(doc.text)
        bare.viewport().repaint()
        bare_t.append(time.perf_counter() - t)
        # Window: switch to the marked document (text, highlights, record, marks list).
        w.open_document(ids[0])
        app.processEvents()
        t = time.perf_counter()
        w.open_document(ids[1])
        w.source.viewport().repaint()
        shown = time.perf_counter() - t
        app.processEvents()  # the rest of the highlights and the side panels
        win_t.append(shown)
        settled_t.append(time.perf_counter() - t)
    # The text alone in the window's editor (highlights included, panels excluded).
    bare.close()
    w.close()
    return _median_ms(bare_t), _median_ms(win_t), _median_ms(settled_t), marks


def bench_keys(tmp: Path) -> tuple[float, float, float, float, float]:
    """(median, max ms per keystroke, panel refresh, bare keystroke, core commit alone)."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QPlainTextEdit

    from emendo.core.project import Project
    from emendo.gui.app import open_window

    app = QApplication.instance()
    doc = _marked_document()
    path = tmp / "keys.emendo"
    with Project.open(path) as p:
        p.import_documents([doc])
    w = open_window(path)
    w.resize(1400, 900)
    app.processEvents()
    view = w.source
    view.setFocus()
    view.set_cursor_offset(view.text.index("Izvestia") + 3)
    times = []
    for ch in "the quick brown fox jumps over the lazy dog " * 2:
        t = time.perf_counter()
        QTest.keyClick(view, ch if ch != " " else Qt.Key.Key_Space)
        view.viewport().repaint()
        times.append(time.perf_counter() - t)
    # A pause in typing: the deferred refresh of the record, marks and history panels.
    t = time.perf_counter()
    w._panel_timer.stop()
    w._refresh_panels()
    panel = time.perf_counter() - t
    assert w.project.document(w.doc.id).text == view.text
    # The core commit alone (Project.edit_text on the same document), for the split.
    core_t = []
    pos = view.text.index("Pravda")
    for i in range(40):
        t = time.perf_counter()
        w.project.edit_text(w.doc.id, pos + i, 0, "x")
        core_t.append(time.perf_counter() - t)
    w.close()
    bare = QPlainTextEdit()
    bare.setPlainText(doc.text)
    bare.resize(view.size())
    bare.show()
    app.processEvents()
    bare_times = []
    for ch in "the quick brown fox jumps over the lazy dog ":
        t = time.perf_counter()
        QTest.keyClick(bare, ch if ch != " " else Qt.Key.Key_Space)
        bare.viewport().repaint()
        bare_times.append(time.perf_counter() - t)
    bare.close()
    return (_median_ms(times), max(times) * 1000, panel * 1000, _median_ms(bare_times),
            _median_ms(core_t))


def bench_list(tmp: Path, n: int = 10_000) -> tuple[float, float, float, float]:
    """(ms to fill the list, median ms and max ms per scroll step, ms to filter)."""
    from PySide6.QtWidgets import QApplication

    from emendo.core.model import Document
    from emendo.core.project import Project
    from emendo.gui.app import open_window

    app = QApplication.instance()
    path = tmp / "many.emendo"
    with Project.open(path) as p:
        docs = [Document(title=f"Telegram {i:05d} from station {i % 97}", text=f"Text {i}.",
                         date=f"19{50 + i % 40}-{1 + i % 12:02d}-{1 + i % 28:02d}")
                for i in range(n)]
        p.import_documents(docs)
    w = open_window(path)
    w.resize(1400, 900)
    app.processEvents()
    t = time.perf_counter()
    w.documents.set_documents(w.project.list_documents())
    app.processEvents()
    fill = time.perf_counter() - t
    table = w.documents.view
    bar = table.verticalScrollBar()
    steps = []
    for i in range(300):
        t = time.perf_counter()
        bar.setValue((i * 37) % max(1, bar.maximum()))
        table.viewport().repaint()
        steps.append(time.perf_counter() - t)
    t = time.perf_counter()
    w.documents.filter.setText("station 42")
    table.viewport().repaint()
    filt = time.perf_counter() - t
    w.close()
    return fill * 1000, _median_ms(steps), max(steps) * 1000, filt * 1000


def main() -> int:
    """Run the three benchmarks and print a table."""
    from emendo.gui.app import ensure_app

    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        os.environ["EMENDO_CONFIG_DIR"] = str(tmp / "config")
        ensure_app()
        bare, win, settled, marks = bench_open(tmp)
        k_med, k_max, panel, bare_key, core_key = bench_keys(tmp)
        fill, s_med, s_max, filt = bench_list(tmp)
    rows = [
        ("open document, bare QPlainTextEdit", f"{bare:.1f} ms", ""),
        (f"open document, window ({marks} marks), shown", f"{win:.1f} ms",
         f"{win / bare:.2f}x bare (target <= 2x)"),
        ("  ... until panels and all highlights settle", f"{settled:.1f} ms",
         f"{settled / bare:.2f}x bare"),
        ("keystroke, bare QPlainTextEdit (median)", f"{bare_key:.2f} ms", ""),
        ("  core Project.edit_text alone (median)", f"{core_key:.2f} ms", "core's share"),
        ("keystroke + commit + highlight (median)", f"{k_med:.2f} ms", ""),
        ("keystroke + commit + highlight (max)", f"{k_max:.2f} ms",
         "OK (< 16 ms)" if k_max < 16 else "over one frame"),
        ("panel refresh after a typing pause", f"{panel:.1f} ms", "deferred 350 ms"),
        ("documents list: show 10,000", f"{fill:.1f} ms", ""),
        ("documents list: scroll step (median)", f"{s_med:.2f} ms", ""),
        ("documents list: scroll step (max)", f"{s_max:.2f} ms",
         "OK (< 16 ms)" if s_max < 16 else "over one frame"),
        ("documents list: filter 10,000", f"{filt:.1f} ms", ""),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"{'benchmark (gui)':<{width}}  {'time':>10}  note")
    print("-" * (width + 40))
    for name, value, note in rows:
        print(f"{name:<{width}}  {value:>10}  {note}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
