"""The documents list: a table model over core's summaries, filtered and sorted by a proxy."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from emendo.core.project import DocSummary

TITLE, DATE = 0, 1


class DocumentsModel(QAbstractTableModel):
    """Rows of documents (title, date); no SQL, the window hands in core's summaries.

    Sorting and filtering happen here, in one pass over plain Python lists: a proxy
    model would call data() through Python once per row and comparison, which takes
    tens of milliseconds with 10,000 documents.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[DocSummary] = []  # every document, sorted
        self.shown: list[DocSummary] = []  # those the filter lets through
        self._folded: list[str] = []
        self._needle = ""
        self._row_of: dict[int, int] = {}
        self._sort: tuple[int, Qt.SortOrder] = (DATE, Qt.SortOrder.AscendingOrder)

    def _sort_rows(self) -> None:
        column, order = self._sort
        key = ((lambda r: (r.title or "").casefold()) if column == TITLE
               else (lambda r: r.date or "9999"))
        self.rows.sort(key=key, reverse=order == Qt.SortOrder.DescendingOrder)
        self._folded = [(r.title or "").casefold() for r in self.rows]

    def _apply_filter(self) -> None:
        needle = self._needle
        if needle:
            self.shown = [r for r, t in zip(self.rows, self._folded) if needle in t]
        else:
            self.shown = list(self.rows)
        self._row_of = {r.id: i for i, r in enumerate(self.shown)}

    def set_rows(self, rows: list[DocSummary]) -> None:
        """Replace every row (after an import, undo of an import, a retitle)."""
        self.beginResetModel()
        self.rows = list(rows)
        self._sort_rows()
        self._apply_filter()
        self.endResetModel()

    def set_filter(self, text: str) -> None:
        """Show only documents whose title contains the text (case-insensitive)."""
        needle = text.strip().casefold()
        if needle == self._needle:
            return
        self.beginResetModel()
        self._needle = needle
        self._apply_filter()
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort in Python with one key per row."""
        if column < 0:
            return
        self.layoutAboutToBeChanged.emit()
        self._sort = (column, order)
        self._sort_rows()
        self._apply_filter()
        self.layoutChanged.emit()

    def row_of(self, doc_id: int) -> int:
        """The row of a document among those shown, or -1."""
        return self._row_of.get(doc_id, -1)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:  # noqa: N802
        """Number of documents."""
        return 0 if parent is not None and parent.isValid() else len(self.shown)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:  # noqa: N802
        """Title and date."""
        return 0 if parent is not None and parent.isValid() else 2

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Cell text; the sort role gives ISO dates (sortable) and folded titles."""
        if not index.isValid():
            return None
        row = self.shown[index.row()]
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if col == TITLE:
                return row.title or self.tr("(untitled)")
            return row.date or ""
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        if role == Qt.ItemDataRole.UserRole + 1:  # sort key
            if col == TITLE:
                return (row.title or "").casefold()
            return row.date or "9999"  # undated last
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Column names."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr("Title") if section == TITLE else self.tr("Date")
        return None


class DocumentsPanel(QWidget):
    """Filter box over the table of documents; emits the id of the document picked."""

    documentActivated = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = DocumentsModel(self)
        self.filter = QLineEdit(self)
        self.filter.setObjectName("documentFilter")
        self.filter.setPlaceholderText(self.tr("Filter documents"))
        self.filter.setAccessibleName(self.tr("Filter documents by title"))
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._filter)
        self.view = QTableView(self)
        self.view.setObjectName("documentList")
        self.view.setAccessibleName(self.tr("Documents"))
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(DATE, Qt.SortOrder.AscendingOrder)
        self.view.setWordWrap(False)
        # Titles often share a long beginning ("Cable from the Chinese Embassy…"): keep
        # both ends so rows can be told apart; the tooltip has the whole title.
        self.view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.view.setShowGrid(False)
        self.view.setAlternatingRowColors(True)
        vh = self.view.verticalHeader()
        vh.hide()
        # Fixed row heights: the view never measures 10,000 rows.
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vh.setDefaultSectionSize(self.fontMetrics().height() + 8)
        hh = self.view.horizontalHeader()
        hh.setSectionResizeMode(TITLE, QHeaderView.ResizeMode.Stretch)
        # Fixed width: measuring 10,000 dates to size a column would take a second.
        hh.setSectionResizeMode(DATE, QHeaderView.ResizeMode.Fixed)
        hh.resizeSection(DATE, self.fontMetrics().horizontalAdvance("0000-00-00") + 28)
        self.view.selectionModel().currentRowChanged.connect(self._on_current)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.filter)
        layout.addWidget(self.view)

    def set_documents(self, rows: list[DocSummary], keep: int | None = None) -> None:
        """Show these documents and keep a document selected (without re-emitting)."""
        self.blockSignals(True)
        try:
            self.model.set_rows(rows)
            if keep is not None:
                self.select(keep)
        finally:
            self.blockSignals(False)

    def _filter(self, text: str) -> None:
        current = self.current_id()
        self.model.set_filter(text)
        if current is not None:
            self.set_documents_keep(current)

    def set_documents_keep(self, doc_id: int) -> None:
        """Re-select a document after the rows changed, without re-emitting."""
        self.blockSignals(True)
        try:
            self.select(doc_id)
        finally:
            self.blockSignals(False)

    def select(self, doc_id: int) -> None:
        """Make a document the current row (emits nothing when already current)."""
        row = self.model.row_of(doc_id)
        if row < 0:
            return
        idx = self.model.index(row, TITLE)
        if idx.isValid():
            self.view.setCurrentIndex(idx)
            self.view.scrollTo(idx)

    def current_id(self) -> int | None:
        """The id of the current document."""
        idx = self.view.currentIndex()
        return None if not idx.isValid() else int(idx.data(Qt.ItemDataRole.UserRole))

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.documentActivated.emit(int(current.data(Qt.ItemDataRole.UserRole)))
