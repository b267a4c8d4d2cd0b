"""Markdown and plain-text editions, both readings; Markdown escapes the transcription."""
from __future__ import annotations

import markdown
from _edition_docs import hostile_doc, model_cable
from _fidelity import txt_body
from lxml import html as lhtml

from emendo.core.editions import render
from emendo.core.editions.fidelity import first_missing
from emendo.core.editions.markdown import escape_md


def test_text_diplomatic_keeps_marks():
    t = render(model_cable(), "txt")
    body = txt_body(t, "diplomatic")
    assert "⌜[handwritten 487]⌝" in body and body.count("[illegible]") == 3
    assert "_April 16th_" in body and "⟦[Stamp] Foreign Ministry" in body
    assert "{Ho Chi Minh}ᵖ" in body and "{Geneva}ˡ" in body
    # the legend says what each marker means
    assert "⟦…⟧  a stamp on the document" in t and "_…_  underlined in the original" in t
    assert "forein[1]" in t and "[1] sic; read: foreign" in t
    assert "Citation: PRC FMA 109-03654-02, 20-22" in t and "Translator: David Cowhig" in t
    assert "reuse of Digital Archive" not in t


def test_text_reading_applies_corrections():
    t = render(model_cable(), "txt", "reading")
    assert "some foreign[1] reports" in t and "original reads: forein" in t
    body = txt_body(t, "reading")
    assert "[date underlined by hand]" not in body and "⌜[handwritten 487]⌝" in body
    assert "[Chinese] Embassy Moscow" in body


def test_markdown_structure():
    md = render(model_cable(), "md")
    page = lhtml.fromstring(markdown.markdown(md))
    assert page.xpath("//h1") and len(page.xpath("//ul")) >= 2
    assert "[^1]: sic; read: foreign" in md


def test_markdown_escapes_hostile_text():
    md = render(hostile_doc(), "md")
    out = markdown.markdown(md)
    page = lhtml.fromstring(f"<div>{out}</div>")
    assert not page.xpath("//script|//img|//b|//i|//*[@onerror]")
    assert "<script>alert('x')</script>" in page.text_content()


def test_escape_md_neutralises_syntax():
    for s in ("# heading", "1. item", "- item", "*em*", "[link](http://x)", "`code`",
              "<b>x</b>", "a &amp; b", "> quote", "![img](x)"):
        out = markdown.markdown(escape_md(s))
        page = lhtml.fromstring(f"<div>{out}</div>")
        assert page.text_content().strip() == s, (s, out)
        assert not page.xpath("//h1|//ol|//ul|//em|//a|//code|//b|//blockquote|//img")


def test_markdown_escapes_only_syntax():
    for s in ("PRC FMA 109-03654-02, 20-22", "the U.S. And", "Soviet Union #1631",
              "Foreign Ministry (65) No. Mao-1014", "a_b_c", "1965-04-17"):
        assert escape_md(s) == s


def test_markdown_pieces_cannot_join_into_links():
    # a span boundary between "]" and "(" must not let the two pieces form a link
    from emendo.core.model import Document, Span

    text = "see [click](javascript:alert(1)) and [^1] and\n[ref]: http://x"
    i = text.index("(javascript")
    doc = Document(title="t", text=text, spans=[Span("person", i, i + 5, {}, 1)], id=1)
    out = markdown.markdown(render(doc, "md"), extensions=["footnotes"])
    page = lhtml.fromstring(f"<div>{out}</div>")
    assert not page.xpath("//a[contains(@href, 'javascript')]|//sup")
    assert first_missing(text, page.text_content().split("Text (diplomatic)")[1]) is None
