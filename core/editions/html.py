"""HTML edition: one self-contained page per document (stylesheet inlined), and an index.

Built element by element with lxml, so transcription text is only ever text nodes: it
cannot become markup, whatever it contains. A page is a ``main`` landmark with a heading
for each part (record, conventions, text, notes), the document's language on the page and
passages in another script tagged with their own; notes are linked both ways.
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from emendo.core.editions.apparatus import (
    CONVENTIONS,
    MEANINGS,
    kinds_present,
    record_rows,
)
from emendo.core.editions.fidelity import shown
from emendo.core.editions.text import _annotated, reading_label, redundant_note, title_of
from emendo.core.editions.tree import Node, build_tree
from emendo.core.model import Document

if TYPE_CHECKING:
    from emendo.core.editions import EditionContext

_DOCTYPE = "<!DOCTYPE html>\n"
_TITLES = {"illegible": "illegible in the original", "omission": "omitted by the editor",
           "supplied": "supplied by the editor", "handwritten": "handwritten",
           "stamp": "stamp", "unclear": "unclear reading", "underline": "underlined",
           "token": "editorial notation", "person": "person", "place": "place",
           "org": "organisation", "date": "date", "sic": "kept as the original wrote it",
           "corr": "corrected"}
# What each mark looks like in the legend (a sample in the mark's own style).
_SAMPLES = {"stamp": "Stamp", "handwritten": "by hand", "underline": "underlined",
            "illegible": "[illegible]", "omission": "[…]", "unclear": "word",
            "supplied": "[word]", "sic": "word", "note": "note", "person": "Name",
            "place": "Place", "org": "Organisation", "date": "1 May 1965"}
UI_LANG = "en"  # the language of the edition's own labels and headings


@lru_cache(maxsize=1)
def stylesheet() -> str:
    """The edition stylesheet (resources/edition.css)."""
    try:
        return resources.files("emendo.resources").joinpath("edition.css").read_text("utf-8")
    except (OSError, ModuleNotFoundError):
        return ""


def _sub(parent: etree._Element, tag: str, text: str = "", **attrs: str) -> etree._Element:
    e = etree.SubElement(parent, tag, {k.rstrip("_").replace("_", "-"): shown(v)
                                       for k, v in attrs.items() if v})
    if text:
        e.text = shown(text)
    return e


class _HtmlWriter:
    """Edition-tree nodes to HTML elements, collecting numbered notes."""

    def __init__(self, reading: str, prefix: str = "") -> None:
        self.reading = reading
        self.prefix = prefix  # keeps ids unique when several documents share a page
        self.notes: list[str] = []

    def note(self, parent: etree._Element, text: str) -> None:
        self.notes.append(" ".join(text.split()))
        n = str(len(self.notes))
        sup = _sub(parent, "sup", class_="noteref")
        _sub(sup, "a", n, href=f"#{self.prefix}note-{n}", id=f"{self.prefix}ref-{n}",
             aria_label=f"note {n}")

    def children(self, parent: etree._Element, nodes: list) -> None:
        # consecutive strings are joined before they reach lxml: one text assignment each
        pending: list[str] = []
        # Whether parent has a child yet, kept here: lxml counts children by walking them,
        # so asking len(parent) before each run of text made a paragraph of n marks cost n².
        has_child = len(parent) > 0
        for c in nodes:
            if c.__class__ is str:
                pending.append(c)
                continue
            if pending:
                _put_text(parent, "".join(pending), has_child)
                pending = []
            self.node(parent, c)
            has_child = True
        if pending:
            _put_text(parent, "".join(pending), has_child)

    def node(self, parent: etree._Element, n: Node) -> None:
        k, a = n.kind, (n.span.attrs if n.span is not None else {})
        if k == "lb":
            etree.SubElement(parent, "br")
            return
        if k == "foreign":
            e = _sub(parent, "span", lang=str(a.get("lang", "")))
        else:
            cls = k if k in _TITLES else f"field {k}"
            e = _sub(parent, "span", class_=cls, title=_TITLES.get(k, ""))
            if k == "handwritten" and a.get("hand"):
                e.set("title", f"handwritten (hand {shown(str(a['hand']))})")
        self.children(e, n.children)
        if not n.last:
            return
        if k == "unclear":
            _sub(parent, "span", "(?)", class_="unclear-mark", title="unclear reading")
        if k == "sic" and a.get("corr"):
            self.note(parent, f"sic; read: {a['corr']}")
        elif k == "corr":
            self.note(parent, f"corrected; the original reads: {a.get('_original', '')}")
        if a.get("note") and not redundant_note(n, self.notes):
            self.note(parent, str(a["note"]))

    def block(self, parent: etree._Element, b: Node) -> None:
        if b.kind == "postscript":
            sec = _sub(parent, "div", class_="postscript")
            for c in b.children:
                if isinstance(c, Node):
                    self.block(sec, c)
        elif b.kind == "list":
            div = _sub(parent, "div", class_="distribution")
            ul = None
            for c in b.children:
                if not isinstance(c, Node):
                    continue
                if c.kind == "item":
                    if ul is None:
                        ul = _sub(div, "ul")
                    self.children(_sub(ul, "li"), c.children)
                else:
                    ul = None  # a trailer ends the list; names after it start another
                    self.children(_sub(div, "p", class_="label" if c.kind == "head" else c.kind),
                                  c.children)
        elif b.kind in ("opener", "closer"):
            self.children(_sub(parent, "div", class_=b.kind), b.children)
        else:
            self.children(_sub(parent, "p"), b.children)


def _put_text(parent: etree._Element, s: str, has_child: bool) -> None:
    if has_child:
        last = parent[-1]  # found from the end: one step
        last.tail = (last.tail or "") + s
    else:
        parent.text = (parent.text or "") + s


def _page(title: str, lang: str) -> tuple[etree._Element, etree._Element]:
    html = etree.Element("html", lang=lang)
    head = _sub(html, "head")
    _sub(head, "meta", charset="utf-8")
    _sub(head, "meta", name="viewport", content="width=device-width, initial-scale=1")
    _sub(head, "title", title)
    _sub(head, "style", stylesheet())
    body = _sub(html, "body")
    return html, body


def _serialise(html: etree._Element) -> str:
    return _DOCTYPE + etree.tostring(html, encoding="unicode", method="html")


def page_lang(doc: Document) -> str:
    """The page's language: the document's (BCP 47), English when it is not known."""
    return doc.language or UI_LANG


def _ui(e: etree._Element, lang: str) -> etree._Element:
    # the edition's own English labels, on a page in another language
    if lang.split("-")[0] != UI_LANG:
        e.set("lang", UI_LANG)
    return e


def build_article(doc: Document, reading: str, context: EditionContext | None,
                  parent: etree._Element, prefix: str = "") -> etree._Element:
    """The edition of one document as an ``article`` under ``parent`` (``prefix``: for ids)."""
    doc = _annotated(doc)
    lang = page_lang(doc)
    art = _sub(parent, "article", class_="edition", lang=lang)
    header = _sub(art, "header")
    _sub(header, "h1", title_of(doc))
    rows = record_rows(doc, context)
    if rows:
        sec = _ui(_sub(art, "section", class_="record", aria_labelledby=f"{prefix}record"),
                  lang)
        _sub(sec, "h2", "Record", id=f"{prefix}record")
        dl = _sub(sec, "dl", class_="meta")
        for k, v in rows:
            _sub(dl, "dt", k)
            dd = _sub(dl, "dd", v)
            if lang.split("-")[0] != UI_LANG and k not in ("Date", "Language"):
                dd.set("lang", lang)  # values come from the document
    _conventions(doc, art, lang, prefix)
    sec = _sub(art, "section", class_="text", aria_labelledby=f"{prefix}text")
    _ui(_sub(sec, "h2", reading_label(reading), id=f"{prefix}text"), lang)
    w = _HtmlWriter(reading, prefix)
    body = _sub(sec, "div", class_="transcription")
    for b in build_tree(doc, reading, foreign=True).children:
        if isinstance(b, Node):
            w.block(body, b)
    if w.notes:
        sec = _sub(art, "section", class_="notes", aria_labelledby=f"{prefix}notes")
        _ui(_sub(sec, "h2", "Notes", id=f"{prefix}notes"), lang)
        ol = _sub(sec, "ol", class_="notes")
        for i, t in enumerate(w.notes, 1):
            li = _sub(ol, "li", t + " ", id=f"{prefix}note-{i}")
            _ui(_sub(li, "a", "↩", href=f"#{prefix}ref-{i}",
                     aria_label=f"back to the text of note {i}"), lang)
    return art


def _conventions(doc: Document, art: etree._Element, lang: str, prefix: str) -> None:
    sec = _ui(_sub(art, "section", class_="conventions",
                   aria_labelledby=f"{prefix}conventions"), lang)
    _sub(sec, "h2", "Conventions", id=f"{prefix}conventions")
    _sub(sec, "p", CONVENTIONS)
    kinds = kinds_present(doc)
    if not kinds:
        return
    dl = _sub(sec, "dl", class_="legend")
    for k in kinds:
        dt = _sub(dl, "dt")
        if k == "note":
            _sub(dt, "sup", "1", class_="noteref")
        else:
            _sub(dt, "span", _SAMPLES[k], class_=k)
            if k == "unclear":
                _sub(dt, "span", "(?)", class_="unclear-mark")
        _sub(dl, "dd", MEANINGS[k])


def render_html(doc: Document, reading: str = "diplomatic",
                context: EditionContext | None = None) -> str:
    """A self-contained HTML page with the edition of one document."""
    html, body = page_for([doc], context)
    main = _sub(body, "main")
    build_article(doc, reading, context, main)
    return _serialise(html)


def page_for(docs: list[Document], context: EditionContext | None,
             title: str | None = None) -> tuple[etree._Element, etree._Element]:
    """The page (html, body) for documents, with their metadata in ``meta`` elements."""
    first = docs[0]
    html, body = _page(title or title_of(first), page_lang(first))
    head = html[0]
    if context is not None and context.editor:
        _sub(head, "meta", name="author", content=context.editor)
    summary = first.field_value("summary") if len(docs) == 1 else None
    _sub(head, "meta", name="description", content=" ".join((summary or "").split())
         or title_of(first))
    words = keywords(docs)
    if words:
        _sub(head, "meta", name="keywords", content=", ".join(words))
    _sub(head, "meta", name="generator", content="Emendo")
    return html, body


def keywords(docs: list[Document]) -> list[str]:
    """Keywords for metadata: type, priority, classification, and the names marked."""
    out: list[str] = []
    for doc in docs:
        for kind in ("doctype", "priority", "classification"):
            v = doc.field_value(kind)
            if v:
                out.append(" ".join(v.split()))
        for s in doc.spans:
            if s.kind in ("person", "place", "org") and s.anchored:
                out.append(" ".join(str(s.attrs.get("name") or doc.span_text(s)).split()))
    seen: dict[str, None] = {}
    for w in out:
        if w and "," not in w:
            seen.setdefault(w, None)
    return list(seen)[:40]


def render_page(docs: list[Document], reading: str, context: EditionContext | None,
                title: str) -> str:
    """One page holding the editions of several documents (a PDF volume's source)."""
    html, body = page_for(docs, context, title)
    main = _sub(body, "main")
    for i, doc in enumerate(docs):
        build_article(doc, reading, context, main, prefix=f"d{i + 1}-")
    return _serialise(html)


def render_index(entries: list[tuple[Document, Path]],
                 context: EditionContext | None = None) -> str:
    """An index page linking the editions written beside it."""
    title = context.project_title if context and context.project_title else "Editions"
    html, body = _page(title, UI_LANG)
    main = _sub(body, "main", class_="index")
    _sub(main, "h1", title)
    ul = _sub(main, "ul")
    for doc, path in entries:
        li = _sub(ul, "li")
        _sub(li, "a", title_of(doc), href=path.name)  # type: ignore[arg-type]
        if doc.date:
            _sub(li, "span", f" ({doc.date})", class_="date")
    return _serialise(html)
