"""DOCX edition (python-docx): the record as a table, the text with marks as named
character styles, notes as real footnotes.

Each kind of mark has a character style of its own ("Emendo Stamp", "Emendo Handwritten",
…) so that a user can restyle every stamp at once in Word or LibreOffice; a run inside
several marks takes the style of the most telling one (a stamp over a date inside it) and
is underlined directly when an underline is among them. python-docx has no footnotes, so
the footnotes part is added through its package layer, as Word writes it.
"""
from __future__ import annotations

import functools
import io
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from docx import Document as new_docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor

from emendo.core.editions.apparatus import CONVENTIONS, MEANINGS, kinds_present, record_rows
from emendo.core.editions.fidelity import shown
from emendo.core.editions.text import (
    _annotated,
    reading_label,
    redundant_note,
    title_of,
    with_originals,
)
from emendo.core.editions.tree import Node, build_tree
from emendo.core.model import Document

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run

    from emendo.core.editions import EditionContext

# Character styles per mark kind: (name, colour, bold, italic, underline, border, fill).
STYLES: dict[str, tuple[str, str | None, bool, bool, bool, str | None, str | None]] = {
    "stamp": ("Emendo Stamp", "8A1C1C", False, False, False, "8A1C1C", "FBF1F1"),
    "handwritten": ("Emendo Handwritten", "1F3F8F", False, True, False, None, None),
    "underline": ("Emendo Underline", None, False, False, True, None, None),
    "illegible": ("Emendo Illegible", "3A3A3A", False, True, False, "767676", "ECECEC"),
    "omission": ("Emendo Omission", "4F4F4F", False, False, False, None, None),
    "unclear": ("Emendo Unclear", "8A4500", False, False, False, None, None),
    "supplied": ("Emendo Supplied", "4F4F4F", False, True, False, None, None),
    "sic": ("Emendo Sic", None, False, False, False, None, "FFF3CD"),
    "corr": ("Emendo Correction", None, False, False, False, None, "E2F0D9"),
    "person": ("Emendo Person", "0B5E63", False, False, False, None, None),
    "place": ("Emendo Place", "2F6B1F", False, False, False, None, None),
    "org": ("Emendo Organisation", "6A2C86", False, False, False, None, None),
    "date": ("Emendo Date", "7A4B00", False, False, False, None, None),
    "token": ("Emendo Notation", "4F4F4F", False, False, False, None, None),
    "field": ("Emendo Field", None, False, False, False, None, None),
}
# Which style a run inside several marks takes: the first of these among them.
_PRECEDENCE = ("stamp", "handwritten", "illegible", "unclear", "supplied", "sic", "corr",
               "omission", "underline", "person", "place", "org", "date", "token")
_SAMPLES = {"stamp": "Stamp", "handwritten": "by hand", "underline": "underlined",
            "illegible": "[illegible]", "omission": "[…]", "unclear": "word",
            "supplied": "[word]", "sic": "word", "note": "¹", "person": "Name",
            "place": "Place", "org": "Organisation", "date": "1 May 1965"}
# East Asian fonts Word and LibreOffice know, per language (others: the Latin font).
_EAST_ASIAN = {"zh": "SimSun", "ja": "MS Mincho", "ko": "Batang"}
_LATIN_FONT = "Times New Roman"
_FOOTNOTES_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"


def _xml_text(s: str) -> str:
    return shown(s)


class _StyleIds:
    """Style names to ids, looked up once per document.

    python-docx resolves a style name by scanning every style (and the defaults) on each
    ``add_run(style=…)``; that was half of an edition's time, so runs and paragraphs are
    given the id directly.
    """

    def __init__(self, document: DocxDocument) -> None:
        self.styles = document.styles
        self.ids: dict[str, str] = {}

    def run(self, p: Paragraph, text: str | None = None, style: str | None = None) -> Run:
        """A run of ``text`` at the end of ``p`` in the character style named ``style``."""
        r = p.add_run(text)
        if style:
            r._r.style = self.id(style)
        return r

    def paragraph(self, container: DocxDocument, style: str | None = None) -> Paragraph:
        """A new paragraph at the end of ``container`` in the paragraph style named ``style``."""
        p = container.add_paragraph()
        if style:
            p._p.style = self.id(style)
        return p

    def id(self, name: str) -> str:
        """The id of the style named ``name``."""
        sid = self.ids.get(name)
        if sid is None:
            sid = self.ids[name] = self.styles[name].style_id
        return sid


