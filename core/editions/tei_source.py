"""TEI body of a document that came from TEI: its elements written back as they came.

Spans made by the TEI importer carry their element's name and attributes
(``attrs["tei"]``, ``attrs["tei_attrs"]``); this writer nests them by their ranges again.
Structural elements (``div``, ``p``, ``list``, ``table``, …) open where their span starts;
inline ones (imported, or marks the researcher added since) open lazily where text
is written inside a block that may hold them, so a mark that crosses a paragraph is
closed at its end and opened again in the next one and the output is always valid TEI.
A note comes back at the place of its reference, an empty element (``pb``, ``lb``,
``anchor``, ``gap``) at its offset. Attributes of other namespaces (``frus:``) are written
only when asked for; ``xml:id``s are kept (once: a piece after a split has none).
"""
from __future__ import annotations

import re
from typing import Any

from lxml import etree

from emendo.core.model import Document, Span

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
_T = f"{{{TEI_NS}}}"

BLOCKS = frozenset({
    "p", "head", "div", "div1", "div2", "div3", "div4", "div5", "div6", "div7", "opener",
    "closer", "postscript", "ab", "lg", "list", "table", "front", "body", "back", "group",
    "listBibl", "figure", "floatingText", "argument", "epigraph", "trailer", "sp", "spGrp",
    "castList", "listPerson", "listPlace", "listOrg", "docTitle", "titlePage", "text",
    "byline", "docAuthor", "docImprint", "item", "row", "l", "dateline", "salute", "signed",
    "docDate", "speaker", "titlePart", "cell"})
# Elements that may not hold text directly, and what text inside one is wrapped in.
WRAP: dict[str, tuple[str, ...]] = {
    "text": ("back", "div", "p"), "body": ("p",), "front": ("p",), "back": ("div", "p"),
    "group": ("text", "body", "p"), "div": ("p",), "postscript": ("p",), "list": ("item",),
    "table": ("row", "cell"), "row": ("cell",), "lg": ("l",), "listBibl": ("bibl",),
    "listPerson": ("person", "p"), "listPlace": ("place", "p"), "listOrg": ("org", "p"),
    "figure": ("p",), "floatingText": ("body", "p"), "sp": ("p",), "spGrp": ("sp", "p"),
    "castList": ("castItem",), "titlePage": ("docTitle", "titlePart"),
    "docTitle": ("titlePart",), **{f"div{i}": ("p",) for i in range(1, 8)}}
EMPTY = frozenset({"pb", "lb", "cb", "milestone", "anchor", "ptr", "gap", "space",
                   "handShift", "caesura", "graphic", "media"})
_ANYWHERE = frozenset({"pb", "lb", "cb", "milestone", "anchor", "gap", "note"})
_TEXT_ONLY = frozenset({"idno"})
_DROPPED = frozenset({"token", "pagemeta", "chrome"})
_NAME_TAGS = {"person": "persName", "place": "placeName", "org": "orgName"}
_NCNAME = re.compile(r"^[A-Za-z_][\w.-]*$")
_TEMPORAL_PARTS = re.compile(
    r"^-?(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?"
    r"(Z|[+-](\d{2}):(\d{2}))?)?)?)?$")


