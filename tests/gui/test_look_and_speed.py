"""What the window looks like and how it spends its time: tested through the real window."""
from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QTabBar

from emendo.core.model import Document, Span
from emendo.core.project import Project


def _long_marked(path, n=1000):
    words = [f"Word{i:04d}" for i in range(n)]
    text = "\n".join(" ".join(words[i:i + 8]) for i in range(0, n, 8))
    spans, pos = [], 0
    for w in words:
        k = text.index(w, pos)
        spans.append(Span("person" if len(spans) % 2 else "place", k, k + len(w), {}))
        pos = k + len(w)
    with Project.open(path) as p:
        p.import_documents([Document(title="Short", text="Short note."),
                            Document(title="Long", text=text, spans=spans)])
    return path


def _open_long_after_short(open_win, tmp_path, qtbot):
    """A window that showed the short document, then switched to the long one (unpainted)."""
    w = open_win(_long_marked(tmp_path / "long.emendo"))
    ids = {r.title: r.id for r in w.project.list_documents()}
    w.open_document(ids["Short"])
    qtbot.wait(10)
    w.open_document(ids["Long"])
    return w, ids


def test_first_paint_highlights_visible_marks_then_all(open_win, tmp_path, qtbot):
    w, ids = _open_long_after_short(open_win, tmp_path, qtbot)
    view = w.source
    # The first paint formats only the blocks on screen, and every visible mark is there,
    # built on its own: the other marks are built right after the paint.
    view.viewport().repaint()
    assert view._stored is not None and w._pending_spans is not None
    bottom = view.cursorForPosition(QPoint(0, view.viewport().height() - 1)).position()
    marks = w.project.document(ids["Long"], source=False).spans
    visible = [s for s in marks if s.start < bottom]
    assert visible
    assert all(s.kind in view.highlighted_kinds(s.start) for s in visible)
    assert view.document().lastBlock().userState() < 0  # far below: not formatted yet
    qtbot.waitUntil(lambda: w._pending_spans is None, timeout=3000)
    assert len(view.spans) == len(marks) and len(w.doc.spans) == len(marks)
    # The spans get sorted and the marks list filled a moment later.
    qtbot.waitUntil(lambda: w.marks.tree.topLevelItemCount() == 1000, timeout=3000)
    assert [s.start for s in view.spans] == sorted(s.start for s in view.spans)
    # No span is an extra selection (Qt would check each for every painted block).
    assert view.extraSelections() == []
    # Scrolling to the end formats the blocks shown there before they are painted.
    bar = view.verticalScrollBar()
    bar.setValue(bar.maximum())
    view.viewport().repaint()
    last = view.spans[-1]
    assert view.highlighted_kinds(last.start) == [last.kind]


def test_typing_keeps_highlights_in_step_with_core(open_win, tmp_path, qtbot):
    w = open_win(_long_marked(tmp_path / "long.emendo", n=40))
    ids = {r.title: r.id for r in w.project.list_documents()}
    w.open_document(ids["Long"])
    view = w.source
    view.viewport().repaint()
    target = next(s for s in view.spans if view.text[s.start:s.end] == "Word0009")
    # Typing before a mark in its line: the mark's highlight moves with the text.
    view.set_cursor_offset(target.start - 1)
    qtbot.keyClicks(view, "abc")
    view.viewport().repaint()
    assert view.text[target.start:target.end] == "Word0009"
    assert view.highlighted_kinds(target.start) == [target.kind]
    assert view.highlighted_kinds(target.start - 1) == []
    # A new line before it splits the block; the highlight still sits on the word.
    view.set_cursor_offset(target.start - 1)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    view.viewport().repaint()
    assert view.text[target.start:target.end] == "Word0009"
    assert view.highlighted_kinds(target.start) == [target.kind]
    assert view.highlighted_kinds(target.end) == []
    # Deleting the mark's text removes its highlight; undo brings both back.
    view.set_cursor_offset(target.start, target.end)
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    view.viewport().repaint()
    assert target not in view.spans
    assert target.kind not in view.highlighted_kinds(target.start)
    qtbot.waitUntil(lambda: not w._panel_timer.isActive(), timeout=3000)
    w.undo()
    view.viewport().repaint()
    back = next(s for s in view.spans if view.text[s.start:s.end] == "Word0009")
    assert view.highlighted_kinds(back.start) == [back.kind]
    assert w.project.document(w.doc.id).text == view.text


