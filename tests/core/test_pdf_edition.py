"""PDF editions as a reader's tools see them: pdfinfo, pdffonts, pdftotext and pypdf."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from _edition_docs import model_cable
from _fidelity import all_documents, pdf_text
from _tools import missing_tool

from emendo.core.editions import EditionContext, write_editions
from emendo.core.model import Document

CTX = EditionContext(editor="Ann Editor", transcriber="Ben Reader", project_title="Cables")


@pytest.fixture(autouse=True)
def _poppler() -> None:
    """Every test here reads the PDF with poppler's tools."""
    if not shutil.which("pdfinfo"):
        missing_tool("poppler-utils (make's system packages) not installed")


def _info(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True,
                         check=True).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in
                                                 out.splitlines())}


@pytest.fixture(scope="module")
def cable_pdf(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("pdf") / "cable.pdf"
    write_editions([model_cable()], "pdf", out, context=CTX)
    return out


def test_metadata(cable_pdf: Path):
    info = _info(cable_pdf)
    assert info["Title"].startswith("Cable from the Chinese Embassy in the Soviet Union")
    assert info["Author"] == "Ann Editor"
    assert info["Subject"].startswith("The Chinese Embassy in Moscow reviews")
    assert "Urgent" in info["Keywords"] and "Ho Chi Minh" in info["Keywords"]
    assert info["CreationDate"] and info["Tagged"] == "yes"
    import pypdf

    assert pypdf.PdfReader(cable_pdf).trailer["/Root"]["/Lang"] == "en"


def test_text_is_searchable_without_ligatures(cable_pdf: Path):
    text = pdf_text(cable_pdf)
    assert "office" in text.lower() and "Office" in text
    assert not any(0xFB00 <= ord(c) <= 0xFB06 for c in text)
    for word in ("efficient", "official", "difficult"):  # ff, ffi, fi from the font
        doc = Document("t", f"An {word} test.", id=1)
        path = cable_pdf.parent / f"{word}.pdf"
        write_editions([doc], "pdf", path)
        assert word in pdf_text(path)


def test_fonts_are_embedded_subsets(cable_pdf: Path):
    rows = subprocess.run(["pdffonts", str(cable_pdf)], capture_output=True, text=True,
                          check=True).stdout.splitlines()[2:]
    assert rows
    for row in rows:
        cols = row.split()
        emb, sub = cols[-5], cols[-4]
        assert (emb, sub) == ("yes", "yes"), row


def test_running_head_page_numbers_and_linked_notes(cable_pdf: Path):
    import pypdf

    reader = pypdf.PdfReader(cable_pdf)
    n = len(reader.pages)
    assert n >= 2
    for i, page in enumerate(reader.pages, 1):
        text = page.extract_text()
        assert "Cable from the Chinese Embassy" in text  # the running head
        assert f"{i} / {n}" in text
    dests = [a.get_object().get("/Dest") for p in reader.pages
             for a in (p.get("/Annots") or [])]
    assert "note-1" in dests and "ref-1" in dests  # to the note and back
    assert {"note-1", "ref-1"} <= set(reader.named_destinations)


def test_volume_has_a_bookmark_per_document(tmp_path: Path):
    import pypdf

    docs = [d for name, d in all_documents() if name.endswith("#0")][:4]
    out = tmp_path / "volume.pdf"
    assert write_editions(docs, "pdf", out, context=CTX) == [out]
    reader = pypdf.PdfReader(out)
    top = [o.title for o in reader.outline if not isinstance(o, list)]
    assert top == [" ".join(d.title.split()) for d in docs]
    assert _info(out)["Title"] == "Cables"


def test_cjk_and_cyrillic_use_fonts_that_have_them(tmp_path: Path):
    docs = dict(all_documents())
    for key, probe in (("027_", "苏联"), ("025_", "Протокол")):
        doc = next(d for name, d in docs.items() if name.startswith(key))
        out = tmp_path / f"{key}.pdf"
        write_editions([doc], "pdf", out)
        assert probe in pdf_text(out).replace("\n", "")
        fonts = subprocess.run(["pdffonts", str(out)], capture_output=True,
                               text=True).stdout
        assert ("WenQuanYi" in fonts) if key == "027_" else ("DejaVu" in fonts)
