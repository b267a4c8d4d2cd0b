"""Data safety in the window: damaged files, risky folders, read-only projects."""
from __future__ import annotations

import random
from pathlib import Path

from gui_helpers import CORPUS, make_project
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction

from emendo.core import backup, store
from emendo.core.model import Document
from emendo.core.project import Project


def _many_documents(path: Path, n: int = 300) -> Path:
    with Project.open(path) as p:
        p.import_documents([Document(title=f"Cable {i}", text=f"Text of cable {i}. " * 40,
                                     date="1965-01-01") for i in range(n)])
    return path


def _scribble(path: Path, page: int | None = None, size: int = 4096) -> None:
    """Overwrite one interior page of the file with random bytes (the header survives)."""
    data = bytearray(path.read_bytes())
    pages = len(data) // size
    page = pages // 2 if page is None else page
    rnd = random.Random(5)
    for off in range(page * size, (page + 1) * size):
        data[off] = rnd.randrange(256)
    path.write_bytes(bytes(data))


def test_damaged_project_opens_read_only_with_banner(open_win, tmp_path, dialogs, qtbot):
    path = _many_documents(tmp_path / "many.emendo")
    db = store.connect(path)
    backup.snapshot(db, path, reason="good")
    db.close()
    _scribble(path)
    before = path.read_bytes()
    w = open_win(path)
    # Opened, read-only, no modal question asked.
    assert w.project is not None and w.project.readonly and w.project.damage
    assert not dialogs.asked and not dialogs.errors
    assert "(read-only)" in w.windowTitle()
    assert w.messages.isVisible()
    msg = w.messages.messages["damaged"]
    assert "damaged" in msg.text() and "read-only" in msg.text()
    assert w.project.damage[0] in msg.text()  # what quick_check found, listed
    assert not w.findChild(QAction, "actionMarkUnclear").isEnabled()
    assert not w.findChild(QAction, "actionCorrect").isEnabled()
    assert not w.findChild(QAction, "actionImport").isEnabled()
    assert w.source.isReadOnly()
    # Nothing was written to the damaged file.
    assert path.read_bytes() == before
    # The banner's button restores the backup: writable again, banner gone.
    button = msg.buttons["Restore from Backup…"]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert w.project is not None and not w.project.readonly and not w.project.damage
    assert "damaged" not in w.messages.messages
    assert "(read-only)" not in w.windowTitle()
    assert w.documents.model.rowCount() == 300
    assert w.findChild(QAction, "actionMarkUnclear").isEnabled()


def test_damaged_project_without_backup_still_opens(open_win, tmp_path, dialogs):
    path = _many_documents(tmp_path / "nobackup.emendo", 200)
    _scribble(path)
    w = open_win(path)
    assert w.project is not None and w.project.readonly
    text = w.messages.messages["damaged"].text()
    assert "no backup" in text.lower()
    assert not w.messages.messages["damaged"].buttons


def test_damaged_document_page_shows_what_can_be_read(open_win, tmp_path, dialogs):
    """Damage limited to one index page: the project opens read-only and lists documents."""
    files = [next(CORPUS.glob("000_*.txt")), next(CORPUS.glob("006_*.txt"))]
    path = make_project(tmp_path / "small.emendo", files)
    _scribble(path, page=2)
    w = open_win(path)
    assert w.project is not None and w.project.readonly
    # The scribbled page is found, said in the banner, and the list shows what can be read.
    assert w.project.damage and "damaged" in w.messages.messages
    assert w.project.damage[0] in w.messages.messages["damaged"].text()
    assert w.documents.model.rowCount() >= 1


def test_sync_folder_warning_shown_once(open_win, tmp_path, project_path, dialogs):
    folder = tmp_path / "Dropbox" / "research"
    folder.mkdir(parents=True)
    risky = folder / "cables.emendo"
    risky.write_bytes(project_path.read_bytes())
    w = open_win(risky)
    text = " ".join(w.messages.texts())
    assert "Dropbox" in text
    assert "Dropbox" in w.statusBar().currentMessage()
    # Opening another project and coming back does not repeat it.
    assert w.open_project_path(project_path)
    assert not any("Dropbox" in t for t in w.messages.texts())
    assert w.open_project_path(risky)
    assert not any("Dropbox" in t for t in w.messages.texts())


