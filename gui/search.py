"""Find in the document (a bar over the editor) and search across the project (a dock)."""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from emendo.core.project import SearchHit

HIT = Qt.ItemDataRole.UserRole


def find_all(text: str, needle: str) -> list[tuple[int, int]]:
    """Every case-insensitive occurrence of a needle in a text, as (start, end)."""
    if not needle:
        return []
    return [(m.start(), m.end()) for m in re.finditer(re.escape(needle), text, re.IGNORECASE)]


class FindBar(QWidget):
    """Ctrl+F: a line edit whose hits are all highlighted; Enter goes to the next."""

    searchChanged = Signal(str)
    nextRequested = Signal(int)  # +1 or -1
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findBar")
        self.edit = QLineEdit(self)
        self.edit.setObjectName("findField")
        self.edit.setPlaceholderText(self.tr("Find in document"))
        self.edit.setAccessibleName(self.tr("Find in document"))
        self.edit.setClearButtonEnabled(True)
        self.edit.textChanged.connect(self.searchChanged)
        self.edit.returnPressed.connect(lambda: self.nextRequested.emit(1))
        self.count = QLabel(self)
        self.count.setAccessibleName(self.tr("Number of hits"))
        prev_b = QToolButton(self)
        prev_b.setText("▲")
        prev_b.setAccessibleName(self.tr("Previous hit"))
        prev_b.setToolTip(self.tr("Previous hit (Shift+F3)"))
        prev_b.clicked.connect(lambda: self.nextRequested.emit(-1))
        next_b = QToolButton(self)
        next_b.setText("▼")
        next_b.setAccessibleName(self.tr("Next hit"))
        next_b.setToolTip(self.tr("Next hit (F3)"))
        next_b.clicked.connect(lambda: self.nextRequested.emit(1))
        close_b = QToolButton(self)
        close_b.setText("✕")
        close_b.setAccessibleName(self.tr("Close the find bar"))
        close_b.clicked.connect(self.close_bar)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(4, 2, 4, 2)
        lay.addWidget(QLabel(self.tr("Find:"), self))
        lay.addWidget(self.edit, 1)
        lay.addWidget(self.count)
        lay.addWidget(prev_b)
        lay.addWidget(next_b)
        lay.addWidget(close_b)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        """Escape closes the bar."""
        if event.key() == Qt.Key.Key_Escape:
            self.close_bar()
            return
        super().keyPressEvent(event)

    def open_bar(self, text: str = "") -> None:
        """Show the bar with its field focused (and seeded with the selection)."""
        self.show()
        if text:
            self.edit.setText(text)
        self.edit.setFocus()
        self.edit.selectAll()

    def close_bar(self) -> None:
        """Hide the bar and clear the highlights."""
        self.hide()
        self.closed.emit()

    def set_count(self, current: int, total: int) -> None:
        """Show 'n of m'."""
        if not self.edit.text():
            self.count.setText("")
        elif total == 0:
            self.count.setText(self.tr("no hits"))
        else:
            self.count.setText(self.tr("{0} of {1}").format(current + 1, total))


class SearchPanel(QWidget):
    """Ctrl+Shift+F: search the project (FTS5 in core); Enter opens the hit."""

    hitActivated = Signal(int, str)  # document id, query

    def __init__(self, search: Callable[[str], list[SearchHit]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = search
        self.query = QLineEdit(self)
        self.query.setObjectName("searchField")
        self.query.setPlaceholderText(self.tr("Search all documents"))
        self.query.setAccessibleName(self.tr("Search the project"))
        self.query.setClearButtonEnabled(True)
        self.query.returnPressed.connect(self.run_search)
        self.results = QTreeWidget(self)
        self.results.setObjectName("searchResults")
        self.results.setAccessibleName(self.tr("Search results"))
        # One column, two lines a hit (the title, then the field and snippet): a narrow
        # dock cannot show three columns of sentences side by side.
        self.results.setHeaderHidden(True)
        self.results.setColumnCount(1)
        self.results.setRootIsDecorated(False)
        self.results.setWordWrap(False)  # each of the two lines elides on its own
        self.results.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.results.setAlternatingRowColors(True)
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results.setMinimumWidth(120)
        self.results.itemActivated.connect(self._open)
        self.results.itemDoubleClicked.connect(self._open)
        self.status = QLabel(self)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.query)
        lay.addWidget(self.results, 1)
        lay.addWidget(self.status)

    def focus(self) -> None:
        """Focus the query field."""
        self.query.setFocus()
        self.query.selectAll()

    def run_search(self) -> None:
        """Search for the query and list the hits; focus the first so Enter opens it."""
        q = self.query.text().strip()
        hits = self.search(q) if q else []
        self.results.clear()
        items = []
        for h in hits:
            snippet = " ".join(h.snippet.split())
            item = QTreeWidgetItem([f"{h.title}\n{self._field_name(h.field)}: {snippet}"])
            item.setData(0, HIT, h.doc_id)
            item.setData(0, HIT + 1, (h.title, h.field, h.snippet))
            item.setToolTip(0, f"{h.title}\n\n{self._field_name(h.field)}: {snippet}")
            items.append(item)
        self.results.addTopLevelItems(items)
        if not q:
            self.status.setText("")
        elif len(hits) == 1:
            self.status.setText(self.tr("1 document"))
        else:
            self.status.setText(self.tr("{0} documents").format(len(hits)))
        if items:
            self.results.setCurrentItem(items[0])
            self.results.setFocus()

    def _field_name(self, field: str) -> str:
        return {"text": self.tr("text"), "title": self.tr("title")}.get(field, field)

    def _open(self, item: QTreeWidgetItem, *_: Any) -> None:
        self.hitActivated.emit(int(item.data(0, HIT)), self.query.text().strip())
