"""HTML edition: one self-contained page per document (stylesheet inlined), and an index.

Built element by element with lxml, so transcription text is only ever text nodes: it
cannot become markup, whatever it contains.
"""
from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from emendo.core.editions.text import _annotated, header_rows, redundant_note
from emendo.core.editions.tree import Node, build_tree
from emendo.core.model import Document

if TYPE_CHECKING:
    from emendo.core.editions import EditionContext

_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_DOCTYPE = "<!DOCTYPE html>\n"
_TITLES = {"illegible": "illegible in the original", "omission": "omitted by the editor",
           "supplied": "supplied by the editor", "handwritten": "handwritten",
           "stamp": "stamp", "unclear": "unclear reading", "underline": "underlined",
           "token": "editorial notation", "person": "person", "place": "place",
           "org": "organisation", "date": "date"}


@lru_cache(maxsize=1)
def stylesheet() -> str:
    """The edition stylesheet (resources/edition.css)."""
    try:
        return resources.files("emendo.resources").joinpath("edition.css").read_text("utf-8")
    except (OSError, ModuleNotFoundError):
        return ""


def _t(s: str) -> str:
    return _FORBIDDEN.sub("\ufffd", s)


def _sub(parent: etree._Element, tag: str, text: str = "", **attrs: str) -> etree._Element:
    e = etree.SubElement(parent, tag, {k.rstrip("_"): _t(v) for k, v in attrs.items() if v})
    if text:
        e.text = _t(text)
    return e


def _append_text(parent: etree._Element, s: str) -> None:
    s = _t(s)
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + s
    else:
        parent.text = (parent.text or "") + s


class _HtmlWriter:
    """Edition-tree nodes to HTML elements, collecting numbered notes."""

    def __init__(self, reading: str) -> None:
        self.reading = reading
        self.notes: list[str] = []

    def note(self, parent: etree._Element, text: str) -> None:
        self.notes.append(" ".join(text.split()))
        n = str(len(self.notes))
        sup = _sub(parent, "sup", class_="noteref")
        _sub(sup, "a", n, href=f"#note-{n}", id=f"ref-{n}")

    def children(self, parent: etree._Element, nodes: list) -> None:
        for c in nodes:
            if isinstance(c, str):
                _append_text(parent, c)
            else:
                self.node(parent, c)

    def node(self, parent: etree._Element, n: Node) -> None:
        k, a = n.kind, (n.span.attrs if n.span is not None else {})
        if k == "lb":
            _sub(parent, "br")
            return
        reading = self.reading == "reading"
        cls = k if k in _TITLES or k in ("sic", "corr") else f"field {k}"
        e = _sub(parent, "span", class_=cls, title=_TITLES.get(k, ""))
        if k == "handwritten" and a.get("hand"):
            e.set("title", f"handwritten (hand {_t(str(a['hand']))})")
        if reading and k in ("illegible", "omission", "supplied", "handwritten"):
            if n.part == 0:
                label = {"illegible": "illegible", "omission": "…"}.get(
                    k, str(a.get("value") or n.text().strip("[]")))
                e.text = _t(label if k == "handwritten" else f"[{label}]")
        else:
            self.children(e, n.children)
        if reading and k == "unclear" and n.last:
            _append_text(e, " [?]")
        if not n.last:
            return
        if k == "sic" and a.get("corr"):
            self.note(parent, f"sic; read: {a['corr']}")
        elif k == "corr":
            self.note(parent, f"corrected; the original reads: {a.get('_original', '')}")
        if a.get("note") and not redundant_note(n, self.notes):
            self.note(parent, str(a["note"]))

    def block(self, parent: etree._Element, b: Node) -> None:
        if b.kind == "postscript":
            sec = _sub(parent, "section", class_="postscript")
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
                    self.children(_sub(div, "p", class_="label" if c.kind == "head" else c.kind),
                                  c.children)
        elif b.kind in ("opener", "closer"):
            self.children(_sub(parent, "div", class_=b.kind), b.children)
        else:
            self.children(_sub(parent, "p"), b.children)


def _page(title: str) -> tuple[etree._Element, etree._Element]:
    html = etree.Element("html", lang="en")
    head = _sub(html, "head")
    _sub(head, "meta", charset="utf-8")
    _sub(head, "meta", name="viewport", content="width=device-width, initial-scale=1")
    _sub(head, "title", title)
    _sub(head, "style", stylesheet())
    body = _sub(html, "body")
    return html, body


def _serialise(html: etree._Element) -> str:
    return _DOCTYPE + etree.tostring(html, encoding="unicode", method="html")


def build_article(doc: Document, reading: str, context: EditionContext | None,
                  parent: etree._Element) -> None:
    """The edition of one document as a ``main`` element under ``parent``."""
    doc = _annotated(doc)
    main = _sub(parent, "main", class_="edition")
    header = _sub(main, "header")
    _sub(header, "h1", " ".join((doc.title or "Untitled").split()))
    rows = header_rows(doc, context)
    if rows:
        dl = _sub(header, "dl", class_="meta")
        for k, v in rows:
            _sub(dl, "dt", k)
            _sub(dl, "dd", v)
    _sub(header, "p", f"{reading} text", class_="reading-label")
    w = _HtmlWriter(reading)
    body = _sub(main, "article")
    for b in build_tree(doc, reading).children:
        if isinstance(b, Node):
            w.block(body, b)
    if w.notes:
        ol = _sub(main, "ol", class_="notes")
        for i, t in enumerate(w.notes, 1):
            li = _sub(ol, "li", t + " ", id=f"note-{i}")
            back = _sub(li, "a", "↩", href=f"#ref-{i}")
            back.tail = None


def render_html(doc: Document, reading: str = "diplomatic",
                context: EditionContext | None = None) -> str:
    """A self-contained HTML page with the edition of one document."""
    html, body = _page(" ".join((doc.title or "Untitled").split()))
    build_article(doc, reading, context, body)
    return _serialise(html)


def render_index(entries: list[tuple[Document, Path]],
                 context: EditionContext | None = None) -> str:
    """An index page linking the editions written beside it."""
    title = context.project_title if context and context.project_title else "Editions"
    html, body = _page(title)
    div = _sub(body, "div", class_="index")
    _sub(div, "h1", title)
    ul = _sub(div, "ul")
    for doc, path in entries:
        li = _sub(ul, "li")
        _sub(li, "a", " ".join((doc.title or "Untitled").split()), href=path.name)
        if doc.date:
            _sub(li, "span", f" ({doc.date})", class_="date")
    return _serialise(html)
