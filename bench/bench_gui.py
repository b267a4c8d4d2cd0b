"""Window speed against the bare limit, measured side by side in one run.

1. Opening a document with 1,000 marks in the window vs a bare QPlainTextEdit showing the
   same text (both laid out and painted once).
2. The longest time a keystroke (re-highlighting and painting; its commit to the project
   file runs on the window's commit thread) blocks the event loop, the commits themselves,
   and the deferred panel refresh after a pause in typing.
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


def bench_open(tmp: Path) -> dict[str, float]:
    """Times (ms) to show the marked document: bare editors vs the window."""
    import sqlite3

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
    # The bare limit reads the same text from the same file with one plain query.
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)

    bare = QPlainTextEdit()
    bare.setFont(w.source.font())  # the same text in the same type, as large on screen
    bare.resize(w.source.size())
    bare.show()
    app.processEvents()

    mem_t, file_t, win_t, settled_t = [], [], [], []
    for _ in range(31):
        # Bare, text in memory: set the text, lay out, paint once.
        bare.setPlainText("")
        app.processEvents()
        t = time.perf_counter()
        bare.setPlainText(doc.text)
        bare.viewport().repaint()
        mem_t.append(time.perf_counter() - t)
        # Bare, text read from the project file.
        bare.setPlainText("")
        app.processEvents()
        t = time.perf_counter()
        text = conn.execute("SELECT text FROM documents WHERE id = ?", (ids[1],)).fetchone()[0]
        bare.setPlainText(text)
        bare.viewport().repaint()
        file_t.append(time.perf_counter() - t)
        # Window: switch to the marked document; first paint of the text with its marks.
        # The short document is shown and settled first, as a reader has it before the
        # next click (one turn of the loop would leave its panels to be painted inside
        # the timed repaint below, which flushes the whole window).
        w.open_document(ids[0])
        for _ in range(5):
            app.processEvents()
        t = time.perf_counter()
        w.open_document(ids[1])
        w.source.viewport().repaint()
        win_t.append(time.perf_counter() - t)
        # Then the deferred work: the rest of the highlights, the side panels.
        for _ in range(5):
            app.processEvents()
        settled_t.append(time.perf_counter() - t)
    conn.close()
    bare.close()
    w.close()
    return {"bare_mem": _median_ms(mem_t), "bare_file": _median_ms(file_t),
            "window": _median_ms(win_t), "settled": _median_ms(settled_t), "marks": marks}


class _Heartbeat:
    """A zero-interval timer: the longest gap between its ticks is the longest block."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.gaps: list[float] = []
        self.last = time.perf_counter()
        self.timer = QTimer()
        self.timer.setInterval(0)
        self.timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append(now - self.last)
        self.last = now

    def spin(self, ms: float) -> None:
        """Run the event loop for ms, recording gaps."""
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance()
        self.last = time.perf_counter()
        self.timer.start()
        end = self.last + ms / 1000
        while time.perf_counter() < end:
            app.processEvents()
        self.timer.stop()


TYPED = ("the quick brown fox jumps over the lazy dog; a forein minister met "
         "Dongand Kosygin in Moscow. ") * 3


