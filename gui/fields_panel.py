"""The structured record beside the text: single fields, stamps, hands, distribution lists."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QDropEvent, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QTreeWidgetItemIterator,
    QVBoxLayout,
    QWidget,
)

from emendo.core.language import language_name
from emendo.core.model import Document, Span, span_sort_key

SPAN_ID = Qt.ItemDataRole.UserRole
# The single-valued fields the panel edits, in the order a reader meets them.
SINGLE = ("title", "date", "doctype", "priority", "classification", "origin", "refno",
          "addressee", "closer", "signature", "citation", "translator", "rights")
# These follow the stamps, hands and distribution lists, as in the document.
AFTER_LISTS = frozenset({"closer", "signature", "citation", "translator", "rights"})


class DistributionTree(QTreeWidget):
    """Distribution lists and their recipients; drag reorders recipients within a list."""

    reordered = Signal(int, list)  # parent span id, recipient ids in the new order

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt override)
        """Accept a drop only within the same list, then report the new order."""
        dragged = self.currentItem()
        parent_before = dragged.parent() if dragged else None
        super().dropEvent(event)
        if dragged is None or parent_before is None:
            return
        parent_after = dragged.parent()
        if parent_after is not parent_before:
            # Moving a name into another list is not a reorder; let the reload undo it.
            self.reordered.emit(int(parent_before.data(0, SPAN_ID)), [])
            return
        ids = [int(parent_after.child(i).data(0, SPAN_ID))
               for i in range(parent_after.childCount())]
        self.reordered.emit(int(parent_after.data(0, SPAN_ID)), ids)


class FieldsPanel(QScrollArea):
    """Edits a document's fields through core operations handed in by the window."""

    rangeRequested = Signal(int, int)

    def __init__(self, run: Callable[[Callable[[], Any]], Any], dialogs: Any,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fieldsPanel")
        self.setAccessibleName(self.tr("Record fields"))
        self.setWidgetResizable(True)
        self.run = run
        self.dialogs = dialogs
        self.doc: Document | None = None
        self.readonly = False
        # What the lists show now, to leave them alone when a refresh would change nothing.
        self._shown_rows: tuple[list, list, list] | None = None
        self._shown_shape: list | None = None
        body = QWidget(self)
        outer = QVBoxLayout(body)
        outer.setContentsMargins(6, 6, 6, 6)
        form = _form()
        form_after = _form()
        self.editors: dict[str, QLineEdit] = {}
        self.labels: dict[str, QLabel] = {}
        names = {
            "title": self.tr("Title"), "date": self.tr("Date"),
            "doctype": self.tr("Document type"), "priority": self.tr("Priority"),
            "classification": self.tr("Classification"), "origin": self.tr("Origin"),
            "refno": self.tr("Reference no."), "addressee": self.tr("Addressee"),
            "closer": self.tr("Closer"), "signature": self.tr("Signature"),
            "citation": self.tr("Citation"), "translator": self.tr("Translator"),
            "rights": self.tr("Rights"),
        }
        self.priority = QComboBox(body)
        self.priority.setObjectName("priorityField")
        self.priority.setEditable(True)
        self.priority.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.priority.setAccessibleName(self.tr("Priority"))
        self.priority.lineEdit().editingFinished.connect(lambda: self._commit("priority"))
        self.priority.activated.connect(lambda _i: self._commit("priority"))
        for kind in SINGLE:
            label = QLabel(names[kind], body)
            self.labels[kind] = label
            if kind == "priority":
                editor = self.priority.lineEdit()
                widget: QWidget = self.priority
            else:
                editor = QLineEdit(body)
                editor.setObjectName(f"{kind}Field")
                editor.setAccessibleName(names[kind])
                editor.editingFinished.connect(lambda k=kind: self._commit(k))
                widget = editor
            editor.installEventFilter(self)
            editor.setProperty("fieldKind", kind)
            label.setBuddy(widget)
            self.editors[kind] = editor
            (form_after if kind in AFTER_LISTS else form).addRow(label, widget)
        # The document's language (detected on import, or set here): TEI's xml:lang and
        # the HTML edition's lang come from it.
        self.language = QLineEdit(body)
        self.language.setObjectName("languageField")
        self.language.setAccessibleName(self.tr("Language"))
        self.language.setPlaceholderText(self.tr("a code: en, ru, zh…"))
        self.language.editingFinished.connect(self._commit_language)
        language_label = QLabel(self.tr("Language"), body)
        language_label.setBuddy(self.language)
        form.addRow(language_label, self.language)
        outer.addLayout(form)

        # Stamps: text, number, date.
        self.stamps = QTreeWidget(body)
        self.stamps.setObjectName("stampsList")
        self.stamps.setAccessibleName(self.tr("Stamps"))
        self.stamps.setHeaderLabels([self.tr("Stamp"), self.tr("Number"), self.tr("Date")])
        self.stamps.setRootIsDecorated(False)
        self.stamps.header().setStretchLastSection(False)
        self.stamps.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.stamps.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.stamps.header().setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.stamps.setWordWrap(True)
        self.stamps.itemClicked.connect(self._locate_item)
        self.stamps.itemDoubleClicked.connect(lambda *_: self._edit_stamp())
        outer.addWidget(self._group(self.tr("Stamps"), self.stamps, [
            (self.tr("Add…"), self._add_stamp, self.tr("Add a stamp")),
            (self.tr("Edit…"), self._edit_stamp, self.tr("Edit the selected stamp")),
            (self.tr("Remove"), lambda: self._remove_selected(self.stamps),
             self.tr("Remove the selected stamp")),
        ]))

        self.hands = QListWidget(body)
        self.hands.setObjectName("handwrittenList")
        self.hands.setAccessibleName(self.tr("Handwritten notes"))
        self.hands.itemClicked.connect(self._locate_item)
        outer.addWidget(self._group(self.tr("Handwritten notes"), self.hands, [
            (self.tr("Add…"), self._add_hand, self.tr("Add a handwritten note")),
            (self.tr("Remove"), lambda: self._remove_selected(self.hands),
             self.tr("Remove the selected handwritten note")),
        ]))

        self.dist = DistributionTree(body)
        self.dist.setObjectName("distributionList")
        self.dist.setAccessibleName(self.tr("Distribution lists"))
        self.dist.setHeaderHidden(True)
        self.dist.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.dist.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.dist.itemClicked.connect(self._locate_item)
        self.dist.reordered.connect(self._reorder)
        outer.addWidget(self._group(self.tr("Distribution"), self.dist, [
            (self.tr("Add…"), self._add_recipient, self.tr("Add a recipient to the list")),
            (self.tr("Remove"), lambda: self._remove_selected(self.dist),
             self.tr("Remove the selected recipient or list")),
            (self.tr("Up"), lambda: self._move(-1), self.tr("Move the recipient up")),
            (self.tr("Down"), lambda: self._move(1), self.tr("Move the recipient down")),
        ]))
        # Lists are as tall as their rows (no scroll bar inside a scrolling panel), so
        # every distribution list shows expanded, one under the other.
        for w in (self.stamps, self.hands, self.dist):
            w.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            w.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.dist.setUniformRowHeights(True)
        self.dist.itemExpanded.connect(lambda _i: self._fit(self.dist))
        self.dist.itemCollapsed.connect(lambda _i: self._fit(self.dist))
        for f in (form, form_after):
            f.setVerticalSpacing(3)
        outer.setSpacing(4)
        outer.addLayout(form_after)
        outer.addStretch(1)
        self.setWidget(body)

    def _fit(self, view: Any, min_rows: int = 1) -> None:
        """Make a list exactly as tall as its visible rows (at least ``min_rows``)."""
        rows = 0
        row_h = 0
        if isinstance(view, QTreeWidget):
            it = QTreeWidgetItemIterator(view)
            while it.value() is not None:
                item = it.value()
                parent = item.parent()
                if parent is None or parent.isExpanded():
                    rows += 1
                    row_h = max(row_h, view.sizeHintForRow(0) if not row_h else row_h)
                it += 1
            header = 0 if view.isHeaderHidden() else view.header().sizeHint().height()
        else:
            rows = view.count()
            header = 0
        row_h = row_h or view.sizeHintForRow(0)
        if row_h <= 0:
            row_h = view.fontMetrics().height() + 4
        if isinstance(view, QTreeWidget) and view is self.stamps and rows:
            # Stamps wrap: measure each row.
            row_h = max(view.sizeHintForRow(i) for i in range(view.topLevelItemCount()))
        h = header + max(rows, min_rows) * row_h + 2 * view.frameWidth() + 2
        if view.horizontalScrollBar().isVisible():
            h += view.horizontalScrollBar().sizeHint().height()
        view.setFixedHeight(h)

    def _group(self, title: str, widget: QWidget,
               buttons: list[tuple[str, Callable[[], None], str]]) -> QGroupBox:
        box = QGroupBox(title, self)
        lay = QVBoxLayout(box)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(widget)
        row = QHBoxLayout()
        row.addStretch(1)
        for text, slot, name in buttons:
            # Tool buttons: as wide as their text, so a narrow record panel fits a row.
            b = QToolButton(box)
            b.setText(text)
            b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            b.setAccessibleName(name)
            b.setToolTip(name)
            b.clicked.connect(slot)
            row.addWidget(b)
        lay.addLayout(row)
        return box

    # --- showing a document ----------------------------------------------------------------

    def set_priorities(self, values: list[str]) -> None:
        """Offer the priorities already used in the project."""
        current = self.priority.currentText()
        self.priority.blockSignals(True)
        self.priority.clear()
        self.priority.addItems(values)
        self.priority.setEditText(current)
        self.priority.blockSignals(False)

    def set_document(self, doc: Document | None, readonly: bool = False) -> None:
        """Fill every field from a document (None clears the panel).

        Widgets whose content is already right are left alone: after a pause in typing
        this touches the one or two values the typing changed, not every field and list
        (rebuilding them all took 7-9 ms for a long cable, and as long again to repaint).
        """
        self.doc = doc
        self.readonly = readonly
        values = _field_values(doc)
        for kind, editor in self.editors.items():
            value = values.get(kind, "")
            current = self.priority.currentText() if kind == "priority" else editor.text()
            if current != value:
                editor.blockSignals(True)
                if kind == "priority":
                    self.priority.setEditText(value)
                else:
                    editor.setText(value)
                    editor.setCursorPosition(0)
                editor.blockSignals(False)
            if editor.isReadOnly() != readonly:
                editor.setReadOnly(readonly)
        code = (doc.language or "") if doc is not None else ""
        if self.language.text() != code:
            self.language.blockSignals(True)
            self.language.setText(code)
            self.language.blockSignals(False)
        self.language.setToolTip(language_name(code))
        if self.language.isReadOnly() != readonly:
            self.language.setReadOnly(readonly)
        rows = self._rows(doc)
        if rows == self._shown_rows:
            return
        shape = [[r[0] for r in part] for part in rows[:2]] + [
            [(top[0], [c[0] for c in top[2]]) for top in rows[2]]]
        if shape == self._shown_shape:
            self._update_rows(rows)  # the same items with new texts: no rebuild, same height
        else:
            self._build_rows(rows)
        self._shown_rows, self._shown_shape = rows, shape

    def _rows(self, doc: Document | None) -> tuple[list, list, list]:
        """What the three lists show: (id, texts…) rows for stamps and hands, and for each
        distribution list (id, label, [(id, name)…], tooltip).
        """
        if doc is None:
            return [], [], []
        stamps, hands, dists, kids = [], [], [], {}
        for s in doc.spans:
            k = s.kind
            if k == "stamp":
                stamps.append(s)
            elif k == "handwritten":
                hands.append(s)
            elif k == "distribution":
                dists.append(s)
            parent = s.attrs.get("parent") if s.attrs else None
            if parent is not None:
                kids.setdefault(parent, []).append(s)
        stamp_rows = []
        for s in sorted(stamps, key=span_sort_key):
            a = s.attrs
            text = str(a.get("text") or " ".join(doc.span_text(s).split()))
            stamp_rows.append((s.id, text, str(a.get("number") or ""),
                               str(a.get("date_text") or a.get("date") or "")))
        hand_rows = [(s.id, str(s.attrs.get("value") or doc.span_text(s)))
                     for s in sorted(hands, key=span_sort_key)]
        dist_rows = []
        for n, d in enumerate(sorted(dists, key=span_sort_key), 1):
            children = sorted(kids.get(d.id, ()), key=_list_order)
            label = d.attrs.get("label") or self.tr("List {0}").format(n)
            copies = d.attrs.get("copies")
            count = (self.tr("{0} names, {1} copies").format(len(children), copies) if copies
                     else self.tr("{0} names").format(len(children)))
            names = [(r.id, str(r.attrs.get("name") or doc.span_text(r))) for r in children]
            dist_rows.append((d.id, self.tr("{0} ({1})").format(label, count), names,
                              ", ".join(str(r.attrs.get("name") or "") for r in children)))
        return stamp_rows, hand_rows, dist_rows

    def _build_rows(self, rows: tuple[list, list, list]) -> None:
        """Fill the three lists afresh."""
        stamp_rows, hand_rows, dist_rows = rows
        self.stamps.clear()
        self.hands.clear()
        self.dist.clear()
        for sid, text, number, date in stamp_rows:
            item = QTreeWidgetItem([text, number, date])
            item.setData(0, SPAN_ID, sid)
            item.setToolTip(0, text)
            self.stamps.addTopLevelItem(item)
        for sid, value in hand_rows:
            item = QListWidgetItem(value)
            item.setData(SPAN_ID, sid)
            self.hands.addItem(item)
        for did, title, names, tooltip in dist_rows:
            top = QTreeWidgetItem([title])
            top.setData(0, SPAN_ID, did)
            top.setFlags(top.flags() & ~Qt.ItemFlag.ItemIsDragEnabled)
            f = QFont(top.font(0))
            f.setBold(True)
            top.setFont(0, f)
            for rid, name in names:
                child = QTreeWidgetItem([name])
                child.setData(0, SPAN_ID, rid)
                child.setFlags(child.flags() & ~Qt.ItemFlag.ItemIsDropEnabled)
                top.addChild(child)
            self.dist.addTopLevelItem(top)
            top.setToolTip(0, tooltip)
        self.dist.expandAll()
        self._fit_lists()

    def _update_rows(self, rows: tuple[list, list, list]) -> None:
        """The same items as shown, with the texts that changed set in place."""
        stamp_rows, hand_rows, dist_rows = rows
        for i, (_sid, text, number, date) in enumerate(stamp_rows):
            item = self.stamps.topLevelItem(i)
            for col, value in enumerate((text, number, date)):
                if item.text(col) != value:
                    item.setText(col, value)
            item.setToolTip(0, text)
        for i, (_sid, value) in enumerate(hand_rows):
            item = self.hands.item(i)
            if item.text() != value:
                item.setText(value)
        for i, (_did, title, names, tooltip) in enumerate(dist_rows):
            top = self.dist.topLevelItem(i)
            if top.text(0) != title:
                top.setText(0, title)
            top.setToolTip(0, tooltip)
            for j, (_rid, name) in enumerate(names):
                child = top.child(j)
                if child.text(0) != name:
                    child.setText(0, name)

    def _fit_lists(self) -> None:
        self._fit(self.stamps)
        self._fit(self.hands)
        self._fit(self.dist, 2)

    def show_covering(self, spans: list[Span]) -> None:
        """Mark which fields and list items cover the cursor."""
        ids = {s.id for s in spans}
        kinds = {s.kind for s in spans}
        for kind, label in self.labels.items():
            f = label.font()
            f.setBold(kind in kinds)
            label.setFont(f)
        for tree in (self.stamps, self.dist):
            it = _walk(tree)
            for item in it:
                item.setSelected(int(item.data(0, SPAN_ID)) in ids
                                 and (item.childCount() == 0 or tree is self.stamps))
        for i in range(self.hands.count()):
            item = self.hands.item(i)
            item.setSelected(int(item.data(SPAN_ID)) in ids)

    # --- locating --------------------------------------------------------------------------

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        """Focusing a field shows where it sits in the text."""
        if event.type() in (QEvent.Type.FocusIn, QEvent.Type.MouseButtonPress) \
                and self.doc is not None:
            kind = obj.property("fieldKind")
            span = self.doc.first(kind) if kind else None
            if span is not None and span.anchored:
                self.rangeRequested.emit(span.start, span.end)
        return False

    def _span(self, span_id: int) -> Span | None:
        if self.doc is None:
            return None
        return next((s for s in self.doc.spans if s.id == span_id), None)

    def _locate_item(self, item: Any, *_: Any) -> None:
        sid = item.data(0, SPAN_ID) if isinstance(item, QTreeWidgetItem) else item.data(SPAN_ID)
        span = self._span(int(sid))
        if span is not None and span.anchored:
            self.rangeRequested.emit(span.start, span.end)

    # --- edits -----------------------------------------------------------------------------

    def _commit(self, kind: str) -> None:
        if self.doc is None or self.readonly:
            return
        editor = self.editors[kind]
        value = editor.text().strip()
        current = self.doc.field_value(kind) or ""
        if kind == "title":
            current = current or self.doc.title
        if kind == "date":
            span = self.doc.first("date")
            shown = doc_text = self.doc.span_text(span) if span and span.anchored else ""
            if value in (" ".join(shown.split()), current, doc_text):
                return
        if value == " ".join(current.split()):
            return
        doc_id = self.doc.id
        self.run(lambda p: p.set_field(doc_id, kind, value))

    def _commit_language(self) -> None:
        if self.doc is None or self.readonly:
            return
        value = self.language.text().strip()
        if value == (self.doc.language or ""):
            return
        doc_id = self.doc.id
        if self.run(lambda p: p.set_language(doc_id, value)) is None and self.doc is not None:
            self.language.setText(self.doc.language or "")  # refused: show what holds

    def _add_stamp(self) -> None:
        if self.doc is None or self.readonly:
            return
        attrs = self.dialogs.stamp({})
        if attrs:
            doc_id = self.doc.id
            self.run(lambda p: p.add_span(doc_id, "stamp", None, None, attrs,
                                          label="Add stamp"))

    def _edit_stamp(self) -> None:
        item = self.stamps.currentItem()
        if self.doc is None or item is None or self.readonly:
            return
        span = self._span(int(item.data(0, SPAN_ID)))
        if span is None:
            return
        attrs = self.dialogs.stamp(dict(span.attrs))
        if attrs is not None:
            doc_id, sid = self.doc.id, span.id
            self.run(lambda p: p.update_span(doc_id, sid, attrs={**span.attrs, **attrs},
                                             label="Edit stamp"))

    def _add_hand(self) -> None:
        if self.doc is None or self.readonly:
            return
        text = self.dialogs.text(self.tr("Handwritten note"), self.tr("What is written:"))
        if text:
            doc_id = self.doc.id
            self.run(lambda p: p.add_span(doc_id, "handwritten", None, None,
                                          {"value": text, "hand": "h1"},
                                          label="Add handwritten note"))

    def _add_recipient(self) -> None:
        if self.doc is None or self.readonly:
            return
        item = self.dist.currentItem()
        lists = self.doc.spans_of("distribution")
        parent_id: int | None = None
        if item is not None:
            parent_item = item.parent() or item
            parent_id = int(parent_item.data(0, SPAN_ID))
        elif lists:
            parent_id = lists[0].id
        name = self.dialogs.text(self.tr("Recipient"), self.tr("Name:"))
        if not name:
            return
        doc_id = self.doc.id
        if parent_id is None:
            # No list yet: make one, then put the name in it.
            def op(p: Any) -> Any:
                p.add_span(doc_id, "distribution", None, None, {"label": "Distribution"},
                           label="Add distribution list")
                new = p.document(doc_id).spans_of("distribution")[-1]
                return p.add_span(doc_id, "recipient", None, None,
                                  {"name": name, "parent": new.id}, label="Add recipient")
            self.run(op)
            return
        # No "order": a name without one sorts after the ordered ones and after the text.
        self.run(lambda p: p.add_span(doc_id, "recipient", None, None,
                                      {"name": name, "parent": parent_id},
                                      label=f"Add recipient “{name}”"))

    def _remove_selected(self, widget: QWidget) -> None:
        if self.doc is None or self.readonly:
            return
        item = widget.currentItem()
        if item is None:
            return
        sid = item.data(0, SPAN_ID) if isinstance(item, QTreeWidgetItem) else item.data(SPAN_ID)
        doc_id = self.doc.id
        self.run(lambda p: p.remove_span(doc_id, int(sid)))

    def _move(self, step: int) -> None:
        item = self.dist.currentItem()
        if self.doc is None or item is None or item.parent() is None or self.readonly:
            return
        parent = item.parent()
        ids = [int(parent.child(i).data(0, SPAN_ID)) for i in range(parent.childCount())]
        i = ids.index(int(item.data(0, SPAN_ID)))
        j = i + step
        if not 0 <= j < len(ids):
            return
        ids[i], ids[j] = ids[j], ids[i]
        self._reorder(int(parent.data(0, SPAN_ID)), ids, select=ids[j])

    def _reorder(self, parent_id: int, ids: list, select: int | None = None) -> None:
        if self.doc is None:
            return
        # The tree's items were moved by hand: whatever comes next, rebuild from the record.
        self._shown_rows = self._shown_shape = None
        doc_id = self.doc.id
        if not ids or self.readonly:
            self.set_document(self.doc, self.readonly)  # a rejected drop: show the truth
            return
        self.run(lambda p: p.reorder_children(doc_id, parent_id, ids))
        if select is not None:
            for item in _walk(self.dist):
                if int(item.data(0, SPAN_ID)) == select:
                    self.dist.setCurrentItem(item)


def _field_values(doc: Document | None) -> dict[str, str]:
    """Each single field's text as the panel shows it, from one pass over the spans."""
    if doc is None:
        return {}
    first: dict[str, Span] = {}
    wanted = set(SINGLE)
    for s in doc.spans:
        k = s.kind
        if k in wanted:
            cur = first.get(k)
            if cur is None or span_sort_key(s) < span_sort_key(cur):
                first[k] = s
    values = {}
    for kind in SINGLE:
        span = first.get(kind)
        value = (span.value(doc.text) or "") if span is not None else ""
        if kind == "title" and not value:
            value = doc.title
        if kind == "date":
            value = doc.span_text(span) if span and span.anchored else (value or doc.date or "")
        values[kind] = " ".join(value.split()) if kind != "rights" else value.strip()
    return values


def _list_order(s: Span) -> tuple:
    """Recipients by attrs 'order' when set, else in text order (unanchored last)."""
    return (s.attrs.get("order", 10**9), 0 if s.anchored else 1, s.start or 0, s.id)


def _form() -> QFormLayout:
    form = QFormLayout()
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    return form


def _walk(tree: QTreeWidget) -> list[QTreeWidgetItem]:
    out = []
    for i in range(tree.topLevelItemCount()):
        top = tree.topLevelItem(i)
        out.append(top)
        out.extend(top.child(j) for j in range(top.childCount()))
    return out
