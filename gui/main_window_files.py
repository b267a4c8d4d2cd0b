"""The main window's project files, import, export, backups, help and layout.

A mixin of :class:`emendo.gui.main_window.MainWindow`, split off to keep modules short;
it uses the window's widgets, project and settings.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QMessageBox,
    QProgressDialog,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from emendo.core.errors import EmendoError, ImportCancelledError
from emendo.core.model import Document
from emendo.core.project import Change
from emendo.gui.export import ExportDialog, editions

_STEPS = 1000  # steps of the import progress bar per file


class FilesMixin:
    """Projects, import, export, backups, help and dock layout (mixed into MainWindow)."""

    # --- projects, import, export, backups -------------------------------------------------

    def open_project_path(self, path: Path) -> bool:
        """Open another project in this window (asks when it is in use or damaged)."""
        from emendo.gui.opening import open_project

        if self.project is not None and Path(path).resolve() == self.project.path.resolve():
            return True
        project = open_project(Path(path), self.dialogs)
        if project is None:
            return False
        self.set_project(project)
        return True

    def new_project(self) -> None:
        """Create an empty project and show it."""
        path = self.dialogs.new_project()
        if path is not None:
            self.open_project_path(path)

    def open_project_dialog(self) -> None:
        """Pick a project file and open it."""
        path = self.dialogs.open_project()
        if path is not None:
            self.open_project_path(path)

    def fill_recent_menu(self) -> None:
        """List recent projects in File > Open Recent."""
        self.recent_menu.clear()
        for p in self.settings.recent_projects():
            act = self.recent_menu.addAction(p)
            act.triggered.connect(lambda _c=False, path=p: self.open_project_path(Path(path)))
        if self.recent_menu.isEmpty():
            self.recent_menu.addAction(self.tr("(none)")).setEnabled(False)

    def import_dialog(self) -> None:
        """Pick files and import them."""
        paths = self.dialogs.import_files()
        if paths:
            self.import_files(paths)

    def import_files(self, paths: list[Path]) -> Change | None:
        """Parse files (cancellable progress) and add them as one undoable step."""
        if self.project is None or self.readonly:
            return None
        try:
            from emendo.core.importers import import_file
        except ImportError:
            self.dialogs.error(self.tr("Import"), self.tr("The importer is not available."))
            return None
        # Each file is STEPS steps of the bar, shared among the documents of a volume file;
        # the importer's progress callback moves it and, on Cancel, stops the file.
        progress = QProgressDialog(self.tr("Importing…"), self.tr("Cancel"), 0,
                                   len(paths) * _STEPS, self)
        progress.setWindowTitle(self.tr("Import"))
        progress.setMinimumDuration(400)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        docs, failed = [], []
        for i, path in enumerate(paths):
            if progress.wasCanceled():
                break
            name = Path(path).name
            progress.setLabelText(self.tr("Importing {0}").format(name))
            progress.setValue(i * _STEPS)

            def on_document(done: int, total: int, i: int = i, name: str = name) -> None:
                if total > 1:
                    progress.setLabelText(self.tr("Importing {0}: document {1} of {2}")
                                          .format(name, done, total))
                progress.setValue(i * _STEPS + done * _STEPS // max(total, 1))
                if progress.wasCanceled():
                    raise ImportCancelledError(self.tr("Import cancelled"))

            try:
                docs.extend(import_file(Path(path), on_document))
            except ImportCancelledError:
                break
            except (EmendoError, OSError, ValueError, UnicodeError) as exc:
                failed.append(f"{name}: {exc}")
        cancelled = progress.wasCanceled()
        progress.setValue(len(paths) * _STEPS)
        progress.deleteLater()
        if cancelled:
            self.statusBar().showMessage(self.tr("Import cancelled; nothing was added."), 5000)
            return None
        change = self.run(lambda p: p.import_documents(docs)) if docs else None
        if change is not None and change.doc_ids:
            self.open_document(change.doc_ids[0])
        if failed:
            self.dialogs.error(self.tr("Some files were not imported"), "\n".join(failed))
        return change

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt override)
        """Accept files dropped on the window."""
        if event.mimeData().hasUrls() and not self.readonly:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt override)
        """Import the dropped files (a dropped project is opened instead)."""
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        projects = [p for p in paths if p.suffix == ".emendo"]
        if projects:
            self.open_project_path(projects[0])
        elif paths:
            self.import_files(paths)
        event.acceptProposedAction()

    def export_dialog(self) -> ExportDialog:
        """Show the export dialog (not modal: the window stays usable)."""
        if self.export_window is None:
            def current() -> list[Document]:
                return [self.project.document(self.doc.id)] if (self.project and self.doc) else []

            def everything() -> list[Document]:
                if self.project is None:
                    return []
                return [self.project.document(r.id) for r in self.project.list_documents()]

            def revisions() -> Any:
                mod = editions()
                if self.project is None or mod is None or not hasattr(mod, "document_revisions"):
                    return None
                return mod.document_revisions(self.project.history())

            self.export_window = ExportDialog(current, everything, self.edition_context, self,
                                              revisions)
        self.export_window.show()
        self.export_window.raise_()
        return self.export_window

    def restore_backup(self) -> None:
        """Replace the project with one of its snapshots (the current file is kept too)."""
        from emendo.core import backup

        if self.project is None:
            return
        path = self.project.path
        backups = backup.list_backups(path)
        if not backups:
            self.dialogs.info(self.tr("Restore from Backup"),
                              self.tr("There are no backups of {0} yet.").format(path.name))
            return
        chosen = self.dialogs.choose_backup(backups)
        if chosen is None:
            return
        self._remember_place()
        self.project.close()
        self.project = None
        try:
            backup.restore(path, chosen)
        except EmendoError as exc:
            self.dialogs.error(self.tr("Restore failed"), str(exc))
        self.project = None
        self.open_project_path(path)
        self.statusBar().showMessage(self.tr("Restored {0}").format(chosen.name), 8000)

    # --- help ------------------------------------------------------------------------------

    def show_shortcuts(self) -> QDialog:
        """Help > Keyboard Shortcuts: every action that has one."""
        if self.shortcuts_window is None:
            d = QDialog(self)
            d.setObjectName("shortcutsDialog")
            d.setWindowTitle(self.tr("Keyboard Shortcuts"))
            table = QTableWidget(d)
            table.setObjectName("shortcutsTable")
            table.setAccessibleName(self.tr("Keyboard shortcuts"))
            rows = []
            for act in self.actions():
                keys = [k.toString(QKeySequence.SequenceFormat.NativeText)
                        for k in act.shortcuts()]
                if keys:
                    rows.append((act.text().replace("&", "").split(" “")[0], ", ".join(keys)))
            rows.append((self.tr("Search the project: open the hit"), "Enter"))
            table.setColumnCount(2)
            table.setRowCount(len(rows))
            table.setHorizontalHeaderLabels([self.tr("Action"), self.tr("Shortcut")])
            for i, (name, keys) in enumerate(rows):
                table.setItem(i, 0, QTableWidgetItem(name))
                table.setItem(i, 1, QTableWidgetItem(keys))
            table.resizeColumnsToContents()
            table.horizontalHeader().setStretchLastSection(True)
            table.verticalHeader().hide()
            lay = QVBoxLayout(d)
            lay.addWidget(table)
            d.resize(460, 560)
            self.shortcuts_window = d
        self.shortcuts_window.show()
        return self.shortcuts_window

    def show_about(self) -> None:
        """Help > About: name, version, what it is."""
        from emendo.gui.app import version

        QMessageBox.about(self, self.tr("About Emendo"), self.tr(
            "<h3>Emendo {0}</h3><p>An editor for transcriptions of archival documents: "
            "mark, correct and publish annotated editions (TEI P5, HTML, Markdown, text, "
            "PDF).</p><p>Every change is saved as you make it.</p>").format(version()))

    def _default_layout(self) -> None:
        """Documents and search on the left, the record on the right, the rest below."""
        left = Qt.DockWidgetArea.LeftDockWidgetArea
        right = Qt.DockWidgetArea.RightDockWidgetArea
        bottom = Qt.DockWidgetArea.BottomDockWidgetArea
        for name, area in (("documents", left), ("search", left), ("fields", right),
                           ("marks", bottom), ("history", bottom), ("preview", bottom)):
            dock = self.docks[name]
            dock.setFloating(False)
            self.addDockWidget(area, dock)
            dock.show()
        self.tabifyDockWidget(self.docks["documents"], self.docks["search"])
        self.tabifyDockWidget(self.docks["marks"], self.docks["history"])
        self.tabifyDockWidget(self.docks["history"], self.docks["preview"])
        for tb in self.toolbars:
            tb.show()
        self.resizeDocks([self.docks["documents"], self.docks["fields"]], [300, 430],
                         Qt.Orientation.Horizontal)
        self.resizeDocks([self.docks["marks"]], [230], Qt.Orientation.Vertical)
        self.docks["documents"].raise_()
        self.docks["marks"].raise_()

    def reset_layout(self) -> None:
        """Put the panels back where they started."""
        self._default_layout()
        QTimer.singleShot(0, self._hide_stale_tab_bars)

    def _hide_stale_tab_bars(self) -> None:
        """Hide tab bars Qt left behind from an intermediate tabbing (painted as ghosts).

        Tabifying three docks makes a two-tab bar and then a three-tab one; the first
        is no longer used but can stay visible over the panels. A dock belongs to one
        bar only, so a visible bar whose tabs are all in a bigger one is stale.
        """
        from PySide6.QtWidgets import QTabBar

        bars = [b for b in self.findChildren(QTabBar)
                if b.parent() is self and b.isVisible()]
        tabs = {b: [b.tabText(i) for i in range(b.count())] for b in bars}
        for b in bars:
            mine = set(tabs[b])
            if any(o is not b and len(tabs[o]) > len(mine) and mine <= set(tabs[o])
                   for o in bars):
                b.hide()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        """Once shown, clear the ghost tab bars of the first layout."""
        super().showEvent(event)
        QTimer.singleShot(0, self._hide_stale_tab_bars)

