"""Issue 3 items 1-9, one behaviour per test, driven through the window."""
from __future__ import annotations

from pathlib import Path

import pytest
from gui_helpers import CORPUS, make_project
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QAction, QDropEvent, QPalette
from PySide6.QtWidgets import QApplication, QLineEdit, QTableView, QWidget

from emendo.core.errors import WriteFailedError
from emendo.gui.marks import MARK_SPECS, kind_color

OBJECT_NAMES = ["sourceView", "documentList", "fieldsPanel", "priorityField", "stampsList",
                "handwrittenList", "distributionList", "spansList"]
ACTION_NAMES = ["actionMarkIllegible", "actionMarkUnclear", "actionMarkSupplied",
                "actionMarkUnderline", "actionMarkHandwritten", "actionMarkStamp",
                "actionMarkPerson", "actionMarkPlace", "actionMarkOrg", "actionMarkDate",
                "actionMarkNote", "actionCorrect", "actionUndo", "actionRedo", "actionExport",
                "actionFind"]


def _select(w, needle: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = w.source.text.index(needle, start + 1)
    w.source.set_cursor_offset(start, start + len(needle))
    return start, start + len(needle)


def test_object_names(win):
    for name in OBJECT_NAMES:
        assert win.findChild(QWidget, name) is not None, name
    for name in ACTION_NAMES:
        act = win.findChild(QAction, name)
        assert act is not None, name
        assert act.shortcut().toString(), name  # every one has a keyboard shortcut


def test_documents_list_filter_and_sort(win, qtbot):
    table = win.findChild(QTableView, "documentList")
    assert table.model().rowCount() == 3
    qtbot.keyClicks(win.documents.filter, "Ciphergram")
    shown = [table.model().index(r, 0).data() for r in range(table.model().rowCount())]
    # Exactly one of the three documents is a ciphergram (017, the Polish one).
    assert len(shown) == 1 and "iphergram" in shown[0], shown
    win.documents.filter.clear()
    table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    dates = [table.model().index(r, 1).data() for r in range(table.model().rowCount())]
    assert dates == sorted(dates)
    # Clicking another row opens that document.
    other = next(r for r in range(3) if table.model().index(r, 1).data() != "1965-04-17")
    rect = table.visualRect(table.model().index(other, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert win.doc.date == table.model().index(other, 1).data()


def test_source_view_offsets_match_core(win):
    assert win.source.text == win.doc.text
    assert win.source.document().characterCount() - 1 == len(win.doc.text)
    # Every anchored span on screen is highlighted as it is painted.
    anchored = [s for s in win.doc.spans if s.anchored]
    view = win.source
    view.viewport().repaint()
    first = min(anchored, key=lambda s: s.start)
    assert first.kind in view.highlighted_kinds(first.start)
    # Scrolling to the end highlights the spans there.
    last = max(anchored, key=lambda s: s.end)
    view.set_cursor_offset(last.end)
    bar = view.verticalScrollBar()
    bar.setValue(bar.maximum())
    view.viewport().repaint()
    assert last.kind in view.highlighted_kinds(last.start)


def test_field_click_shows_origin_and_cursor_shows_fields(win, qtbot):
    qtbot.mouseClick(win.fields.editors["priority"], Qt.MouseButton.LeftButton)
    a, b = win.source.selection_range()
    assert win.source.text[a:b] == "Priority: Urgent"
    # Clicking a mark in the list and double-clicking jumps to it.
    tree = win.marks.tree
    item = next(tree.topLevelItem(i) for i in range(tree.topLevelItemCount())
                if tree.topLevelItem(i).text(0) == "handwritten")
    tree.itemDoubleClicked.emit(item, 0)
    a, b = win.source.selection_range()
    assert win.source.text[a:b] == "[handwritten 487]"
    # Moving the cursor into the stamp selects it in the stamps list and the marks list.
    win.source.set_cursor_offset(win.source.text.index("Soviet Union #1631"))
    qtbot.waitUntil(lambda: win.fields.stamps.topLevelItem(0).isSelected(), timeout=2000)
    assert win.fields.stamps.topLevelItem(0).isSelected()
    assert any(tree.topLevelItem(i).isSelected() and tree.topLevelItem(i).text(0) == "stamp"
               for i in range(tree.topLevelItemCount()))
    assert win.fields.labels["priority"].font().bold() is False


def test_tooltip_names_kind_and_note(win):
    spans = win.source.spans_at(win.source.text.index("April 16th") + 2)
    tip = win.source._tooltip(spans)
    assert "underline" in tip and "date underlined by hand" in tip


@pytest.mark.parametrize("spec", MARK_SPECS, ids=[s.kind for s in MARK_SPECS])
def test_every_mark_action(win, spec):
    win.dialogs.answers["mark_note"] = "a note"
    a, b = _select(win, "Pravda")
    win.findChild(QAction, f"actionMark{spec.name}").trigger()
    made = [s for s in win.doc.spans if s.kind == spec.kind and (s.start, s.end) == (a, b)]
    assert len(made) == 1
    assert win.project.document(win.doc.id).spans == win.doc.spans
    if spec.asks_note:
        assert "a note" in (made[0].attrs.get("note"), made[0].attrs.get("reason"))
    # It shows in the marks list with its text.
    tree = win.marks.tree
    assert any(tree.topLevelItem(i).text(1) == "Pravda" for i in range(tree.topLevelItemCount()))


def test_marks_overlap_edit_remove_and_context_menu(win):
    _select(win, "Red Flag Digest")
    win.findChild(QAction, "actionMarkOrg").trigger()
    _select(win, "Red Flag")
    win.findChild(QAction, "actionMarkIllegible").trigger()
    kinds = {s.kind for s in win.source.spans_at(win.source.text.index("Red Flag") + 1)}
    assert {"org", "illegible"} <= kinds
    # Edit the innermost mark at the cursor: becomes "unclear" with a note.
    win.source.set_cursor_offset(win.source.text.index("Red Flag") + 1)
    win.dialogs.answers["edit_mark"] = ("unclear", "ink blot")
    win.findChild(QAction, "actionEditMark").trigger()
    edited = [s for s in win.doc.spans if s.kind == "unclear"]
    assert edited and edited[0].attrs["note"] == "ink blot"
    win.findChild(QAction, "actionRemoveMark").trigger()
    assert not [s for s in win.doc.spans if s.kind == "unclear"]
    assert win.source.context_actions == win.mark_actions
    # Nothing selected: no mark, a hint instead.
    win.source.set_cursor_offset(10)
    n = len(win.doc.spans)
    win.findChild(QAction, "actionMarkPerson").trigger()
    assert len(win.doc.spans) == n


def test_correct_fix_and_sic_and_history_revert(win, qtbot):
    _select(win, "discus the")
    win.dialogs.answers["correct"] = ("discuss the", "fix", "typo")
    win.findChild(QAction, "actionCorrect").trigger()
    assert "to discuss the Laos" in win.source.text
    entries = win.project.history(win.doc.id)
    assert entries[-1].op == "correct" and entries[-1].reason == "typo"
    _select(win, "Ho Chi Min'")
    win.dialogs.answers["correct"] = ("Ho Chi Minh'", "sic", "")
    win.findChild(QAction, "actionCorrect").trigger()
    sic = [s for s in win.doc.spans if s.kind == "sic"]
    assert sic and sic[-1].attrs["corr"] == "Ho Chi Minh'"
    assert "Ho Chi Min's" in win.source.text  # the text keeps the original
    # History lists both, and shows the diff against the imported text.
    win.docks["history"].raise_()
    qtbot.wait(20)
    labels = [win.history.list.topLevelItem(i).text(0)
              for i in range(win.history.list.topLevelItemCount())]
    assert any("discus" in t for t in labels) and any("sic" in t for t in labels)
    assert "discuss" in win.history.diff.toPlainText()
    # Revert the fix (not the latest change).
    lst = win.history.list
    item = next(lst.topLevelItem(i) for i in range(lst.topLevelItemCount())
                if "discus" in lst.topLevelItem(i).text(0))
    lst.setCurrentItem(item)
    win.history.revert_button.click()
    assert "to discus the Laos" in win.source.text
    assert [s for s in win.doc.spans if s.kind == "sic"]


def test_typing_moves_spans_and_merges(win, qtbot):
    hw = next(s for s in win.doc.spans if s.kind == "handwritten")
    win.source.set_cursor_offset(0)
    qtbot.keyClicks(win.source, "abc")
    stored = win.project.document(win.doc.id)
    moved = next(s for s in stored.spans if s.id == hw.id)
    assert stored.text[moved.start:moved.end] == "[handwritten 487]"
    assert win.source.text == stored.text
    assert win.project.undo_label().startswith("Type")  # three keys, one step
    win.findChild(QAction, "actionUndo").trigger()
    assert win.source.text == win.project.document(win.doc.id).text
    assert not win.source.text.startswith("abc")
    # Enter and Backspace map to core edits too.
    win.source.set_cursor_offset(win.source.text.index("However"))
    qtbot.keyClick(win.source, Qt.Key.Key_Return)
    qtbot.keyClick(win.source, Qt.Key.Key_Backspace)
    assert win.project.document(win.doc.id).text == win.source.text


def test_fields_edit_priority_and_lists(win, qtbot):
    combo = win.fields.priority
    assert combo.findText("Urgent") >= 0  # offered from the project
    combo.lineEdit().selectAll()
    qtbot.keyClicks(combo.lineEdit(), "Very Urgent")
    qtbot.keyClick(combo.lineEdit(), Qt.Key.Key_Return)
    assert win.project.document(win.doc.id).field_value("priority") == "Very Urgent"
    win.dialogs.answers["stamp"] = {"type": "stamp", "text": "Received", "number": "12"}
    win.fields._add_stamp()
    assert win.fields.stamps.topLevelItemCount() == 2
    win.dialogs.answers["text"] = "Archive copy"
    win.fields._add_hand()
    assert win.fields.hands.count() == 2
    dist = win.fields.dist
    first = dist.topLevelItem(0)
    dist.setCurrentItem(first.child(0))
    win.fields._add_recipient()
    assert dist.topLevelItem(0).child(first.childCount() - 1 if False else
                                      dist.topLevelItem(0).childCount() - 1).text(0) == "Archive copy"
    names = [dist.topLevelItem(0).child(i).text(0) for i in range(3)]
    dist.setCurrentItem(dist.topLevelItem(0).child(0))
    win.fields._move(1)
    after = [dist.topLevelItem(0).child(i).text(0) for i in range(3)]
    assert after == [names[1], names[0], names[2]]
    dist.setCurrentItem(dist.topLevelItem(0).child(0))
    win.fields._remove_selected(dist)
    assert dist.topLevelItem(0).child(0).text(0) == names[0]
    # Title edit updates the documents list.
    title = win.fields.editors["title"]
    title.setText("A shorter title")
    title.editingFinished.emit()
    assert any(r.title == "A shorter title" for r in win.project.list_documents())
    assert win.documents.model.rows and any(r.title == "A shorter title"
                                            for r in win.documents.model.rows)


def test_status_bar_says_saved_and_layout_restored(open_win, project_path, qtbot):
    w = open_win(project_path)
    w.source.set_cursor_offset(5)
    qtbot.keyClicks(w.source, "x")
    qtbot.waitUntil(lambda: w.saved_label.text().startswith("Saved"), timeout=3000)
    w.docks["history"].hide()
    w.source.set_cursor_offset(5)
    qtbot.keyClicks(w.source, "y")
    w.close()  # at once: the pending commit still lands before the project is closed
    w2 = open_win(project_path)
    assert not w2.docks["history"].isVisible()
    assert w2.source.cursor_offset() == 6
    assert w2.source.text[5:7] == "yx"


def test_find_highlights_all_hits(win, qtbot):
    win.findChild(QAction, "actionFind").trigger()
    qtbot.keyClicks(win.find_bar.edit, "Vietnam")
    n = win.source.text.count("Vietnam")
    assert len(win._find_hits) == n > 3
    assert len(win.source._find_sel) == n
    qtbot.keyClick(win.find_bar.edit, Qt.Key.Key_Return)
    a, b = win.source.selection_range()
    assert win.source.text[a:b] == "Vietnam"
    qtbot.keyClick(win.find_bar.edit, Qt.Key.Key_Escape)
    assert win.source._find_sel == []


def test_import_by_action_and_drop(win, dialogs):
    dialogs.answers["import_files"] = [next(CORPUS.glob("020_*.txt"))]
    win.findChild(QAction, "actionImport").trigger()
    assert win.documents.model.rowCount() == 4
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(next(CORPUS.glob("027_*.txt"))))])
    drop = QDropEvent(QPointF(50, 50), Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    win.dropEvent(drop)
    assert win.documents.model.rowCount() == 5
    win.findChild(QAction, "actionUndo").trigger()  # undo an import
    assert win.documents.model.rowCount() == 4


def test_new_and_open_project(win, dialogs, tmp_path):
    dialogs.answers["new_project"] = tmp_path / "fresh.emendo"
    win.findChild(QAction, "actionNewProject").trigger()
    assert win.project.path.name == "fresh.emendo" and win.documents.model.rowCount() == 0
    assert win.doc is None
    other = make_project(tmp_path / "other.emendo", [next(CORPUS.glob("003_*.txt"))])
    dialogs.answers["open_project"] = other
    win.findChild(QAction, "actionOpenProject").trigger()
    assert win.project.path == other and win.doc is not None
    win.fill_recent_menu()
    assert any("fresh.emendo" in a.text() for a in win.recent_menu.actions())


def test_write_failure_shows_message_and_reloads(win, dialogs, monkeypatch, qtbot):
    before = win.source.text

    def fail(*a, **k):
        raise WriteFailedError("cannot write to test.emendo: disk I/O error")

    monkeypatch.setattr(win.project, "edit_text", fail)
    win.source.set_cursor_offset(3)
    qtbot.keyClicks(win.source, "ZZZ")  # the second and third are dropped, typed on the first
    qtbot.waitUntil(lambda: bool(dialogs.errors), timeout=3000)
    assert len(dialogs.errors) == 1 and "disk I/O error" in dialogs.errors[-1][1]
    assert win.source.text == before == win.project.document(win.doc.id).text
    assert "NOT saved" in win.saved_label.text()


def test_restore_from_backup(win, dialogs):
    from emendo.core import backup

    backup.snapshot(win.project.db, win.project.path, reason="test")
    win.source.set_cursor_offset(0)
    win.run(lambda p: p.edit_text(win.doc.id, 0, 0, "CHANGED "))
    assert win.source.text.startswith("CHANGED")
    win.findChild(QAction, "actionRestoreBackup").trigger()
    assert not win.source.text.startswith("CHANGED")
    assert not win.project.readonly


def test_damaged_project_opens_read_only(open_win, project_path, dialogs, tmp_path):
    from emendo.core import backup, store

    db = store.connect(project_path)
    backup.snapshot(db, project_path, reason="good")
    db.close()
    data = bytearray(project_path.read_bytes())
    for off in range(4096, min(len(data), 4096 * 6)):  # wreck some pages, keep the header
        data[off] = 0xFF
    project_path.write_bytes(bytes(data))
    w = open_win(project_path)
    # Opened read-only with a message over the editor (or, when unreadable, a question).
    if w.project is not None:
        assert w.project.path == project_path and w.project.readonly
        assert "damaged" in w.messages.messages
    else:
        assert dialogs.asked or dialogs.errors


def test_export_dialog_and_preview(win, tmp_path, qtbot):
    win.findChild(QAction, "actionExport").trigger()
    d = win.export_window
    assert d.isVisible()
    d.format.setCurrentIndex(d.format.findData("tei"))
    d.dest.setText(str(tmp_path / "out.xml"))
    d.export_button.click()
    out = tmp_path / "out.xml"
    assert out.exists() and "<TEI" in out.read_text(encoding="utf-8")
    assert d.progress.value() == d.progress.maximum()
    d.close()
    win.docks["preview"].show()
    win.docks["preview"].raise_()
    win.preview.show_document(win.doc, win.edition_context())
    shown = win.preview.toPlainText()
    assert "Izvestia" in shown and "not available" not in shown, shown[:200]


def test_help_shortcuts_about_and_accessibility(win):
    d = win.show_shortcuts()
    table = d.findChild(QWidget, "shortcutsTable")
    rows = {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}
    assert "Illegible" in rows and "Correct…" in rows and rows["Find…"]
    d.close()
    for w in win.findChildren(QLineEdit) + [win.source, win.marks.tree]:
        if w.isVisible() and w.objectName() not in ("", "qt_spinbox_lineedit"):
            assert w.accessibleName() or w.parent().accessibleName(), w.objectName()
    import tomllib

    from emendo.gui.app import version

    pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
    assert version() == tomllib.loads(pyproject.read_text())["project"]["version"]


def test_dark_palette_colours(win):
    pal = QPalette()
    pal.setColor(QPalette.ColorRole.Base, Qt.GlobalColor.black)
    pal.setColor(QPalette.ColorRole.Text, Qt.GlobalColor.white)
    dark = kind_color("unclear", pal)
    light = kind_color("unclear", QApplication.palette()) if \
        QApplication.palette().color(QPalette.ColorRole.Base).lightnessF() > 0.5 else None
    assert dark.lightnessF() < 0.5
    if light is not None:
        assert light.lightnessF() > 0.7


def test_sample_project_opens_on_start(monkeypatch, tmp_path, qtbot, dialogs):
    from emendo.gui import app
    from emendo.gui.settings import Settings

    path = app.default_project(Settings())
    assert path is not None, "the sample project could not be made"
    w = app.open_window(path, dialogs=dialogs)
    qtbot.addWidget(w)
    assert w.doc is not None and "Izvestia" in "".join(
        w.project.document(r.id).text for r in w.project.list_documents())
    w.close()
    assert Path(path).exists()


def test_fields_panel_refresh_touches_only_what_changed(win, qtbot):
    panel = win.fields
    dist = panel.dist
    top = dist.topLevelItem(0)
    child = top.child(1)
    name = child.text(0)
    stamp_item = panel.stamps.topLevelItem(0)
    # Typing elsewhere: after the pause every item is the one it was.
    win.source.set_cursor_offset(win.source.text.index("However"))
    qtbot.keyClicks(win.source, "xy")
    win._after_typing()
    assert dist.topLevelItem(0).child(1) is child and child.text(0) == name
    # A recipient renamed: the same item shows the new name (no rebuild of the lists).
    doc = win.project.document(win.doc.id)
    sid = int(child.data(0, Qt.ItemDataRole.UserRole))
    next(s for s in doc.spans if s.id == sid).attrs["name"] = "Peng Dehuai"
    panel.set_document(doc)
    assert dist.topLevelItem(0).child(1) is child and child.text(0) == "Peng Dehuai"
    assert panel.stamps.topLevelItem(0) is stamp_item
    # A refresh that changes nothing leaves every item and value as it is.
    panel.set_document(doc)
    assert dist.topLevelItem(0) is top and panel.stamps.topLevelItem(0) is stamp_item
    # Fields the typing reached change their value; a new list item rebuilds the lists.
    win.dialogs.answers["text"] = "Archive copy"
    win.fields._add_hand()
    assert panel.hands.count() == 2 and dist.topLevelItem(0) is not top


def test_a_rejected_drop_shows_the_record_again(win):
    dist = win.fields.dist
    first = dist.topLevelItem(0)
    names = [first.child(i).text(0) for i in range(first.childCount())]
    moved = first.takeChild(0)  # what a drag does to the tree before the window hears of it
    first.addChild(moved)
    win.fields._reorder(int(first.data(0, Qt.ItemDataRole.UserRole)), [])  # rejected
    first = dist.topLevelItem(0)
    assert [first.child(i).text(0) for i in range(first.childCount())] == names
