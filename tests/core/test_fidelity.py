"""The one guarantee: every edition holds every character of the transcription, in order.

Run over every corpus document, every test-data document, the hand-built ones and a
hypothesis-generated set (random text, random marks, hostile characters), in every format
as its readers' tools see it; a failure names the first missing character.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from _fidelity import (
    HAVE_PDFTOTEXT,
    all_documents,
    docx_body,
    html_body,
    md_body,
    md_renderers,
    pdf_body,
    tei_body,
    txt_body,
)
from _tools import missing_tool
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from emendo.core.editions import render, render_bytes
from emendo.core.editions.fidelity import first_missing, transcription
from emendo.core.model import Document, Span

READINGS = ("diplomatic", "reading")


DOCS = all_documents()
IDS = [name for name, _ in DOCS]


def check_all_formats(doc: Document, readings=READINGS, tmp: Path | None = None,
                      pdf_raw: bool = False) -> None:
    """Assert the guarantee for every format (PDF when ``tmp`` is given) and both
    readings of ``doc`` (``pdf_raw``: the PDF's text in drawing order).
    """
    for reading in readings:
        want = transcription(doc, reading)
        bodies = {"txt": txt_body(render(doc, "txt", reading), reading),
                  "html": html_body(render(doc, "html", reading))}
        if tmp is not None:
            (tmp / "e.docx").write_bytes(render_bytes(doc, "docx", reading))
            bodies["docx"] = docx_body(tmp / "e.docx", reading)
            if HAVE_PDFTOTEXT:
                (tmp / "e.pdf").write_bytes(render_bytes(doc, "pdf", reading))
                bodies["pdf"] = pdf_body(tmp / "e.pdf", reading, pdf_raw)
        md = render(doc, "md", reading)
        for name, renderer in md_renderers().items():
            bodies[f"md ({name})"] = md_body(md, renderer)
        for fmt, got in bodies.items():
            missing = first_missing(want, got, any_space=fmt == "pdf")
            assert missing is None, f"{fmt}, {reading}: {missing}"
        if reading == "diplomatic":
            missing = first_missing(transcription(doc, reading, encoded_notation=True),
                                    tei_body(doc))
            assert missing is None, f"tei: {missing}"


def test_there_are_documents_to_check():
    assert len(DOCS) >= 10
    assert any("020_" in name for name in IDS)


@pytest.mark.parametrize("name,doc", DOCS, ids=IDS)
def test_every_character_in_every_format(name: str, doc: Document, tmp_path: Path):
    if not HAVE_PDFTOTEXT:
        missing_tool("pdftotext (poppler-utils, in make's system packages) is not installed")
    check_all_formats(doc, tmp=tmp_path, pdf_raw=True)


def test_roshchin_counts_and_full_stop_are_in_every_edition():
    doc = next(d for name, d in DOCS if name.startswith("020_"))
    assert any(s.attrs.get("count") == 2 for s in doc.spans)  # the importer's count
    for reading in READINGS:
        for fmt in ("txt", "md", "html", "tei", "docx"):
            out = render(doc, fmt, reading) if fmt != "docx" else _docx_text(doc, reading)
            assert "Stalin (2)," in out and "Copy." in out, (fmt, reading)
            assert "reuse of Digital Archive materials" in out, (fmt, reading)  # rights
            assert "Message to Stalin from Roshchin" in out, (fmt, reading)  # summary


def _docx_text(doc: Document, reading: str) -> str:
    import io

    import docx

    d = docx.Document(io.BytesIO(render_bytes(doc, "docx", reading)))
    cells = [c.text for t in d.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in d.paragraphs] + cells)


def test_checker_names_the_first_missing_character():
    assert first_missing("Stalin (2), Molotov", "Stalin\n- Molotov") == (
        "character 6 of the text, '(' (U+0028), is missing after 'Stalin'")
    assert first_missing("a b\tc", "abc") is None
    assert first_missing("\u3000第一", "第一") is not None  # an ideographic indent counts
    assert first_missing("x\x00y", "x\ufffdy") is None  # the documented replacement
    assert first_missing("ab" * 5000 + "c", "ab" * 5000) is not None
    assert first_missing("abc", "a-b-c") is None


def test_reading_expects_corrections_and_no_notation():
    text = "a forein word [?] end"
    doc = Document("t", text, [Span("sic", 2, 8, {"corr": "foreign"}, 1),
                               Span("token", 14, 17, {}, 2)])
    assert transcription(doc, "reading") == "a foreign word  end"
    assert transcription(doc, "diplomatic") == text


def test_overlapping_corrections_keep_the_text_outside_the_applied_one():
    """The outer correction is applied; one beginning inside it keeps its text beyond it
    (found by the generated documents: both readings once lost "c")."""
    doc = Document("t", "abcd", [Span("sic", 0, 2, {"corr": "Y"}, 1),
                                 Span("sic", 1, 3, {"corr": "Z"}, 2)])
    assert transcription(doc, "reading") == "Ycd"
    check_all_formats(doc, readings=("reading",))
    # the same with the inner one listed first and empty corrections
    doc = Document("t", "aa", [Span("sic", 0, 1, {"corr": ""}, 1),
                               Span("sic", 0, 2, {"corr": ""}, 2)])
    assert transcription(doc, "reading") == ""
    check_all_formats(doc, readings=("reading",))


def test_boxed_marks_across_a_line_break_keep_their_order_in_pdf(tmp_path: Path):
    """Found by the generated documents: illegible boxes over a line break."""
    if not HAVE_PDFTOTEXT:
        missing_tool("pdftotext (poppler-utils, in make's system packages) is not installed")
    doc = Document("t", "a&amp;\u2028aa", [Span("illegible", 0, 8, {}, 1),
                                           Span("illegible", 0, 8, {}, 2),
                                           Span("illegible", 1, 1, {}, 3)])
    check_all_formats(doc, readings=("diplomatic",), tmp=tmp_path, pdf_raw=True)


# --- generated documents ----------------------------------------------------------------

_ALPHABET = st.sampled_from(
    list("abcdefghij ABC  \n\n\n\t.,;:()[]{}*_`~|#>+-=!\\<&/'\"")
    + ["\u3000", "\u00a0", "第", "一", "Ж", "я", "ﬃ", "\x00", "\x07", "\x1c", "\x1f", "\ufffe",
       "\ud800", "\u2028", "&amp;", "]]>", "<b>", "[^1]", "1. ", "# ", "| a |", "~~", "\r\n"])
_KINDS = ["illegible", "unclear", "supplied", "omission", "underline", "handwritten", "stamp",
          "sic", "person", "place", "org", "date", "note", "token", "signature", "closer",
          "priority", "distribution", "recipient", "citation"]


@st.composite
def documents(draw) -> Document:
    text = "".join(draw(st.lists(_ALPHABET, min_size=1, max_size=80)))
    n = len(text)
    spans: list[Span] = []
    for i in range(draw(st.integers(0, 12))):
        kind = draw(st.sampled_from(_KINDS))
        a = draw(st.integers(0, n))
        b = draw(st.integers(a, min(n, a + 30)))
        attrs: dict = {}
        if kind == "sic":
            attrs["corr"] = draw(st.text(max_size=6))
        if kind == "note" or draw(st.booleans()) and kind != "token":
            attrs["note"] = draw(st.text(max_size=8))
        if kind == "recipient":
            attrs["name"] = draw(st.text(max_size=5))
            attrs["count"] = draw(st.integers(1, 3))
        if kind == "stamp":
            attrs.update(number=draw(st.text(max_size=4)), date="1965-06-21",
                         date_text=text[a:b][:5])
        spans.append(Span(kind, a, b, attrs, i + 1))
    # a correction inside dropped notation goes with it (see fidelity.transcription), so
    # tokens and sic spans are not drawn over each other
    tokens = [s for s in spans if s.kind == "token"]
    spans = [s for s in spans if s.kind != "sic" or not any(
        t.start < s.end and s.start < t.end for t in tokens)]
    return Document(title=draw(st.text(max_size=10)), text=text, spans=spans, id=1,
                    meta={"language": draw(st.sampled_from(["en", "ru", "zh"]))})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_generated_documents_keep_every_character(doc: Document):
    check_all_formats(doc)


@settings(max_examples=25, deadline=None, suppress_health_check=[
    HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(doc=documents())
def test_generated_documents_keep_every_character_in_pdf_and_docx(doc: Document,
                                                                  tmp_path: Path):
    if not HAVE_PDFTOTEXT:
        missing_tool("pdftotext (poppler-utils, in make's system packages) is not installed")
    check_all_formats(doc, tmp=tmp_path, pdf_raw=True)
