"""TEI body in and out: the cases the property test found, each on its own.

Each test reads a small TEI body, writes it back and reads that again; what it checks is
named in its name. Validation uses the compiled tei_all schema (lxml), like test_tei.py.
"""
from __future__ import annotations

import pytest
from _edition_docs import compiled_schema
from _tools import missing_tool
from lxml import etree

from emendo.core.editions import EditionContext, render
from emendo.core.editions.tei_source import is_temporal
from emendo.core.importers.tei import parse_tei
from emendo.core.model import Document, Span

TEI_NS = "http://www.tei-c.org/ns/1.0"
NS = {"t": TEI_NS}
HEADER = ("<teiHeader><fileDesc><titleStmt><title>T</title></titleStmt><publicationStmt>"
          "<p>x</p></publicationStmt><sourceDesc><p>x</p></sourceDesc></fileDesc></teiHeader>")


@pytest.fixture(scope="module")
def schema():
    s = compiled_schema()
    if s is None:
        missing_tool("tei_all.rng not found beside the repository (../shared/schemas)")
    return s


def tei(body: str) -> str:
    return f'<TEI xmlns="{TEI_NS}">{HEADER}<text><body>{body}</body></text></TEI>'


def strip_record(xml: str) -> str:
    root = etree.fromstring(xml.split("\n", 1)[1].encode("utf-8"))
    for x in list(root.iter(f"{{{TEI_NS}}}xenoData")):
        x.getparent().remove(x)
    return etree.tostring(root, encoding="unicode")


def again(doc: Document) -> tuple[Document, etree._Element]:
    """The document written as TEI and read back without its record; and the body written."""
    xml = render(doc, "tei")
    root = etree.fromstring(xml.split("\n", 1)[1].encode("utf-8"))
    return parse_tei(strip_record(xml)), root


def spans(doc: Document) -> list[tuple]:
    return sorted((s.kind, s.start, s.end, repr(sorted(s.attrs.items()))) for s in doc.spans)


def body_xml(root: etree._Element) -> str:
    body = root.find(f".//{{{TEI_NS}}}body")
    s = etree.tostring(body, encoding="unicode")
    return s.replace(f' xmlns="{TEI_NS}"', "")


def test_no_break_and_ideographic_spaces_are_text():
    d = parse_tei(tei("<p>\u3000北京\u00a0Moscow \u00a0</p>"))
    assert d.text == "\u3000北京\u00a0Moscow \u00a0"


def test_spaces_fold_across_element_boundaries_and_marks_start_on_their_text():
    d = parse_tei(tei('<p>a <hi rend="italic"> b</hi> c<hi rend="bold"> d </hi></p>'))
    assert d.text == "a b c d"
    assert [d.span_text(s) for s in d.spans if s.attrs.get("tei") == "hi"] == ["b", "d"]


def test_an_empty_element_keeps_its_side_of_a_block_end(schema):
    d = parse_tei(tei('<div><p>a<pb n="1"/></p><pb n="2"/><p>b</p></div>'))
    back, root = again(d)
    assert schema.validate(root)
    assert '<p>a<pb n="1"/></p>' in body_xml(root)
    assert '</p>\n        <pb n="2"/>\n        <p>b</p>' in body_xml(root)
    assert (back.text, spans(back)) == (d.text, spans(d))


def test_an_empty_block_at_the_end_of_a_division_stays_in_it(schema):
    d = parse_tei(tei('<div type="a"><p>x</p><p/></div><div type="b"><p>y</p></div>'))
    back, root = again(d)
    assert schema.validate(root)
    divs = root.findall(".//t:body/t:div", NS)
    assert [len(div) for div in divs] == [2, 1]
    assert (back.text, spans(back)) == (d.text, spans(d))


def test_empty_elements_inside_an_empty_element_stay_inside(schema):
    d = parse_tei(tei('<div><p/></div>'))
    back, root = again(d)
    assert schema.validate(root)
    assert root.findall(".//t:body/t:div/t:p", NS)
    assert spans(back) == spans(d)