def test_highlights_follow_the_palette(win, qtbot):
    view = win.source
    view.viewport().repaint()
    i = view.text.index("Priority: Urgent")
    before = [r.format.background().color().name()
              for r in view.document().findBlock(i).layout().formats()]
    pal = QPalette(view.palette())
    pal.setColor(QPalette.ColorRole.Base, Qt.GlobalColor.black)
    pal.setColor(QPalette.ColorRole.Text, Qt.GlobalColor.white)
    view.setPalette(pal)
    view.viewport().repaint()
    after = [r.format.background().color().name()
             for r in view.document().findBlock(i).layout().formats()]
    assert before and after and before != after


def test_typing_defers_panels_and_updates_mark_texts_in_place(win, qtbot):
    view = win.source
    # Type inside a marked passage (the telegram form's heading), so its row must change.
    i = view.text.index("Ministry of Foreign Affairs Telegram")
    tree = win.marks.tree
    items_before = [tree.topLevelItem(k) for k in range(tree.topLevelItemCount())]
    assert any(r.text(1) == "Ministry of Foreign Affairs Telegram" for r in items_before)
    view.set_cursor_offset(i + 3)
    qtbot.keyClicks(view, "XY")
    # The commits run on their own thread; anything that reads the project waits for them,
    # and the status bar says saved once they are in the file.
    assert "MinXYistry of Foreign" in win.project.document(win.doc.id).text
    qtbot.waitUntil(lambda: win.saved_label.text().startswith("Saved"), timeout=3000)
    # The marks list waits for the pause.
    qtbot.waitUntil(lambda: not win._panel_timer.isActive(), timeout=3000)
    rows = [tree.topLevelItem(k) for k in range(tree.topLevelItemCount())]
    assert rows == items_before  # updated in place, not rebuilt
    texts = [r.text(1) for r in rows]
    assert "MinXYistry of Foreign Affairs Telegram" in texts, texts
    assert win.acts["undo"].text().startswith("&Undo Type")


def test_history_shows_a_typed_space_visibly(win, qtbot):
    win.docks["history"].show()
    win.docks["history"].raise_()
    view = win.source
    view.set_cursor_offset(view.text.index("Dongand") + 4)
    qtbot.keyClick(view, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not win._panel_timer.isActive(), timeout=3000)
    win._refresh_history()
    label = win.history.list.topLevelItem(0).text(0)
    assert label != "Type “”" and ("␣" in label or "space" in label.lower()), label


def test_both_distribution_lists_visible_without_scrolling(win, qtbot):
    qtbot.waitExposed(win)
    dist = win.fields.dist
    assert dist.topLevelItemCount() == 2
    assert all(dist.topLevelItem(i).isExpanded() for i in range(2))
    # The tree shows all its rows (no inner scrolling) ...
    assert dist.verticalScrollBar().maximum() == 0
    # ... and the second list's heading sits inside the panel's visible area at 1400x900.
    second = dist.topLevelItem(1)
    rect = dist.visualItemRect(second)
    top_in_panel = dist.viewport().mapTo(win.fields.viewport(), rect.topLeft()).y()
    assert 0 <= top_in_panel < win.fields.viewport().height() - rect.height()


def test_search_results_are_one_readable_column(win, qtbot):
    win.search_project()
    win.search.query.setText("Kosygin")
    win.search.run_search()
    r = win.search.results
    assert r.columnCount() == 1 and r.topLevelItemCount() >= 1
    text = r.topLevelItem(0).text(0)
    title, rest = text.split("\n", 1)
    assert title and ":" in rest
    assert win.search.status.text() in ("1 document", f"{r.topLevelItemCount()} documents")


def test_documents_list_filters_in_the_model_and_keeps_selection(win, qtbot):
    model = win.documents.model
    current = win.documents.current_id()
    qtbot.keyClicks(win.documents.filter, "signs")
    assert 1 <= model.rowCount() < len(model.rows)
    assert win.documents.current_id() == current
    win.documents.filter.clear()
    assert model.rowCount() == len(model.rows)


def test_layout_restored_without_ghost_tab_bars(open_win, project_path, qtbot):
    w = open_win(project_path)
    w.search_project()
    w.docks["history"].raise_()
    w.close()
    w2 = open_win(project_path)
    qtbot.waitExposed(w2)
    qtbot.wait(20)
    bars = [b for b in w2.findChildren(QTabBar) if b.parent() is w2 and b.isVisible()]
    seen: list[str] = []
    for b in bars:
        seen += [b.tabText(i) for i in range(b.count())]
    assert len(seen) == len(set(seen)), seen