class _Footnotes:
    """The footnotes part: the separators Word expects, then one footnote per note."""

    def __init__(self, document: DocxDocument, ids: _StyleIds) -> None:
        self.ids = ids
        self.root = parse_xml(
            f"<w:footnotes {nsdecls('w')}>"
            '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
            "</w:footnote>"
            '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r>'
            "<w:continuationSeparator/></w:r></w:p></w:footnote></w:footnotes>")
        self.document = document
        self.count = 0

    def add(self, paragraph: Paragraph, text: str) -> None:
        """A footnote with ``text``, referenced at the end of ``paragraph`` so far."""
        self.count += 1
        n = str(self.count)
        ref = self.ids.run(paragraph, style="Footnote Reference")
        el = OxmlElement("w:footnoteReference")
        el.set(qn("w:id"), n)
        ref._r.append(el)
        note = OxmlElement("w:footnote")
        note.set(qn("w:id"), n)
        p = OxmlElement("w:p")
        ppr = OxmlElement("w:pPr")
        pstyle = OxmlElement("w:pStyle")
        pstyle.set(qn("w:val"), "FootnoteText")
        ppr.append(pstyle)
        p.append(ppr)
        r = OxmlElement("w:r")
        rpr = OxmlElement("w:rPr")
        rstyle = OxmlElement("w:rStyle")
        rstyle.set(qn("w:val"), "FootnoteReference")
        rpr.append(rstyle)
        r.append(rpr)
        r.append(OxmlElement("w:footnoteRef"))
        p.append(r)
        r2 = OxmlElement("w:r")
        t = OxmlElement("w:t")
        t.set(qn("xml:space"), "preserve")
        t.text = " " + _xml_text(" ".join(text.split()))
        r2.append(t)
        p.append(r2)
        note.append(p)
        self.root.append(note)

    def attach(self) -> None:
        """Add the part to the package (only when there are notes)."""
        if not self.count:
            return
        from lxml import etree

        blob = etree.tostring(self.root, xml_declaration=True, encoding="UTF-8",
                              standalone=True)
        part = Part(PackURI("/word/footnotes.xml"), _FOOTNOTES_CT, blob,
                    self.document.part.package)
        self.document.part.relate_to(part, RT.FOOTNOTES)


@functools.lru_cache(maxsize=16)
def _template(lang: str) -> bytes:
    """An empty document with Emendo's styles for ``lang``, built once per language.

    Adding the styles costs python-docx a scan of every style per style added (a third of
    an edition's time); a volume in one language pays it once.
    """
    document = new_docx()
    _styles(document, lang)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _styles(document: DocxDocument, lang: str) -> None:
    """The character styles of the marks, the footnote styles and the document's language."""
    styles = document.styles
    normal = styles["Normal"]
    normal.font.name = _LATIN_FONT
    normal.font.size = Pt(11)
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    primary = lang.split("-")[0]
    if fonts is not None and primary in _EAST_ASIAN:
        fonts.set(qn("w:eastAsia"), _EAST_ASIAN[primary])
    lang_el = OxmlElement("w:lang")
    lang_el.set(qn("w:val"), lang)
    if primary in _EAST_ASIAN:
        lang_el.set(qn("w:eastAsia"), lang)
    rpr.append(lang_el)
    for name, colour, bold, italic, underline, border, fill in STYLES.values():
        st = styles.add_style(name, WD_STYLE_TYPE.CHARACTER)
        st.base_style = styles["Default Paragraph Font"]
        if colour:
            st.font.color.rgb = RGBColor.from_string(colour)
        st.font.bold = bold or None
        st.font.italic = italic or None
        st.font.underline = underline or None
        srpr = st.element.get_or_add_rPr()
        if border:
            bdr = OxmlElement("w:bdr")
            for k, v in (("w:val", "single"), ("w:sz", "8"), ("w:space", "0"),
                         ("w:color", border)):
                bdr.set(qn(k), v)
            srpr.append(bdr)
        if fill:
            shd = OxmlElement("w:shd")
            for k, v in (("w:val", "clear"), ("w:color", "auto"), ("w:fill", fill)):
                shd.set(qn(k), v)
            srpr.append(shd)
    if "Footnote Text" not in [s.name for s in styles]:
        ft = styles.add_style("Footnote Text", WD_STYLE_TYPE.PARAGRAPH)
        ft.base_style = normal
        ft.font.size = Pt(9)
    if "Footnote Reference" not in [s.name for s in styles]:
        fr = styles.add_style("Footnote Reference", WD_STYLE_TYPE.CHARACTER)
        fr.font.superscript = True


