"""TEI P5 body writer: the ``text`` element from the edition's blocks, plus the TEI
names and helpers the header writer shares.

Paragraphs and distribution lists are built straight from span boundaries where spans
sit side by side (the common case); everything else goes through the edition tree.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from typing import Any

from emendo.core.editions.tree import (
    _NEWLINE_RUN,
    Child,
    Node,
    _Builder,
    block_plan,
    list_plan,
)
from emendo.core.model import Document, Span
from lxml import etree

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
EMENDO_NS = "https://emendo.example.org/ns/record/1"
_T = "{%s}" % TEI_NS
_XML_ID = "{%s}id" % XML_NS
_NSMAP = {None: TEI_NS}

# Everything XML 1.0 refuses: C0 controls but tab/newline/return, surrogates, U+FFFE/F.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ISO_DATE = re.compile(r"^-?\d{4}(-\d{2}(-\d{2})?)?$")


def clean(value: Any) -> str:
    """A string XML 1.0 accepts: forbidden characters become U+FFFD (same length)."""
    s = value if isinstance(value, str) else str(value)
    return _FORBIDDEN.sub("\ufffd", s)


def _el(parent: etree._Element, tag: str, text: str | None = None,
        **attrs: str) -> etree._Element:
    """A TEI child element; empty attributes are left out, text and values cleaned."""
    if attrs:
        e = etree.SubElement(parent, _T + tag, {k: clean(v) for k, v in attrs.items() if v})
    else:
        e = etree.SubElement(parent, _T + tag)
    if text:
        e.text = clean(text)
    return e


def _hand_id(span: Span) -> str:
    h = str(span.attrs.get("hand") or "h1")
    # xml:id must be an NCName
    h = re.sub(r"[^\w.-]", "_", h)
    return h if re.match(r"[A-Za-z_]", h) else "h" + h


# ---- body -------------------------------------------------------------------------

_SEG_KINDS = {"priority", "classification", "origin", "refno", "addressee", "doctype",
              "copies", "title", "signature"}
_NAME_TAGS = {"person": "persName", "place": "placeName", "org": "orgName"}


_SUB = etree.SubElement
_TAG = {t: _T + t for t in (
    "lb", "gap", "add", "supplied", "choice", "sic", "corr", "stamp", "hi", "unclear",
    "persName", "placeName", "orgName", "date", "seg", "note", "ref", "signed", "p",
    "opener", "closer", "postscript", "list", "item", "head", "trailer", "div", "body",
    "text", "dateline", "salute", "idno", "measure", "title")}
_TAG_LB = _TAG["lb"]
_SEG_TYPE = re.compile(r"^[\w-]+$")


def _attr(value: Any) -> str:
    """An attribute value from a span's attrs: a string XML accepts."""
    return clean(value)


