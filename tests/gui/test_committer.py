"""Typing committed on a thread of its own: in order, seen by every read, failures shown."""
from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction

from emendo.core.errors import WriteFailedError
from emendo.core.project import Project
from emendo.gui.committer import Committer, ProjectGate


@contextmanager
def slow_disk(win) -> Iterator[tuple[threading.Event, list]]:
    """Commits that wait until the event is set (a disk that takes its time), and the
    arguments each was called with; the project's own method again afterwards."""
    real = win.project.real
    release = threading.Event()
    edit = real.edit_text
    calls: list = []

    def slow(*a, **k):
        calls.append(a)
        release.wait(5)
        return edit(*a, **k)

    real.edit_text = slow
    try:
        yield release, calls
    finally:
        release.set()
        del real.edit_text


def test_a_keystroke_returns_before_its_commit_and_reads_wait_for_it(win, qtbot):
    with slow_disk(win) as (release, _):
        win.source.set_cursor_offset(3)
        t = time.perf_counter()
        qtbot.keyClicks(win.source, "abc")
        assert time.perf_counter() - t < 4  # the window did not wait for the disk
        assert win.source.text[3:6] == "abc"
        assert win.committer.pending() == 3
        release.set()
        # Any use of the project waits for the pending commits: all three are there.
        assert win.project.document(win.doc.id).text[3:6] == "abc"
    assert win.project.undo_label().startswith("Type")  # one merged step, as before


def test_undo_right_after_typing_undoes_the_typing(win, qtbot):
    before = win.project.document(win.doc.id).text
    win.source.set_cursor_offset(10)
    qtbot.keyClicks(win.source, "xyz")
    win.findChild(QAction, "actionUndo").trigger()  # before the commits are even done
    assert win.project.document(win.doc.id).text == before == win.source.text


def test_after_a_failed_commit_typing_commits_again(win, dialogs, qtbot):
    real = win.project.real
    edit = real.edit_text
    calls = []

    def fail_once(*a, **k):
        calls.append(a)
        if len(calls) == 1:
            raise WriteFailedError("cannot write to test.emendo: disk full")
        return edit(*a, **k)

    real.edit_text = fail_once
    try:
        win.source.set_cursor_offset(3)
        qtbot.keyClicks(win.source, "QQ")
        qtbot.waitUntil(lambda: bool(dialogs.errors), timeout=3000)
        assert "disk full" in dialogs.errors[-1][1] and len(calls) == 1  # the 2nd dropped
        assert "QQ" not in win.source.text  # the file as saved
        qtbot.keyClicks(win.source, "W")
        assert "W" in win.project.document(win.doc.id).text
    finally:
        del real.edit_text


def test_closing_the_window_ends_the_commit_thread(open_win, project_path, qtbot):
    w = open_win(project_path)
    thread = w.committer._thread
    w.source.set_cursor_offset(1)
    qtbot.keyClicks(w.source, "k")
    w.close()
    assert not thread.is_alive()
    with Project.open(project_path, readonly=True) as p:
        assert any("k" == d.text[1] for d in (p.document(r.id) for r in p.list_documents()))


def test_gate_waits_and_forwards(tmp_path, qtbot):
    committer = Committer()
    try:
        with Project.open(tmp_path / "p.emendo") as project:
            gate = ProjectGate(project, committer)
            done = []
            committer.submit(lambda: (time.sleep(0.05), done.append(1))[0])
            assert gate.count_documents() == 0 and done == [1]  # waited for the job
            gate.author = "A. Reader"  # forwarded to the project
            assert project.author == "A. Reader" and gate.real is project
    finally:
        committer.stop()


def test_the_refresh_after_typing_waits_for_its_commits_without_blocking(win, qtbot):
    from emendo.gui.main_window_typing import PANEL_DELAY_MS

    with slow_disk(win) as (release, _):
        win.source.set_cursor_offset(3)
        qtbot.keyClicks(win.source, "ab")
        undo_text = win.findChild(QAction, "actionUndo").text()
        t = time.perf_counter()
        qtbot.wait(PANEL_DELAY_MS + 200)  # the event loop kept running meanwhile
        assert time.perf_counter() - t < 2
        # Not refreshed yet: the commits are still being written, and nothing waited.
        assert win.committer.pending() == 2 and win._panel_timer.isActive()
        assert win.findChild(QAction, "actionUndo").text() == undo_text
        release.set()
        qtbot.waitUntil(lambda: win.committer.pending() == 0, timeout=3000)
        qtbot.waitUntil(lambda: "Type" in win.findChild(QAction, "actionUndo").text(),
                        timeout=3000)


def test_keystrokes_waiting_for_the_disk_are_committed_together(win, qtbot):
    with slow_disk(win) as (release, calls):  # the first keystroke's commit waits
        view = win.source
        start = view.text.index("Izvestia")
        view.set_cursor_offset(start)
        qtbot.keyClicks(view, "T")
        qtbot.waitUntil(lambda: len(calls) == 1, timeout=3000)  # "T" is being written
        qtbot.keyClicks(view, "ASS ")
        qtbot.keyClick(view, Qt.Key.Key_Backspace)
        qtbot.keyClicks(view, "-")
        release.set()
        win.committer.drain()
    # One commit for the "T", one for what followed while it was written.
    assert [c[1:] for c in calls] == [(start, 0, "T"), (start + 1, 0, "ASS-")]
    stored = win.project.document(win.doc.id)
    assert stored.text == view.text and stored.text[start:].startswith("TASS-Izvestia")
    assert win.project.undo_label() == "Type “TASS-”"  # still one typing step
    win.findChild(QAction, "actionUndo").trigger()
    assert win.project.document(win.doc.id).text[start:].startswith("Izvestia")


def test_typing_joins_only_what_continues_it():
    from emendo.gui.committer import Typing

    p, q = object(), object()
    t = Typing(p, 1, 10, 0, "ab")  # type: ignore[arg-type]
    assert t.then(Typing(p, 1, 12, 0, "c")) == Typing(p, 1, 10, 0, "abc")  # type: ignore[arg-type]
    assert t.then(Typing(p, 1, 11, 1, "")) == Typing(p, 1, 10, 0, "a")  # type: ignore[arg-type]
    assert t.then(Typing(p, 1, 9, 1, "")) is None  # deletes before what was typed
    assert t.then(Typing(p, 1, 5, 0, "x")) is None  # elsewhere
    assert t.then(Typing(p, 2, 12, 0, "c")) is None  # another document
    assert t.then(Typing(q, 1, 12, 0, "c")) is None  # another project
