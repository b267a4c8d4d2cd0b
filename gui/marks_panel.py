"""The list of every mark and field span of a document: kind, text, note."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from emendo.core.model import Document, Span, span_sort_key
from emendo.gui.marks import HIDDEN_IN_LIST, kind_color, kind_label

SPAN_ID = Qt.ItemDataRole.UserRole


class MarksPanel(QWidget):
    """All marks; double-click jumps to one; edit its kind and note, or remove it."""

    rangeRequested = Signal(int, int)

    def __init__(self, run: Callable[[Callable[[Any], Any]], Any], dialogs: Any,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.run = run
        self.dialogs = dialogs
        self.doc: Document | None = None
        self.readonly = False
        self._texts: dict[int, tuple[QTreeWidgetItem, str]] = {}
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("spansList")
        self.tree.setAccessibleName(self.tr("Marks"))
        self.tree.setHeaderLabels([self.tr("Kind"), self.tr("Text"), self.tr("Note")])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        # Fixed widths: measuring 1,000 rows on every refresh would cost a frame.
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, self.fontMetrics().horizontalAdvance("reference number") + 24)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(2, 220)
        self.tree.itemDoubleClicked.connect(self._jump)
        self.tree.itemActivated.connect(self._jump)
        edit = QPushButton(self.tr("Edit…"), self)
        edit.setAccessibleName(self.tr("Edit the selected mark"))
        edit.clicked.connect(self.edit_current)
        remove = QPushButton(self.tr("Remove"), self)
        remove.setAccessibleName(self.tr("Remove the selected mark"))
        remove.clicked.connect(self.remove_current)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(edit)
        row.addWidget(remove)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.tree)
        lay.addLayout(row)

    def set_document(self, doc: Document | None, readonly: bool = False) -> None:
        """List a document's spans in text order."""
        self.doc = doc
        self.readonly = readonly
        self.tree.setUpdatesEnabled(False)
        self.tree.clear()
        self._texts = {}
        if doc is not None:
            pal = self.palette()
            brushes: dict[str, QBrush] = {}
            labels: dict[str, str] = {}
            items = []
            for s in sorted(doc.spans, key=span_sort_key):
                if s.kind in HIDDEN_IN_LIST:
                    continue
                text = self._text_of(doc, s)
                note = s.attrs.get("note") or s.attrs.get("reason") or ""
                if s.kind == "sic":
                    note = self.tr("read: {0}").format(s.attrs.get("corr", "")) + (
                        f" ({note})" if note else "")
                label = labels.get(s.kind)
                if label is None:
                    label = labels[s.kind] = kind_label(s.kind)
                    brushes[s.kind] = QBrush(kind_color(s.kind, pal))
                item = QTreeWidgetItem([label, text, str(note)])
                item.setData(0, SPAN_ID, s.id)
                item.setBackground(0, brushes[s.kind])
                item.setToolTip(1, text)
                items.append(item)
                self._texts[s.id] = (item, text)
            self.tree.addTopLevelItems(items)
        self.tree.setUpdatesEnabled(True)

    def _text_of(self, doc: Document, s: Span) -> str:
        if s.start is not None:
            text = " ".join(doc.text[s.start:s.end].split())
        else:
            text = self.tr("(not in the text) {0}").format(
                s.attrs.get("value") or s.attrs.get("text") or s.attrs.get("name") or "")
        return text if len(text) <= 120 else text[:119] + "…"

    def update_texts(self, doc: Document | None) -> bool:
        """After typing: change the text of the rows whose marks' text changed.

        False when the set of marks differs from the rows (then rebuild the list).
        """
        if doc is None or doc is not self.doc:
            return False
        texts = self._texts
        listed = [s for s in doc.spans if s.kind not in HIDDEN_IN_LIST]
        if len(listed) != len(texts):
            return False
        for s in listed:
            row = texts.get(s.id)  # type: ignore[arg-type]
            if row is None:
                return False
            text = self._text_of(doc, s)
            if text != row[1]:
                row[0].setText(1, text)
                row[0].setToolTip(1, text)
                texts[s.id] = (row[0], text)  # type: ignore[index]
        return True

    def select_spans(self, spans: list[Span]) -> None:
        """Select the rows of the spans covering the cursor."""
        ids = {s.id for s in spans}
        self.tree.blockSignals(True)
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            item.setSelected(int(item.data(0, SPAN_ID)) in ids)
        self.tree.blockSignals(False)

    def _current_span(self) -> Span | None:
        item = self.tree.currentItem()
        if item is None or self.doc is None:
            return None
        sid = int(item.data(0, SPAN_ID))
        return next((s for s in self.doc.spans if s.id == sid), None)

    def _jump(self, item: QTreeWidgetItem, *_: Any) -> None:
        span = self._current_span() if item is None else next(
            (s for s in (self.doc.spans if self.doc else []) if s.id == int(item.data(0, SPAN_ID))),
            None)
        if span is not None and span.anchored:
            self.rangeRequested.emit(span.start, span.end)

    def edit_current(self) -> None:
        """Change the kind or note of the selected mark."""
        span = self._current_span()
        if span is None or self.doc is None or self.readonly:
            return
        answer = self.dialogs.edit_mark(span.kind, span.attrs.get("note", ""))
        if answer is None:
            return
        kind, note = answer
        attrs = dict(span.attrs)
        if note:
            attrs["note"] = note
        else:
            attrs.pop("note", None)
        doc_id, sid = self.doc.id, span.id
        self.run(lambda p: p.update_span(doc_id, sid, kind=kind, attrs=attrs,
                                         label=f"Edit {kind}"))

    def remove_current(self) -> None:
        """Remove the selected mark."""
        span = self._current_span()
        if span is None or self.doc is None or self.readonly:
            return
        doc_id, sid = self.doc.id, span.id
        self.run(lambda p: p.remove_span(doc_id, sid))
