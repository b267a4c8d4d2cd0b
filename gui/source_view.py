"""The transcription editor: a plain-text view with every span highlighted by kind.

Highlights are ``ExtraSelection``s: their cursors move with the text inside Qt, so a
keystroke costs no re-highlighting at all except for the few spans at the edit whose
boundary rule differs from Qt's (core's rules decide; those few are fixed in place).
Offsets are core offsets (Python code points); Qt counts UTF-16 units, so characters
outside the BMP are mapped both ways.
"""
from __future__ import annotations

import bisect
import re
from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QKeySequence,
    QPalette,
    QTextCharFormat,
    QTextCursor,
    QTextFormat,
)
from PySide6.QtWidgets import QLabel, QMenu, QPlainTextEdit, QTextEdit, QToolTip, QWidget

from emendo.core.model import Span, span_sort_key
from emendo.core.textedit import map_span
from emendo.gui.marks import QUIET_KINDS, kind_accent, kind_color, kind_label

_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")
# Drawn first so that small marks paint over the large regions they sit in.
# Documents with more spans than this show the highlights near the top first.
DEFER_OVER = 300
_REGION_KINDS = frozenset({"distribution", "closer", "stamp", "summary", "rights", "pagemeta"})


def _astral_positions(text: str) -> list[int]:
    return [m.start() for m in _ASTRAL.finditer(text)]


