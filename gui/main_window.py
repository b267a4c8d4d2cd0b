"""The main window: documents, the transcription, its record, marks, history, search."""
from __future__ import annotations

import gc
import sqlite3
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QByteArray, Qt, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QDockWidget,
    QLabel,
    QMainWindow,
    QVBoxLayout,
    QWidget,
)

from emendo.core.codec import StoredSpans
from emendo.core.errors import (
    EmendoError,
    NothingToUndoError,
    ReadOnlyProjectError,
    WriteFailedError,
)
from emendo.core.model import Document
from emendo.core.project import Change, Project
from emendo.gui.actions import build_actions, icon
from emendo.gui.dialogs import Dialogs
from emendo.gui.doc_list import DocumentsPanel
from emendo.gui.export import ExportDialog, PreviewPanel, editions
from emendo.gui.fields_panel import FieldsPanel
from emendo.gui.history import HistoryPanel
from emendo.gui.main_window_files import FilesMixin
from emendo.gui.main_window_typing import PANEL_DELAY_MS, PANEL_RETRY_MS, TypingMixin
from emendo.gui.marks import MarkSpec
from emendo.gui.marks_panel import MarksPanel
from emendo.gui.message_bar import MessageBar
from emendo.gui.search import FindBar, SearchPanel, find_all
from emendo.gui.settings import Settings
from emendo.gui.source_view import DEFER_OVER, Legend, SourceView


def settle_garbage() -> None:
    """Collect cyclic garbage now, while idle, then freeze what survives.

    Python's full collection walks every live object (tens of thousands in a window
    with a 1,000-mark document) and would otherwise run in the middle of a keystroke,
    blocking it for 20-40 ms. Frozen objects are left out of later collections, so
    each one only walks what was made since; it runs when typing pauses.
    """
    gc.collect()
    gc.freeze()