def is_temporal(value: str) -> bool:
    """Whether a value is a W3C date, month, year or date-time TEI accepts in ``@when``."""
    m = _TEMPORAL_PARTS.match(value)
    if m is None:
        return False
    y, mo, d, hh, mi, ss, _tz, th, tm = m.groups()
    if mo is not None and not 1 <= int(mo) <= 12:
        return False
    if d is not None:
        # the year as a leap year or not: xsd has no year 0 but lets any year have a Feb 29
        leap = int(y) % 4 == 0 and (int(y) % 100 != 0 or int(y) % 400 == 0)
        days = (31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[int(mo) - 1]
        if not 1 <= int(d) <= days:
            return False
    if hh is not None and not (int(hh) < 24 and int(mi) < 60 and int(ss) < 60):
        return False
    return th is None or (int(th) <= 14 and int(tm) < 60)


_DATE_ATTRS = frozenset({"when", "from", "to", "notBefore", "notAfter", "when-iso",
                         "notBefore-iso", "notAfter-iso", "from-iso", "to-iso"})
_LANG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")
_SEG_TYPE = re.compile(r"^[\w-]+$")
_XWS = " \t\r\n"


def from_tei(doc: Document) -> bool:
    """Whether a document was read from TEI (its body is written back as it came)."""
    return bool(doc.meta.get("tei_body")) or any("tei" in s.attrs for s in doc.spans)


def _tag(s: Span) -> str:
    t = s.attrs.get("tei")
    return t if isinstance(t, str) and _NCNAME.match(t) else ""


def _is_block(s: Span) -> bool:
    return _tag(s) in BLOCKS or bool(s.attrs.get("tei_block") and _tag(s))


def _is_empty(s: Span, text: str) -> bool:
    """Spans written as an empty element (their covered text is the source's notation)."""
    t = _tag(s)
    if t:
        return t in EMPTY or bool(s.attrs.get("tei_empty"))
    if s.kind in ("illegible", "omission"):
        covered = text[s.start:s.end]
        return covered.startswith("[") and covered.endswith("]")
    return False


class _Frame:
    __slots__ = ("span", "el", "block", "tag")

    def __init__(self, span: Span | None, el: etree._Element, block: bool, tag: str) -> None:
        self.span, self.el, self.block, self.tag = span, el, block, tag


class SourceBodyWriter:
    """Writes a document's text and spans as the TEI ``text`` element they came from."""

    def __init__(self, doc: Document, keep_namespaces: bool = False) -> None:
        self.doc = doc
        self.text = doc.text
        self.keep_ns = keep_namespaces
        self.used_ids: set[str] = set()
        self.pieces: dict[int, int] = {}
        spans = [s for s in doc.spans if s.anchored and 0 <= s.start <= s.end <= len(self.text)]
        self.key = _order(spans)
        # empty spans that open before everything else at their place
        self.first_empty = {k for k, v in self.key.items() if v[1] == -(1 << 62)}
        notes = {s.attrs["note_key"]: s for s in spans if s.kind == "note"
                 and isinstance(s.attrs.get("note_key"), str)}
        refs = {s.attrs["note_key"]: s for s in spans if s.kind == "noteref"
                and isinstance(s.attrs.get("note_key"), str)}
        self.notes = {k: v for k, v in notes.items() if k in refs}
        prefix = {s.attrs.get("note_prefix"): s for s in spans if s.kind == "token"
                  and s.attrs.get("note_prefix") in self.notes}
        self.skips = sorted((prefix[k].start if k in prefix else n.start, n.end)
                            for k, n in self.notes.items())
        self.spans = spans
        self.placed = {id(n) for n in self.notes.values()}  # written at their references

    # --- entry points ----------------------------------------------------------------
    def build(self) -> etree._Element:
        """The ``text`` element."""
        text_el = etree.Element(_T + "text")
        placed = self.placed
        main = [s for s in self.spans if not self._skipped(s) and id(s) not in placed]
        top_tags = {_tag(s) for s in main if _tag(s) in ("front", "body", "back", "group")}
        if top_tags:
            root = _Frame(None, text_el, True, "text")
        else:
            root = _Frame(None, etree.SubElement(text_el, _T + "body"), True, "body")
        self._walk(root, main, 0, len(self.text), skip=True)
        if len(text_el) == 0:
            etree.SubElement(text_el, _T + "body")
        body = text_el.find(_T + "body")
        if body is not None and len(body) == 0 and not (body.text or "").strip():
            etree.SubElement(body, _T + "p")
        return text_el

    def _skipped(self, s: Span) -> bool:
        for a, b in self.skips:
            # an empty element where a note's place starts is the main text's (which
            # ends there), one where it ends is the note's
            if a <= s.start and s.end <= b and not (s.start == s.end == a):
                return True
        return False

    # --- the walk ------------------------------------------------------------------------
    def _walk(self, root: _Frame, spans: list[Span], lo: int, hi: int, skip: bool) -> None:
        key = self.key
        text = self.text
        starts: dict[int, list[Span]] = {}
        ends: dict[int, list[Span]] = {}
        for s in spans:
            starts.setdefault(s.start, []).append(s)
            if s.end > s.start:
                ends.setdefault(s.end, []).append(s)
        for v in starts.values():
            v.sort(key=lambda s: key[id(s)])
        first = self.first_empty
        cuts = sorted({lo, hi, *starts, *ends, *(x for ab in self.skips for x in ab)})
        self.stack = stack = [root]
        self.holding: list[list[Any]] = []  # [frame, spans still to come] of empty blocks
        self.active: list[Span] = []
        self.dropping: list[Span] = []
        dead: set[int] = set()
        for i, p in enumerate(cuts):
            if p < lo or p > hi:
                continue
            here = starts.get(p, ())
            # an empty element that opens no span of its place came after what ends there
            # (the importer puts one that follows a block past the block's separator)
            for s in here:
                if id(s) in first:
                    self._open(s, skip)
            for s in ends.get(p, ()):
                if s in self.dropping:
                    self.dropping.remove(s)
                if s in self.active:
                    self.active.remove(s)
                    if isinstance(s.attrs.get("note"), str) and s.attrs["note"]:
                        self._settle()
                        n = etree.SubElement(self.stack[-1].el, _T + "note",
                                             {"type": "editorial"})
                        n.text = _clean(s.attrs["note"])
                    continue
                for j in range(len(stack) - 1, 0, -1):
                    if stack[j].span is s:
                        for f in stack[j + 1:]:
                            if f.block and f.span is not None:
                                dead.add(id(f.span))
                        del stack[j:]
                        break
            self._release()
            self._settle()
            for s in here:
                if id(s) in dead or id(s) in first:
                    continue
                self._open(s, skip)
            self._release()
            if i + 1 >= len(cuts):
                break
            q = min(cuts[i + 1], hi)
            if q <= p:
                continue
            if skip and any(a <= p and q <= b for a, b in self.skips):
                continue
            chunk = text[p:q]
            blank = not chunk.strip(_XWS)  # XML white space: a no-break space is text
            if self.dropping and not blank:
                continue
            if blank:
                _append(self.stack[-1].el, chunk)
                continue
            self._ensure_inline()
            _append(self.stack[-1].el, chunk)

    def _settle(self) -> None:
        """Close inline elements whose spans have ended (and everything inside them)."""
        stack, active = self.stack, self.active
        for j, f in enumerate(stack):
            if not f.block and f.span not in active:
                del stack[j:]
                return

    def _pop_inline(self) -> None:
        stack = self.stack
        while len(stack) > 1 and not stack[-1].block:
            stack.pop()

    def _open(self, s: Span, skip: bool) -> None:
        if s.start == s.end and self.holding:
            self._open_empty(s, skip)
        else:
            self._release()
            self._open_span(s, skip)

    def _open_empty(self, s: Span, skip: bool) -> None:
        """An empty span inside an empty block that holds it (``<div><p/></div>``)."""
        for h in self.holding:
            h[1] -= 1
        self._open_span(s, skip)
        while self.holding and self.holding[-1][1] <= 0:
            self._release(1)

    def _release(self, n: int = 0) -> None:
        """Close the innermost ``n`` empty blocks that hold empty spans (0: all of them)."""
        count = n or len(self.holding)
        for _ in range(min(count, len(self.holding))):
            frame = self.holding.pop()[0]
            if frame in self.stack:
                del self.stack[self.stack.index(frame):]

    def _to_parent(self, s: Span) -> None:
        """Close what stands inside the block an empty span stood in, when all of it
        ends here (``<div><p>a</p><p/></div>``: the second ``p`` in the ``div``).
        """
        pid = s.attrs.get("tei_in")
        if not isinstance(pid, int) or self.holding:
            return  # (inside an empty element that holds it: stays there)
        stack = self.stack
        for j in range(len(stack) - 1, 0, -1):
            f = stack[j]
            if f.span is not None and f.span.id == pid:
                if f.block and all(g.block and (g.span is None or g.span.end == s.start)
                                   for g in stack[j + 1:]):
                    del stack[j + 1:]
                return
            if f.span is not None and f.span.end != s.start:
                return

    def _open_span(self, s: Span, skip: bool) -> None:
        text = self.text
        if s.start == s.end:
            self._to_parent(s)
        if s.kind == "noteref" and s.attrs.get("note_key") in self.notes:
            if self.stack[-1].tag not in WRAP:
                self._ensure_inline()  # inside the marks around its reference
            self._leave_text_only()
            self._place_note(s)
            self.dropping.append(s)
            return
        if s.kind in _DROPPED:
            if s.end > s.start:
                self.dropping.append(s)
            return
        if _is_empty(s, text):
            tag = _tag(s) or "gap"
            if tag not in _ANYWHERE or self.stack[-1].tag not in WRAP:
                self._ensure_inline()
            self._leave_text_only()
            self._element(self.stack[-1].el, s)
            if s.end > s.start:
                self.dropping.append(s)
            return
        if _is_block(s) or (_tag(s) == "label" and self.stack[-1].tag == "list"):
            # (a list's label stands beside its item, not in one)
            self._pop_inline()
            while len(self.stack) > 1 and self.stack[-1].span is None:
                self.stack.pop()  # an implicit wrapper ends where a real block starts
            outer, inner = self._element(self.stack[-1].el, s)
            if s.end > s.start:
                self.stack.append(_Frame(s, inner, True, _tag(s)))
            else:
                self._hold(s, inner)
            return
        if s.end == s.start:
            self._ensure_inline()
            self._leave_text_only()
            self._hold(s, self._element(self.stack[-1].el, s)[1])
            return
        self.active.append(s)

    def _leave_text_only(self) -> None:
        """Step out of an element that holds text only (``idno``) to write one inside it:
        the element goes on in a second piece after it.
        """
        stack = self.stack
        while len(stack) > 1 and not stack[-1].block and stack[-1].tag in _TEXT_ONLY:
            stack.pop()

    def _hold(self, s: Span, inner: etree._Element) -> None:
        """An empty span's element takes the empty spans it held in the source."""
        holds = s.attrs.get("tei_holds")
        if isinstance(holds, int) and not isinstance(holds, bool) and holds > 0:
            frame = _Frame(s, inner, True, _tag(s))
            self.stack.append(frame)
            self.holding.append([frame, holds])

    def _ensure_inline(self) -> None:
        """Open what text needs here: a wrapper inside a container, then the active marks."""
        if self.holding:
            return  # inside an empty element: the marks around it are open already
        stack = self.stack
        top = stack[-1]
        if top.block and top.tag in WRAP:
            for t in WRAP[top.tag]:
                stack.append(_Frame(None, etree.SubElement(stack[-1].el, _T + t), True, t))
        want = sorted(self.active, key=lambda s: self.key[id(s)])
        base = len(stack)
        while base > 0 and not stack[base - 1].block:
            base -= 1
        k = 0
        while base + k < len(stack) and k < len(want) and stack[base + k].span is want[k]:
            k += 1
        del stack[base + k:]
        for s in want[k:]:
            if stack[-1].tag in _TEXT_ONLY:
                break
            _outer, inner = self._element(stack[-1].el, s)
            stack.append(_Frame(s, inner, False, etree.QName(inner).localname))

    def _place_note(self, ref: Span) -> None:
        """The note a reference points at, written in its place."""
        note = self.notes[ref.attrs["note_key"]]
        outer, inner = self._element(self.stack[-1].el, note)
        saved = (self.stack, self.active, self.dropping)
        inside = [s for s in self.spans if s is not note and note.start <= s.start
                  and s.end <= note.end and id(s) not in self.placed]
        self._walk(_Frame(note, inner, True, "note"), inside, note.start, note.end, skip=False)
        self.stack, self.active, self.dropping = saved

    # --- elements ----------------------------------------------------------------------
    def _element(self, parent: etree._Element, s: Span) -> tuple[etree._Element,
                                                                 etree._Element]:
        """The element(s) of one piece of a span: (outer, the one its text goes in)."""
        piece = self.pieces.get(id(s), 0)
        self.pieces[id(s)] = piece + 1
        a = s.attrs
        tag = _tag(s)
        if tag:
            attrs = self._attrs(a.get("tei_attrs"), piece)
            if s.kind == "date" and isinstance(a.get("when"), str) and \
                    is_temporal(a["when"]) and not any(k in attrs for k in ("from",
                                                                                "notBefore")):
                attrs["when"] = a["when"]
            names = a.get("choice")
            if tag == "choice" or names:
                return self._choice(parent, s, attrs, piece)
            e = etree.SubElement(parent, _T + tag, attrs)
            return e, e
        return self._native(parent, s, piece)

    def _choice(self, parent: etree._Element, s: Span, attrs: dict[str, str],
                piece: int) -> tuple[etree._Element, etree._Element]:
        names = s.attrs.get("choice")
        if not (isinstance(names, list) and len(names) == 2 and
                all(isinstance(n, str) and n in _PAIRS for n in names)):
            names = ["sic", "corr"]
        if piece:
            e = etree.SubElement(parent, _T + names[0])
            return e, e
        ch = etree.SubElement(parent, _T + "choice", attrs)
        kids = s.attrs.get("tei_children") if isinstance(s.attrs.get("tei_children"),
                                                          dict) else {}
        first = etree.SubElement(ch, _T + names[0], self._attrs(kids.get(names[0]), 0))
        second = etree.SubElement(ch, _T + names[1], self._attrs(kids.get(names[1]), 0))
        second.text = _clean(s.attrs.get("corr") or "")
        return ch, first

    def _native(self, parent: etree._Element, s: Span,
                piece: int) -> tuple[etree._Element, etree._Element]:
        """Marks the researcher set (no TEI element of their own)."""
        k, a = s.kind, s.attrs
        sub = etree.SubElement
        if k == "sic" and a.get("corr") is not None:
            return self._choice(parent, s, {}, piece)
        if k in ("illegible", "omission"):
            # marked words (a "[illegible]" token is an empty gap, see _is_empty): kept
            tag, attrs = ("unclear", {"reason": "illegible"}) if k == "illegible" else \
                ("seg", {"type": "omission"})
        elif k == "handwritten":
            tag, attrs = "add", {"hand": "#" + _id_of(str(a.get("hand") or "h1"))}
        elif k == "underline":
            tag, attrs = "hi", {"rend": "underline"}
        elif k == "unclear":
            tag, attrs = "unclear", {"cert": _clean(a.get("cert") or "low")}
        elif k in _NAME_TAGS:
            tag, attrs = _NAME_TAGS[k], {}
        elif k == "date":
            when = str(a.get("when") or a.get("value") or "")
            tag, attrs = "date", ({"when": when} if is_temporal(when) else {})
        elif k == "supplied":
            tag, attrs = "supplied", {"reason": "editorial"}
        elif k == "stamp":
            tag, attrs = "stamp", ({"type": _clean(a["type"])} if a.get("type") else {})
        elif k == "note" and not a.get("note"):
            tag, attrs = "note", ({"n": _clean(a["n"])} if a.get("n") else {})
        elif k == "noteref":
            tag, attrs = "ref", ({"n": _clean(a["n"])} if a.get("n") else {})
        elif k == "signature" and self.stack[-1].tag == "closer":
            tag, attrs = "signed", {}
        else:
            tag, attrs = "seg", {"type": k if _SEG_TYPE.match(k) else "mark"}
        e = sub(parent, _T + tag, attrs)
        return e, e

    def _attrs(self, ta: Any, piece: int) -> dict[str, str]:
        """The attributes to write: valid, ``xml:id`` once, other namespaces when kept."""
        out: dict[str, str] = {}
        if not isinstance(ta, dict):
            return out
        for k, v in ta.items():
            if not isinstance(k, str):
                continue
            v = _clean(v)
            if k.startswith("{"):
                if self.keep_ns and "}" in k and _NCNAME.match(k.split("}", 1)[1]):
                    out[k] = v
                continue
            if k.startswith("xml:"):
                local = k[4:]
                if local == "id":
                    if piece or not _NCNAME.match(v) or v in self.used_ids:
                        continue
                    self.used_ids.add(v)
                elif local == "lang":
                    if not _LANG.match(v):
                        continue
                elif local not in ("space", "base"):
                    continue
                out[f"{{{XML_NS}}}{local}"] = v
                continue
            if not _NCNAME.match(k) or ":" in k:
                continue
            if k in _DATE_ATTRS and not is_temporal(v):
                continue
            out[k] = v
        return out


_PAIRS = frozenset({"sic", "corr", "orig", "reg", "abbr", "expan", "unclear", "supplied",
                    "seg", "add", "del"})
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _clean(value: Any) -> str:
    s = value if isinstance(value, str) else str(value)
    return _FORBIDDEN.sub("\ufffd", s)


def _id_of(hand: str) -> str:
    h = re.sub(r"[^\w.-]", "_", hand)
    return h if re.match(r"[A-Za-z_]", h) else "h" + h


def _order(spans: list[Span]) -> dict[int, tuple[int, ...]]:
    """Each span's place among the spans starting where it starts (by ``id()``).

    Wider spans open first, blocks before inline ones of the same range. An empty span
    goes right after the innermost span of its place that came before it (the importer's
    ids are in document order): ``<p><pb/>…`` stays inside the ``p``, ``<pb/><p>…`` before it.
    """
    key: dict[int, tuple[int, ...]] = {}
    empties: list[Span] = []
    for s in spans:
        if s.start == s.end:
            empties.append(s)
        else:
            key[id(s)] = (s.start, -s.end, 0 if _is_block(s) else 1, s.id, 0, 0)
    if empties:
        opening: dict[int, list[Span]] = {}
        for s in spans:
            if s.start != s.end:
                opening.setdefault(s.start, []).append(s)
        for e in empties:
            before = [s for s in opening.get(e.start, ()) if s.id < e.id]
            if before:
                inner = max(before, key=lambda s: key[id(s)])
                key[id(e)] = (*key[id(inner)][:4], 1, e.id)
            else:
                key[id(e)] = (e.start, -(1 << 62), 0, 0, 1, e.id)
    return key


def _append(el: etree._Element, s: str) -> None:
    if len(el):
        last = el[-1]
        last.tail = (last.tail or "") + s
    else:
        el.text = (el.text or "") + s


def build_source_body(doc: Document, keep_namespaces: bool = False) -> etree._Element:
    """The ``text`` element of a document read from TEI."""
    return SourceBodyWriter(doc, keep_namespaces).build()