class SourceView(QPlainTextEdit):
    """Shows one document's text; reports edits as core edits ``(pos, removed, inserted)``."""

    textEdited = Signal(int, int, str)
    spansAtCursor = Signal(list)
    undoRequested = Signal()
    redoRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sourceView")
        self.setAccessibleName(self.tr("Transcription"))
        self.setAccessibleDescription(self.tr("The document's text with its marks highlighted"))
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        # Undo lives in core (the project's operation log), not in the widget.
        self.setUndoRedoEnabled(False)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont)
        font.setPointSizeF(max(font.pointSizeF(), 10.5))
        self.setFont(font)
        self.spans: list[Span] = []
        self._text = ""
        self._astral: list[int] = []
        self._applying = False
        self._span_sel: list[QTextEdit.ExtraSelection] = []
        self._span_ids: list[int] = []
        self._n_regions = 0
        self._find_sel: list[QTextEdit.ExtraSelection] = []
        self._focus_sel: list[QTextEdit.ExtraSelection] = []
        self._formats: dict[str, QTextCharFormat] = {}
        self._formats_palette = 0
        self._generation = 0
        self.context_actions: list = []
        self.hidden_kinds: set[str] = set()
        self._cursor_timer = QTimer(self)
        self._cursor_timer.setSingleShot(True)
        self._cursor_timer.setInterval(120)
        self._cursor_timer.timeout.connect(self._emit_cursor_spans)
        self._reach_pushed = (0, 0)
        self.verticalScrollBar().valueChanged.connect(self._on_scrolled)
        self.document().contentsChange.connect(self._on_contents_change)
        self.cursorPositionChanged.connect(self._on_cursor_moved)

    # --- offsets ---------------------------------------------------------------------------

    def to_qt(self, pos: int) -> int:
        """A core offset as a Qt document position."""
        return pos + bisect.bisect_left(self._astral, pos) if self._astral else pos

    def to_core(self, qpos: int) -> int:
        """A Qt document position as a core offset."""
        if not self._astral:
            return qpos
        pos = qpos
        # Each astral character before the position takes two Qt units for one code point.
        while True:
            n = bisect.bisect_left(self._astral, pos)
            candidate = qpos - n
            if candidate == pos:
                return pos
            pos = candidate

    @property
    def text(self) -> str:
        """The text as core holds it (no U+2029 or no-break-space conversion)."""
        return self._text

    def selection_range(self) -> tuple[int, int]:
        """The selected core range (start == end when nothing is selected)."""
        c = self.textCursor()
        return self.to_core(c.selectionStart()), self.to_core(c.selectionEnd())

    def cursor_offset(self) -> int:
        """The cursor's core offset."""
        return self.to_core(self.textCursor().position())

    def set_cursor_offset(self, pos: int, end: int | None = None) -> None:
        """Place the cursor (and select up to ``end``) and scroll it into view."""
        n = len(self._text)
        c = self.textCursor()
        c.setPosition(self.to_qt(max(0, min(pos, n))))
        if end is not None:
            c.setPosition(self.to_qt(max(0, min(end, n))), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(c)
        self.centerCursor()

    # --- loading and applying core's state -----------------------------------------------

    def load(self, text: str, spans: list[Span], defer: bool = False) -> None:
        """Show a document (replaces everything, no edit is reported)."""
        self._applying = True
        try:
            self._text = text
            self._astral = _astral_positions(text)
            self.setPlainText(text)
        finally:
            self._applying = False
        self.set_spans(spans, defer)

    def clear_document(self) -> None:
        """Show nothing."""
        self.load("", [])

    def apply_text(self, new_text: str) -> None:
        """Bring the view to core's text with the smallest edit (undo, redo, corrections)."""
        old = self._text
        if new_text == old:
            return
        a = 0
        m = min(len(old), len(new_text))
        while a < m and old[a] == new_text[a]:
            a += 1
        b = 0
        while b < m - a and old[len(old) - 1 - b] == new_text[len(new_text) - 1 - b]:
            b += 1
        start_q, end_q = self.to_qt(a), self.to_qt(len(old) - b)
        inserted = new_text[a:len(new_text) - b]
        self._applying = True
        try:
            c = QTextCursor(self.document())
            c.setPosition(start_q)
            c.setPosition(end_q, QTextCursor.MoveMode.KeepAnchor)
            c.insertText(inserted)
        finally:
            self._applying = False
        self._text = new_text
        self._astral = _astral_positions(new_text)

    def set_spans(self, spans: list[Span], defer: bool = False) -> None:
        """Highlight a new set of spans (rebuilds every highlight).

        With ``defer`` a long list is built in steps: the spans within reach of the
        viewport now (before the first paint), the rest in chunks on later turns of the
        event loop, so a document shows at once and no turn blocks for long.
        """
        self._generation += 1
        self._span_sel = []
        self._span_ids = []
        self._n_regions = 0
        anchored = [s for s in spans if s.start is not None]
        if defer and len(anchored) > DEFER_OVER:
            limit = self._visible_end()
            now = [s for s in anchored if s.start < limit]  # type: ignore[operator]
            if len(now) < len(anchored):
                now.sort(key=span_sort_key)
                self.spans = anchored  # sorted with the rest, a moment later
                self._build(now)
                later = [s for s in anchored if s.start >= limit]  # type: ignore[operator]
                gen = self._generation
                QTimer.singleShot(0, lambda: self._build_rest(gen, later))
                return
        self.spans = sorted(anchored, key=span_sort_key)
        self._build(self.spans)

    def _visible_end(self) -> int:
        """A core offset safely past the bottom of the viewport, without laying out.

        A visual line holds at most so many characters (1.6 times the average, for
        narrow glyphs), so a paragraph takes at least ``len / per_line`` lines and at
        least one; counting paragraphs from the first visible character until they fill
        the viewport's lines gives an end that is never short of what is shown.
        """
        fm = self.fontMetrics()
        vp = self.viewport().rect()
        lines = vp.height() // max(1, fm.lineSpacing()) + 3
        per_line = int(1.6 * vp.width() / max(1, fm.averageCharWidth())) + 8
        text = self._text
        end = self.to_core(self.firstVisibleBlock().position())
        used = 0
        while used < lines and end < len(text):
            nl = text.find("\n", end)
            if nl == -1:
                nl = len(text)
            used += max(1, -(-(nl - end) // per_line))
            end = nl + 1
        return min(end, len(text)) + 1

    # Highlights built per turn of the event loop after the first paint.
    CHUNK = 250

    def _build_rest(self, generation: int, rest: list[Span]) -> None:
        if generation != self._generation:
            return  # another document or span set has been shown since
        # Sort once, in the first deferred turn (the first paint skipped it).
        self.spans = sorted(self.spans, key=span_sort_key)
        rest.sort(key=span_sort_key)
        self._build_more(generation, rest)

    def _build_more(self, generation: int, rest: list[Span]) -> None:
        if generation != self._generation:
            return
        chunk, rest = rest[:self.CHUNK], rest[self.CHUNK:]
        # A keystroke since may have dropped some (their text was deleted).
        live = {id(s) for s in self.spans}
        self._build([s for s in chunk if id(s) in live])
        if rest:
            QTimer.singleShot(0, lambda: self._build_more(generation, rest))

    def _build(self, spans: list[Span]) -> None:
        """Add highlights for spans (regions first so marks paint over them)."""
        pal = self.palette()
        key = pal.cacheKey()
        formats = self._formats
        if self._formats_palette != key:
            formats.clear()
            self._formats_palette = key
        hidden = self.hidden_kinds
        region_sel: list[QTextEdit.ExtraSelection] = []
        region_ids: list[int] = []
        mark_sel: list[QTextEdit.ExtraSelection] = []
        mark_ids: list[int] = []
        doc = self.document()
        to_qt = self.to_qt if self._astral else None
        keep = QTextCursor.MoveMode.KeepAnchor
        Sel = QTextEdit.ExtraSelection
        for s in spans:
            kind = s.kind
            if kind in hidden:
                continue
            fmt = formats.get(kind)
            if fmt is None:
                fmt = formats[kind] = self._format(kind, pal)
            sel = Sel()
            cur = QTextCursor(doc)
            if to_qt is None:
                cur.setPosition(s.start)  # type: ignore[arg-type]
                cur.setPosition(s.end, keep)  # type: ignore[arg-type]
            else:
                cur.setPosition(to_qt(s.start))  # type: ignore[arg-type]
                cur.setPosition(to_qt(s.end), keep)  # type: ignore[arg-type]
            sel.cursor = cur
            sel.format = fmt
            if kind in _REGION_KINDS or kind in QUIET_KINDS:
                region_sel.append(sel)
                region_ids.append(s.id)  # type: ignore[arg-type]
            else:
                mark_sel.append(sel)
                mark_ids.append(s.id)  # type: ignore[arg-type]
        # Regions first, so the small marks inside them paint over their wash.
        n_regions = self._n_regions
        self._span_sel[n_regions:n_regions] = region_sel
        self._span_ids[n_regions:n_regions] = region_ids
        self._n_regions = n_regions + len(region_sel)
        self._span_sel.extend(mark_sel)
        self._span_ids.extend(mark_ids)
        self._push_selections()

    def _format(self, kind: str, pal: QPalette) -> QTextCharFormat:
        fmt = QTextCharFormat()
        if kind in QUIET_KINDS:
            fmt.setForeground(pal.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text))
            return fmt
        if kind in ("distribution", "closer", "stamp"):
            # Large blocks: a faint wash so the marks inside stay readable.
            c = QColor(kind_color(kind, pal))
            c.setAlphaF(0.45)
            fmt.setBackground(c)
        else:
            fmt.setBackground(kind_color(kind, pal))
        if kind in ("unclear", "sic"):
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
            fmt.setUnderlineColor(kind_accent(kind, pal))
        elif kind == "underline":
            fmt.setFontUnderline(True)
        elif kind in ("supplied", "handwritten"):
            fmt.setFontItalic(True)
        elif kind == "illegible":
            fmt.setForeground(kind_accent(kind, pal))
        fmt.setProperty(QTextFormat.Property.UserProperty, kind)
        return fmt

    def set_find_hits(self, ranges: list[tuple[int, int]], current: int = -1) -> None:
        """Highlight find hits (core ranges); ``current`` is the one the cursor is on."""
        pal = self.palette()
        self._find_sel = []
        for i, (a, b) in enumerate(ranges):
            sel = QTextEdit.ExtraSelection()
            cur = QTextCursor(self.document())
            cur.setPosition(self.to_qt(a))
            cur.setPosition(self.to_qt(b), QTextCursor.MoveMode.KeepAnchor)
            sel.cursor = cur
            fmt = QTextCharFormat()
            base = pal.color(QPalette.ColorRole.Highlight)
            c = QColor(base)
            c.setAlphaF(0.85 if i == current else 0.4)
            fmt.setBackground(c)
            fmt.setForeground(pal.color(QPalette.ColorRole.HighlightedText) if i == current
                              else pal.color(QPalette.ColorRole.Text))
            sel.format = fmt
            self._find_sel.append(sel)
        self._push_selections()

    def flash_range(self, start: int, end: int) -> None:
        """Outline a range (where a field or mark sits) until the next one."""
        sel = QTextEdit.ExtraSelection()
        cur = QTextCursor(self.document())
        cur.setPosition(self.to_qt(start))
        cur.setPosition(self.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        sel.cursor = cur
        fmt = QTextCharFormat()
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
        fmt.setUnderlineColor(self.palette().color(QPalette.ColorRole.Highlight))
        fmt.setFontWeight(QFont.Weight.Bold)
        sel.format = fmt
        self._focus_sel = [sel]
        self._push_selections()

    def _push_selections(self) -> None:
        """Hand Qt only the highlights near the viewport.

        QPlainTextEdit checks every extra selection for every block it paints, so 1,000
        highlights made each keystroke's repaint cost milliseconds. The selections keep
        their cursors (Qt moves them with the text); scrolling and resizing hand over
        the ones that come into reach.
        """
        lo, hi = self._reach()
        near = [sel for sel in self._span_sel
                if sel.cursor.selectionEnd() >= lo and sel.cursor.selectionStart() <= hi]
        self._reach_pushed = (lo, hi)
        self.setExtraSelections(near + self._focus_sel + self._find_sel)

    def _reach(self) -> tuple[int, int]:
        """Qt positions from a few lines above the viewport to a few lines below it.

        Each painted block checks every selection Qt holds, so the fewer the better;
        scrolling hands over the next ones.
        """
        doc = self.document()
        first = self.firstVisibleBlock()
        if not first.isValid():
            return 0, doc.characterCount()
        screens = max(1, self.fontMetrics().lineSpacing() * 3)
        # A screen above: walk back blocks by their height (cheap: laid out already).
        block = first
        height = 0.0
        while block.previous().isValid() and height < screens:
            block = block.previous()
            height += self.blockBoundingRect(block).height() or 1
        lo = block.position()
        end = self.cursorForPosition(self.viewport().rect().bottomRight()).position()
        block = doc.findBlock(end)
        height = 0.0
        while block.isValid() and height < screens:
            height += self.blockBoundingRect(block).height() or 1
            block = block.next()
        hi = block.position() if block.isValid() else doc.characterCount()
        return lo, hi

    def _on_scrolled(self) -> None:
        lo, hi = self._reach()
        plo, phi = self._reach_pushed
        if (lo, hi) != (plo, phi):
            self._push_selections()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        """Wrapping changed: the highlights in reach may differ."""
        super().resizeEvent(event)
        if self._span_sel:
            self._push_selections()

    def flush_cursor(self) -> None:
        """Report the spans at the cursor now (tests, and after jumps)."""
        self._cursor_timer.stop()
        self._emit_cursor_spans()

    # --- edits from the user -------------------------------------------------------------

    def _read(self, qstart: int, qend: int) -> str:
        """Characters of the document as typed (U+2029 from Qt is a newline in core)."""
        if qend <= qstart:
            return ""
        c = QTextCursor(self.document())
        c.setPosition(qstart)
        c.setPosition(qend, QTextCursor.MoveMode.KeepAnchor)
        return c.selectedText().replace("\u2029", "\n")

    def _on_contents_change(self, qpos: int, qremoved: int, qadded: int) -> None:
        if self._applying:
            return
        old = self._text
        # Qt sometimes reports a wider change than happened (whole blocks); narrow it by
        # comparing with the shadow copy so core logs only what the user changed.
        start = self.to_core(qpos)
        old_end = self.to_core(qpos + qremoved) if qremoved else start
        old_end = min(old_end, len(old))
        inserted = self._read(qpos, qpos + qadded)
        # Qt may count the final block separator; clamp to the real document end.
        removed_text = old[start:old_end]
        a = 0
        m = min(len(removed_text), len(inserted))
        while a < m and removed_text[a] == inserted[a]:
            a += 1
        b = 0
        while (b < m - a and removed_text[len(removed_text) - 1 - b]
               == inserted[len(inserted) - 1 - b]):
            b += 1
        pos = start + a
        removed = len(removed_text) - a - b
        ins = inserted[a:len(inserted) - b]
        if removed == 0 and not ins:
            return
        new_text = old[:pos] + ins + old[pos + removed:]
        self._text = new_text
        if self._astral or _ASTRAL.search(ins):
            self._astral = _astral_positions(new_text)
        self._shift_spans(pos, removed, len(ins))
        self.textEdited.emit(pos, removed, ins)

    def _shift_spans(self, pos: int, removed: int, added: int) -> None:
        """Move the spans by core's rules; fix only highlights whose Qt cursor disagrees."""
        edit_end = pos + removed
        moved: list[Span] = []
        changed = False
        fixes: dict[int, tuple[int, int] | None] = {}
        delta = added - removed
        for s in self.spans:
            st, en = s.start, s.end
            if edit_end < st:  # wholly before: Qt and core agree (pure shift)
                s.start, s.end = st + delta, en + delta  # type: ignore[operator]
                moved.append(s)
                continue
            if pos > en:  # type: ignore[operator]
                moved.append(s)
                continue
            new = map_span(st, en, pos, removed, added)  # type: ignore[arg-type]
            if new is None:
                fixes[s.id] = None
                changed = True
                continue
            s.start, s.end = new
            fixes[s.id] = new
            moved.append(s)
        self.spans = moved
        if not fixes:
            return
        for i, sid in enumerate(self._span_ids):
            if sid not in fixes:
                continue
            cur = self._span_sel[i].cursor
            want = fixes[sid]
            if want is None:
                continue
            qa, qb = self.to_qt(want[0]), self.to_qt(want[1])
            if cur.selectionStart() != qa or cur.selectionEnd() != qb:
                cur.setPosition(qa)
                cur.setPosition(qb, QTextCursor.MoveMode.KeepAnchor)
                self._span_sel[i].cursor = cur
                changed = True
        if changed:
            keep = [i for i, sid in enumerate(self._span_ids) if fixes.get(sid, 0) is not None]
            self._n_regions = sum(1 for i in keep if i < self._n_regions)
            self._span_sel = [self._span_sel[i] for i in keep]
            self._span_ids = [self._span_ids[i] for i in keep]
            self._push_selections()

    # --- what is under the cursor ----------------------------------------------------------

    def spans_at(self, pos: int) -> list[Span]:
        """Spans covering a core offset (innermost last)."""
        return [s for s in self.spans if s.start <= pos < s.end]  # type: ignore[operator]

    def _on_cursor_moved(self) -> None:
        if self._applying:
            return
        # Typing moves the cursor on every key; tell the panels once it rests.
        self._cursor_timer.start()

    def _emit_cursor_spans(self) -> None:
        self.spansAtCursor.emit(self.spans_at(self.cursor_offset()))

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        """Tooltips: the kinds and notes of the marks under the mouse."""
        if event.type() == QEvent.Type.ToolTip:
            qpos = self.cursorForPosition(event.pos()).position()
            covering = self.spans_at(self.to_core(qpos))
            if covering:
                QToolTip.showText(event.globalPos(), self._tooltip(covering), self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    def _tooltip(self, spans: list[Span]) -> str:
        from html import escape

        rows = []
        for s in spans:
            bits = [f"<b>{escape(kind_label(s.kind))}</b>"]
            for key in ("value", "reason", "corr", "note", "name"):
                v = s.attrs.get(key)
                if v not in (None, "", True):
                    label = {"corr": self.tr("correction"), "reason": self.tr("reason"),
                             "note": self.tr("note"), "value": self.tr("value"),
                             "name": self.tr("name")}[key]
                    bits.append(f"{escape(label)}: {escape(str(v))}")
            rows.append(" — ".join(bits))
        return "<br>".join(rows)

    # --- keys and menu ---------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        """Let the window's Undo and Redo actions have their shortcuts, not the widget."""
        if event.type() == QEvent.Type.ShortcutOverride:
            if event.matches(QKeySequence.StandardKey.Undo) or event.matches(
                    QKeySequence.StandardKey.Redo):
                event.ignore()
                return False
        return super().event(event)

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt override)
        """Undo and redo go to core even when the shortcut reaches the editor."""
        if event.matches(QKeySequence.StandardKey.Undo):
            self.undoRequested.emit()
            return
        if event.matches(QKeySequence.StandardKey.Redo):
            self.redoRequested.emit()
            return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event) -> None:  # noqa: N802 (Qt override)
        """The standard menu plus the marking actions."""
        menu = self.createStandardContextMenu(event.pos())
        # The widget's own undo/redo entries would bypass core; drop them.
        for act in list(menu.actions()):
            if act.objectName() in ("edit-undo", "edit-redo"):
                menu.removeAction(act)
        if self.context_actions:
            menu.addSeparator()
            marks = QMenu(self.tr("Mark as"), menu)
            for act in self.context_actions:
                if act is None:
                    marks.addSeparator()
                else:
                    marks.addAction(act)
            menu.addMenu(marks)
        for act in getattr(self, "context_extra", []):
            menu.addAction(act)
        menu.exec(event.globalPos())
        menu.deleteLater()


class Legend(QLabel):
    """A line of coloured chips naming the kinds present in the document."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("legend")
        self.setAccessibleName(self.tr("Legend of mark colours"))
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setContentsMargins(6, 3, 6, 3)

    def show_kinds(self, kinds: list[str]) -> None:
        """Show chips for these kinds (in the given order)."""
        from html import escape

        pal = self.palette()
        chips = []
        for k in kinds:
            if k in QUIET_KINDS:
                continue
            bg = kind_color(k, pal).name()
            fg = pal.color(QPalette.ColorRole.Text).name()
            chips.append(f'<span style="background-color:{bg}; color:{fg};">'
                         f'&nbsp;{escape(kind_label(k))}&nbsp;</span>')
        self.setText("&nbsp; ".join(chips) if chips else self.tr("No marks yet."))

