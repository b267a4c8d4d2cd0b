"""The window's actions, menus and toolbar (built once; the window connects them)."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import QMenu, QToolBar

from emendo.gui.marks import MARK_SPECS

if TYPE_CHECKING:
    from emendo.gui.main_window import MainWindow

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"


def icon(name: str) -> QIcon:
    """An SVG icon from resources/icons (themed icon first when the desktop has one)."""
    path = ICONS / f"{name}.svg"
    if not path.exists():
        try:
            import emendo.resources as res

            path = Path(res.__file__).parent / "icons" / f"{name}.svg"
        except ImportError:
            pass
    return QIcon(str(path)) if path.exists() else QIcon()


def _action(w: MainWindow, name: str, text: str, slot: Callable[[], object],
            shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
            icon_name: str = "",
            tip: str = "") -> QAction:
    act = QAction(text, w)
    act.setObjectName(name)
    if icon_name:
        act.setIcon(icon(icon_name))
    if shortcut is not None:
        if isinstance(shortcut, list):
            act.setShortcuts(shortcut)
        else:
            act.setShortcut(QKeySequence(shortcut))
    act.setToolTip(tip or text.replace("&", "").replace("…", ""))
    act.setStatusTip(tip or text.replace("&", "").replace("…", ""))
    act.triggered.connect(lambda _checked=False: slot())
    w.addAction(act)  # shortcuts work even when the menu bar is hidden
    return act


def build_actions(w: MainWindow) -> None:
    """Create every action, menu and the toolbar of the window."""
    t = w.tr
    SK = QKeySequence.StandardKey
    a = w.acts = {}
    a["new"] = _action(w, "actionNewProject", t("&New Project…"), w.new_project, SK.New,
                       "project-new")
    a["open"] = _action(w, "actionOpenProject", t("&Open Project…"), w.open_project_dialog,
                        SK.Open, "project-open")
    a["import"] = _action(w, "actionImport", t("&Import Files…"), w.import_dialog,
                          "Ctrl+I", "import", t("Import transcriptions into the project"))
    a["export"] = _action(w, "actionExport", t("&Export Edition…"), w.export_dialog,
                          "Ctrl+E", "export", t("Export an annotated edition"))
    a["restore"] = _action(w, "actionRestoreBackup", t("&Restore from Backup…"),
                           w.restore_backup)
    a["quit"] = _action(w, "actionQuit", t("&Quit"), w.close, SK.Quit)
    a["undo"] = _action(w, "actionUndo", t("&Undo"), w.undo, SK.Undo, "undo")
    a["redo"] = _action(w, "actionRedo", t("&Redo"), w.redo,
                        [QKeySequence(SK.Redo), QKeySequence("Ctrl+Y")]
                        if QKeySequence(SK.Redo) != QKeySequence("Ctrl+Y")
                        else QKeySequence(SK.Redo), "redo")
    a["correct"] = _action(w, "actionCorrect", t("&Correct…"), w.correct, "Ctrl+Shift+C",
                           "correct", t("Correct the selected text"))
    a["find"] = _action(w, "actionFind", t("&Find…"), w.find, SK.Find, "find",
                        t("Find in the document"))
    a["find_next"] = _action(w, "actionFindNext", t("Find &Next"), lambda: w.find_step(1),
                             SK.FindNext)
    a["find_prev"] = _action(w, "actionFindPrevious", t("Find Pre&vious"),
                             lambda: w.find_step(-1), SK.FindPrevious)
    a["search"] = _action(w, "actionSearchProject", t("&Search Project…"), w.search_project,
                          "Ctrl+Shift+F", "search", t("Search all documents"))
    a["edit_mark"] = _action(w, "actionEditMark", t("&Edit Mark…"), w.edit_mark_at_cursor,
                             "Ctrl+Shift+E")
    a["remove_mark"] = _action(w, "actionRemoveMark", t("&Remove Mark"),
                               w.remove_mark_at_cursor, "Ctrl+Shift+R")
    a["shortcuts"] = _action(w, "actionShortcuts", t("&Keyboard Shortcuts"), w.show_shortcuts,
                             "F1")
    a["about"] = _action(w, "actionAbout", t("&About Emendo"), w.show_about)
    a["layout"] = _action(w, "actionResetLayout", t("Reset &Layout"), w.reset_layout)
    w.mark_actions = []
    for spec in MARK_SPECS:
        act = _action(w, f"actionMark{spec.name}", t(spec.label),
                      lambda s=spec: w.mark(s), spec.shortcut, spec.icon,
                      t("Mark the selection: {0}").format(t(spec.label).rstrip("…")))
        w.mark_actions.append(act)
    for act in w.mark_actions + [a["correct"], a["edit_mark"], a["remove_mark"]]:
        act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)

    mb = w.menuBar()
    m = mb.addMenu(t("&File"))
    m.addActions([a["new"], a["open"]])
    w.recent_menu = QMenu(t("Open &Recent"), w)
    w.recent_menu.setObjectName("menuRecent")
    w.recent_menu.aboutToShow.connect(w.fill_recent_menu)
    m.addMenu(w.recent_menu)
    m.addSeparator()
    m.addActions([a["import"], a["export"]])
    m.addSeparator()
    m.addAction(a["restore"])
    m.addSeparator()
    m.addAction(a["quit"])
    m = mb.addMenu(t("&Edit"))
    m.addActions([a["undo"], a["redo"]])
    m.addSeparator()
    m.addAction(a["correct"])
    m.addSeparator()
    m.addActions([a["find"], a["find_next"], a["find_prev"], a["search"]])
    m = mb.addMenu(t("&Mark"))
    m.addActions(w.mark_actions)
    m.addSeparator()
    m.addActions([a["edit_mark"], a["remove_mark"]])
    w.view_menu = mb.addMenu(t("&View"))
    m = mb.addMenu(t("&Help"))
    m.addActions([a["shortcuts"], a["about"]])

    tb = QToolBar(t("Main toolbar"), w)
    tb.setObjectName("mainToolbar")
    tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    tb.addActions([a["undo"], a["redo"]])
    tb.addSeparator()
    tb.addActions(w.mark_actions[:4])
    tb.addAction(a["correct"])
    tb.addSeparator()
    tb.addActions([a["find"], a["search"], a["export"]])
    w.addToolBar(tb)
    tb2 = QToolBar(t("Semantic marks"), w)
    tb2.setObjectName("semanticToolbar")
    tb2.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
    tb2.addActions(w.mark_actions[4:])
    w.addToolBar(tb2)
    w.toolbars = [tb, tb2]
