"""Questions the window asks: one object, so tests can hand in answers instead of dialogs."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from emendo.core.model import MARK_KINDS
from emendo.gui.marks import kind_label

PROJECT_FILTER = "Emendo projects (*.emendo)"
IMPORT_FILTER = "Transcriptions (*.txt *.xml *.md);;All files (*)"


def tr(text: str) -> str:
    """Translate a string in the dialogs context."""
    return QCoreApplication.translate("dialogs", text)



def ok_cancel(dialog: QDialog) -> QDialogButtonBox:
    """OK and Cancel buttons wired to the dialog's accept and reject."""
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                           | QDialogButtonBox.StandardButton.Cancel, dialog)
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box

class CorrectDialog(QDialog):
    """Asks for the corrected reading, the kind of correction and an optional reason."""

    def __init__(self, original: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Correct"))
        self.setObjectName("correctDialog")
        form = QFormLayout(self)
        shown = QLabel(original, self)
        shown.setWordWrap(True)
        form.addRow(tr("Transcribed:"), shown)
        self.corrected = QLineEdit(original, self)
        self.corrected.setObjectName("correctedField")
        self.corrected.setAccessibleName(tr("Corrected reading"))
        form.addRow(tr("Corrected &reading:"), self.corrected)
        self.fix = QRadioButton(tr("A mistake of the &transcription (change the text)"), self)
        self.fix.setObjectName("correctFix")
        self.sic = QRadioButton(tr("An error of the &original (keep it, mark as sic)"), self)
        self.sic.setObjectName("correctSic")
        self.fix.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.fix)
        group.addButton(self.sic)
        form.addRow(tr("Kind:"), self.fix)
        form.addRow("", self.sic)
        self.reason = QLineEdit(self)
        self.reason.setObjectName("reasonField")
        self.reason.setAccessibleName(tr("Reason (optional)"))
        self.reason.setPlaceholderText(tr("optional"))
        form.addRow(tr("R&eason:"), self.reason)
        box = ok_cancel(self)
        form.addRow(box)
        self.corrected.selectAll()

    def answer(self) -> tuple[str, str, str]:
        """(corrected, 'fix' | 'sic', reason)."""
        return (self.corrected.text(), "fix" if self.fix.isChecked() else "sic",
                self.reason.text().strip())


