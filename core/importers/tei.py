"""TEI P5 import: Emendo's own editions come back exactly; other TEI maps what it can.

Parsing is defensive: no DTD loading, no entity expansion, no network, no huge trees, and
any DOCTYPE that declares entities (external entities, entity bombs) is refused outright.
"""
from __future__ import annotations

import json
import re
from typing import Any

from lxml import etree

from emendo.core.codec import decode_spans
from emendo.core.errors import DamagedProjectError, ImportFailedError
from emendo.core.model import Document, Span

TEI_NS = "http://www.tei-c.org/ns/1.0"
EMENDO_NS = "https://emendo.example.org/ns/record/1"
_T = f"{{{TEI_NS}}}"
_XML_DECL = re.compile(r"^\ufeff?\s*<\?xml[^>]*\?>")
_ENTITY_DECL = re.compile(r"<!ENTITY", re.I)
_WS = re.compile(r"\s+")

# Block-level elements: each starts a new paragraph of the text.
_BLOCKS = {"p", "head", "opener", "closer", "dateline", "list", "item", "div", "postscript",
           "ab", "lg", "l", "salute", "signed", "byline", "trailer", "quote", "label",
           "argument", "epigraph", "docAuthor", "table", "row"}
_SPAN_OF = {"persName": "person", "placeName": "place", "orgName": "org", "date": "date",
            "unclear": "unclear", "stamp": "stamp", "signed": "signature",
            "closer": "closer", "dateline": "date", "name": "person"}
_SKIP = {"teiHeader", "facsimile", "standOff", "fw"}


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           huge_tree=False, dtd_validation=False, remove_pis=True)


def parse_tei(raw: str, name: str = "") -> Document:
    """A Document from TEI text: the stand-off record if Emendo wrote it, else mapped."""
    if _ENTITY_DECL.search(raw):
        raise ImportFailedError(f"{name or 'The file'}: refused, it declares XML entities "
                                "(external entities and entity expansion are not allowed).")
    try:
        root = etree.fromstring(_XML_DECL.sub("", raw, count=1).encode("utf-8"), _parser())
    except etree.XMLSyntaxError as e:
        raise ImportFailedError(f"{name or 'The file'} is not well-formed XML: {e}") from e
    if etree.QName(root).localname != "TEI":
        text_el = root.find(".//" + _T + "TEI")
        if text_el is None:
            raise ImportFailedError(f"{name or 'The file'} is not TEI (no TEI element).")
        root = text_el
    rec = root.find(f"{_T}teiHeader/{_T}xenoData/{{{EMENDO_NS}}}record")
    if rec is not None and rec.text:
        return _from_record(rec.text, raw, name)
    return _map_tei(root, raw, name)


def _from_record(payload: str, raw: str, name: str) -> Document:
    """The exact record Emendo stored beside its edition."""
    try:
        data: dict[str, Any] = json.loads(payload)
        text = str(data["text"])
        encoded = data.get("spans_encoded")
        # the form written now: the spans as the project stores them, in one string
        spans = decode_spans(text, encoded) if isinstance(encoded, str) else []
        # earlier forms: one object per span, then one [id, kind, start, end, attrs] row
        spans += [Span.from_json(s) for s in data.get("spans", [])]
        spans += [Span(str(r[1]), r[2], r[3], dict(r[4] or {}), int(r[0] or 0))
                  for r in data.get("span_rows", [])]
        return Document(title=str(data.get("title") or ""), text=text,
                        spans=spans, source_text=raw, imported_text=data.get("imported_text"),
                        date=data.get("date"), source_name=name or data.get("source_name", ""),
                        meta=dict(data.get("meta") or {}))
    except (ValueError, KeyError, TypeError, IndexError, DamagedProjectError) as e:
        raise ImportFailedError(f"{name or 'The file'}: the Emendo record is damaged ({e}).") from e


