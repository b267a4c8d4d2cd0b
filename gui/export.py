"""The export dialog over core's editions, and the live HTML preview of the current document."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from emendo.core.errors import EmendoError
from emendo.core.model import Document

FORMAT_NAMES = (("tei", "TEI P5 (XML)"), ("html", "HTML"), ("md", "Markdown"),
                ("txt", "Plain text"), ("pdf", "PDF"), ("docx", "Word (DOCX)"))


def tr(text: str) -> str:
    """Translate a string in the export context."""
    return QCoreApplication.translate("export", text)


def editions() -> Any | None:
    """core.editions when it is installed (it is written alongside the window)."""
    try:
        from emendo.core import editions as mod
    except ImportError:
        return None
    return mod


def pdf_writer() -> Callable[[str, Path], None] | None:
    """gui.pdf.write_pdf when present."""
    try:
        from emendo.gui.pdf import write_pdf
    except ImportError:
        return None
    return write_pdf


class ExportDialog(QDialog):
    """Format, reading, destination and a progress bar; runs write_editions."""

    def __init__(self, current: Callable[[], list[Document]],
                 everything: Callable[[], list[Document]],
                 context: Callable[[], Any], parent: QWidget | None = None,
                 revisions: Callable[[], Any] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle(tr("Export Edition"))
        self.current = current
        self.everything = everything
        self.context = context
        # Each document's own changes for its edition's history (None: the context's).
        self.revisions = revisions
        self.written: list[Path] = []
        form = QFormLayout()
        self.format = QComboBox(self)
        self.format.setObjectName("exportFormat")
        self.format.setAccessibleName(tr("Format"))
        for key, name in FORMAT_NAMES:
            self.format.addItem(tr(name), key)
        self.reading = QComboBox(self)
        self.reading.setObjectName("exportReading")
        self.reading.setAccessibleName(tr("Reading"))
        self.reading.addItem(tr("Diplomatic (as transcribed, marks visible)"), "diplomatic")
        self.reading.addItem(tr("Reading (corrections applied)"), "reading")
        self.only_current = QRadioButton(tr("This document"), self)
        self.only_current.setChecked(True)
        self.all_docs = QRadioButton(tr("All documents (one file each, in a folder)"), self)
        self.dest = QLineEdit(self)
        self.dest.setObjectName("exportDestination")
        self.dest.setAccessibleName(tr("Destination"))
        browse = QPushButton(tr("Browse…"), self)
        browse.setAccessibleName(tr("Choose the destination"))
        browse.clicked.connect(self._browse)
        dest_row = QHBoxLayout()
        dest_row.addWidget(self.dest, 1)
        dest_row.addWidget(browse)
        form.addRow(tr("&Format:"), self.format)
        form.addRow(tr("&Reading:"), self.reading)
        form.addRow(tr("Documents:"), self.only_current)
        form.addRow("", self.all_docs)
        form.addRow(tr("&Destination:"), dest_row)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("exportProgress")
        self.progress.setAccessibleName(tr("Export progress"))
        self.progress.setValue(0)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.export_button = self.buttons.addButton(tr("Export"),
                                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setObjectName("exportButton")
        self.export_button.clicked.connect(self.run_export)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.progress)
        lay.addWidget(self.message)
        lay.addWidget(self.buttons)
        self.resize(560, self.sizeHint().height())

    def _browse(self) -> None:
        fmt = self.format.currentData()
        if self.all_docs.isChecked():
            path = QFileDialog.getExistingDirectory(self, tr("Export to Folder"))
        else:
            path, _ = QFileDialog.getSaveFileName(self, tr("Export to File"))
        if path:
            self.dest.setText(path)
        del fmt

    def run_export(self) -> list[Path]:
        """Write the editions; report what happened in the dialog."""
        mod = editions()
        if mod is None or not hasattr(mod, "write_editions"):
            self.message.setText(tr("Editions are not available in this build."))
            return []
        dest = self.dest.text().strip()
        if not dest:
            self.message.setText(tr("Choose where to write the edition."))
            return []
        docs = self.everything() if self.all_docs.isChecked() else self.current()
        fmt = self.format.currentData()
        self.progress.setRange(0, max(1, len(docs)))
        self.progress.setValue(0)

        def progress(done: int, total: int) -> None:
            self.progress.setMaximum(total)
            self.progress.setValue(done)
            QCoreApplication.processEvents()

        try:
            self.written = mod.write_editions(docs, fmt, Path(dest),
                                              self.reading.currentData(), self.context(),
                                              progress, pdf_writer(),
                                              self.revisions() if self.revisions else None)
        except (EmendoError, OSError) as exc:
            self.message.setText(tr("Export failed: {0}").format(exc))
            return []
        self.message.setText(tr("Wrote {0} file(s) to {1}").format(len(self.written), dest))
        return self.written


class PreviewPanel(QTextBrowser):
    """The HTML edition of the current document, refreshed as it is marked and corrected."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("previewView")
        self.setAccessibleName(tr("Edition preview"))
        self.setOpenExternalLinks(False)
        self.reading = "diplomatic"

    def show_document(self, doc: Document | None, context: Any = None) -> None:
        """Render the edition (or say why it cannot be shown)."""
        if doc is None:
            self.clear()
            return
        mod = editions()
        if mod is None:
            self.setPlainText(tr("The edition preview needs the editions module."))
            return
        try:
            html = mod.render(doc, "html", self.reading, context)
        except ImportError:
            self.setPlainText(tr("The HTML edition is not available yet."))
            return
        except Exception as exc:  # a preview must never take the editor down
            self.setPlainText(tr("The preview could not be made: {0}").format(exc))
            return
        bar = self.verticalScrollBar().value()
        self.setHtml(html)
        self.verticalScrollBar().setValue(bar)