def test_network_filesystem_warning_from_injected_mounts(qtbot, tmp_path, project_path,
                                                         dialogs):
    from emendo.gui.app import open_window

    w = open_window(None, dialogs=dialogs)
    qtbot.addWidget(w)
    w.mounts_text = f"server:/export {tmp_path} nfs4 rw,relatime 0 0\n"
    assert w.open_project_path(project_path)
    msg = w.messages.messages["risky"]
    assert msg.isVisible() and "network filesystem" in msg.text() and "nfs4" in msg.text()
    # Dismissing it hides the bar.
    msg._close()
    assert not w.messages.isVisible()
    w.close()


def test_no_warning_on_a_local_disk(win):
    assert "risky" not in win.messages.messages
    assert not win.project.readonly and "(read-only)" not in win.windowTitle()


def test_damaged_marks_of_a_long_document_are_named_not_lost(open_win, tmp_path, qtbot):
    """Marks read after the first paint: damage there closes the document with a message."""
    import sqlite3

    from emendo.core.model import Span

    text = "\n".join(f"Line {i} with Kosygin and Izvestia." for i in range(400))
    spans = [Span("person", m, m + 7, {"note": f"n{m}"}) for m in
             range(text.index("Kosygin"), len(text), 35)][:400]
    path = tmp_path / "long.emendo"
    with Project.open(path) as p:
        p.import_documents([Document(title="Short", text="Short note."),
                            Document(title="Long", text=text, spans=spans)])
        long_id = next(r.id for r in p.list_documents() if r.title == "Long")
    conn = sqlite3.connect(path)
    conn.execute("UPDATE documents SET spans = replace(spans, '\"n', '\"') WHERE id = ?",
                 (long_id,))
    conn.execute("UPDATE documents SET spans = replace(spans, ',\"note\"', '') WHERE id = ?",
                 (long_id,))
    conn.execute("UPDATE documents SET spans = replace(spans, '}]}', '}') WHERE id = ?",
                 (long_id,))
    conn.commit()
    before = conn.execute("SELECT spans FROM documents WHERE id = ?", (long_id,)).fetchone()
    conn.close()
    w = open_win(path)
    w.open_document(long_id)
    w.source.viewport().repaint()  # the first paint reads only the columns it needs
    qtbot.waitUntil(lambda: w.doc is None, timeout=3000)
    assert "Long" in w.statusBar().currentMessage()
    assert "cannot be read" in w.statusBar().currentMessage()
    assert w.source.text == "" and w.source.isReadOnly()
    qtbot.wait(50)
    conn = sqlite3.connect(path)
    # Nothing written over the document.
    assert conn.execute("SELECT spans FROM documents WHERE id = ?", (long_id,)).fetchone() \
        == before
    conn.close()
    # The other document still opens.
    w.open_document(next(r.id for r in w.project.list_documents() if r.title == "Short"))
    assert w.doc is not None and w.source.text == "Short note."


def _foreign_lock(path: Path) -> None:
    """The lock a copied project brings from the computer it was open on."""
    import sqlite3

    con = sqlite3.connect(path)
    con.execute("INSERT OR REPLACE INTO lock (id, host, pid, since, token) "
                "VALUES (1, 'laptop-old', 4242, '2026-11-30T09:15:00.000+00:00', 'x')")
    con.commit()
    con.close()


def test_a_lock_from_another_computer_is_offered_for_take_over(open_win, tmp_path, dialogs):
    import os
    import socket

    path = _many_documents(tmp_path / "copied.emendo", 3)
    _foreign_lock(path)
    dialogs.answers["choose"] = "Take Over the Lock"
    w = open_win(path)
    title, text = dialogs.asked[-1]
    assert "another computer" in title
    assert "laptop-old" in text and "4242" in text and "2026-11-30 09:15:00" in text
    assert w.project is not None and not w.project.readonly
    assert w.project.took_over == ("laptop-old", 4242, "2026-11-30T09:15:00.000+00:00")
    assert store.lock_holder(w.project.db)[:2] == (socket.gethostname(), os.getpid())
    assert w.findChild(QAction, "actionMarkUnclear").isEnabled()
    assert "(read-only)" not in w.windowTitle()


def test_a_lock_from_another_computer_may_be_left_alone(open_win, tmp_path, dialogs):
    path = _many_documents(tmp_path / "copied.emendo", 3)
    _foreign_lock(path)
    before = path.read_bytes()
    dialogs.answers["choose"] = "Open Read-Only"
    w = open_win(path)
    assert w.project is not None and w.project.readonly
    w.close()
    dialogs.answers["choose"] = None  # the question closed: nothing opened
    w2 = open_win(path)
    assert w2.project is None
    assert path.read_bytes() == before