class _Mapper:
    """Walks a TEI body, building text and spans."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.length = 0
        self.spans: list[Span] = []
        self.block_start = True
        self.pending_space = False
        self.notes: list[tuple[str, etree._Element]] = []
        self.date: str | None = None

    def put(self, s: str) -> None:
        self.out.append(s)
        self.length += len(s)

    def flush_space(self) -> None:
        if self.pending_space and not self.block_start:
            self.put(" ")
        self.pending_space = False

    def text(self, s: str | None) -> None:
        if not s:
            return
        s = _WS.sub(" ", s)
        core = s.strip()
        if s[0] == " ":
            self.pending_space = True
        if core:
            self.flush_space()
            self.put(core)
            self.block_start = False
            self.pending_space = s[-1] == " "

    def block_break(self) -> None:
        if self.length and not self.block_start:
            self.put("\n\n")
        self.block_start = True
        self.pending_space = False

    def _trimmed_end(self) -> int:
        """The current length less trailing whitespace (a span ends on text)."""
        end = self.length
        for chunk in reversed(self.out):
            stripped = chunk.rstrip()
            end -= len(chunk) - len(stripped)
            if stripped:
                break
        return end

    def span(self, kind: str, start: int, **attrs: Any) -> Span:
        s = Span(kind, start, max(start, self._trimmed_end()), attrs, len(self.spans) + 1)
        self.spans.append(s)
        return s

    def token(self, kind: str, s: str, **attrs: Any) -> None:
        self.flush_space()
        start = self.length
        self.put(s)
        self.block_start = False
        self.span(kind, start, **attrs)

    def walk(self, el: etree._Element) -> None:
        for child in el:
            if not isinstance(child.tag, str):  # comments, processing instructions
                self.text(child.tail)
                continue
            self.element(child)
            self.text(child.tail)

    def element(self, el: etree._Element) -> None:
        tag = etree.QName(el).localname
        if tag in _SKIP:
            return
        if tag == "lb":
            self.put("\n")
            self.block_start = True
            self.pending_space = False
            return
        if tag in ("pb", "cb", "milestone", "anchor"):
            return
        if tag == "gap":
            reason = el.get("reason", "")
            if reason == "illegible":
                self.token("illegible", "[illegible]")
            else:
                self.token("omission", "[…]", reason=reason)
            return
        if tag == "note":
            n = el.get("n") or str(len(self.notes) + 1)
            self.token("noteref", f"[{n}]", n=n)
            self.notes.append((n, el))
            return
        if tag == "choice":
            self._choice(el)
            return
        if tag == "supplied":
            inner = _WS.sub(" ", "".join(el.itertext())).strip()
            self.token("supplied", f"[{inner}]", value=inner)
            return
        if tag == "add":
            inner = _WS.sub(" ", "".join(el.itertext())).strip()
            self.token("handwritten", f"[handwritten {inner}]", value=inner,
                       hand=(el.get("hand") or "#h1").lstrip("#"))
            return
        block = tag in _BLOCKS
        if block:
            self.block_break()
        else:
            self.flush_space()
        start = self.length
        if el.text:
            self.text(el.text)
        self.walk(el)
        kind = _SPAN_OF.get(tag)
        if tag == "hi" and "underline" in (el.get("rend") or ""):
            kind = "underline"
        if tag == "list" and el.get("type") == "distribution":
            kind = "distribution"
        if tag == "head" and el.getparent() is not None and \
                etree.QName(el.getparent()).localname == "div":
            kind = "title"
        if kind and self.length > start:
            self._mark(kind, start, el)
        if block:
            self.block_break()

    def _mark(self, kind: str, start: int, el: etree._Element) -> None:
        covered = "".join(self.out)[start:] if kind in ("signature", "title") else ""
        attrs: dict[str, Any] = {}
        if kind == "date":
            d = el if el.get("when") else el.find(".//" + _T + "date[@when]")
            when = d.get("when") if d is not None else None
            if when:
                attrs["when"] = when
                if self.date is None and re.match(r"^\d{4}-\d{2}-\d{2}", when):
                    self.date = when[:10]
        elif kind == "unclear":
            attrs["cert"] = el.get("cert") or "low"
        elif kind == "underline":
            attrs.update(hand=(el.get("hand") or "#h1").lstrip("#"), by_hand=bool(el.get("hand")))
        elif kind == "stamp" and el.get("type"):
            attrs["type"] = el.get("type")
        elif kind == "signature":
            attrs["value"] = covered.strip().strip("[]").strip()
        elif kind == "title":
            attrs["value"] = _WS.sub(" ", _text_without_notes(el)).strip()
        self.span(kind, start, **attrs)

    def _choice(self, el: etree._Element) -> None:
        sic = el.find(_T + "sic")
        corr = el.find(_T + "corr")
        orig = sic if sic is not None else el.find(_T + "orig")
        reg = corr if corr is not None else el.find(_T + "reg")
        self.flush_space()
        start = self.length
        if orig is not None:
            self.text(orig.text)
            self.walk(orig)
        if reg is not None and self.length > start:
            self.span("sic", start, corr=_WS.sub(" ", "".join(reg.itertext())).strip())
        elif reg is not None:
            self.text("".join(reg.itertext()))

    def finish_notes(self) -> None:
        """Notes go after the text, each as "[n] text" with a note span."""
        done = 0
        while done < len(self.notes):
            n, el = self.notes[done]
            done += 1
            self.block_break()
            self.put(f"[{n}] ")
            self.block_start = True
            start = self.length
            self.text(el.text)
            self.walk(el)
            if self.length > start:
                self.span("note", start, n=n)


def _map_tei(root: etree._Element, raw: str, name: str) -> Document:
    """Map TEI from another edition: text, notes, names, dates, dateline, signature."""
    body = root.find(f"{_T}text")
    if body is None:
        raise ImportFailedError(f"{name or 'The file'}: TEI without a text element.")
    m = _Mapper()
    m.walk(body)
    m.finish_notes()
    text = "".join(m.out).rstrip()
    spans = m.spans
    for s in spans:
        s.end = min(s.end or 0, len(text))
    title = _first_text(root, f"{_T}teiHeader/{_T}fileDesc/{_T}titleStmt/{_T}title")
    if not title:
        t = next((s for s in spans if s.kind == "title"), None)
        title = str(t.attrs.get("value")) if t is not None else ""
    return Document(title=title or name or "Untitled", text=text, spans=spans, source_text=raw,
                    date=m.date, source_name=name)


def _first_text(root: etree._Element, path: str) -> str:
    el = root.find(path)
    return _WS.sub(" ", "".join(el.itertext())).strip() if el is not None else ""


def _text_without_notes(el: etree._Element) -> str:
    """An element's text, leaving out the notes inside it."""
    parts = [el.text or ""]
    for c in el:
        if isinstance(c.tag, str) and etree.QName(c).localname != "note":
            parts.append(_text_without_notes(c))
        parts.append(c.tail or "")
    return "".join(parts)
