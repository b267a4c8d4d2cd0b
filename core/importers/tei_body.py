"""TEI body → text and spans: every element kept as a span with its name and attributes.

What Emendo has a kind for (``persName`` → person, ``unclear``, ``date``, ``note``, …) gets
that kind; everything else is a generic ``tei`` span. Each span made from an element has
``attrs["tei"]`` (its name) and ``attrs["tei_attrs"]`` (its attributes: ``xml:id``,
``xml:lang``, plain names, other namespaces in Clark notation ``{uri}name``), so the TEI
writer can give back the element as it came.

The text: white space folded as XML readers do, blocks separated by a blank line, lines
(``item``, ``row``, ``l``, ``dateline``) by a line break, table cells by a tab and a label
from its item by a space, so no two words are ever glued. Notes go after the text, each
as ``[n] text`` (a ``note`` span, with its ``[n]`` prefix as a token), with a ``noteref``
token ``[n]`` where the note stood.
"""
from __future__ import annotations

import re
from typing import Any

from lxml import etree

from emendo.core.model import Span

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
_T = f"{{{TEI_NS}}}"
_XML = f"{{{XML_NS}}}"
_XML_LEN = len(_XML)
_T_LEN = len(_T)
# XML white space only: a no-break or an ideographic space is text, and stays
_XWS = " \t\r\n"
_WS = re.compile(r"[ \t\r\n]+")

# Element names by the separator that goes between them and what follows.
BLOCKS = frozenset({
    "p", "head", "div", "div1", "div2", "div3", "div4", "div5", "div6", "div7", "opener",
    "closer", "postscript", "ab", "lg", "list", "table", "front", "body", "back", "group",
    "listBibl", "figure", "floatingText", "argument", "epigraph", "trailer", "sp", "spGrp",
    "castList", "listPerson", "listPlace", "listOrg", "docTitle", "titlePage", "text",
    "byline", "docAuthor", "docImprint"})
LINES = frozenset({"item", "row", "l", "dateline", "salute", "signed", "docDate", "speaker",
                   "titlePart", "bibl_line"})
CELLS = frozenset({"cell"})
STRUCTURAL = BLOCKS | LINES | CELLS
EMPTY = frozenset({"pb", "lb", "cb", "milestone", "anchor", "ptr", "gap", "space",
                   "handShift", "caesura", "graphic", "media"})
_SKIP = frozenset({"teiHeader", "facsimile", "standOff", "sourceDoc"})
_SEP_RANK = {"": 0, " ": 1, "\t": 2, "\n": 3, "\n\n": 4}
_KIND_OF = {"persName": "person", "placeName": "place", "orgName": "org", "name": "person",
            "date": "date", "unclear": "unclear", "stamp": "stamp", "signed": "signature",
            "closer": "closer", "supplied": "supplied", "add": "handwritten"}
_DATE_ATTRS = ("when", "from", "to", "notBefore", "notAfter")


def tei_attrs(el: etree._Element) -> dict[str, str]:
    """An element's attributes as a span keeps them (``xml:`` names short, others Clark)."""
    out: dict[str, str] = {}
    for k, v in el.items():
        out["xml:" + k[_XML_LEN:] if k.startswith(_XML) else k] = v
    return out