class _BodyWriter:
    """Writes edition-tree nodes as TEI elements.

    The tree's strings are slices of a document already cleaned of XML-forbidden
    characters, so they are assigned as they are; only values from span attrs are cleaned.
    Text is gathered and assigned once per position (lxml's ``.text``/``.tail`` are slow
    to read back).
    """

    def __init__(self, date: str | None = None) -> None:
        self.note_n = 0
        self.date = date if date and _ISO_DATE.match(date) else None
        self.opener_dated = False

    def children(self, parent: etree._Element, nodes: list, in_closer: bool = False,
                 top: str = "") -> None:
        """Write ``nodes`` into ``parent``; ``top``: "opener"/"closer" for their own level."""
        last: etree._Element | None = None
        pending: list[str] = []
        drop_space = False
        for c in nodes:
            if c.__class__ is str:
                if drop_space:
                    # a dropped token takes one of the spaces around it along
                    c = c.lstrip(" ")
                    drop_space = False
                pending.append(c)
                continue
            drop_space = False
            if c.kind == "lb":  # the commonest node: no span, no children
                made = _SUB(parent, _TAG_LB)
            else:
                made = self.node(parent, c, in_closer, top) if top else \
                    self.node(parent, c, in_closer)
                if made is None:
                    if c.kind == "token":
                        drop_space = (not pending and last is None) or bool(
                            pending and pending[-1][-1:].isspace())
                    continue
            if pending:
                txt = pending[0] if len(pending) == 1 else "".join(pending)
                pending = []
                if last is None:
                    parent.text = txt
                else:
                    last.tail = txt
            last = made
        if pending:
            txt = "".join(pending)
            if last is None:
                parent.text = txt
            else:
                last.tail = txt

    def node(self, parent: etree._Element, n: Node, in_closer: bool,
             top: str = "") -> etree._Element | None:
        k = n.kind
        s = n.span
        a = s.attrs if s is not None else {}
        if top and k in ("origin", "date", "addressee"):
            return self._opener_closer_field(parent, n, in_closer, top)
        if k == "lb":
            return _SUB(parent, _TAG_LB)
        if k == "token":
            return None  # editorial notation: its meaning is in the neighbouring span
        if k in ("illegible", "omission"):
            if n.part:
                return None
            return _SUB(parent, _TAG["gap"],
                        {"reason": "illegible" if k == "illegible" else "editorial"})
        if k == "handwritten":
            if n.part:
                return None
            e = _SUB(parent, _TAG["add"], {"hand": "#" + _hand_id(s)})
            e.text = _attr(a.get("value") or _unbracket(n.text())) or None
            return self._note_after(parent, e, n)
        if k == "supplied":
            e = _SUB(parent, _TAG["supplied"], {"reason": "editorial"})
            if n.part == 0:
                e.text = _attr(a.get("value") or _unbracket(n.text())) or None
            return self._note_after(parent, e, n)
        if k in ("sic", "corr"):
            if n.part == 0 and a.get("corr"):
                e = _SUB(parent, _TAG["choice"])
                self.children(_SUB(e, _TAG["sic"]), n.children if k == "sic" else [])
                _SUB(e, _TAG["corr"]).text = _attr(a["corr"])
            else:
                e = _SUB(parent, _TAG["sic"])
                self.children(e, n.children)
            return self._note_after(parent, e, n)
        if k == "stamp":
            t = a.get("type")
            e = _SUB(parent, _TAG["stamp"], {"type": _attr(t)} if t else None)
        elif k == "underline":
            e = _SUB(parent, _TAG["hi"], {"rend": "underline"})
            if a.get("by_hand") or a.get("hand"):
                e.set("hand", "#" + _hand_id(s))
        elif k == "unclear":
            e = _SUB(parent, _TAG["unclear"], {"cert": _attr(a.get("cert") or "low"),
                                               "reason": _attr(a.get("reason") or "illegible")})
        elif k in _NAME_TAGS:
            e = _SUB(parent, _TAG[_NAME_TAGS[k]])
        elif k == "date":
            when = str(a.get("when") or a.get("value") or "")
            e = _SUB(parent, _TAG["date"], {"when": when} if _ISO_DATE.match(when) else None)
        elif k == "note":
            if a.get("note"):
                # a researcher's note on a passage: passage kept, note after it
                e = _SUB(parent, _TAG["seg"], {"type": "annotated"})
            else:
                nv = a.get("n")
                e = _SUB(parent, _TAG["note"], {"place": "foot", "n": _attr(nv)} if nv
                         else {"place": "foot"})
        elif k == "noteref":
            nv = a.get("n")
            e = _SUB(parent, _TAG["ref"], {"n": _attr(nv)} if nv else None)
        elif k == "signature" and in_closer:
            e = _SUB(parent, _TAG["signed"])
        elif k == "refno" and all(c.__class__ is str for c in n.children):
            e = _SUB(parent, _TAG["idno"], {"type": "refno"})  # idno holds text only
        elif k == "copies":
            q = str(a.get("value") or "")
            e = _SUB(parent, _TAG["measure"], {"type": "copies", "unit": "copies",
                                               "quantity": q} if q.isdigit() and q.isascii()
                     else {"type": "copies"})
        elif k == "title":
            e = _SUB(parent, _TAG["title"])
        else:
            e = _SUB(parent, _TAG["seg"], {"type": k if _SEG_TYPE.match(k) else "mark"})
        self.children(e, n.children, in_closer and k != "signature")
        return self._note_after(parent, e, n)

    def _opener_closer_field(self, parent: etree._Element, n: Node, in_closer: bool,
                             top: str) -> etree._Element:
        """Opener and closer fields as TEI has them: the origin and a date as a
        ``dateline`` (with ``date when``), the addressee as the ``salute``."""
        k, a = n.kind, n.span.attrs if n.span is not None else {}
        if k == "addressee":
            e = _SUB(parent, _TAG["salute"])
            self.children(e, n.children, in_closer)
            return self._note_after(parent, e, n)
        line = _SUB(parent, _TAG["dateline"])
        if k == "date":
            self.node(line, n, in_closer)
            if top == "opener":
                self.opener_dated = True
            return line
        # the origin: its value as a placeName, the document's date beside it
        value = str(a.get("value") or "")
        kids = n.children
        i = kids[0].find(value) if value and len(kids) == 1 and kids[0].__class__ is str \
            else -1
        if i >= 0:
            text = kids[0]
            line.text = text[:i] or None
            place = _SUB(line, _TAG["placeName"])
            place.text = text[i:i + len(value)]
            place.tail = text[i + len(value):] or None
        else:
            self.children(line, kids, in_closer)
        if top == "opener" and self.date and not self.opener_dated:
            _SUB(line, _TAG["date"], {"when": self.date})
            self.opener_dated = True
        return self._note_after(parent, line, n)

    def _note_after(self, parent: etree._Element, e: etree._Element, n: Node) -> etree._Element:
        """A span's own note (attrs note) goes after its last piece."""
        if n.last and n.span is not None and n.span.attrs.get("note"):
            return _el(parent, "note", str(n.span.attrs["note"]), type="editorial")
        return e