class MainWindow(TypingMixin, FilesMixin, QMainWindow):
    """One project in one window; every change goes through a core operation."""

    def __init__(self, project: Project | None, settings: Settings,
                 dialogs: Dialogs | None = None) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self._init_commits()
        self.project = None
        self.doc = None
        self.settings = settings
        self.dialogs = dialogs or Dialogs(self)
        self._find_hits: list[tuple[int, int]] = []
        self._find_current = -1
        self.export_window: ExportDialog | None = None
        self.shortcuts_window: QDialog | None = None
        self.setWindowIcon(icon("emendo"))
        self.setAcceptDrops(True)
        self.setDockNestingEnabled(True)

        # Centre: find bar, editor, legend.
        centre = QWidget(self)
        lay = QVBoxLayout(centre)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        self.find_bar = FindBar(centre)
        self.find_bar.hide()
        self.find_bar.searchChanged.connect(self._find_changed)
        self.find_bar.nextRequested.connect(self.find_step)
        self.find_bar.closed.connect(self._find_closed)
        self.source = SourceView(centre)
        self.source.on_pending = self._finish_open
        self.source.textEdited.connect(self._on_text_edited)
        self.source.spansAtCursor.connect(self._on_cursor_spans)
        self.source.undoRequested.connect(self.undo)
        self.source.redoRequested.connect(self.redo)
        self.legend = Legend(centre)
        self.messages = MessageBar(centre)
        # /proc/mounts text for the risky-place check (None: the real one; tests set it).
        self.mounts_text: str | None = None
        self._warned_places: set[str] = set()
        self._unreadable: list[str] = []
        lay.addWidget(self.messages)
        lay.addWidget(self.find_bar)
        lay.addWidget(self.source, 1)
        lay.addWidget(self.legend)
        self.setCentralWidget(centre)

        # Docks.
        self.documents = DocumentsPanel(self)
        self.documents.documentActivated.connect(self.open_document)
        self.fields = FieldsPanel(self.run, self.dialogs, self)
        self.fields.rangeRequested.connect(self.show_range)
        self.marks = MarksPanel(self.run, self.dialogs, self)
        self.marks.rangeRequested.connect(self.show_range)
        self.history = HistoryPanel(self.run, self)
        self.search = SearchPanel(self._search, self)
        self.search.hitActivated.connect(self.open_hit)
        self.preview = PreviewPanel(self)
        self.docks: dict[str, QDockWidget] = {}
        left = Qt.DockWidgetArea.LeftDockWidgetArea
        right = Qt.DockWidgetArea.RightDockWidgetArea
        bottom = Qt.DockWidgetArea.BottomDockWidgetArea
        # Side panels run the full height; marks, history and preview sit under the text.
        self.setCorner(Qt.Corner.BottomLeftCorner, left)
        self.setCorner(Qt.Corner.BottomRightCorner, right)
        self._dock("documents", self.tr("Documents"), self.documents, left)
        self._dock("search", self.tr("Search"), self.search, left)
        self._dock("fields", self.tr("Record"), self.fields, right)
        self._dock("marks", self.tr("Marks"), self.marks, bottom)
        self._dock("history", self.tr("History"), self.history, bottom)
        self._dock("preview", self.tr("Edition Preview"), self.preview, bottom)
        self.docks["documents"].raise_()
        self.docks["marks"].raise_()
        self._history_stale = True
        self.docks["history"].visibilityChanged.connect(
            lambda visible: visible and self._history_stale and self._refresh_history())
        self.docks["preview"].visibilityChanged.connect(
            lambda visible: visible and self._refresh_preview())

        build_actions(self)
        for name in ("documents", "search", "fields", "marks", "history", "preview"):
            self.view_menu.addAction(self.docks[name].toggleViewAction())
        self.view_menu.addSeparator()
        for tb in self.toolbars:
            self.view_menu.addAction(tb.toggleViewAction())
        self.view_menu.addSeparator()
        self.view_menu.addAction(self.acts["layout"])
        self.source.context_actions = self.mark_actions
        self.source.context_extra = [self.acts["correct"], self.acts["edit_mark"],
                                     self.acts["remove_mark"]]

        self.saved_label = QLabel(self)
        self.saved_label.setObjectName("savedLabel")
        self.saved_label.setAccessibleName(self.tr("Save state"))
        self.statusBar().addPermanentWidget(self.saved_label)
        self._panel_timer = QTimer(self)
        self._panel_timer.setSingleShot(True)
        self._panel_timer.setInterval(PANEL_DELAY_MS)
        self._panel_timer.timeout.connect(self._on_panel_due)
        self._typing = False
        self._typed_label = ""
        self._steps: list[Callable[[], Any]] = []
        self._steps_full = False
        self._owe_panels = False
        self._step_token = 0
        self._saved_typing = self.tr("Saved: typing…")

        self.resize(1400, 900)
        geometry, state = settings.geometry(), settings.state()
        if geometry is not None:
            self.restoreGeometry(geometry)
        # The default layout only when there is no saved one: tabifying and then
        # restoring leaves the first layout's tab bars painted over the docks.
        if state is None or not self.restoreState(state):
            self._default_layout()
        self.set_project(project)
        # Freeze the window as built, once settled: the first full collection otherwise
        # walks all of it (20 ms) at the first pause in typing, if typing began before
        # the opened document's panels had settled.
        QTimer.singleShot(0, settle_garbage)

    def _dock(self, name: str, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> None:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"{name}Dock")
        dock.setWidget(widget)
        dock.setAccessibleName(title)
        self.addDockWidget(area, dock)
        self.docks[name] = dock

    # --- project ---------------------------------------------------------------------------

    @property
    def readonly(self) -> bool:
        """True when the project is open read-only (in use elsewhere, or damaged)."""
        return self.project is None or self.project.readonly

    def set_project(self, project: Project | None) -> None:
        """Show a project (closing the one shown), restoring its last document and cursor."""
        if self.project is not None and project is not self.project.real:
            self._remember_place()
            self.project.close()
        self.project = project
        self.doc = None
        self._update_title()
        self.messages.clear()
        if project is None:
            self.documents.set_documents([])
            self._show_doc(None)
            self._update_actions()
            return
        self.settings.add_recent(project.path)
        self._unreadable: list[str] = []
        self.fields.set_priorities(self._read(project.priorities, []))
        rows = self._read(project.list_documents, [])
        self.documents.set_documents(rows)
        last, cursor = self.settings.last_document(project.path)
        ids = {r.id for r in rows}
        target = last if last in ids else (rows[0].id if rows else None)
        if target is not None:
            self.open_document(target, cursor if target == last else 0)
        else:
            self._show_doc(None)
        self._update_actions()
        if project.readonly:
            self.saved_label.setText(self.tr("Read-only: changes cannot be saved"))
        else:
            self.saved_label.setText(self.tr("All changes saved"))
        self._show_project_messages(project)

    def _read(self, fn: Callable[[], Any], default: Any) -> Any:
        """A read that a damaged file may fail: the default, and the failure noted."""
        try:
            return fn()
        except (EmendoError, sqlite3.DatabaseError) as exc:
            note = str(exc)
            if note not in self._unreadable:
                self._unreadable.append(note)
            return default

    def _show_project_messages(self, project: Project) -> None:
        """Damage, read-only state, a risky folder, a failed backup: said once, not modal."""
        from emendo.core import backup, safety

        restore = [(self.tr("Restore from Backup…"), self.restore_backup)] \
            if backup.list_backups(project.path) else []
        damage = list(getattr(project, "damage", []) or [])
        if damage or project.readonly:
            damage += [self.tr("cannot read: {0}").format(u) for u in self._unreadable]
        if damage:
            shown = "\n".join(f"• {d}" for d in damage[:5])
            more = len(damage) - 5
            if more > 0:
                shown += "\n" + self.tr("• … and {0} more").format(more)
            advice = (self.tr("Restore a backup to go on working.") if restore else
                      self.tr("There is no backup of it; export what you need."))
            self.messages.show_message("damaged", "error", self.tr(
                "{0} is damaged, so it is open read-only: you can read and export, and "
                "nothing will be written to it. The file check found:\n{1}\n{2}").format(
                    project.path.name, shown, advice), restore)
        elif project.readonly:
            self.messages.show_message("readonly", "info", self.tr(
                "{0} is open read-only: you can read and export but not change it.").format(
                    project.path.name))
        key = str(project.path)
        if key not in self._warned_places:
            try:
                risk = safety.risky_location(project.path, self.mounts_text)
            except OSError:
                risk = None
            if risk:
                self._warned_places.add(key)
                self.messages.show_message("risky", "warning", risk)
                self.statusBar().showMessage(risk, 15000)
        warning = getattr(project, "backup_warning", None)
        if warning:
            self.messages.show_message("backup", "warning", self.tr(
                "{0}: {1}").format(project.path.name, warning))

    def _update_title(self) -> None:
        if self.project is None:
            self.setWindowTitle("Emendo")
            return
        name = self.project.path.name
        doc = f"{self._doc.title} — " if self._doc else ""  # the title needs no spans
        ro = self.tr(" (read-only)") if self.project.readonly else ""
        self.setWindowTitle(f"{doc}{name}{ro} — Emendo")

    def _remember_place(self) -> None:
        if self.project is not None:
            self.settings.set_last_document(
                self.project.path, self._doc.id if self._doc else None,
                self.source.cursor_offset() if self._doc else 0)

    # --- documents -------------------------------------------------------------------------

    def open_document(self, doc_id: int, cursor: int | None = None) -> None:
        """Show a document (from the list, a search hit, or at start-up)."""
        if self.project is None:
            return
        if self.doc is not None and self.doc.id == doc_id and cursor is None:
            return
        try:
            # Without the imported file's source (the window never shows it), and with the
            # spans parsed but built only for the blocks on screen until after the paint.
            doc, stored = self.project.document_parts(doc_id)
            if len(stored) <= DEFER_OVER:
                doc.spans, stored = stored.all(), None  # a short list: all of it now
        except EmendoError as exc:
            self.statusBar().showMessage(str(exc), 5000)
            return
        self._show_doc(doc, stored)
        if cursor:
            self.source.set_cursor_offset(cursor)
        # The list follows, and the place is remembered, a turn later: the text is what
        # the first paint is for.
        QTimer.singleShot(0, lambda: self._doc is doc and self._settle_open(doc_id))

    def _settle_open(self, doc_id: int) -> None:
        """After a document's first paint: select it in the list, remember it as the place."""
        if self._retitled is not None:  # typing in another title just before
            self._sync_title()
        if self.documents.current_id() != doc_id:
            self.documents.select(doc_id)
        self._remember_place()

    def _show_doc(self, doc: Document | None, stored: StoredSpans | None = None) -> None:
        self.doc = doc
        self._typing = False
        self._cancel_steps()
        self._panel_timer.stop()
        self._panel_timer.setInterval(PANEL_DELAY_MS)
        # Spans still to be built come only with long documents (see open_document).
        n = len(stored) if stored is not None else len(doc.spans) if doc is not None else 0
        if doc is None:
            self.source.clear_document()
        elif stored is not None:
            # A long document: the marks on screen are built for the first paint, the
            # others right after it (or as soon as anything asks for the document).
            self._pending_spans = stored
            self.source.load_stored(doc.text, stored)
            QTimer.singleShot(0, self._finish_open)
        else:
            self.source.load(doc.text, doc.spans, defer=True)
        readonly = self.readonly or doc is None
        if self.source.isReadOnly() != readonly:
            self.source.setReadOnly(readonly)
        if doc is not None and n > DEFER_OVER:
            # A long document: show its text first, fill the side panels a moment later.
            self._panel_timer.start(0)
        else:
            self._refresh_panels()
        if self.find_bar.isVisible():
            self._find_changed(self.find_bar.edit.text())
        if stored is None:
            self._update_title()  # else once its marks are built, after the first paint

    def _on_panel_due(self) -> None:
        if self._typing and self.committer.pending():
            # Typing outran its commits: refresh once they are written. The panels read
            # the project, which would wait for them, and the commit thread would hold
            # Python's lock while the window tried to paint.
            self._panel_timer.start(PANEL_RETRY_MS)
            return
        self._on_panel_timer()

    def _on_panel_timer(self) -> None:
        if self._typing:
            self._typing = False
            if self._owe_panels:
                # Typing cut short the refresh of a newly shown document: all of it.
                self._run_steps([self._typing_steps()[0]] + self._panel_steps(), full=True)
            else:
                self._run_steps(self._typing_steps())
        else:
            self._run_steps(self._panel_steps(), full=True)

    # The deferred refreshes run one panel per turn of the event loop, so a keystroke
    # typed meanwhile waits for one panel at most, never for all of them.

    def _run_steps(self, steps: list[Callable[[], Any]], full: bool = False) -> None:
        """Run steps one per event-loop turn (a new run or a keystroke drops the rest).

        ``full``: the steps refresh every panel (a newly shown document), so cutting
        them short leaves a full refresh owed.
        """
        self._step_token += 1
        self._owe_panels = False
        self._steps_full = full
        self._steps = list(steps)
        self._next_step(self._step_token)

    def _next_step(self, token: int) -> None:
        if token != self._step_token or not self._steps:
            return
        self._steps.pop(0)()
        if self._steps:
            QTimer.singleShot(0, lambda: self._next_step(token))

    def _cancel_steps(self) -> None:
        self._step_token += 1
        self._steps = []
        self._owe_panels = False

    def _finish_steps(self) -> None:
        """Run the rest of a deferred refresh now (before an operation reads the panels)."""
        self._step_token += 1
        steps, self._steps = self._steps, []
        for step in steps:
            step()

    def _typing_steps(self) -> list[Callable[[], Any]]:
        """Typing paused: the saved label, undo label, record and changed mark texts.

        Typing changes the text under a few marks, never the set of marks, so the marks
        list updates its texts in place instead of being rebuilt.
        """
        def labels() -> None:
            self.saved_label.setText(self.tr("Saved: {0}").format(self._typed_label))
            self._update_actions()
            if self._retitled is not None:
                self._sync_title()

        def marks() -> None:
            if not self.marks.update_texts(self.doc):
                self.marks.set_document(self.doc, self.readonly)

        return [labels, lambda: self.fields.set_document(self.doc, self.readonly), marks,
                self._refresh_history, self._refresh_preview, settle_garbage,
                self._checkpoint]

    def _checkpoint(self) -> None:
        """Fold the write-ahead log into the file while the user pauses, not mid-keystroke."""
        if self.project is not None and not self.readonly:
            self.project.checkpoint(background=True)

    def _panel_steps(self) -> list[Callable[[], Any]]:
        """Every panel from the current document, one per turn."""
        return [lambda: self.fields.set_document(self.doc, self.readonly),
                lambda: self.marks.set_document(self.doc, self.readonly),
                self._refresh_history, self._refresh_legend, self._refresh_preview,
                settle_garbage]

    def _after_typing(self) -> None:
        """Typing paused: every deferred refresh at once (tests and flushing)."""
        self._typing = True
        self._on_panel_timer()
        self._finish_steps()

    def _refresh_panels(self) -> None:
        """Fields, marks, history, legend and preview from the current document."""
        self._cancel_steps()
        doc, ro = self.doc, self.readonly
        self.fields.set_document(doc, ro)
        self.marks.set_document(doc, ro)
        self._refresh_history()
        self._refresh_legend()
        self._refresh_preview()
        QTimer.singleShot(0, settle_garbage)

    def _refresh_legend(self) -> None:
        doc = self.doc
        kinds = []
        for s in sorted((doc.spans if doc else []), key=lambda s: s.start or 0):
            if s.anchored and s.kind not in kinds:
                kinds.append(s.kind)
        self.legend.show_kinds(kinds)

    def _refresh_history(self) -> None:
        # Only when shown: the log and the diff cost time nobody sees otherwise.
        dock = self.docks["history"]
        if self.doc is None or (dock.isVisible() and not dock.visibleRegion().isEmpty()):
            doc = self.doc
            entries = self._read(lambda: self.project.history(doc.id), []) \
                if (self.project and doc) else []
            self.history.set_entries(entries, doc, self.readonly)
            self._history_stale = False
        else:
            self._history_stale = True

    def _refresh_preview(self) -> None:
        preview = self.docks["preview"]
        if preview.isVisible() and not preview.visibleRegion().isEmpty():
            self.preview.show_document(self.doc, self.edition_context())

    def edition_context(self) -> Any:
        """Transcriber, editor and revisions for edition headers."""
        mod = editions()
        if mod is None or self.project is None or not hasattr(mod, "EditionContext"):
            return None
        revisions = []
        if self.doc is not None:
            # This document's own changes (not the imports of the others).
            revisions = mod.document_revisions(self.project.history(self.doc.id)).get(
                self.doc.id, [])
        return mod.EditionContext(transcriber=self.project.setting("transcriber"),
                                  editor=self.project.setting("editor"), revisions=revisions,
                                  project_title=self.project.setting("title",
                                                                     self.project.path.stem))

    # --- running operations ----------------------------------------------------------------

    def run(self, op: Callable[[Project], Change]) -> Change | None:
        """Run a core operation, show it saved, refresh what it changed; errors are shown."""
        if self.project is None:
            return None
        self._ask_editor_name()
        try:
            change = op(self.project)
        except NothingToUndoError as exc:
            self.statusBar().showMessage(str(exc).capitalize(), 3000)
            return None
        except ReadOnlyProjectError as exc:
            self.dialogs.error(self.tr("Read-only project"), str(exc))
            return None
        except WriteFailedError as exc:
            self._write_failed(exc)
            return None
        except EmendoError as exc:
            self.dialogs.error(self.tr("Cannot do that"), str(exc))
            return None
        self.apply_change(change)
        return change

    def _ask_editor_name(self) -> None:
        """Before a project's first change here: the editor's name, asked once a project
        (kept in its settings; the history and editions name the editor by it).
        """
        project = self.project
        if project is None or project.readonly or project.editor_name or \
                project.setting("editor_asked") == "1":
            return
        ask = getattr(self.dialogs, "editor_name", None)
        name = ask() if ask is not None else None
        try:
            if name and " ".join(name.split()):
                project.set_editor_name(name)
            project.set_setting("editor_asked", "1")
        except EmendoError as exc:  # a settings write that failed: the change will say so
            self.statusBar().showMessage(str(exc), 5000)

    def _write_failed(self, exc: Exception) -> None:
        """Tell what happened and reload from the file, so nothing shown is unsaved."""
        self.saved_label.setText(self.tr("Last change NOT saved"))
        self.dialogs.error(self.tr("Change not saved"),
                           self.tr("The change could not be written to the project file:\n"
                                   "{0}\n\nThe view now shows the file as saved.").format(exc))
        if self.doc is not None and self.project is not None:
            cursor = self.source.cursor_offset()
            try:
                doc = self.project.document(self.doc.id, source=False)
            except EmendoError:
                doc = None
            self._show_doc(doc)
            if doc is not None:
                self.source.set_cursor_offset(min(cursor, len(doc.text)))

    def apply_change(self, change: Change) -> None:
        """Refresh the views a change touched."""
        assert self.project is not None
        if change.label:
            self.saved_label.setText(self.tr("Saved: {0}").format(change.label))
        if change.documents:
            keep = self.doc.id if self.doc else None
            rows = self.project.list_documents()
            self.documents.set_documents(rows, keep)
            if self.doc is not None and self.doc.id not in {r.id for r in rows}:
                self.doc = None
                if rows:
                    self.open_document(change.doc_ids[0] if change.doc_ids and change.doc_ids[0]
                                       in {r.id for r in rows} else rows[0].id)
                else:
                    self._show_doc(None)
            elif self.doc is None and rows:
                self.open_document(change.doc_ids[0] if change.doc_ids else rows[0].id)
        if self.doc is not None and change.doc_ids and self.doc.id not in change.doc_ids \
                and change.op in ("undo", "redo"):
            # Undo in another document: show it, so the user sees what was taken back.
            target = change.doc_ids[0]
            if target in {r.id for r in self.documents.model.rows}:
                self.open_document(target)
        if self.doc is not None and (self.doc.id in change.doc_ids or not change.doc_ids):
            self._reload_current(change)
        if change.spans and self.project is not None:
            self.fields.set_priorities(self.project.priorities())
        self._update_actions()

    def _reload_current(self, change: Change) -> None:
        assert self.project is not None and self.doc is not None
        try:
            doc = self.project.document(self.doc.id, source=False)
        except EmendoError:
            return
        old_text = self.doc.text
        self.doc = doc
        if doc.text != old_text:
            cursor = self.source.textCursor()
            keep = cursor.position()
            self.source.apply_text(doc.text)
            del keep
        self.source.set_spans(doc.spans)
        self._refresh_panels()
        self._update_title()

    def _update_actions(self) -> None:
        p = self.project
        ro = self.readonly
        undo = self._read(p.undo_label, None) if p else None
        redo = self._read(p.redo_label, None) if p else None
        self.acts["undo"].setEnabled(undo is not None and not ro)
        self.acts["redo"].setEnabled(redo is not None and not ro)
        self.acts["undo"].setText(self.tr("&Undo {0}").format(undo) if undo else self.tr("&Undo"))
        self.acts["redo"].setText(self.tr("&Redo {0}").format(redo) if redo else self.tr("&Redo"))
        has_doc = self.doc is not None
        for act in self.mark_actions + [self.acts["correct"], self.acts["edit_mark"],
                                        self.acts["remove_mark"]]:
            act.setEnabled(has_doc and not ro)
        self.acts["import"].setEnabled(p is not None and not ro)
        self.acts["export"].setEnabled(has_doc)
        self.acts["restore"].setEnabled(p is not None)

    # --- undo, marks, corrections ----------------------------------------------------------

    def undo(self) -> None:
        """Take back the latest change (from core's log, so it survives a restart)."""
        self._flush_panels()
        self.run(lambda p: p.undo())

    def redo(self) -> None:
        """Do the latest undone change again."""
        self._flush_panels()
        self.run(lambda p: p.redo())

    def _flush_panels(self) -> None:
        if self._panel_timer.isActive():
            self._panel_timer.stop()
            self._on_panel_timer()
        self._finish_steps()

    def _selection(self) -> tuple[int, int] | None:
        a, b = self.source.selection_range()
        if self.doc is None or a == b:
            self.statusBar().showMessage(self.tr("Select some text first."), 4000)
            return None
        return a, b

    def mark(self, spec: MarkSpec) -> Change | None:
        """Mark the selection with a kind (asking for a note or reason where it has one)."""
        sel = self._selection()
        if sel is None or self.doc is None:
            return None
        a, b = sel
        attrs: dict[str, Any] = {}
        if spec.asks_note:
            note = self.dialogs.mark_note(spec.kind)
            if note is None:
                return None
            if spec.kind == "unclear":
                attrs["cert"] = "low"
                if note:
                    attrs["reason"] = note
            elif note:
                attrs["note"] = note
        if spec.kind == "date":
            from emendo.core.dates import parse_date

            iso = parse_date(self.source.text[a:b])
            if iso:
                attrs["when"] = iso
        if spec.kind == "handwritten":
            attrs["hand"] = "h1"
        doc_id = self.doc.id
        change = self.run(lambda p: p.add_span(doc_id, spec.kind, a, b, attrs))
        if change is not None:
            self.source.set_cursor_offset(a, b)
        return change

    def correct(self) -> Change | None:
        """Correct the selection: a transcription fix or an emendation kept as sic."""
        sel = self._selection()
        if sel is None or self.doc is None:
            return None
        a, b = sel
        answer = self.dialogs.correct(self.source.text[a:b])
        if answer is None:
            return None
        corrected, kind, reason = answer
        doc_id = self.doc.id
        return self.run(lambda p: p.correct(doc_id, a, b, corrected, kind=kind,
                                            reason=reason or None))

    def _innermost_at_cursor(self) -> Any:
        covering = [s for s in self.source.spans_at(self.source.cursor_offset())
                    if s.kind not in ("token", "pagemeta", "chrome")]
        if not covering:
            self.statusBar().showMessage(self.tr("No mark at the cursor."), 4000)
            return None
        return min(covering, key=lambda s: s.end - s.start)

    def edit_mark_at_cursor(self) -> None:
        """Edit the innermost mark at the cursor."""
        span = self._innermost_at_cursor()
        if span is None:
            return
        self._select_mark_row(span.id)
        self.marks.edit_current()

    def remove_mark_at_cursor(self) -> None:
        """Remove the innermost mark at the cursor."""
        span = self._innermost_at_cursor()
        if span is None:
            return
        self._select_mark_row(span.id)
        self.marks.remove_current()

    def _select_mark_row(self, span_id: int) -> None:
        tree = self.marks.tree
        for i in range(tree.topLevelItemCount()):
            item = tree.topLevelItem(i)
            if int(item.data(0, Qt.ItemDataRole.UserRole)) == span_id:
                tree.setCurrentItem(item)
                return

    # --- locating --------------------------------------------------------------------------

    def show_range(self, start: int, end: int) -> None:
        """Select and outline where a field or mark sits in the text."""
        self.source.flash_range(start, end)
        self.source.set_cursor_offset(start, end)
        self.source.flush_cursor()

    def _on_cursor_spans(self, spans: list) -> None:
        self.marks.select_spans(spans)
        self.fields.show_covering(spans)
        names = sorted({s.kind for s in spans if s.kind not in ("token", "pagemeta")})
        if names:
            from emendo.gui.marks import kind_label

            self.statusBar().showMessage(
                self.tr("At the cursor: {0}").format(", ".join(kind_label(k) for k in names)),
                4000)

    # --- find and search -------------------------------------------------------------------

    def find(self) -> None:
        """Open the find bar (seeded with the selection)."""
        a, b = self.source.selection_range()
        seed = self.source.text[a:b] if 0 < b - a < 80 and "\n" not in self.source.text[a:b] else ""
        self.find_bar.open_bar(seed)
        self._find_changed(self.find_bar.edit.text())

    def _find_changed(self, needle: str) -> None:
        self._find_hits = find_all(self.source.text, needle)
        pos = self.source.cursor_offset()
        self._find_current = next((i for i, (a, _b) in enumerate(self._find_hits) if a >= pos),
                                  0 if self._find_hits else -1)
        self.source.set_find_hits(self._find_hits, self._find_current)
        self.find_bar.set_count(self._find_current, len(self._find_hits))

    def find_step(self, step: int) -> None:
        """Go to the next (or previous) hit."""
        if not self._find_hits:
            if not self.find_bar.isVisible():
                self.find()
            return
        self._find_current = (self._find_current + step) % len(self._find_hits)
        a, b = self._find_hits[self._find_current]
        self.source.set_find_hits(self._find_hits, self._find_current)
        self.source.set_cursor_offset(a, b)
        self.find_bar.set_count(self._find_current, len(self._find_hits))

    def _find_closed(self) -> None:
        self._find_hits = []
        self.source.set_find_hits([])
        self.source.setFocus()

    def search_project(self) -> None:
        """Show the project search and focus its field."""
        dock = self.docks["search"]
        dock.show()
        dock.raise_()
        self.search.focus()

    def _search(self, query: str) -> list:
        return self._read(lambda: self.project.search(query), []) if self.project else []

    def open_hit(self, doc_id: int, query: str) -> None:
        """Open a search hit and highlight the query's words in it."""
        self.open_document(doc_id)
        words = [w.strip('"*()') for w in query.split()
                 if w.upper() not in ("AND", "OR", "NOT") and ":" not in w]
        words = [w for w in words if w]
        if not words or self.doc is None:
            return
        self.find_bar.open_bar(words[0])
        self._find_changed(words[0])
        if self._find_hits:
            self._find_current = -1
            self.find_step(1)
        self.source.setFocus()

    # --- closing ---------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        """Remember the place and layout; release the project."""
        self._panel_timer.stop()
        self._remember_place()
        self.settings.set_layout(self.saveGeometry(), self.saveState())
        self.settings.sync()
        if self.project is not None:
            self.project.close()  # after the commits still pending
            self.project = None
        self.committer.stop()
        if self.export_window is not None:
            self.export_window.close()
        event.accept()


__all__ = ["MainWindow", "QByteArray"]