def test_dark_palette_window_is_readable(open_win, project_path, qtbot):
    from emendo.gui.marks import kind_color
    from emendo.gui.screenshots import dark_palette

    app = QApplication.instance()
    old = app.palette()
    app.setPalette(dark_palette())
    try:
        w = open_win(project_path)
        pal = w.source.palette()
        text = pal.color(QPalette.ColorRole.Text)
        assert pal.color(QPalette.ColorRole.Base).lightnessF() < 0.3
        for kind in ("unclear", "stamp", "priority", "person", "distribution"):
            bg = kind_color(kind, pal)
            assert abs(text.lightnessF() - bg.lightnessF()) > 0.4, kind  # contrast
        msg = w.messages.show_message("t", "warning", "A warning")
        fg = msg.palette().color(QPalette.ColorRole.WindowText)
        bg = msg.palette().color(QPalette.ColorRole.Window)
        assert abs(fg.lightnessF() - bg.lightnessF()) > 0.4
    finally:
        app.setPalette(old)


def test_refresh_after_typing_runs_one_panel_per_turn(win, qtbot):
    view = win.source
    view.set_cursor_offset(view.text.index("Izvestia") + 3)
    qtbot.keyClicks(view, "Q")
    calls = []
    real = win.fields.set_document
    win.fields.set_document = lambda *a, **k: (calls.append(1), real(*a, **k))
    win._panel_timer.stop()
    win._on_panel_timer()
    # The first step ran (labels); the record waits for a later turn.
    assert win.saved_label.text().startswith("Saved: ") and not calls
    assert win._steps
    qtbot.waitUntil(lambda: not win._steps, timeout=2000)
    assert calls == [1]
    assert win.acts["undo"].text().startswith("&Undo Type")


def test_keystroke_during_a_refresh_defers_the_rest(open_win, tmp_path, qtbot):
    w, _ = _open_long_after_short(open_win, tmp_path, qtbot)
    # The long document's panels fill a turn at a time; typing in between cuts that short
    # and the whole refresh follows the pause.
    w._panel_timer.stop()
    w._on_panel_timer()
    assert w._steps
    view = w.source
    view.set_cursor_offset(3)
    qtbot.keyClicks(view, "Z")
    assert not w._steps and w._owe_panels
    qtbot.waitUntil(lambda: w.marks.tree.topLevelItemCount() == 1000, timeout=3000)
    qtbot.waitUntil(lambda: not w._steps and not w._panel_timer.isActive(), timeout=3000)
    assert "place" in w.legend.text() and "person" in w.legend.text()
    assert w.fields.doc is w.doc


def test_undo_finishes_a_refresh_under_way(win, qtbot):
    view = win.source
    view.set_cursor_offset(view.text.index("Izvestia") + 3)
    qtbot.keyClicks(view, "Q")
    win._panel_timer.stop()
    win._on_panel_timer()
    assert win._steps
    win.undo()
    assert not win._steps
    assert "IzvQestia" not in view.text and "Izvestia" in view.text


def test_documents_list_follows_an_opened_document(win, qtbot):
    other = next(r.id for r in win.project.list_documents() if r.id != win.doc.id)
    win.open_document(other)
    assert win.doc.id == other
    qtbot.waitUntil(lambda: win.documents.current_id() == other, timeout=2000)


def test_typing_at_once_after_opening_a_long_document(open_win, tmp_path, qtbot):
    w, ids = _open_long_after_short(open_win, tmp_path, qtbot)
    view = w.source
    view.viewport().repaint()
    assert w._pending_spans is not None  # the other marks are not built yet
    view.setFocus()
    qtbot.keyClicks(view, "Q")  # the key itself has every mark built first
    assert w._pending_spans is None
    core = w.project.document(ids["Long"], source=False)
    assert core.text == view.text and view.text.startswith("Q")
    assert sorted((s.id, s.start, s.end) for s in core.spans if s.start is not None) == \
        sorted((s.id, s.start, s.end) for s in view.spans)