def _unbracket(s: str) -> str:
    s = s.strip()
    if s.startswith("[") and s.endswith("]"):
        s = s[1:-1]
    if s.lower().startswith("handwritten"):
        s = s[len("handwritten"):].strip(" :")
    return s


def build_body(doc: Document, parent: etree._Element | None = None) -> etree._Element:
    """The ``text`` element: body > div with opener, paragraphs, closer, postscript."""
    b = _Builder(doc, "diplomatic")
    # made inside the TEI root when given (see build_header: no namespace reconciling)
    text = etree.Element(_T + "text") if parent is None else _SUB(parent, _T + "text")
    div = _el(_el(text, "body"), "div", type="document")
    w = _BodyWriter(doc.date)
    target = div
    closer: list[Child] | None = None
    closer_el: etree._Element | None = None
    for step in block_plan(doc, b):
        k = step[0]
        if k == "closer":
            # the closer's blocks are one element: gathered as nodes, written together
            if closer is None:
                closer_el = _SUB(div, _TAG["closer"])
                closer = []
            elif closer:
                closer += [Node("lb"), Node("lb")]
            closer += b.inline(step[1], step[2])
            continue
        if k == "p":
            _paragraph(w, b, _SUB(target, _TAG_P), step[1], step[2])
        elif k == "list":
            _list(w, b, _SUB(target, _TAG["list"], _DIST), step[1], step[2], step[3])
        elif k == "postscript":
            target = _SUB(div, _TAG["postscript"])
        else:
            kids: list[Child] = []
            for i, (a, e) in enumerate(step[1]):
                if i:
                    kids += [Node("lb"), Node("lb")]
                kids += b.inline(a, e)
            w.opener_dated = any(c.__class__ is Node and c.kind == "date" for c in kids)
            w.children(_SUB(div, _TAG["opener"]), kids, top="opener")
        if closer is not None and closer_el is not None:
            w.children(closer_el, closer, in_closer=True, top="closer")
            closer_el = None
    if closer is not None and closer_el is not None:
        w.children(closer_el, closer, in_closer=True, top="closer")
    if len(div) == 0:
        _el(div, "p")
    return text


_TAG_P = _TAG["p"]
_DIST = {"type": "distribution"}
# Span kinds a paragraph writes straight from its boundaries: their element depends on
# the span alone (the rest need the writer's full node logic).
_DIRECT = frozenset({"illegible", "omission", "supplied", "person", "place", "org", "date",
                     "copies", "unclear", "token"})


def _put_text(parent: etree._Element, last: etree._Element | None, text: str, a: int,
              b: int) -> etree._Element | None:
    """Write text[a:b] after ``last`` (or as ``parent``'s text), line breaks as ``lb``
    (two for a blank line), as the tree's text nodes would be written; the new last."""
    chunk = text[a:b]
    if "\n" not in chunk:
        if chunk:
            if last is None:
                parent.text = chunk
            else:
                last.tail = chunk
        return last
    pos = 0
    for m in _NEWLINE_RUN.finditer(chunk):
        ms = m.start()
        if ms > pos:
            if last is None:
                parent.text = chunk[pos:ms]
            else:
                last.tail = chunk[pos:ms]
        last = _SUB(parent, _TAG_LB)
        if m.group().count("\n") > 1:
            last = _SUB(parent, _TAG_LB)
        pos = m.end()
    if pos < len(chunk):
        if last is None:
            parent.text = chunk[pos:]
        else:
            last.tail = chunk[pos:]
    return last