class StampDialog(QDialog):
    """Text, number and date of a stamp."""

    def __init__(self, attrs: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Stamp"))
        form = QFormLayout(self)
        self.text = QLineEdit(str(attrs.get("text", "")), self)
        self.text.setAccessibleName(tr("Stamp text"))
        self.number = QLineEdit(str(attrs.get("number", "")), self)
        self.number.setAccessibleName(tr("Stamp number"))
        self.date = QLineEdit(str(attrs.get("date_text") or attrs.get("date") or ""), self)
        self.date.setAccessibleName(tr("Stamp date"))
        form.addRow(tr("&Text:"), self.text)
        form.addRow(tr("&Number:"), self.number)
        form.addRow(tr("&Date:"), self.date)
        box = ok_cancel(self)
        form.addRow(box)

    def answer(self) -> dict[str, Any]:
        """The stamp's attrs."""
        from emendo.core.dates import parse_date

        out: dict[str, Any] = {"type": "stamp", "text": self.text.text().strip(),
                               "number": self.number.text().strip()}
        d = self.date.text().strip()
        if d:
            out["date_text"] = d
            iso = parse_date(d)
            if iso:
                out["date"] = iso
        return out


class EditMarkDialog(QDialog):
    """The kind and note of a mark."""

    def __init__(self, kind: str, note: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Edit mark"))
        form = QFormLayout(self)
        self.kind = QComboBox(self)
        self.kind.setAccessibleName(tr("Kind of mark"))
        kinds = [k for k in MARK_KINDS if k not in ("token", "chrome")]
        if kind not in kinds:
            kinds.insert(0, kind)
        for k in kinds:
            self.kind.addItem(kind_label(k), k)
        self.kind.setCurrentIndex(kinds.index(kind))
        self.note = QLineEdit(note, self)
        self.note.setAccessibleName(tr("Note"))
        form.addRow(tr("&Kind:"), self.kind)
        form.addRow(tr("&Note:"), self.note)
        box = ok_cancel(self)
        form.addRow(box)

    def answer(self) -> tuple[str, str]:
        """(kind, note)."""
        return self.kind.currentData(), self.note.text().strip()


class Dialogs:
    """The real, modal dialogs.  Tests replace this object with one that answers at once."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self.parent = parent

    def correct(self, original: str) -> tuple[str, str, str] | None:
        """(corrected, kind, reason) or None when cancelled."""
        d = CorrectDialog(original, self.parent)
        return d.answer() if d.exec() == QDialog.DialogCode.Accepted else None

    def mark_note(self, kind: str) -> str | None:
        """The note (or reason) a mark carries; None cancels the mark."""
        if kind == "unclear":
            items = [tr("faded"), tr("damaged"), tr("hard to read"), tr("overwritten"), ""]
            text, ok = QInputDialog.getItem(self.parent, tr("Unclear"),
                                            tr("Why is it unclear? (optional)"), items, 0, True)
        else:
            text, ok = QInputDialog.getText(self.parent, kind_label(kind).capitalize(),
                                            tr("Note (optional):"))
        return text.strip() if ok else None

    def stamp(self, attrs: dict[str, Any]) -> dict[str, Any] | None:
        """A stamp's attrs, or None."""
        d = StampDialog(attrs, self.parent)
        return d.answer() if d.exec() == QDialog.DialogCode.Accepted else None

    def text(self, title: str, label: str, value: str = "") -> str | None:
        """One line of text, or None."""
        text, ok = QInputDialog.getText(self.parent, title, label, text=value)
        return text.strip() if ok and text.strip() else None

    def editor_name(self) -> str | None:
        """The editor's name for a project's history and editions (asked once), or None."""
        return self.text(self.parent.tr("Your name") if self.parent else "Your name",
                         "Your name, kept with this project for its history and the headers "
                         "of its editions (asked once; never taken from your login):")

    def edit_mark(self, kind: str, note: str) -> tuple[str, str] | None:
        """(kind, note) of a mark, or None."""
        d = EditMarkDialog(kind, note, self.parent)
        return d.answer() if d.exec() == QDialog.DialogCode.Accepted else None

    def yes_no(self, title: str, text: str) -> bool:
        """A question answered yes or no."""
        return QMessageBox.question(self.parent, title, text) == QMessageBox.StandardButton.Yes

    def choose(self, title: str, text: str, options: list[str]) -> int | None:
        """One of several answers (its index), or None when the question is closed."""
        box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=self.parent)
        buttons = [box.addButton(o, QMessageBox.ButtonRole.AcceptRole) for o in options]
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        clicked = box.clickedButton()
        return buttons.index(clicked) if clicked in buttons else None  # type: ignore[arg-type]

    def error(self, title: str, text: str) -> None:
        """Tell the user what went wrong."""
        QMessageBox.warning(self.parent, title, text)

    def info(self, title: str, text: str) -> None:
        """Tell the user something."""
        QMessageBox.information(self.parent, title, text)

    def open_project(self) -> Path | None:
        """A project file to open."""
        path, _ = QFileDialog.getOpenFileName(self.parent, tr("Open Project"), "",
                                              tr(PROJECT_FILTER))
        return Path(path) if path else None

    def new_project(self) -> Path | None:
        """Where to create a new project."""
        path, _ = QFileDialog.getSaveFileName(self.parent, tr("New Project"), "",
                                              tr(PROJECT_FILTER))
        if not path:
            return None
        p = Path(path)
        return p if p.suffix == ".emendo" else p.with_suffix(".emendo")

    def import_files(self) -> list[Path]:
        """Files to import."""
        paths, _ = QFileDialog.getOpenFileNames(self.parent, tr("Import Files"), "",
                                                tr(IMPORT_FILTER))
        return [Path(p) for p in paths]

    def choose_backup(self, backups: list[Path]) -> Path | None:
        """One of the project's snapshots, newest first, or None."""
        d = QDialog(self.parent)
        d.setWindowTitle(tr("Restore from Backup"))
        lay = QVBoxLayout(d)
        lay.addWidget(QLabel(tr("Replace the project with this snapshot (the current file "
                                "is kept as a snapshot too):"), d))
        lst = QListWidget(d)
        lst.setAccessibleName(tr("Backups"))
        for b in backups:
            lst.addItem(b.name)
        lst.setCurrentRow(0)
        lay.addWidget(lst)
        box = ok_cancel(d)
        lay.addWidget(box)
        if d.exec() != QDialog.DialogCode.Accepted or lst.currentRow() < 0:
            return None
        return backups[lst.currentRow()]