class _DocxWriter:
    """Edition-tree nodes to runs; notes to footnotes."""

    def __init__(self, document: DocxDocument, reading: str) -> None:
        self.document = document
        self.reading = reading
        self.ids = _StyleIds(document)
        self.footnotes = _Footnotes(document, self.ids)
        self.notes: list[str] = []

    def note(self, paragraph: Paragraph, text: str) -> None:
        self.notes.append(" ".join(text.split()))
        self.footnotes.add(paragraph, text)

    def runs(self, p: Paragraph, nodes: list, active: tuple[Node, ...] = ()) -> None:
        for c in nodes:
            if c.__class__ is str:
                self.run(p, c, active)
            elif c.kind == "lb":
                self.ids.run(p).add_break()
            else:
                self.node(p, c, active)

    def run(self, p: Paragraph, text: str, active: tuple[Node, ...]) -> None:
        if not text:
            return
        kinds = [n.kind for n in active]
        style = next((k for k in _PRECEDENCE if k in kinds), None)
        if style is None and any(k not in ("foreign",) for k in kinds):
            style = "field"
        r = self.ids.run(p, _xml_text(text), STYLES[style][0] if style else None)
        if "underline" in kinds and style != "underline":
            r.font.underline = True
        lang = next((str(n.span.attrs.get("lang")) for n in reversed(active)
                     if n.kind == "foreign" and n.span is not None), None)
        if lang:
            el = OxmlElement("w:lang")
            el.set(qn("w:val"), lang)
            if lang.split("-")[0] in _EAST_ASIAN:
                el.set(qn("w:eastAsia"), lang)
            r._r.get_or_add_rPr().append(el)

    def node(self, p: Paragraph, n: Node, active: tuple[Node, ...]) -> None:
        a = n.span.attrs if n.span is not None else {}
        self.runs(p, n.children, active + (n,))
        if not n.last:
            return
        if n.kind == "unclear":
            self.ids.run(p, "(?)", STYLES["unclear"][0])
        if n.kind == "sic" and a.get("corr"):
            self.note(p, f"sic; read: {a['corr']}")
        elif n.kind == "corr":
            self.note(p, f"corrected; the original reads: {a.get('_original', '')}")
        if a.get("note") and not redundant_note(n, self.notes):
            self.note(p, str(a["note"]))

    def block(self, b: Node) -> None:
        d = self.document
        if b.kind == "postscript":
            for c in b.children:
                if isinstance(c, Node):
                    self.block(c)
        elif b.kind == "list":
            for c in b.children:
                if not isinstance(c, Node):
                    continue
                p = self.ids.paragraph(d, "List Bullet" if c.kind == "item" else None)
                if c.kind == "head":
                    p.paragraph_format.keep_with_next = True
                self.runs(p, c.children)
                if c.kind == "head":
                    for r in p.runs:
                        r.bold = True
        else:
            p = d.add_paragraph()
            if b.kind == "closer":
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            self.runs(p, b.children)


def _properties(document: DocxDocument, doc: Document, context: EditionContext | None,
                lang: str) -> None:
    from emendo.core.editions.html import keywords

    props = document.core_properties
    props.title = _xml_text(title_of(doc))[:255]
    if context is not None and context.editor:
        props.author = _xml_text(context.editor)[:255]
        props.last_modified_by = props.author
    summary = doc.field_value("summary")
    props.subject = _xml_text(" ".join((summary or title_of(doc)).split()))[:255]
    props.keywords = _xml_text(", ".join(keywords([doc])))[:255]
    props.language = lang
    props.comments = "Edition made with Emendo"
    now = datetime.now(timezone.utc).replace(microsecond=0, tzinfo=None)
    props.created = now
    props.modified = now


def build_docx(doc: Document, reading: str = "diplomatic",
               context: EditionContext | None = None) -> DocxDocument:
    """The python-docx document of one edition."""
    doc = _annotated(doc)
    with_originals(doc)
    lang = doc.language or "en"
    document = new_docx(io.BytesIO(_template(lang)))
    _properties(document, doc, context, lang)
    document.add_heading(_xml_text(title_of(doc)), level=0)
    rows = record_rows(doc, context)
    if rows:
        document.add_heading("Record", level=1)
        table = document.add_table(rows=0, cols=2)
        table.style = document.styles["Table Grid"]
        table.autofit = False
        for k, v in rows:
            cells = table.add_row().cells
            cells[0].text = k
            cells[0].paragraphs[0].runs[0].bold = True
            cells[1].text = v
            cells[0].width, cells[1].width = Cm(3.5), Cm(12.5)
    w = _DocxWriter(document, reading)
    document.add_heading("Conventions", level=1)
    document.add_paragraph(CONVENTIONS)
    for k in kinds_present(doc):
        p = w.ids.paragraph(document, "List Bullet")
        if k == "note":
            w.ids.run(p, "¹", "Footnote Reference")
        else:
            w.ids.run(p, _SAMPLES[k], STYLES[k][0])
        p.add_run(f" — {MEANINGS[k]}")
    document.add_heading(reading_label(reading), level=1)
    for b in build_tree(doc, reading, foreign=True).children:
        if isinstance(b, Node):
            w.block(b)
    w.footnotes.attach()
    return document


def render_docx(doc: Document, reading: str = "diplomatic",
                context: EditionContext | None = None) -> bytes:
    """The DOCX edition of one document, as the bytes of its file."""
    out = io.BytesIO()
    build_docx(doc, reading, context).save(out)
    return out.getvalue()