def test_a_space_before_an_empty_element_does_not_end_a_block():
    d = parse_tei(tei('<opener><dateline>Geneva <date when="1956-05-24"/></dateline>May 24'
                      '</opener>'))
    assert d.text == "Geneva\nMay 24"
    back, _root = again(d)
    assert (back.text, spans(back)) == (d.text, spans(d))


def test_a_line_break_ending_a_block_stays_in_it():
    d = parse_tei(tei("<p>a<lb/></p><p>b</p>"))
    back, root = again(d)
    assert root.findall(".//t:body/t:p[1]/t:lb", NS) and not root.findall(".//t:body/t:lb", NS)
    assert (back.text, spans(back)) == (d.text, spans(d))


def test_a_note_opens_inside_the_mark_around_its_reference():
    d = parse_tei(tei('<p><hi rend="italic"><note n="1">n</note>a</hi></p>'))
    back, root = again(d)
    assert root.findall(".//t:hi/t:note", NS)
    assert (back.text, spans(back)) == (d.text, spans(d))


def test_an_empty_note_is_written_once():
    d = parse_tei(tei('<p>a<note n="1"/></p>'))
    _back, root = again(d)
    assert len(root.findall(".//t:note", NS)) == 1


def test_an_element_at_the_end_of_a_note_stays_in_the_note():
    d = parse_tei(tei('<p>a<note n="1">n<anchor xml:id="x"/></note></p>'))
    back, root = again(d)
    assert root.findall(".//t:note/t:anchor", NS)
    assert spans(back) == spans(d)


def test_touching_marks_get_no_space_between_them():
    d = parse_tei(tei('<p><gap reason="editorial"/><hi rend="italic">Ministry</hi></p>'))
    xml = render(d, "tei")
    assert '<p><gap reason="editorial"/><hi rend="italic">Ministry</hi></p>' in xml
    assert parse_tei(strip_record(xml)).text == d.text == "[…]Ministry"


def test_a_date_takes_no_when_from_a_date_inside_it():
    d = parse_tei(tei('<p><date><date when="1956-05-24">May 24</date></date></p>'))
    outer = next(s for s in d.spans if s.kind == "date" and "tei_attrs" not in s.attrs)
    assert "when" not in outer.attrs
    _back, root = again(d)
    assert [e.get("when") for e in root.iter(f"{{{TEI_NS}}}date")][-2:] == [None, "1956-05-24"]


def test_nothing_is_written_inside_idno(schema):
    d = parse_tei(tei('<p><idno type="x">AB12</idno></p>'))
    d.spans.append(Span("tei", d.text.index("12"), d.text.index("12"),
                        {"tei": "anchor", "tei_empty": True}, d.next_span_id()))
    _back, root = again(d)
    assert schema.validate(root)
    assert not root.findall(".//t:idno/t:anchor", NS)


def test_marked_illegible_words_in_an_imported_document_keep_their_text(schema):
    d = parse_tei(tei("<p>the quick fox</p>"))
    d.spans.append(Span("illegible", 4, 9, {}, d.next_span_id()))
    back, root = again(d)
    assert schema.validate(root)
    assert root.find(".//t:unclear", NS).text == "quick"
    assert back.text == d.text


@pytest.mark.parametrize("value,ok", [
    ("1956", True), ("1956-05", True), ("1956-05-24", True), ("1956-02-29", True),
    ("1956-05-24T15:00:00+01:00", True), ("1956-05-24T09:00:00Z", True),
    ("1956-05-24T15:00:00.5", True), ("-0044-03-15", True),
    ("1955-02-29", False), ("1956-13-01", False), ("1956-00", False),
    ("1956-05-24T15:00", False), ("1956-05-24T25:00:00", False), ("May 1956", False),
    ("1956-05-24T15:00:00+15:00", False), ("", False)])