def test_first_paint_of_a_text_with_unusual_separators(open_win, tmp_path, qtbot):
    """Block ends read off the text only when the text's lines are Qt's blocks."""
    from emendo.core.model import Document, Span
    from emendo.core.project import Project

    text = "Line one\u2029still the first line for core\nSecond Izvestia line\n" * 200
    spans = [Span("org", m, m + 8) for m in range(text.index("Izvestia"), len(text),
                                                   len(text) // 200)][:400]
    path = tmp_path / "sep.emendo"
    with Project.open(path) as p:
        p.import_documents([Document(title="Seps", text=text, source_text=text,
                                     spans=spans)])
    w = open_win(path)
    w.open_document(w.project.list_documents()[0].id)
    qtbot.wait(10)
    w.source.viewport().repaint()
    first = spans[0]
    assert w.source.highlighted_kinds(first.start) == ["org"]
    assert w.source.highlighted_kinds(first.start - 1) == []


def test_a_document_opens_at_its_top_after_one_scrolled_to_its_end(open_win, tmp_path, qtbot):
    """The text is replaced without Qt's setPlainText: cursor and view still start at the top."""
    w, ids = _open_long_after_short(open_win, tmp_path, qtbot)
    view = w.source
    qtbot.wait(10)
    view.set_cursor_offset(len(view.text) - 3)
    bar = view.verticalScrollBar()
    bar.setValue(bar.maximum())
    qtbot.wait(10)
    assert view.firstVisibleBlock().blockNumber() > 0
    with Project.open(w.project.path) as p:  # a second long document, added from outside
        p.import_documents([Document(title="Long 2", text=view.text.replace("Word", "Wort"))])
    w.documents.set_documents(w.project.list_documents())
    w.open_document(next(r.id for r in w.project.list_documents() if r.title == "Long 2"))
    view.viewport().repaint()
    assert view.text.startswith("Wort0000")
    assert view.cursor_offset() == 0 and bar.value() == 0
    assert view.firstVisibleBlock().blockNumber() == 0
    assert view.textCursor().block().text().startswith("Wort0000")
    view.setFocus()
    qtbot.keyClicks(view, "Q")
    assert view.text.startswith("QWort0000") and view.cursor_offset() == 1
    qtbot.waitUntil(lambda: w.project.document(w.doc.id).text.startswith("QWort"), timeout=3000)


def test_marks_move_in_the_view_as_in_core_through_random_typing(open_win, tmp_path, qtbot):
    """Typing, deleting and replacing selections over overlapping marks: the view's spans
    (moved in place, the ones after the edit found by bisection) stay core's spans."""
    import random

    from PySide6.QtGui import QTextCursor

    words = [f"Name{i:03d}" for i in range(400)]
    text = "\n".join(" ".join(words[i:i + 6]) for i in range(0, len(words), 6))
    spans, at = [], 0
    for i, word in enumerate(words):  # a name per word; notes over runs of words
        k = text.index(word, at)
        spans.append(Span("person", k, k + len(word), {"name": word}))
        if i % 5 == 0:
            spans.append(Span("note", k, min(len(text), k + 40), {"note": f"n{i}"}))
        at = k + len(word)
    path = tmp_path / "overlap.emendo"
    with Project.open(path) as p:
        p.import_documents([Document(title="Names", text=text, spans=spans)])
    w = open_win(path)
    w.open_document(w.project.list_documents()[0].id)
    view = w.source
    qtbot.waitUntil(lambda: w._pending_spans is None and view._sorted, timeout=3000)
    assert len(view.spans) == len(spans)
    rnd = random.Random(11)
    view.setFocus()
    for step in range(40):
        # One to three edits, above or below each other, before anything reads the
        # marks (typing leaves the marks after it owed their shift); a repaint between.
        for _ in range(rnd.choice([1, 2, 3])):
            n = len(view.text)
            a = rnd.randrange(0, n)
            kind = rnd.choice(["type", "type", "backspace", "select-delete", "select-type"])
            cursor = view.textCursor()
            cursor.setPosition(view.to_qt(a))
            if kind.startswith("select"):
                cursor.setPosition(view.to_qt(min(n, a + rnd.randrange(1, 30))),
                                   QTextCursor.MoveMode.KeepAnchor)
            view.setTextCursor(cursor)
            if kind == "type":
                qtbot.keyClicks(view, rnd.choice(["x", "ab", " "]))
            elif kind in ("backspace", "select-delete"):
                qtbot.keyClick(view, Qt.Key.Key_Backspace)
            else:
                qtbot.keyClicks(view, "Q")
            if rnd.random() < 0.3:
                view.viewport().repaint()
        w.committer.drain()
        shown = [s for s in view.spans if s.start < 300]
        view.verticalScrollBar().setValue(0)
        view.viewport().repaint()  # the blocks on top highlighted where the marks now are
        assert all(s.kind in view.highlighted_kinds(s.start) for s in shown
                   if view.document().findBlock(view.to_qt(s.start)).layout().lineCount())
        core = w.project.document(w.doc.id, source=False)
        assert core.text == view.text, step
        mine = sorted((s.id, s.start, s.end, tuple(sorted(s.attrs.items()))) for s in view.spans)
        theirs = sorted((s.id, s.start, s.end, tuple(sorted(s.attrs.items())))
                        for s in core.spans if s.start is not None)
        assert mine == theirs, (step, kind)
    # Some edits landed inside names, which followed their text (as in core, above).
    assert any(s.kind == "person" and s.attrs["name"] not in words for s in view.spans)
    assert all(s.attrs["name"] == view.text[s.start:s.end] for s in view.spans
               if s.kind == "person")
