"""The History panel: a document's changes and corrections, a diff against the source."""
from __future__ import annotations

import difflib
from collections.abc import Callable
from html import escape
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from emendo.core.model import Document
from emendo.core.project import LogEntry
from emendo.gui.marks import is_dark

ENTRY_ID = Qt.ItemDataRole.UserRole


def diff_html(before: str, after: str, palette: QPalette, context: int = 40) -> str:
    """The changes from ``before`` to ``after`` as HTML, with a little context around each."""
    dark = is_dark(palette)
    del_bg, ins_bg = ("#6b2b2b", "#2b5b34") if dark else ("#f8d0d0", "#cdeccf")
    parts = []
    for i1, i2, j1, j2 in _changes(before, after):
        left = before[max(0, i1 - context):i1]
        right = before[i2:i2 + context]
        removed = escape(before[i1:i2])
        added = escape(after[j1:j2])
        html = "…" + escape(left).replace("\n", " ")
        if removed:
            html += (f'<span style="background:{del_bg}; text-decoration: line-through;">'
                     f'{removed}</span>')
        if added:
            html += f'<span style="background:{ins_bg};">{added}</span>'
        html += escape(right).replace("\n", " ") + "…"
        parts.append(f"<p>{html}</p>")
    return "".join(parts)


def _changes(before: str, after: str) -> list[tuple[int, int, int, int]]:
    """Changed ranges (i1, i2, j1, j2): lines first, then characters within short hunks.

    A character-level SequenceMatcher over a whole cable takes seconds; over lines it is
    instant, and the hunks it leaves are small enough to refine.
    """
    a_lines = before.splitlines(keepends=True)
    b_lines = after.splitlines(keepends=True)
    a_off = [0]
    for ln in a_lines:
        a_off.append(a_off[-1] + len(ln))
    b_off = [0]
    for ln in b_lines:
        b_off.append(b_off[-1] + len(ln))
    out = []
    sm = difflib.SequenceMatcher(None, a_lines, b_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            continue
        a1, a2, b1, b2 = a_off[i1], a_off[i2], b_off[j1], b_off[j2]
        if tag == "replace" and (a2 - a1) + (b2 - b1) < 4000:
            inner = difflib.SequenceMatcher(None, before[a1:a2], after[b1:b2], autojunk=False)
            for t2, x1, x2, y1, y2 in inner.get_opcodes():
                if t2 != "equal":
                    out.append((a1 + x1, a1 + x2, b1 + y1, b1 + y2))
        else:
            out.append((a1, a2, b1, b2))
    return out


class HistoryPanel(QWidget):
    """Lists the operation log of the current document; reverts an entry."""

    def __init__(self, run: Callable[[Callable[[Any], Any]], Any],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.run = run
        self.readonly = False
        self.list = QTreeWidget(self)
        self.list.setObjectName("historyList")
        self.list.setAccessibleName(self.tr("Changes to this document"))
        self.list.setHeaderLabels([self.tr("Change"), self.tr("When"), self.tr("Who"),
                                   self.tr("Reason")])
        self.list.setRootIsDecorated(False)
        header = self.list.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(1, 140)
        header.resizeSection(3, 160)
        self.diff = QTextBrowser(self)
        self.diff.setObjectName("historyDiff")
        self.diff.setAccessibleName(self.tr("Corrections against the source text"))
        self.revert_button = QPushButton(self.tr("Revert"), self)
        self.revert_button.setObjectName("revertButton")
        self.revert_button.setAccessibleName(self.tr("Revert the selected change"))
        self.revert_button.setToolTip(self.tr("Take back the selected change as a new step"))
        self.revert_button.clicked.connect(self.revert_current)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.list)
        split.addWidget(self.diff)
        # The list of changes is what one scans; the diff needs only a few lines.
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.revert_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(split)
        lay.addLayout(row)

    def set_entries(self, entries: list[LogEntry], doc: Document | None,
                    readonly: bool = False) -> None:
        """Show the log (newest first) and the diff of the text against the import."""
        self.readonly = readonly
        self.list.clear()
        items = []
        for e in reversed(entries):
            when = e.time.replace("T", " ")[:16]
            item = QTreeWidgetItem([e.label, when, e.author, e.reason or ""])
            item.setData(0, ENTRY_ID, e.id)
            item.setToolTip(0, e.label)
            items.append(item)
        self.list.addTopLevelItems(items)
        if doc is None:
            self.diff.clear()
            return
        if doc.imported_text is None or doc.imported_text == doc.text:
            self.diff.setHtml("<p><i>" + escape(self.tr(
                "The transcription is as imported: no corrections yet.")) + "</i></p>")
        else:
            head = "<p><b>" + escape(self.tr("Corrections against the imported text")) + "</b></p>"
            self.diff.setHtml(head + diff_html(doc.imported_text, doc.text, self.palette()))
        self.revert_button.setEnabled(not readonly)

    def revert_current(self) -> None:
        """Revert the selected log entry (a new, undoable step)."""
        item = self.list.currentItem()
        if item is None or self.readonly:
            return
        entry_id = int(item.data(0, ENTRY_ID))
        self.run(lambda p: p.revert(entry_id))
