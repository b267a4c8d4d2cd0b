"""HTML edition: self-contained, escaped, marks visible, folders with an index."""
from __future__ import annotations

from pathlib import Path

import pytest
from _edition_docs import hostile_doc, model_cable
from lxml import html as lhtml

from emendo.core.editions import EditionContext, render, write_editions
from emendo.core.errors import ExportError


def test_model_cable_page():
    page = render(model_cable(), "html", context=EditionContext(transcriber="Ann"))
    assert page.startswith("<!DOCTYPE html>")
    tree = lhtml.fromstring(page)
    assert tree.xpath("//style")[0].text.strip().startswith("/*")  # stylesheet inlined
    assert not tree.xpath("//link[@rel='stylesheet']")
    assert "Signs of the Soviet" in tree.xpath("//h1")[0].text_content()
    meta = tree.xpath("//dl[@class='meta']")[0].text_content()
    for v in ("1965-04-17", "PRC FMA 109-03654-02, 20-22", "David Cowhig", "Ann"):
        assert v in meta
    text = tree.xpath("//div[@class='transcription']")[0]
    assert len(text.xpath(".//span[@class='illegible']")) == 3
    assert text.xpath(".//span[@class='stamp']")
    assert text.xpath(".//span[@class='handwritten']")[0].text_content() == "[handwritten 487]"
    assert text.xpath(".//span[@class='sic']")[0].text_content() == "forein"
    notes = [li.text_content() for li in tree.xpath("//ol[@class='notes']/li")]
    assert any("foreign" in n for n in notes) and any("underlined by hand" in n for n in notes)
    assert len(tree.xpath("//div[@class='distribution']/ul")) == 2


def test_reading_page_applies_corrections():
    tree = lhtml.fromstring(render(model_cable(), "html", "reading"))
    assert tree.xpath("//span[@class='corr']")[0].text_content() == "foreign"
    assert not tree.xpath("//span[@class='token']")


def test_hostile_text_never_becomes_markup():
    page = render(hostile_doc(), "html")
    tree = lhtml.fromstring(page)
    assert not tree.xpath("//script|//img|//b|//i|//*[@onerror]")
    assert "<script>alert('x')</script>" in tree.text_content()
    assert "\x00" not in page


def test_folder_with_index(tmp_path: Path):
    docs = [model_cable(), hostile_doc()]
    seen = []
    paths = write_editions(docs, "html", tmp_path / "out", progress=lambda i, n: seen.append((i, n)))
    assert seen == [(1, 2), (2, 2)]
    assert (tmp_path / "out" / "index.html") in paths
    for p in paths:
        assert p.parent == tmp_path / "out"
    index = (tmp_path / "out" / "index.html").read_text("utf-8")
    assert "Signs of the Soviet" in index and "<script>alert" not in index


def test_single_file(tmp_path: Path):
    out = tmp_path / "cable.html"
    assert write_editions([model_cable()], "html", out) == [out]
    assert out.read_text("utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.parametrize("title", ["../../evil", "/etc/passwd", "a\x00b", "CON", "nul",
                                   "COM1", "..", "", "lpt9.txt", "..\\..\\win"])
def test_names_stay_inside_folder(tmp_path: Path, title: str):
    a, b = model_cable(), model_cable()
    a.title, b.title = title, title
    a.id, b.id = None, None
    out = tmp_path / "folder"
    for fmt in ("tei", "txt"):
        for p in write_editions([a, b], fmt, out):
            assert p.resolve().parent == out.resolve()
            stem = p.name.split(".")[0].upper()
            assert stem not in {"CON", "NUL", "COM1", "LPT9", "PRN", "AUX"}
    assert not (tmp_path / "evil.xml").exists()


def test_pdf_writer_can_be_replaced(tmp_path: Path):
    assert write_editions([model_cable()], "pdf", tmp_path / "y.pdf") == [tmp_path / "y.pdf"]
    assert (tmp_path / "y.pdf").read_bytes().startswith(b"%PDF")
    got = []
    write_editions([model_cable()], "pdf", tmp_path / "x.pdf",
                   pdf_writer=lambda html, path: got.append((html[:15], path)))
    assert got == [("<!DOCTYPE html>", tmp_path / "x.pdf")]


def test_unknown_format():
    with pytest.raises(ExportError):
        render(model_cable(), "docx")
    with pytest.raises(ExportError):
        render(model_cable(), "pdf")


def test_a_paragraph_of_many_marks_keeps_its_text_in_order():
    """Text before, between and after marks lands in the right place (text, then tails)."""
    from emendo.core.model import Document, Span

    words = [f"w{i}" for i in range(600)]
    text = "lead " + " ".join(words) + " end"
    spans, pos = [], len("lead ")
    for i, w in enumerate(words):
        if i % 2 == 0:
            spans.append(Span("person", pos, pos + len(w), {}))
        pos += len(w) + 1
    doc = Document(title="Many marks", text=text, spans=spans, source_text=text)
    doc.assign_ids()
    page = lhtml.fromstring(render(doc, "html"))
    para = next(p for p in page.iter("p") if "w0" in p.text_content())
    assert " ".join(para.text_content().split()) == text
    assert para.text.strip() == "lead"
    names = [e.text for e in para.iter("span") if "person" in (e.get("class") or "")]
    assert names == words[::2]