def bench_keys(tmp: Path) -> dict[str, float]:
    """Keystrokes in the window: each one's blocking time and the event loop between them.

    Two runs over the same 1,000-mark document: back-to-back keystrokes (each timed:
    key, commit, re-highlight, repaint), then typing at a person's pace (60 ms between
    keys, a 500 ms pause after every 25) with a heartbeat timer, whose longest gap is
    the longest time anything (a keystroke, a deferred panel refresh) blocked the loop.
    """
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
    for _ in range(5):
        app.processEvents()

    def key(target, ch):
        QTest.keyClick(target, ch if ch != " " else Qt.Key.Key_Space)

    # Time core's commit too: it runs on the window's commit thread, not in the keystroke.
    project = w.project.real
    commit_times: list[float] = []
    real_edit = project.edit_text

    def timed_edit(*a, **k):
        t0 = time.perf_counter()
        try:
            return real_edit(*a, **k)
        finally:
            commit_times.append(time.perf_counter() - t0)

    project.edit_text = timed_edit  # type: ignore[method-assign]
    times = []
    for ch in TYPED:
        t = time.perf_counter()
        key(view, ch)
        view.viewport().repaint()
        times.append(time.perf_counter() - t)
    w.committer.drain()
    hb = _Heartbeat()
    hb.spin(600)  # the deferred refresh after the burst
    burst_after = max(hb.gaps) if hb.gaps else 0.0
    # Typing at a person's pace, with pauses that let the deferred refreshes run.
    hb = _Heartbeat()
    paced = []
    for i, ch in enumerate(TYPED):
        t = time.perf_counter()
        key(view, ch)
        view.viewport().repaint()
        paced.append(time.perf_counter() - t)
        hb.spin(500 if i % 25 == 24 else 60)
    w.committer.drain()
    del project.edit_text  # the method of the class again
    assert w.project.document(w.doc.id).text == view.text
    # A pause in typing: the deferred refresh of the record, marks and history panels.
    t = time.perf_counter()
    w._panel_timer.stop()
    w._refresh_panels()
    panel = time.perf_counter() - t
    # The core commit alone (Project.edit_text on the same document), for the split.
    core_t = []
    pos = view.text.index("Pravda")
    for i in range(60):
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
    for ch in TYPED:
        t = time.perf_counter()
        key(bare, ch)
        bare.viewport().repaint()
        bare_times.append(time.perf_counter() - t)
    bare.close()
    return {"n": len(times) + len(paced), "median": _median_ms(times + paced),
            "max": max(times + paced) * 1000, "p99": sorted(times + paced)[
                int(0.99 * (len(times) + len(paced)))] * 1000,
            "loop_max": max(hb.gaps + [burst_after]) * 1000, "panel": panel * 1000,
            "bare": _median_ms(bare_times), "core": _median_ms(core_t),
            "core_max": max(core_t) * 1000, "commit": _median_ms(commit_times),
            "commit_max": max(commit_times) * 1000, "commits": len(commit_times)}


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
    # Jumps (dragging the scroll bar), then wheel steps of three rows down the list.
    for i in range(300):
        t = time.perf_counter()
        bar.setValue((i * 37) % max(1, bar.maximum()))
        table.viewport().repaint()
        steps.append(time.perf_counter() - t)
    bar.setValue(0)
    app.processEvents()
    for _ in range(300):
        t = time.perf_counter()
        bar.setValue(bar.value() + 3 * bar.singleStep())
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
        o = bench_open(tmp)
        k = bench_keys(tmp)
        fill, s_med, s_max, filt = bench_list(tmp)
    ok = "OK (< 16 ms)"
    rows = [
        ("open document, bare QPlainTextEdit (text in memory)", f"{o['bare_mem']:.1f} ms", ""),
        ("open document, bare (text read from the file)", f"{o['bare_file']:.1f} ms",
         "the bare limit"),
        (f"open document, window ({o['marks']} marks), first paint", f"{o['window']:.1f} ms",
         f"{o['window'] / o['bare_file']:.2f}x bare (target <= 2x); "
         f"{o['window'] / o['bare_mem']:.2f}x in-memory bare"),
        ("  ... until panels and all highlights settle", f"{o['settled']:.1f} ms",
         f"{o['settled'] / o['bare_file']:.2f}x bare"),
        ("keystroke, bare QPlainTextEdit (median)", f"{k['bare']:.2f} ms", ""),
        ("  core Project.edit_text alone (median / max)",
         f"{k['core']:.2f} ms", f"max {k['core_max']:.1f} ms"),
        (f"keystroke + highlight + paint (median, {k['n']} keys)", f"{k['median']:.2f} ms",
         "the commit runs on the commit thread"),
        ("keystroke + highlight + paint (99th pct)", f"{k['p99']:.2f} ms", ""),
        ("keystroke + highlight + paint (max)", f"{k['max']:.2f} ms",
         ok if k['max'] < 16 else "over one frame"),
        (f"  its commit, on the commit thread (median / max, {k['commits']})",
         f"{k['commit']:.2f} ms", f"max {k['commit_max']:.1f} ms"),
        ("event loop blocked between keys (max, typing pace)", f"{k['loop_max']:.2f} ms",
         ok if k['loop_max'] < 16 else "over one frame"),
        ("full panel refresh (not run while typing)", f"{k['panel']:.1f} ms", ""),
        ("documents list: show 10,000", f"{fill:.1f} ms", ""),
        ("documents list: scroll step (median)", f"{s_med:.2f} ms", ""),
        ("documents list: scroll step (max)", f"{s_max:.2f} ms",
         ok if s_max < 16 else "over one frame"),
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