class BodyMapper:
    """Walks TEI elements, building the text and one span per element."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.length = 0
        self.text_end = 0  # where the last text (or line break) ends
        self.closed_end = 0  # where the element closed last ends
        self.blocks: list[Span] = []  # the structural elements open
        self.structs = 0  # structural elements so far (does an inline one hold any?)
        self.spans: list[Span] = []
        self.block_start = True
        self.pending_space = False
        self.sep = ""
        self.sep_at = -1
        self.last_closed = ""
        self.notes: list[tuple[str, str, etree._Element]] = []
        self.date: str | None = None
        self.note_attrs: dict[str, dict[str, Any]] = {}

    # --- text -----------------------------------------------------------------------
    def put(self, s: str) -> None:
        """Append text as it stands."""
        self.out.append(s)
        self.length += len(s)

    def flush_sep(self) -> None:
        """Write the separator owed since the last block ended (none at the very start)."""
        if self.sep:
            # nothing at the very start, nor twice at one place (a block opening a block)
            if self.length and self.length != self.sep_at:
                self._drop_trailing_space()
                self.put(self.sep)
            self.sep_at = self.length
            self.sep = ""
            self.block_start = True
            self.pending_space = False

    def _drop_trailing_space(self) -> None:
        """Take back a space written before an empty element at a block's end (``a <pb/></p>``):
        a block ends on its text, and what stood there moves back onto that end.
        """
        out = self.out
        if not out or out[-1][-1:] != " " or self.length == self.sep_at:
            return
        last = out[-1].rstrip(" ")
        self.length -= len(out[-1]) - len(last)
        if last:
            out[-1] = last
        else:
            out.pop()
        n = self.length
        for sp in reversed(self.spans):
            if sp.start is None or sp.start <= n:
                break
            sp.start = n
            sp.end = max(n, min(sp.end or n, n))

    def owe(self, sep: str) -> None:
        """Owe a separator before the next text (the strongest owed wins)."""
        if _SEP_RANK[sep] > _SEP_RANK[self.sep]:
            self.sep = sep
        self.pending_space = False

    def flush_space(self) -> None:
        """Write the separator or the space owed before more text."""
        self.flush_sep()
        # spaces fold across element boundaries too (`a <hi> b</hi>`: one space)
        if self.pending_space and not self.block_start and self.out[-1][-1:] != " ":
            self.put(" ")
        self.pending_space = False

    def text(self, s: str | None) -> None:
        """Append character data, its white space folded."""
        if not s:
            return
        if "\n" in s or "\t" in s or "\r" in s or "  " in s:  # (most text needs no folding)
            s = _WS.sub(" ", s)
        core = s.strip(_XWS)
        if s[0] == " ":
            self.pending_space = True
        if core:
            self.flush_space()
            self.put(core)
            self.text_end = self.length
            self.block_start = False
            self.pending_space = s[-1] == " "

    def _since(self, start: int) -> str:
        """The text written from ``start`` on (joining only the chunks needed)."""
        need, i, out = self.length - start, len(self.out), self.out
        got = 0
        while i > 0 and got < need:
            i -= 1
            got += len(out[i])
        return "".join(out[i:])[got - need:]

    def _trimmed_end(self) -> int:
        """Where the last text ends (a span ends on text, or on a line break it holds)."""
        return self.text_end

    def new_span(self, kind: str, start: int, attrs: dict[str, Any]) -> Span:
        """A span starting here (its end set when its element ends)."""
        # ids in document order of the elements' starts: a parent before its children, so
        # the writer nests spans of the same range as they came
        s = Span(kind, start, start, attrs, len(self.spans) + 1)
        self.spans.append(s)
        return s

    def token(self, kind: str, s: str, attrs: dict[str, Any]) -> Span:
        """Append notation text (``[illegible]``, ``[1]``) with a span over it."""
        self.flush_space()
        start = self.length
        self.put(s)
        self.text_end = self.length
        self.block_start = False
        span = self.new_span(kind, start, attrs)
        span.end = self.closed_end = self.length
        return span

    # --- elements -------------------------------------------------------------------
    def walk(self, el: etree._Element) -> None:
        """The content of an element: its text and children."""
        if el.text:
            self.text(el.text)
        for child in el:
            if isinstance(child.tag, str):
                self.element(child)
            self.text(child.tail)

    def element(self, el: etree._Element) -> None:
        """One element: its span, its content and the separators around it."""
        full = el.tag
        if not full.startswith(_T):
            return  # XInclude and other vocabularies: nothing of theirs is text
        tag = full[_T_LEN:]
        if tag in _SKIP:
            return
        attrs: dict[str, Any] = {"tei": tag}
        if len(el.attrib):
            attrs["tei_attrs"] = tei_attrs(el)
        if tag == "note":
            self._note(el, attrs)
            return
        if tag in EMPTY:
            self._empty(tag, el, attrs)
            return
        if tag == "choice":
            self._choice(el, attrs)
            return
        kind = _KIND_OF.get(tag, "tei")
        if tag == "hi" and "underline" in (el.get("rend") or ""):
            kind = "underline"
        elif tag == "list" and el.get("type") == "distribution":
            kind = "distribution"
        elif tag == "head" and _is_document_div(el.getparent()):
            kind = "title"
        elif tag == "div" and el.get("type") == "document":
            kind = "tei"
        structural = tag in STRUCTURAL
        if tag in _SUBST_PARTS and _in_subst(el):
            self.owe(" ")  # `<del>ten</del><add>eleven</add>`: two words, not one
        if structural:
            if tag == "item" and self.last_closed == "label":
                self.owe(" ")
            else:
                self.owe("\n\n" if tag in BLOCKS else "\n" if tag in LINES else "\t")
            self.flush_sep()
        else:
            # the space owed before it is written by the text inside, if any: an empty
            # element (`a <pb/>`) leaves no space at the end of a block
            self.flush_sep()
        start = self.length
        span = self.new_span(kind, start, attrs)
        n_before = len(self.spans)
        first_chunk = len(self.out)
        structs_before = self.structs
        if structural:
            self.structs += 1
            self.blocks.append(span)
            self.walk(el)
            self.blocks.pop()
        else:
            self.walk(el)
        span.end = max(start, self._trimmed_end())
        if structural and len(self.spans) > n_before and self.closed_end > span.end:
            # an empty block at its end (`<div><p>a</p><p/></div>`) stands past the
            # separator: the block ends there too, so the empty one stays inside it
            span.end = self.closed_end
        if span.end == start and self.blocks:
            # an empty element: the block it stands in, which its offset cannot always
            # say (`<div><p>a</p><p/></div>` or `<div><p>a</p></div><p/>`)
            attrs["tei_in"] = self.blocks[-1].id
        if span.end == start and len(self.spans) > n_before:
            # an empty element holding empty ones (`<div><p/></div>`): how many, since
            # their offsets cannot say it
            attrs["tei_holds"] = len(self.spans) - n_before
        if not structural and span.end > start and len(self.out) > first_chunk and \
                self.out[first_chunk] == " ":
            # a folded space opening an inline element stands before it, as one ending it
            # stands after it (`a<hi> b</hi>`): a mark begins and ends on its text
            span.start = start + 1
        if not structural and self.structs > structs_before:
            attrs["tei_block"] = True  # a block quote, a figure: it holds blocks
        if kind != "tei":
            self._kind_attrs(kind, span, el)
        self.closed_end = span.end
        if structural:
            self.owe("\n\n" if tag in BLOCKS else "\n" if tag in LINES else "\t")
        elif tag == "label":
            self.owe(" ")
        self.last_closed = tag

    def _kind_attrs(self, kind: str, span: Span, el: etree._Element) -> None:
        """Emendo's own attributes for the kinds it knows."""
        a = span.attrs
        if kind == "date":
            # its own attributes only: a date inside it has its own span
            when = el.get("when") or el.get("from") or el.get("notBefore")
            if when:
                a["when"] = when
                if self.date is None and re.match(r"^\d{4}-\d{2}-\d{2}", when):
                    self.date = when[:10]
        elif kind == "unclear":
            a["cert"] = el.get("cert") or "low"
        elif kind == "underline":
            if el.get("hand"):
                a.update(hand=el.get("hand", "").lstrip("#"), by_hand=True)
        elif kind == "handwritten":
            a["hand"] = (el.get("hand") or "#h1").lstrip("#")
        elif kind == "stamp" and el.get("type"):
            a["type"] = el.get("type")
        elif kind == "signature":
            a["value"] = _WS.sub(" ", self._since(span.start)[:span.end - span.start]
                                 ).strip(" []")
        elif kind == "title":
            a["value"] = _WS.sub(" ", text_without_notes(el)).strip(_XWS)
        elif kind == "supplied":
            a["value"] = self._since(span.start)[:span.end - span.start]

    def _empty(self, tag: str, el: etree._Element, attrs: dict[str, Any]) -> None:
        """Milestones, pointers and gaps: a span at their place (gaps and lines: a token)."""
        attrs["tei_empty"] = True
        if tag == "lb":
            self.flush_sep()
            start = self.length
            self.put("\n")
            self.text_end = self.length
            self.block_start = True
            self.pending_space = False
            span = self.new_span("tei", start, attrs)
            span.end = self.closed_end = self.length
            return
        if tag == "gap":
            reason = el.get("reason", "")
            if reason == "illegible":
                self.token("illegible", "[illegible]", attrs)
            else:
                attrs["reason"] = reason
                self.token("omission", "[…]", attrs)
            return
        kind = "pb" if tag == "pb" else "tei"
        if tag == "pb" and el.get("n"):
            attrs["n"] = el.get("n")
        # after a block has ended, a milestone belongs to what follows: past the separator,
        # so that its offset says which side of the block's end it stood on
        self.flush_sep()
        if self.blocks:
            attrs["tei_in"] = self.blocks[-1].id
        self.new_span(kind, self.length, attrs)
        self.closed_end = self.length

    def _note(self, el: etree._Element, attrs: dict[str, Any]) -> None:
        n = el.get("n") or str(len(self.notes) + 1)
        key = f"note{len(self.notes) + 1}"
        self.token("noteref", f"[{n}]", {"n": n, "note_key": key})
        attrs.update(n=n, note_key=key)
        self.notes.append((n, key, el))
        self.note_attrs[key] = attrs

    def _choice(self, el: etree._Element, attrs: dict[str, Any]) -> None:
        kids = [c for c in el if isinstance(c.tag, str)]
        first = kids[0] if kids else None
        second = kids[1] if len(kids) > 1 else None
        names = [etree.QName(c).localname for c in kids[:2]]
        attrs["choice"] = names
        child_attrs = {etree.QName(c).localname: tei_attrs(c) for c in kids[:2] if c.attrib}
        if child_attrs:
            attrs["tei_children"] = child_attrs
        if second is not None:
            attrs["corr"] = _WS.sub(" ", "".join(second.itertext())).strip(_XWS)
        kind = "sic" if names[:1] == ["sic"] or names[1:2] == ["corr"] else "tei"
        self.flush_sep()
        start = self.length
        span = self.new_span(kind, start, attrs)
        first_chunk = len(self.out)
        if first is not None:
            self.walk(first)
        span.end = max(start, self._trimmed_end())
        if span.end > start and len(self.out) > first_chunk and self.out[first_chunk] == " ":
            span.start = start + 1  # as for any inline element: the space stands before

    def finish_notes(self) -> None:
        """Notes go after the text, each as "[n] text" with a note span."""
        done = 0
        attrs_of = self.note_attrs
        while done < len(self.notes):
            n, key, el = self.notes[done]
            done += 1
            self.owe("\n\n")
            self.token("token", f"[{n}]", {"note_prefix": key})
            self.put(" ")
            self.block_start = True
            self.sep_at = start = self.length
            span = self.new_span("note", start, attrs_of[key])
            self.walk(el)
            span.end = max(start, self._trimmed_end())
            self.owe("\n\n")

    def result(self) -> tuple[str, list[Span]]:
        """The text (trailing white space off) and the spans, each within it."""
        whole = "".join(self.out)
        text = whole.rstrip(_XWS)
        # white space an element stands past (`…</p><pb/>` at the very end) stays, so
        # that the element keeps its side of the block's end
        past = max((s.start for s in self.spans if s.start is not None and
                    s.start > len(text)), default=0)
        if past:
            text = whole[:past]
        n = len(text)
        for s in self.spans:
            if s.end is not None and s.end > n:
                s.end = n
            if s.start is not None and s.start > n:
                s.start = n
        return text, self.spans


_SUBST_PARTS = frozenset({"add", "del", "surplus"})


def _in_subst(el: etree._Element) -> bool:
    """Whether an ``add``/``del`` follows another part of the same ``subst``."""
    parent, prev = el.getparent(), el.getprevious()
    while prev is not None and not isinstance(prev.tag, str):
        prev = prev.getprevious()
    return parent is not None and parent.tag == _T + "subst" and prev is not None and \
        prev.tag in (_T + "add", _T + "del", _T + "surplus")


def _is_document_div(el: etree._Element | None) -> bool:
    return el is not None and isinstance(el.tag, str) and etree.QName(el).localname == "div"


def text_without_notes(el: etree._Element) -> str:
    """An element's text, leaving out the notes inside it."""
    parts = [el.text or ""]
    for c in el:
        if isinstance(c.tag, str) and etree.QName(c).localname != "note":
            parts.append(text_without_notes(c))
        parts.append(c.tail or "")
    return "".join(parts)