def test_when_values_are_w3c_dates(value, ok):
    assert is_temporal(value) is ok


def test_native_export_writes_date_times_and_drops_what_is_not_a_date(schema):
    text = "Geneva, May 24, 1956, 3 p.m. and Smarch 40"
    doc = Document(title="T", text=text, date="1956-05-24T15:00:00+01:00", spans=[
        Span("date", 8, 28, {"value": "1956-05-24T15:00:00+01:00"}, 1),
        Span("date", 33, 42, {"value": "1956-13-40"}, 2)])
    root = etree.fromstring(render(doc, "tei").split("\n", 1)[1].encode("utf-8"))
    assert schema.validate(root)
    whens = [e.get("when") for e in root.iterfind(".//t:body//t:date", NS)]
    assert whens == ["1956-05-24T15:00:00+01:00", None]
    assert root.find(".//t:correspAction/t:date", NS).get("when") == doc.date


def test_a_document_date_that_is_no_date_leaves_no_empty_correspaction(schema):
    doc = Document(title="T", text="text", date="1956-13-40")
    doc.spans.append(Span("addressee", 0, 4, {"value": "text"}, 1))
    root = etree.fromstring(render(doc, "tei").split("\n", 1)[1].encode("utf-8"))
    assert schema.validate(root), schema.error_log


def test_a_division_of_closers_only_gets_a_paragraph_before_them(schema):
    doc = Document(title="T", text="Johnson", spans=[Span("closer", 0, 7, {}, 1),
                                                     Span("signature", 0, 7, {}, 2)])
    root = etree.fromstring(render(doc, "tei").split("\n", 1)[1].encode("utf-8"))
    assert schema.validate(root), schema.error_log
    assert [etree.QName(e).localname for e in root.find(".//t:div", NS)] == ["p", "closer"]


def test_a_division_that_is_all_opener_gets_a_paragraph_after_it(schema):
    doc = Document(title="T", text="To the Ministry: greetings",
                   spans=[Span("addressee", 0, 16, {"value": "Ministry"}, 1)])
    root = etree.fromstring(render(doc, "tei").split("\n", 1)[1].encode("utf-8"))
    assert schema.validate(root), schema.error_log
    assert [etree.QName(e).localname for e in root.find(".//t:div", NS)] == ["opener", "p"]


def test_signed_stands_in_the_closer_itself(schema):
    text = "[Chinese] Embassy Johnson"
    doc = Document(title="T", text=text, spans=[
        Span("closer", 0, len(text), {}, 1), Span("supplied", 0, len(text), {}, 2),
        Span("signature", 18, 25, {"value": "Johnson"}, 3)])
    root = etree.fromstring(render(doc, "tei").split("\n", 1)[1].encode("utf-8"))
    assert schema.validate(root), schema.error_log
    assert not root.findall(".//t:supplied//t:signed", NS)


def test_a_correction_across_paragraphs_is_given_once():
    doc = Document(title="T", text="forein\n\nministy", spans=[
        Span("sic", 0, 15, {"corr": "foreign ministry"}, 1)])
    root = etree.fromstring(render(doc, "tei").split("\n", 1)[1].encode("utf-8"))
    assert [e.text for e in root.iterfind(".//t:corr", NS)] == ["foreign ministry"]


def test_context_revision_date_times_go_into_change_when(schema):
    ctx = EditionContext(editor="Ed", revisions=[("2024-05-01T09:30:00", "Ed", "fix"),
                                                 ("2024-05-01 09:30:00", "Ed", "fix")])
    root = etree.fromstring(render(Document(title="T", text="x"), "tei", context=ctx)
                            .split("\n", 1)[1].encode("utf-8"))
    assert schema.validate(root), schema.error_log
    assert [c.get("when") for c in root.iterfind(".//t:change", NS)] == [
        "2024-05-01T09:30:00", "2024-05-01"]
