"""Where the source view's marks are while the text is typed in.

A mixin of :class:`emendo.gui.source_view.SourceView`, split off to keep modules short. A
keystroke moves the marks over and before it by core's rules; the marks after it are owed
the shift, paid when something reads them (``spans``) or when their blocks are formatted,
so typing costs the same however many marks follow it.
"""
from __future__ import annotations

import bisect
from itertools import islice
from operator import attrgetter

from emendo.core.model import Span
from emendo.core.textedit import follow_text, map_span

_START = attrgetter("start")


class SpanPlacesMixin:
    """The anchored spans of a view, kept sorted, with the shift typing owes them."""

    _spans: list[Span]
    _owed_from: int
    _owed: int
    _sorted: bool
    _text: str

    @property
    def spans(self) -> list[Span]:
        """The anchored spans shown, at their places in the text as it is now."""
        if self._owed:
            self._pay(len(self._spans))
        return self._spans

    @spans.setter
    def spans(self, value: list[Span]) -> None:
        self._spans = value
        self._owed_from = self._owed = 0

    def _pay(self, upto: int) -> None:
        """Move the spans before index ``upto`` that are owed a shift to their places."""
        d, k = self._owed, self._owed_from
        if not d or upto <= k:
            return
        for s in islice(self._spans, k, upto):
            s.start += d  # type: ignore[operator]
            s.end += d  # type: ignore[operator]
        if upto >= len(self._spans):
            self._owed_from = self._owed = 0
        else:
            self._owed_from = upto

    def _index_after(self, pos: int, left: bool = False) -> int:
        """Index of the first (sorted) span starting after ``pos`` (at or after: ``left``)."""
        find = bisect.bisect_left if left else bisect.bisect_right
        spans, k, d = self._spans, self._owed_from, self._owed
        i = find(spans, pos, 0, k if d else len(spans), key=_START)
        if d and i == k:  # past the spans in place: those owed d start d earlier than shown
            i = find(spans, pos - d, k, len(spans), key=_START)
        return i

    def _shift_spans(self, pos: int, removed: int, added: int, old_text: str) -> None:
        """Move the spans by core's rules (those wholly before or after the edit just shift).

        As in core, attributes that repeated a span's text follow a fix typed in it. With
        the spans sorted, those that start after the edit are found by bisection and are
        owed the shift (paid when they are read): a keystroke's work is for the spans
        before it, and typing on adds to the same debt.
        """
        edit_end = pos + removed
        delta = added - removed
        if self._sorted:
            first_after = self._index_after(edit_end)
            if self._owed and first_after < self._owed_from:
                self._pay(len(self._spans))  # an edit above the last: settle, then owe anew
            self._pay(first_after)  # spans near the edit, to be moved by the rules below
            owed = self._owed if self._owed_from == first_after else 0
            spans = self._spans
        else:
            spans = self.spans
            first_after, owed = len(spans), 0
        gone: list[Span] = []
        for s in islice(spans, first_after):
            st, en = s.start, s.end
            if edit_end < st:  # wholly after the edit (unsorted spans): a pure shift
                s.start, s.end = st + delta, en + delta  # type: ignore[operator]
                continue
            if pos > en:  # type: ignore[operator]
                continue
            new = map_span(st, en, pos, removed, added)  # type: ignore[arg-type]
            if new is None:
                gone.append(s)  # its text was deleted
                continue
            if s.attrs:
                followed = follow_text(s.attrs, old_text[st:en], self._text[new[0]:new[1]])
                if followed is not None:
                    s.attrs = followed
            s.start, s.end = new
        if gone:
            dropped = {id(s) for s in gone}  # by identity: two marks may be equal
            spans = [s for s in spans if id(s) not in dropped]
            first_after -= len(gone)  # all of them were before it
        self._spans = spans
        if first_after < len(spans) and owed + delta:
            self._owed_from, self._owed = first_after, owed + delta
        else:
            self._owed_from = self._owed = 0
