"""Shared machinery of the text importers: a span builder and a line index."""
from __future__ import annotations

from typing import Any

from emendo.core.model import Span

# Real transcriptions carry hundreds of spans; a file that would need more than this is not
# one, and building millions of spans would only make its import crawl.
MAX_SPANS = 100_000


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
        if self._next_id > MAX_SPANS:
            self.truncated = True
            return Span(kind, start, end, attrs, 0)
        span = Span(kind, start, end, attrs, self._next_id)
        self._next_id += 1
        self.spans.append(span)
        return span

    def has(self, kind: str) -> bool:
        """True when a span of that kind was already made."""
        return any(s.kind == kind for s in self.spans)


class Lines:
    """The lines of a text with their offsets (no newline characters included)."""

    __slots__ = ("items", "starts", "n")

    def __init__(self, text: str) -> None:
        self.items = text.split("\n")
        starts: list[int] = []
        pos = 0
        for line in self.items:
            starts.append(pos)
            pos += len(line) + 1
        self.starts = starts
        self.n = len(self.items)

    def start(self, i: int) -> int:
        """Offset of line i's first character."""
        return self.starts[i]

    def end(self, i: int) -> int:
        """Offset just past line i's last character."""
        return self.starts[i] + len(self.items[i])

    def strip_span(self, i: int) -> tuple[int, int]:
        """Offsets of line i without its leading and trailing white space."""
        line = self.items[i]
        lead = len(line) - len(line.lstrip())
        trail = len(line) - len(line.rstrip())
        s = self.starts[i] + lead
        return s, max(s, self.starts[i] + len(line) - trail)

    def blank(self, i: int) -> bool:
        """True when line i holds only white space."""
        return not self.items[i].strip()

    def next_nb(self, i: int, hi: int | None = None, max_gap: int = 6) -> int | None:
        """Index of the next non-blank line after i (at most max_gap blank lines between)."""
        hi = self.n if hi is None else hi
        j = i + 1
        while j < hi and j - i - 1 <= max_gap:
            if self.items[j].strip():
                return j
            j += 1
        return None

    def prev_nb(self, i: int, lo: int = 0, max_gap: int = 6) -> int | None:
        """Index of the previous non-blank line before i (at most max_gap blank lines)."""
        j = i - 1
        while j >= lo and i - j - 1 <= max_gap:
            if self.items[j].strip():
                return j
            j -= 1
        return None

    def line_of(self, offset: int) -> int:
        """Index of the line holding an offset."""
        from bisect import bisect_right

        return max(0, bisect_right(self.starts, offset) - 1)


def trimmed(text: str, start: int, end: int, chars: str | None = None) -> tuple[int, int]:
    """Shrink [start, end) past leading and trailing characters (white space by default)."""
    seg = text[start:end]
    lead = len(seg) - len(seg.lstrip(chars))
    if lead == len(seg):
        return start, start
    trail = len(seg) - len(seg.rstrip(chars))
    return start + lead, end - trail