def _paragraph(w: _BodyWriter, b: _Builder, parent: etree._Element, a: int, e: int) -> None:
    """A paragraph's content; spans side by side inside it of a direct kind are written
    from their boundaries, anything else through the node tree."""
    text = b.text
    lo = min(bisect_right(b.ends, a), bisect_left(b.starts, a))
    hi = bisect_left(b.starts, e, lo)
    spans = [s for s in b.spans[lo:hi] if s.end > a or s.start == s.end]
    if not spans:
        _put_text(parent, None, text, a, e)
        return
    pe = a
    for s in spans:
        st, en = s.start, s.end
        # wholly inside, not empty, after the previous one, no note of its own, one line
        if st < pe or en > e or st >= en or s.kind not in _DIRECT or "note" in s.attrs \
                or "\n" in text[st:en]:
            w.children(parent, b.inline(a, e))
            return
        pe = en
    # the writer's rules for text, as BodyWriter.children has them: text gathered until
    # the next element; a dropped token takes one following space along
    last: etree._Element | None = None
    pending: list[str] = []
    drop = False
    pos = a
    for s in spans:
        st, en, k, at = s.start, s.end, s.kind, s.attrs
        if st > pos:
            last, drop = _pieces(parent, last, pending, drop, text, pos, st)
        pos = en
        if k == "token":
            drop = (not pending and last is None) or bool(
                pending and pending[-1][-1:].isspace())
            continue
        drop = False
        if k == "illegible" or k == "omission":
            el = _SUB(parent, _TAG_GAP, _GAP_ILLEGIBLE if k == "illegible" else _GAP_EDITORIAL)
        elif k == "supplied":
            el = _SUB(parent, _TAG_SUPPLIED, {"reason": "editorial"})
            el.text = _attr(at.get("value") or _unbracket(text[st:en])) or None
        elif k == "unclear":
            el = _SUB(parent, _TAG_UNCLEAR, {"cert": _attr(at.get("cert") or "low"),
                                             "reason": _attr(at.get("reason") or "illegible")})
            el.text = text[st:en]
        elif k == "date":
            when = str(at.get("when") or at.get("value") or "")
            el = _SUB(parent, _TAG_DATE, {"when": when} if _ISO_DATE.match(when) else None)
            el.text = text[st:en]
        elif k == "copies":
            q = str(at.get("value") or "")
            el = _SUB(parent, _TAG_MEASURE, {"type": "copies", "unit": "copies", "quantity": q}
                      if q.isdigit() and q.isascii() else {"type": "copies"})
            el.text = text[st:en]
        else:
            el = _SUB(parent, _TAG[_NAME_TAGS[k]])
            el.text = text[st:en]
        if pending:
            txt = pending[0] if len(pending) == 1 else "".join(pending)
            pending.clear()
            if last is None:
                parent.text = txt
            else:
                last.tail = txt
        last = el
    if pos < e:
        last, drop = _pieces(parent, last, pending, drop, text, pos, e)
    if pending:
        txt = "".join(pending)
        if last is None:
            parent.text = txt
        else:
            last.tail = txt


def _pieces(parent: etree._Element, last: etree._Element | None, pending: list[str],
            drop: bool, text: str, a: int, b: int) -> tuple[etree._Element | None, bool]:
    """text[a:b] as the tree's text nodes would be written: strings gathered in
    ``pending``, line breaks as ``lb`` (two for a blank line); the new last and drop."""
    chunk = text[a:b]
    if "\n" not in chunk:
        if chunk:
            if drop:
                chunk = chunk.lstrip(" ")
            pending.append(chunk)
            return last, False
        return last, drop
    pos = 0
    for m in _NEWLINE_RUN.finditer(chunk):
        ms = m.start()
        if ms > pos:
            piece = chunk[pos:ms]
            pending.append(piece.lstrip(" ") if drop else piece)
        drop = False
        made = _SUB(parent, _TAG_LB)
        if pending:
            txt = pending[0] if len(pending) == 1 else "".join(pending)
            pending.clear()
            if last is None:
                parent.text = txt
            else:
                last.tail = txt
        last = made
        if m.group().count("\n") > 1:
            last = _SUB(parent, _TAG_LB)
        pos = m.end()
    if pos < len(chunk):
        pending.append(chunk[pos:])
    return last, drop


_TAG_GAP, _TAG_SUPPLIED, _TAG_DATE = _TAG["gap"], _TAG["supplied"], _TAG["date"]
_TAG_MEASURE, _TAG_UNCLEAR = _TAG["measure"], _TAG["unclear"]
_GAP_ILLEGIBLE = {"reason": "illegible"}
_GAP_EDITORIAL = {"reason": "editorial"}


def _list(w: _BodyWriter, b: _Builder, e: etree._Element, dist: Span, a: int,
          end: int) -> None:
    """A distribution list's parts: plain items as their text, the rest through nodes."""
    tags = _TAG
    for kind, _span, s, t, chunk in list_plan(b, dist, a, end):
        item = _SUB(e, tags[kind])
        if chunk is None:
            _paragraph(w, b, item, s, t)  # the same content as the item's nodes would give
        elif chunk:  # most items: a name, nothing else
            item.text = chunk
