"""DOCX editions: python-docx reads back the styles, the record table and real footnotes;
LibreOffice opens the file (slow: a conversion to PDF)."""
from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from _edition_docs import imported_model_cable, model_cable
from _fidelity import all_documents, pdf_text
from _tools import missing_tool
from lxml import etree

from emendo.core.editions import EditionContext, render_bytes, write_editions
from emendo.core.editions.docx import STYLES

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CTX = EditionContext(editor="Ann Editor")


def _open(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def _footnotes(d: docx.document.Document) -> dict[str, str]:
    part = next((p for p in d.part.package.iter_parts()
                 if str(p.partname) == "/word/footnotes.xml"), None)
    assert part is not None, "no footnotes part"
    root = etree.fromstring(part.blob)
    return {f.get(f"{W}id"): "".join(f.itertext()).strip() for f in root.iter(f"{W}footnote")
            if f.get(f"{W}type") is None}


def test_marks_are_named_character_styles():
    d = _open(render_bytes(model_cable(), "docx", context=CTX))
    names = {s.name for s in d.styles}
    assert {v[0] for v in STYLES.values()} <= names
    used: dict[str, list[str]] = {}
    for p in d.paragraphs:
        for r in p.runs:
            if r.style is not None and r.style.name.startswith("Emendo"):
                used.setdefault(r.style.name, []).append(r.text)
    assert "[handwritten 487]" in "".join(used["Emendo Handwritten"])
    assert "Foreign Ministry Soviet and East Europe Department" in "".join(used["Emendo Stamp"])
    assert "April 16th" in "".join(used["Emendo Underline"])
    assert "Ho Chi Minh" in used["Emendo Person"] and "forein" in used["Emendo Sic"]
    assert d.styles["Emendo Underline"].font.underline


def test_record_table_and_properties():
    d = _open(render_bytes(model_cable(), "docx", context=CTX))
    body = d.element.body
    first_table = body.find(f"{W}tbl")
    paragraphs_before = [e for e in body.iterchildren() if e is not first_table]
    assert body.index(first_table) < 4 and paragraphs_before  # the record comes first
    rows = {r.cells[0].text: r.cells[1].text for r in d.tables[0].rows}
    assert rows["Citation"] == "PRC FMA 109-03654-02, 20-22"
    assert rows["Translator"] == "David Cowhig" and rows["Editor"] == "Ann Editor"
    assert "number Soviet Union #1631; dated 1965-06-21" in rows["Stamp"]
    assert rows["Handwritten"].startswith("487")
    props = d.core_properties
    assert props.title.startswith("Cable from the Chinese Embassy")
    assert props.author == "Ann Editor" and props.language == "en"
    assert props.subject.startswith("The Chinese Embassy in Moscow")


def test_notes_are_real_footnotes():
    d = _open(render_bytes(model_cable(), "docx"))
    notes = _footnotes(d)
    refs = [r.get(f"{W}id") for r in d.element.body.iter(f"{W}footnoteReference")]
    assert refs and set(refs) == set(notes)
    assert any("read: foreign" in t for t in notes.values())
    assert any("underlined by hand" in t for t in notes.values())


def test_language_and_east_asian_font():
    zh = next(d for name, d in all_documents() if name.startswith("027_"))
    d = _open(render_bytes(zh, "docx"))
    rpr = d.styles["Normal"].element.rPr
    assert rpr.find(f"{W}lang").get(f"{W}val") == "zh"
    assert rpr.find(f"{W}rFonts").get(f"{W}eastAsia") == "SimSun"
    langs = [e.get(f"{W}val") for e in d.element.body.iter(f"{W}lang")]
    assert "ru" in langs  # Cyrillic initials inside the Chinese text


def _libreoffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.slow
def test_libreoffice_opens_the_model_cable(tmp_path: Path):
    office = _libreoffice()
    if office is None:
        message = "LibreOffice is not installed: run 'make test-deps'"
        missing_tool(message)
    src = tmp_path / "cable.docx"
    write_editions([imported_model_cable()], "docx", src, context=CTX)
    done = subprocess.run([office, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                           "--convert-to", "pdf", "--outdir", str(tmp_path), str(src)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    text = pdf_text(tmp_path / "cable.pdf")
    flat = " ".join(text.split())
    assert "[Stamp] Foreign Ministry Soviet and East Europe Department" in flat
    assert "[handwritten 487]" in flat and "April 16th" in flat
    assert "date underlined by hand" in flat  # the footnote, at the page's foot
