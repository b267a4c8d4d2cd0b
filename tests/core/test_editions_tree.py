"""The edition tree: one pass, overlaps split, both readings."""
from __future__ import annotations

from _edition_docs import model_cable
from hypothesis import given, settings
from hypothesis import strategies as st

from emendo.core.editions.tree import Node, build_tree, walk
from emendo.core.model import Document, Span


def kinds(tree: Node) -> list[str]:
    return [n.kind for n in walk(tree)]


def test_model_cable_blocks():
    t = build_tree(model_cable())
    top = [c.kind for c in t.children]
    assert top[0] == "opener" and "closer" in top and top[-1] == "postscript"
    ps = t.children[-1]
    assert [c.kind for c in ps.children] == ["list", "list"]
    # site metadata (summary, citation, rights) is not in the body
    assert "Document Information" not in t.text()
    assert "Skip to content" not in t.text()


def test_overlapping_spans_are_split():
    doc = Document("t", "abcdefghij", [Span("person", 0, 6, {}, 1), Span("place", 3, 9, {}, 2)])
    p = build_tree(doc).children[0]
    assert p.kind == "p"
    person, place2 = p.children[0], p.children[1]
    assert person.kind == "person" and person.children[0] == "abc"
    inner = person.children[1]
    assert inner.kind == "place" and inner.part == 0 and not inner.last
    assert place2.kind == "place" and place2.part == 1 and place2.last
    assert p.text() == "abcdefghij"


def test_point_and_nested_spans_keep_text():
    doc = Document("t", "one two three", [Span("note", 3, 3, {"note": "x"}, 1),
                                           Span("sic", 4, 7, {"corr": "TWO"}, 2),
                                           Span("unclear", 4, 13, {}, 3)])
    t = build_tree(doc)
    assert t.text() == "one two three"


def test_reading_applies_corrections_and_drops_tokens():
    d = model_cable()
    dip = build_tree(d, "diplomatic").text()
    rd = build_tree(d, "reading").text()
    assert "forein" in dip and "[date underlined by hand]" in dip
    assert "foreign reports" in rd and "forein" not in rd
    assert "[date underlined by hand]" not in rd and "April 16th reported" in rd
    assert "[Stamp]" not in rd


def test_unanchored_spans_ignored_in_body():
    doc = Document("t", "text", [Span("stamp", None, None, {"text": "paper only"}, 1)])
    assert build_tree(doc).text() == "text"


def test_reading_site_interface_text_is_left_out_of_editions():
    from pathlib import Path

    from emendo.core.editions import render
    from emendo.core.importers import import_path

    corpus = Path(__file__).resolve().parent.parent / "data" / "corpus"
    doc = import_path(next(corpus.glob("027_*.txt")))
    assert any(s.kind == "chrome" for s in doc.spans)
    for fmt in ("txt", "md", "html"):
        assert "护眼" not in render(doc, fmt)
    from lxml import etree

    tei = etree.fromstring(render(doc, "tei").encode("utf-8"))
    body = tei.find("{http://www.tei-c.org/ns/1.0}text")
    assert "护眼" not in "".join(body.itertext())


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 12)), max_size=12),
       st.integers(0, 45), st.integers(0, 12))
def test_ranges_meet_exactly_when_a_span_overlaps(ranges, a, width):
    from emendo.core.editions.tree import _Ranges

    spans = [Span("stamp", s, s + n) for s, n in ranges]
    e = a + width
    assert _Ranges(spans).meets(a, e) == any(s.start < e and s.end > a for s in spans)
