"""One pass from text + stand-off spans to a tree of block and inline nodes.

Every writer (TEI, HTML, Markdown, text) walks the same tree, so the nesting decisions
live here: where spans overlap, the later-opening span is closed and reopened around the
boundary, so each output is well-formed whatever the spans are.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from operator import attrgetter

from emendo.core.editions.fidelity import shown
from emendo.core.model import Document, Span

READINGS = ("diplomatic", "reading")

# Spans that never become inline nodes: site metadata, whole-document fields, and the
# structural kinds that the block pass turns into lists and closers.
NOT_INLINE = frozenset({
    "pagemeta", "chrome", "summary", "rights", "funder", "citation", "translator",
    "distribution", "recipient", "closer",
})
# Header fields: a leading block that carries one of them belongs to the opener.
HEADER_KINDS = frozenset({
    "stamp", "handwritten", "doctype", "priority", "classification", "origin", "refno",
    "addressee",
})
# Spans whose inside must not be cut into separate blocks at a blank line.
KEEP_TOGETHER = frozenset({"stamp", "closer", "distribution", "signature", "note"})
# Nesting order when spans cover the same range: lower number sits outside.
_PRIORITY = {
    "stamp": 0, "note": 1, "handwritten": 2, "sic": 3, "underline": 4, "unclear": 5,
    "supplied": 6, "person": 7, "place": 7, "org": 7, "date": 8, "signature": 9,
    "illegible": 10, "omission": 10, "noteref": 10, "token": 11, "foreign": 12,
}
# Long block without a header field: the letter proper has begun.
_BODY_BLOCK_MIN = 150
# Only ASCII whitespace is folded (fidelity.FOLDABLE): an ideographic space indenting a
# Chinese paragraph, a no-break space or a control character is text and stays.
_BLANK_RUN = re.compile(r"\n[ \t\r]*\n[ \t\r\n]*")
_NEWLINE_RUN = re.compile(r"[ \t\r]*\n[ \t\r\n]*")
_FOLDABLE = " \t\r\n"


class Node:
    """An element of the edition tree; children are nodes or plain strings."""

    __slots__ = ("kind", "span", "children", "part", "last")

    def __init__(self, kind: str, span: Span | None = None, children: list[Child] | None = None,
                 part: int = 0, last: bool = True) -> None:
        self.kind = kind
        self.span = span
        self.children: list[Child] = [] if children is None else children
        self.part = part  # 0 for the first piece of a span split at an overlap
        self.last = last  # False when the span continues in a later piece

    def __repr__(self) -> str:
        return (f"Node({self.kind!r}, part={self.part}, last={self.last}, "
                f"children={self.children!r})")

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, Node) and (self.kind, self.span, self.children, self.part,
                                             self.last) ==
                (other.kind, other.span, other.children, other.part, other.last))

    __hash__ = None  # type: ignore[assignment]

    def text(self) -> str:
        """The plain text under this node."""
        out: list[str] = []
        _collect_text(self, out)
        return "".join(out)


Child = Node | str


def _collect_text(node: Node, out: list[str]) -> None:
    for c in node.children:
        if isinstance(c, str):
            out.append(c)
        elif c.kind == "lb":
            out.append("\n")
        else:
            _collect_text(c, out)


def body_intervals(doc: Document) -> list[tuple[int, int]]:
    """The text ranges outside ``pagemeta`` and ``chrome`` regions, in order.

    Both are the publishing site's, not the document's: its metadata (which goes to the
    header) and its interface text (a reading site's "night mode" buttons).
    """
    cuts = sorted((s.start, s.end) for s in doc.spans
                  if s.kind in ("pagemeta", "chrome") and s.anchored)
    out: list[tuple[int, int]] = []
    pos = 0
    for a, b in cuts:
        if a > pos:
            out.append((pos, a))
        pos = max(pos, b)
    if pos < len(doc.text):
        out.append((pos, len(doc.text)))
    return out


def _blocks(doc: Document, protected: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Split the body at blank lines, except inside spans kept together."""
    text = doc.text
    guard = _Ranges(protected)
    blocks: list[tuple[int, int]] = []
    for a, b in body_intervals(doc):
        start = a
        for m in _BLANK_RUN.finditer(text, a, b):
            ms, me = m.span()
            if not guard.covers(ms, me):
                blocks.append((start, ms))
                start = me
        blocks.append((start, b))
    # a correction standing on whitespace at a block's edge (a word the original left
    # out) keeps that whitespace in its block
    sic_starts = {s.start for s in doc.spans if s.kind == "sic" and s.start is not None}
    sic_ends = {s.end for s in doc.spans if s.kind == "sic" and s.end is not None}
    out = []
    for a, b in blocks:
        # trim surrounding whitespace so blocks start and end on text
        while a < b and text[a] in _FOLDABLE and a not in sic_starts:
            a += 1
        while b > a and text[b - 1] in _FOLDABLE and b not in sic_ends:
            b -= 1
        if a < b:
            out.append((a, b))
    return out


def _stamp_dates(doc: Document, spans: list[Span]) -> list[Span]:
    """Virtual ``date`` spans for the date line a stamp's attrs point at."""
    extra = []
    dates = {(s.start, s.end) for s in spans if s.kind == "date"}
    for s in spans:
        if s.kind != "stamp" or not s.attrs.get("date_text") or not s.attrs.get("date"):
            continue
        i = doc.text.find(str(s.attrs["date_text"]), s.start, s.end)
        if i >= 0:
            j = i + len(str(s.attrs["date_text"]))
            if (i, j) not in dates:
                extra.append(Span("date", i, j, {"when": s.attrs["date"], "virtual": True}))
    return extra


def _closer_dates(doc: Document, closers: list[Span], spans: list[Span]) -> list[Span]:
    """Virtual ``date`` spans for the date a closer's attrs name, where its text says it."""
    from emendo.core.dates import find_date

    extra = []
    for c in closers:
        when = c.attrs.get("date")
        if not when or any(s.kind == "date" and c.start <= s.start and s.end <= c.end
                           for s in spans):
            continue
        found = find_date(doc.text[c.start:c.end])
        if found is not None and found[0] == when:
            extra.append(Span("date", c.start + found[1], c.start + found[2],
                              {"when": when, "virtual": True}))
    return extra


def _foreign_passages(doc: Document) -> list[Span]:
    """Virtual ``foreign`` spans (attrs ``lang``) over passages in another script."""
    from emendo.core.language import script_runs

    if not doc.language:
        return []
    return [Span("foreign", a, b, {"lang": code, "virtual": True})
            for a, b, code in script_runs(doc.text, doc.language)]


class _Builder:
    """Turns ranges of the text into inline node lists for one document and reading."""

    def __init__(self, doc: Document, reading: str, foreign: bool = False) -> None:
        if reading not in READINGS:
            raise ValueError(f"unknown reading {reading!r}")
        self.doc = doc
        # what every edition writes: XML's forbidden characters as U+FFFD (same offsets)
        self.text = shown(doc.text)
        self.reading = reading
        # one pass over the spans: anchored ones by kind, and those that become nodes
        by_kind: dict[str, list[Span]] = {}
        inline: list[Span] = []
        for s in doc.spans:
            if s.start is None or s.end is None:
                continue
            k = s.kind
            group = by_kind.get(k)
            if group is None:
                by_kind[k] = [s]
            else:
                group.append(s)
            if k not in NOT_INLINE:
                inline.append(s)
        self.by_kind = by_kind
        if "stamp" in by_kind:
            inline += _stamp_dates(doc, inline)
        if "closer" in by_kind:
            inline += _closer_dates(doc, by_kind["closer"], inline)
        if foreign:
            inline += _foreign_passages(doc)
        prio = _PRIORITY.get
        inline.sort(key=lambda s: (s.start, -s.end, prio(s.kind, 7), s.id))
        self.spans = inline
        self.starts = [s.start for s in inline]  # sorted: bisect finds candidates fast
        # running maximum of the ends: every span before bisect_right(ends, a) ends by a
        ends: list[int] = []
        top = -1
        for s in inline:
            if s.end > top:
                top = s.end
            ends.append(top)
        self.ends = ends

    def inline(self, a: int, b: int, exclude: tuple[str, ...] = ()) -> list[Child]:
        """Nodes for text[a:b]: spans clipped to the range, split where they overlap."""
        lo = min(bisect_right(self.ends, a), bisect_left(self.starts, a))
        hi = bisect_left(self.starts, b, lo)
        if lo == hi:  # no span reaches into the range: text and line breaks only
            out: list[Child] = []
            self._text(out, a, b)
            return out
        spans = [s for s in self.spans[lo:hi]
                 if s.end > a and s.kind not in exclude
                 or (s.start == s.end and a <= s.start < b)]
        root = Node("root")
        if not spans:
            self._text(root.children, a, b)
            return root.children
        # the common case, spans side by side with none inside or across another: each is
        # one piece, so the sweep below would give exactly this, only slower
        pe = -1
        for s in spans:
            if s.start >= s.end or s.start < pe:
                break
            pe = s.end
        else:
            children = root.children
            put = self._text
            pos = a
            for s in spans:
                st = s.start if s.start > a else a
                if st > pos:
                    put(children, pos, st)
                node = Node(s.kind, s, None, 0, s.end <= b)
                children.append(node)
                pos = s.end if s.end < b else b
                put(node.children, st, pos)
            if pos < b:
                put(children, pos, b)
            if self.reading == "reading":
                _apply_corrections(root)  # may replace root.children
            return root.children
        points = {a, b}
        for s in spans:
            points.add(s.start if s.start > a else a)
            points.add(s.end if s.end < b else b)
        cuts = sorted(points)
        zero = [s for s in spans if s.start == s.end]
        zi, nz = 0, len(zero)
        wide = [s for s in spans if s.start < s.end]
        wi, nw = 0, len(wide)
        # the spans covering the current piece, in ``spans`` order: a span that opens later
        # sorts later, so opening appends and closing filters, and the order holds
        active: list[Span] = []
        stack: list[tuple[Span, Node]] = []
        parts: dict[int, int] = {}
        children = root.children
        for p, q in zip(cuts, cuts[1:] + [b]):
            # point spans (zero width) open and close right here
            while zi < nz and zero[zi].start <= p:
                if zero[zi].start == p:
                    del stack[:]
                    children.append(Node(zero[zi].kind, zero[zi]))
                zi += 1
            if q <= p:
                continue
            if active:
                active = [s for s in active if s.end > p]
            while wi < nw and wide[wi].start <= p:
                if wide[wi].end > p:
                    active.append(wide[wi])
                wi += 1
            keep = 0
            while keep < len(stack) and keep < len(active) and stack[keep][0] is active[keep]:
                keep += 1
            del stack[keep:]
            for s in active[keep:]:
                n = parts.get(id(s), 0)
                parts[id(s)] = n + 1
                node = Node(s.kind, s, part=n)
                (stack[-1][1].children if stack else children).append(node)
                stack.append((s, node))
            for s, node in stack:
                node.last = s.end <= q
            self._text(stack[-1][1].children if stack else children, p, q)
        if self.reading == "reading":
            _apply_corrections(root)
        return root.children

    def _text(self, out: list[Child], a: int, b: int) -> None:
        """Append text[a:b] with line breaks as ``lb`` nodes (two for a blank line)."""
        chunk = self.text[a:b]
        if "\n" not in chunk:
            if chunk:
                out.append(chunk)
            return
        pos = 0
        for m in _NEWLINE_RUN.finditer(chunk):
            if m.start() > pos:
                out.append(chunk[pos:m.start()])
            out.append(Node("lb"))
            if m.group().count("\n") > 1:
                out.append(Node("lb"))
            pos = m.end()
        if pos < len(chunk):
            out.append(chunk[pos:])


def _apply_corrections(node: Node, swallowed: set[int] | None = None) -> None:
    """Reading text: tokens dropped, each ``sic`` piece becomes its correction (once).

    Overlapping corrections: the outer one (first by start, then longest) is applied; one
    that begins inside it is swallowed, and its pieces beyond the outer one keep the text
    (as a ``sic``, its correction then given as a note) rather than losing it.
    """
    if swallowed is None:
        swallowed = set()
    if any(isinstance(c, Node) and c.kind == "token" for c in node.children):
        kept: list[Child] = []
        drop_space = False
        for c in node.children:
            if isinstance(c, Node) and c.kind == "token":
                # tokens are notation whose meaning is already in the neighbouring span
                drop_space = not kept or (isinstance(kept[-1], str) and kept[-1][-1:].isspace())
                continue
            if drop_space and isinstance(c, str):
                c = c.lstrip(" ")
            drop_space = False
            if c != "":
                kept.append(c)
        node.children = kept
    for i, c in enumerate(node.children):
        if isinstance(c, str):
            continue
        if c.kind == "sic" and c.span is not None and id(c.span) not in swallowed:
            _swallow(c, swallowed)
            corr = shown(str(c.span.attrs.get("corr", "")))
            node.children[i] = Node("corr", c.span, [corr] if c.part == 0 and corr else [],
                                    c.part, c.last)
        else:
            _apply_corrections(c, swallowed)


def _swallow(node: Node, swallowed: set[int]) -> None:
    """Note the corrections that begin inside ``node``, which its correction replaces."""
    for c in node.children:
        if isinstance(c, Node):
            if c.kind == "sic" and c.span is not None and c.part == 0:
                swallowed.add(id(c.span))
            _swallow(c, swallowed)


def build_tree(doc: Document, reading: str = "diplomatic", foreign: bool = False) -> Node:
    """The edition tree of a document: ``body`` > opener / p / list / closer / postscript.

    ``foreign``: passages in another script than the document's language become
    ``foreign`` nodes (attrs ``lang``), for formats that tag their language.
    """
    b = _Builder(doc, reading, foreign)
    by_kind = b.by_kind
    protected = [s for k in KEEP_TOGETHER for s in by_kind.get(k, ())]
    blocks = _blocks(doc, protected)

    def overlaps(kinds: Iterable[str], a: int, e: int) -> Span | None:
        for k in kinds:
            for s in by_kind.get(k, ()):
                if s.start < e and s.end > a:
                    return s
        return None

    header = _Ranges(s for k in HEADER_KINDS for s in by_kind.get(k, ()))
    ending = _Ranges(s for k in ("closer", "distribution") for s in by_kind.get(k, ()))
    # the opener: leading blocks up to the last one that holds a header field
    opener_n = 0
    for i, (a, e) in enumerate(blocks):
        if header.meets(a, e):
            opener_n = i + 1
        elif e - a >= _BODY_BLOCK_MIN or ending.meets(a, e):
            break
    body = Node("body")
    if opener_n:
        opener = Node("opener")
        for i, (a, e) in enumerate(blocks[:opener_n]):
            if i:
                opener.children += [Node("lb"), Node("lb")]
            opener.children += b.inline(a, e)
        body.children.append(opener)
    target = body
    closer: Node | None = None
    dist_kinds = ("distribution",)
    closing = _Ranges(s for k in ("closer", "signature") for s in by_kind.get(k, ()))
    for a, e in blocks[opener_n:]:
        in_closer = closing.meets(a, e)
        if in_closer and target is body:
            if closer is None:
                closer = Node("closer")
                body.children.append(closer)
            elif closer.children:
                closer.children += [Node("lb"), Node("lb")]
            closer.children += b.inline(a, e)
            continue
        if closer is not None and target is body:
            # after the closer only a postscript may follow in TEI
            target = Node("postscript")
            body.children.append(target)
        dist = overlaps(dist_kinds, a, e)
        if dist is not None:
            target.children.append(_list_node(doc, b, dist, a, e))
        else:
            target.children.append(Node("p", None, b.inline(a, e)))
    return body


class _Ranges:
    """Spans' ranges, answering "does any of them overlap [a, e)" with one bisection."""

    __slots__ = ("starts", "reach")

    def __init__(self, spans: Iterable[Span]) -> None:
        ranges = sorted((s.start, s.end) for s in spans)  # type: ignore[type-var]
        self.starts = [r[0] for r in ranges]
        self.reach: list[int] = []  # the running maximum of the ends, in start order
        top = -1
        for _, end in ranges:
            if end > top:
                top = end
            self.reach.append(top)

    def meets(self, a: int, e: int) -> bool:
        """Whether a span starts before ``e`` and ends after ``a``."""
        j = bisect_left(self.starts, e)
        return j > 0 and self.reach[j - 1] > a

    def covers(self, a: int, e: int) -> bool:
        """Whether a span starts before ``a`` and ends after ``e`` (holds it inside)."""
        j = bisect_left(self.starts, a)
        return j > 0 and self.reach[j - 1] > e


_START = attrgetter("start")


def _list_node(doc: Document, b: _Builder, dist: Span, a: int, e: int) -> Node:
    """A distribution list: ``head`` (its label), ``item`` per recipient, ``trailer``.

    The items follow the text, and each holds everything from its recipient to the next
    one: a count ("Stalin (2)"), the separating comma, the closing full stop. So the list
    keeps every character of the transcription; values derived from it (a count, a
    normalised name) are the record's, never the text's.
    """
    node = Node("list", dist)
    inside = [r for r in b.by_kind.get("recipient", ()) if a <= r.start and r.end <= e]
    did = dist.id
    recips = [r for r in inside if r.attrs.get("parent") == did] or inside
    recips.sort(key=_START)
    if not recips:
        node.children.append(Node("item", None, b.inline(a, e)))
        return node
    text = b.text
    first = recips[0].start
    label = text[a:first].rstrip(_FOLDABLE)
    if label.strip(_FOLDABLE):
        node.children.append(Node("head", None, b.inline(a, a + len(label))))
    # the place each item starts: its recipient's start, never before the previous one's
    cuts: list[int] = []
    items: list[Span] = []
    for r in recips:
        if cuts and r.start <= cuts[-1]:
            continue  # a recipient inside the one before: that item holds it
        cuts.append(r.start)
        items.append(r)
    last_end = max(r.end for r in recips)
    rest = text[last_end:e]
    # what follows the last name: its punctuation belongs to it, anything more is a trailer
    tail = len(rest) - len(rest.lstrip(_LIST_PUNCT))
    stop = last_end + tail if rest[tail:].strip(_FOLDABLE) else e
    cuts.append(stop)
    # inline spans anywhere in the list: an item none of them reaches is plain text.
    # They are in start order, so a running maximum of their ends answers "does any span
    # starting before the item's end reach its start" with one bisect per item.
    lo = min(bisect_right(b.ends, a), bisect_left(b.starts, a))
    hi = bisect_left(b.starts, e, lo)
    inner_starts = b.starts[lo:hi]
    reach: list[int] = []
    top = -1
    for s in b.spans[lo:hi]:
        if s.end > top:
            top = s.end
        reach.append(top)
    inline = b.inline
    children = node.children
    for r, p, q in zip(items, cuts, cuts[1:]):
        while q > p and text[q - 1] in _FOLDABLE:
            q -= 1
        piece = text[p:q]
        j = bisect_left(inner_starts, q)
        if "\n" in piece or j > 0 and reach[j - 1] > p:
            children.append(Node("item", r, inline(p, q)))
        else:  # most items: a name and its comma, nothing else
            children.append(Node("item", r, [piece] if piece else []))
    if stop < e:
        lead = stop + len(text[stop:e]) - len(text[stop:e].lstrip(_FOLDABLE))
        children.append(Node("trailer", None, b.inline(lead, e)))
    return node


_LIST_PUNCT = " \t\r\n,;:.、，；。"


def walk(node: Node) -> Iterator[Node]:
    """Every node under ``node`` (depth first, itself included)."""
    yield node
    for c in node.children:
        if not isinstance(c, str):
            yield from walk(c)
