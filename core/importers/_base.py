"""Shared machinery of the text importers: a span builder and a line index."""
from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate, repeat
from typing import Any

from emendo.core.model import Span

# Real transcriptions carry hundreds of spans; a file that would need more than this is not
# one, and building millions of spans would only make its import crawl.
MAX_SPANS = 100_000
_PLUS_ONE = (1).__add__  # a line's length plus its newline


class SpanBuilder:
    """Collects spans over one text, numbering them as they are made.

    Ids are given at creation (not later by ``Document.assign_ids``) because recipients
    must name their distribution span's id in ``attrs['parent']``.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.spans: list[Span] = []
        self._next_id = 1
        self.truncated = False

    def add(self, kind: str, start: int, end: int, **attrs: Any) -> Span:
        """Add a span over ``text[start:end]`` and return it (not kept past MAX_SPANS)."""
        nid = self._next_id  # add_attrs inlined: this runs for nearly every span
        if nid > MAX_SPANS:
            self.truncated = True
            return Span(kind, start, end, attrs, 0)
        span = Span(kind, start, end, attrs, nid)
        self._next_id = nid + 1
        self.spans.append(span)
        return span

    def add_attrs(self, kind: str, start: int, end: int, attrs: dict[str, Any]) -> Span:
        """Like :meth:`add` with the attrs dict given whole (it is kept, not copied)."""
        nid = self._next_id
        if nid > MAX_SPANS:
            self.truncated = True
            return Span(kind, start, end, attrs, 0)
        span = Span(kind, start, end, attrs, nid)
        self._next_id = nid + 1
        self.spans.append(span)
        return span

    def add_many(self, kind: str, starts: list[int], ends: list[int],
                 attrs: list[dict[str, Any]]) -> None:
        """Add one span of a kind per (starts[k], ends[k], attrs[k]), numbered in order."""
        nid = self._next_id
        n = len(starts)
        if nid + n - 1 > MAX_SPANS:  # the limit falls inside: one at a time
            for start, end, a in zip(starts, ends, attrs):
                self.add_attrs(kind, start, end, a)
            return
        # map over the columns keeps the loop in C: lists make most of a cable's spans.
        self.spans.extend(map(Span, repeat(kind, n), starts, ends, attrs, range(nid, nid + n)))
        self._next_id = nid + n

    def has(self, kind: str) -> bool:
        """True when a span of that kind was already made."""
        return any(s.kind == kind for s in self.spans)


class Lines:
    """The lines of a text with their offsets (no newline characters included).

    ``stripped[i]`` is ``items[i].strip()``, made once: every recogniser needs it.
    """

    __slots__ = ("items", "stripped", "starts", "n")

    def __init__(self, text: str, items: list[str] | None = None,
                 stripped: list[str] | None = None) -> None:
        """Split text into lines (``items``, ``stripped``: as the caller already made them)."""
        self.items = items = text.split("\n") if items is None else items
        # map/accumulate keep the per-line work in C: this runs over every line of every file.
        self.stripped = list(map(str.strip, items)) if stripped is None else stripped
        starts = list(accumulate(map(_PLUS_ONE, map(len, items)), initial=0))
        starts.pop()
        self.starts = starts
        self.n = len(items)

    def start(self, i: int) -> int:
        """Offset of line i's first character."""
        return self.starts[i]

    def end(self, i: int) -> int:
        """Offset just past line i's last character."""
        return self.starts[i] + len(self.items[i])

    def strip_span(self, i: int) -> tuple[int, int]:
        """Offsets of line i without its leading and trailing white space."""
        st = self.stripped[i]
        if not st:
            s = self.starts[i] + len(self.items[i])  # all white space: empty, at the line end
            return s, s
        s = self.starts[i] + self.items[i].find(st)
        return s, s + len(st)

    def blank(self, i: int) -> bool:
        """True when line i holds only white space."""
        return not self.stripped[i]

    def next_nb(self, i: int, hi: int | None = None, max_gap: int = 6) -> int | None:
        """Index of the next non-blank line after i (at most max_gap blank lines between)."""
        hi = self.n if hi is None else hi
        stripped = self.stripped
        for j in range(i + 1, min(hi, i + max_gap + 2)):
            if stripped[j]:
                return j
        return None

    def prev_nb(self, i: int, lo: int = 0, max_gap: int = 6) -> int | None:
        """Index of the previous non-blank line before i (at most max_gap blank lines)."""
        stripped = self.stripped
        for j in range(i - 1, max(lo, i - max_gap - 1) - 1, -1):
            if stripped[j]:
                return j
        return None

    def line_of(self, offset: int) -> int:
        """Index of the line holding an offset."""
        return max(0, bisect_right(self.starts, offset) - 1)


def trimmed(text: str, start: int, end: int, chars: str | None = None) -> tuple[int, int]:
    """Shrink [start, end) past leading and trailing characters (white space by default)."""
    seg = text[start:end]
    lead = len(seg) - len(seg.lstrip(chars))
    if lead == len(seg):
        return start, start
    trail = len(seg) - len(seg.rstrip(chars))
    return start + lead, end - trail
