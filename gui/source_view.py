"""The transcription editor: a plain-text view with every span highlighted by kind.

Span highlights are formats of each block's text layout, given only to the blocks on
screen, just before they are painted (and to those scrolled into view later): opening a
document with 1,000 marks formats the few dozen paragraphs shown, and Qt paints each line
once instead of once per highlight over it. A keystroke redoes the formats of the block
it edited, by core's rules for moving spans; other blocks' formats are relative to their
block and stay right. Find hits and the outlined range remain extra selections.
Offsets are core offsets (Python code points); Qt counts UTF-16 units, so characters
outside the BMP are mapped both ways.
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from itertools import islice
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QFont,
    QFontDatabase,
    QKeyEvent,
    QKeySequence,
    QPaintEvent,
    QPalette,
    QTextCharFormat,
    QTextCursor,
    QTextFormat,
    QTextLayout,
)
from PySide6.QtWidgets import QLabel, QMenu, QPlainTextEdit, QTextEdit, QToolTip, QWidget

from emendo.core.model import Span, span_sort_key
from emendo.gui.marks import QUIET_KINDS, kind_accent, kind_color, kind_label
from emendo.gui.span_places import SpanPlacesMixin

_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")
# Drawn first so that small marks paint over the large regions they sit in.
# Documents with more spans than this show the highlights near the top first.
DEFER_OVER = 300
_REGION_KINDS = frozenset({"distribution", "closer", "stamp", "summary", "rights", "pagemeta"})
# Painted first: large regions and quiet site text, under the marks inside them.
_WASH_KINDS = _REGION_KINDS | QUIET_KINDS


_INPUT_EVENTS = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride, QEvent.Type.InputMethod,
    QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick, QEvent.Type.ContextMenu,
    QEvent.Type.ToolTip, QEvent.Type.FocusIn, QEvent.Type.Drop,
})


def _astral_positions(text: str) -> list[int]:
    # Answered at C speed in the common cases: ASCII, or no character beyond the BMP (one
    # UTF-16 unit each); the regular expression only for the texts that have some.
    if text.isascii() or len(text.encode("utf-16-le", "surrogatepass")) == 2 * len(text):
        return []
    return [m.start() for m in _ASTRAL.finditer(text)]


class SourceView(SpanPlacesMixin, QPlainTextEdit):
    """Shows one document's text; reports edits as core edits ``(pos, removed, inserted)``."""

    # Class defaults: Qt sends events while the widget is still being constructed.
    _stored: Any = None
    on_pending: Callable[[], None] | None = None
    _all_new = False  # a document just loaded: no block formatted yet

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
        self._spans: list[Span] = []
        # A shift still owed to the spans from this index on (sorted spans only): typing
        # moves the marks after it only when something reads them (see spans).
        self._owed_from = 0
        self._owed = 0
        self._text = ""
        self._astral: list[int] = []
        self._applying = False
        self._sorted = True
        self._loading = False
        # Highlight generation: blocks formatted in an older one are redone when shown.
        self._hl_gen = 1
        self._find_sel: list[QTextEdit.ExtraSelection] = []
        self._focus_sel: list[QTextEdit.ExtraSelection] = []
        self._formats: dict[str, QTextCharFormat] = {}
        self._formats_palette = 0
        self._generation = 0
        # Spans still to be built (load_stored) and what builds them before any input.
        self._stored: Any = None
        self.on_pending: Callable[[], None] | None = None
        self.context_actions: list = []
        self.hidden_kinds: set[str] = set()
        self._cursor_timer = QTimer(self)
        self._cursor_timer.setSingleShot(True)
        self._cursor_timer.setInterval(120)
        self._cursor_timer.timeout.connect(self._emit_cursor_spans)
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
        self._set_text(text)
        self.set_spans(spans, defer)

    def load_stored(self, text: str, stored: Any) -> None:
        """Show a document whose spans are still to be built (a :class:`StoredSpans`).

        The blocks on screen are highlighted from the keys of the spans over them alone
        (built from the stored columns); the window hands over the whole list with
        :meth:`adopt_spans` after the first paint, and before any input reaches the view
        (``on_pending``).
        """
        self._set_text(text)
        self._generation += 1
        self._hl_gen += 1
        self.spans = []
        self._stored = stored
        self._sorted = False
        self.viewport().update()

    def _set_text(self, text: str) -> None:
        """Replace the whole text; no edit is reported and no block is highlighted yet."""
        self._stored = None
        self._applying = True
        self._loading = True  # new blocks: nothing to mark stale
        try:
            self._text = text
            self._astral = _astral_positions(text)
            # What QPlainTextEdit.setPlainText does, less giving every character the
            # cursor's character format (the view's text has none): a quarter less time
            # to show a long cable (measured). The cursor is taken off the document first,
            # as Qt does, so that the text is not inserted before it (a cursor dragged to
            # the end would have the next one placed by laying out two screens of text).
            doc = self.document()
            self.setTextCursor(QTextCursor())
            doc.setPlainText(text)
            self.setTextCursor(QTextCursor(doc))
        finally:
            self._applying = False
            self._loading = False
        self._all_new = True

    def adopt_spans(self, spans: list[Span]) -> None:
        """The whole list after :meth:`load_stored`: the blocks already highlighted stay so.

        They were highlighted from exactly the spans over them, so only the blocks not yet
        shown take theirs from this list; it is sorted a moment later.
        """
        self._stored = None
        self.spans = [s for s in spans if s.start is not None]
        self._sorted = False
        gen = self._generation
        QTimer.singleShot(0, lambda: self._sort_spans(gen))

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
        """Highlight a new set of spans.

        Nothing is built for the whole document: the blocks (paragraphs) on screen get
        their highlights as layout formats just before they are painted, the others when
        they are scrolled into view. With ``defer`` a long list is sorted a moment after
        the first paint (the blocks on screen sort their own few spans).
        """
        self._generation += 1
        self._hl_gen += 1
        self._stored = None
        anchored = [s for s in spans if s.start is not None]
        if defer and len(anchored) > DEFER_OVER:
            self.spans = anchored
            self._sorted = False
            gen = self._generation
            QTimer.singleShot(0, lambda: self._sort_spans(gen))
        else:
            anchored.sort(key=span_sort_key)
            self.spans = anchored
            self._sorted = True
        self.viewport().update()

    def _sort_spans(self, generation: int) -> None:
        if generation != self._generation or self._sorted:
            return  # another document or span set has been shown since
        self.spans.sort(key=span_sort_key)
        self._sorted = True

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

    # --- highlights as block formats -------------------------------------------------------
    #
    # Each block's QTextLayout carries the formats of the spans over it (block-relative, so
    # an edit elsewhere leaves them right). A block's user state records the highlight
    # generation it was formatted in (times two, plus one when it has formats): set_spans
    # starts a new generation and blocks are brought up to date only when on screen.

    def _ensure_formatted(self, quiet: bool = False) -> int:
        """Format the blocks on screen that are not up to date; how many were formatted.

        ``quiet`` (while painting) keeps the layout from asking for another repaint.
        """
        block = self.firstVisibleBlock()
        if not block.isValid():
            return 0
        end_q = self.to_qt(self._visible_end())
        want = self._hl_gen
        stale = []
        found = []  # (position, length, state) of each: each is one call into Qt, asked once
        if (self._all_new and not self._astral
                and self.document().blockCount() == self._text.count("\n") + 1):
            # Just loaded, every block unformatted: where each starts and ends is read off
            # the text (a block is a line: the counts agree), which spares three calls
            # into Qt per block.
            text, q = self._text, block.position()
            while block.isValid():
                nl = text.find("\n", q)
                length = (nl if nl >= 0 else len(text)) - q + 1
                stale.append(block)
                found.append((q, length, -1))
                if q + length > end_q:
                    break
                q += length
                block = block.next()
            self._all_new = False
            self._format_blocks(stale, quiet, known=found)
            return len(stale)
        self._all_new = False
        while block.isValid():
            state, q, length = block.userState(), block.position(), block.length()
            if state >> 1 != want:
                stale.append(block)
                found.append((q, length, state))
            if q + length > end_q:
                break
            block = block.next()
        if stale:
            self._format_blocks(stale, quiet, known=found)
        return len(stale)

    def _format_blocks(self, blocks: list, quiet: bool = False, dirty: bool = True,
                       known: list[tuple[int, int, int]] | None = None) -> None:
        """Give blocks (in document order) the formats of the spans over them.

        ``known``: each block's (position, length, user state), when the caller has them.
        """
        if known is None:
            known = [(b.position(), b.length(), b.userState()) for b in blocks]
        pal = self.palette()
        formats = self._formats
        if self._formats_palette != pal.cacheKey():
            formats.clear()
            self._formats_palette = pal.cacheKey()
        astral = bool(self._astral)
        to_qt, to_core = self.to_qt, self.to_core
        first_q = known[0][0]
        last_q = known[-1][0] + known[-1][1]
        lo, hi = to_core(first_q), to_core(last_q)
        hidden = self.hidden_kinds
        # (start, -end, _, kind) of the spans over the blocks, in text order.
        cand: list[tuple[Any, Any, Any, str]]
        if self._stored is not None:
            # First paint of a long document: straight from the stored columns; no Span
            # is built for it.
            cand = self._stored.overlapping_keys(lo, hi)
        else:
            if self._sorted:
                # Those starting before hi, moved to their places (the others may still
                # be owed a shift by typing above them).
                end = self._index_after(hi, left=True)
                self._pay(end)
                pool: Any = islice(self._spans, end)
            else:
                pool = self.spans
            spans = [s for s in pool if s.start < hi and s.end > lo]  # type: ignore[operator]
            if not self._sorted:
                spans.sort(key=span_sort_key)
            cand = [(s.start, -s.end, 0, s.kind) for s in spans]  # type: ignore[operator]
        if hidden:
            cand = [c for c in cand if c[3] not in hidden]
        # Regions first, so the small marks inside them paint over their wash.
        wash = [c for c in cand if c[3] in _WASH_KINDS]
        if wash:
            cand = wash + [c for c in cand if c[3] not in _WASH_KINDS]
        # Each kind's format looked up once, not once per range.
        fmt_of = {}
        for kind in {c[3] for c in cand}:
            fmt = formats.get(kind)
            if fmt is None:
                fmt = formats[kind] = self._format(kind, pal)
            fmt_of[kind] = fmt
        Range = QTextLayout.FormatRange
        bisect_right = bisect.bisect_right
        want = self._hl_gen * 2
        # Each span goes to the blocks it reaches, found by bisection: a document with
        # 1,000 marks would otherwise test every mark against every block on screen.
        qstarts = [k[0] for k in known]
        bstarts = [to_core(q) for q in qstarts] if astral else qstarts
        bends = ([to_core(q + n - 1) for q, n, _ in known] if astral
                 else [q + n - 1 for q, n, _ in known])
        per_block: list[list] = [[] for _ in blocks]
        n = len(blocks)
        for a0, b0, _, kind in cand:
            b0 = -b0
            j = bisect_right(bstarts, a0) - 1  # type: ignore[arg-type]
            if j < 0:
                j = 0
            fmt = fmt_of[kind]
            while j < n and bstarts[j] < b0:  # type: ignore[operator]
                bs, be = bstarts[j], bends[j]
                if a0 < be and b0 > bs:  # type: ignore[operator]
                    a = bs if a0 < bs else a0  # type: ignore[operator]
                    b = be if b0 > be else b0  # type: ignore[operator]
                    r = Range()
                    if astral:
                        r.start = to_qt(a) - qstarts[j]
                        r.length = to_qt(b) - to_qt(a)
                    else:
                        r.start = a - bs  # the block starts at bs in both counts
                        r.length = b - a
                    r.format = fmt
                    per_block[j].append(r)
                j += 1
        for block, ranges, (_, _, old) in zip(blocks, per_block, known):
            if ranges or (old >= 0 and old & 1):
                block.layout().setFormats(ranges)
            block.setUserState(want + (1 if ranges else 0))
        if not dirty:
            return
        # setFormats noted a change; have the layout take it now (and lay the blocks out
        # again on their next paint), not at the next keystroke.
        doc = self.document()
        lay = doc.documentLayout()
        was = lay.blockSignals(quiet)
        try:
            doc.markContentsDirty(first_q, last_q - first_q)
        finally:
            lay.blockSignals(was)

    def highlighted_kinds(self, pos: int) -> list[str]:
        """The kinds whose highlight covers a core offset, as the view paints them (tests)."""
        qpos = self.to_qt(pos)
        block = self.document().findBlock(qpos)
        rel = qpos - block.position()
        return [r.format.property(QTextFormat.Property.UserProperty)
                for r in block.layout().formats() if r.start <= rel < r.start + r.length]

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        """Bring the blocks about to be painted up to date first."""
        self._ensure_formatted(quiet=True)
        super().paintEvent(event)

    def _format(self, kind: str, pal: QPalette) -> QTextCharFormat:
        """A kind's look. Formats over one character merge, later ones winning."""
        fmt = QTextCharFormat()
        fmt.setProperty(QTextFormat.Property.UserProperty, kind)
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
        elif kind == "illegible":
            fmt.setForeground(kind_accent(kind, pal))
        if kind not in _REGION_KINDS and not fmt.hasProperty(QTextFormat.Property.ForegroundBrush):
            # A mark's own colour over a quiet region's grey text (as its plain text).
            fmt.setForeground(pal.color(QPalette.ColorRole.Text))
        # Supplied and handwritten text is not set in italics: the highlight shows them,
        # and a slanted run would rewrap the line under the cursor as it is marked.
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
        """Hand Qt the find hits and the outlined range (the spans are block formats)."""
        self.setExtraSelections(self._focus_sel + self._find_sel)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        """A new palette (dark mode): every highlight colour is derived from it."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._formats.clear()
            self._hl_gen += 1
            self.viewport().update()

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
            if self._loading:
                return
            # Core's text brought in (undo, corrections): the edited blocks' formats are
            # stale until set_spans follows; mark them so the next paint redoes them.
            doc = self.document()
            block, last = doc.findBlock(qpos), doc.findBlock(qpos + qadded)
            while block.isValid():
                block.setUserState(-1)
                if block == last:
                    break
                block = block.next()
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
        self._shift_spans(pos, removed, len(ins), old)
        self._reformat_edited(qpos, qadded)
        self.textEdited.emit(pos, removed, ins)

    def _reformat_edited(self, qpos: int, qadded: int) -> None:
        """Redo the formats of the blocks an edit touched (positions inside them moved).

        Runs inside Qt's change notice, before Qt lays the edited blocks out again, so
        the new formats cost no extra layout. Blocks elsewhere keep theirs: they are
        relative to the block.
        """
        doc = self.document()
        block = doc.findBlock(qpos)
        last = doc.findBlock(qpos + qadded)
        blocks = []
        while block.isValid():
            blocks.append(block)
            if block == last:
                break
            block = block.next()
        if blocks:
            self._format_blocks(blocks)

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
        if self._stored is not None and self.on_pending is not None \
                and event.type() in _INPUT_EVENTS:
            self.on_pending()
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
        if self._stored is not None and self.on_pending is not None \
                and event.type() in _INPUT_EVENTS:
            self.on_pending()  # every span is built before the reader can act on one
        if event.type() == QEvent.Type.ShortcutOverride:
            if event.matches(QKeySequence.StandardKey.Undo) or event.matches(
                    QKeySequence.StandardKey.Redo):
                event.ignore()
                return False
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        """Undo and redo go to core even when the shortcut reaches the editor."""
        if event.matches(QKeySequence.StandardKey.Undo):
            self.undoRequested.emit()
            return
        if event.matches(QKeySequence.StandardKey.Redo):
            self.redoRequested.emit()
            return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 (Qt override)
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

