"""Bracketed marks with their text inside: nesting, line breaks, brackets never closed."""
from __future__ import annotations

from _import_checks import check_document

from emendo.core.importers import parse_text
from emendo.core.model import Document

HEAD = "Report on the harvest\n\n"
BODY = ("The committee heard the minister on the state of the harvest in the eastern "
        "provinces and asked for figures by the end of the month.\n")


def _doc(text: str) -> Document:
    doc = parse_text(text, "x.txt")
    check_document(doc)
    return doc


def _values(doc: Document, kind: str) -> list[str]:
    key = "text" if kind == "stamp" else "value"
    return [str(s.attrs[key]) for s in doc.spans_of(kind)]


def test_handwritten_note_holding_other_brackets_inside_a_line() -> None:
    doc = _doc(HEAD + "The minister agreed [handwritten in margin: \"ask [Petrov] first\"] "
               "and left.\n\n" + BODY)
    (hw,) = doc.spans_of("handwritten")
    assert hw.attrs["value"] == '"ask [Petrov] first"'
    assert doc.span_text(hw) == '[handwritten in margin: "ask [Petrov] first"]'
    assert hw.attrs["note"] == "handwritten in margin"
    assert "[Petrov]" in [doc.span_text(s) for s in doc.spans_of("supplied")]


def test_nested_illegible_stays_its_own_mark() -> None:
    doc = _doc(HEAD + "[handwritten: Agreed. [illegible signature]]\n\n" + BODY)
    assert _values(doc, "handwritten") == ["Agreed. [illegible signature]"]
    assert [doc.span_text(s) for s in doc.spans_of("illegible")] == ["[illegible signature]"]


def test_stamp_over_three_lines_with_its_date() -> None:
    doc = _doc(HEAD + "[stamp: Second Department\nIncoming No. 4410\n3 June 1952]\n\n"
               "Secret\n\nIncoming No. 77 is not a stamp here.\n\n" + BODY)
    (stamp,) = doc.spans_of("stamp")
    assert stamp.attrs["text"] == "Second Department\nIncoming No. 4410\n3 June 1952"
    assert stamp.attrs["date"] == "1952-06-03" and "unclosed" not in stamp.attrs
    assert doc.field_value("classification") == "Secret"


def test_unclosed_stamp_ends_where_its_text_stops() -> None:
    # At a blank line ...
    doc = _doc(HEAD + "[CPSU CC stamp: 11802\n4 APR 74\nReturn to the General Department\n\n"
               "Top Secret\n\n" + BODY)
    (stamp,) = doc.spans_of("stamp")
    assert stamp.attrs["unclosed"] is True and stamp.attrs["qualifier"] == "CPSU CC"
    assert stamp.attrs["text"] == "11802\n4 APR 74\nReturn to the General Department"
    # ... at a list label, at a classification and at the next bracket.
    for after in ("Received by: Kosygin, Suslov, Archive", "SECRET", "[handwritten: seen]"):
        doc = _doc(HEAD + "[stamp: 20931\n" + after + "\n\n" + BODY)
        assert _values(doc, "stamp") == ["20931"], after


def test_entered_by_hand_is_a_handwritten_note() -> None:
    doc = _doc(HEAD + "The talks went on [entered by hand: \"for two days\"] without a break.\n")
    assert _values(doc, "handwritten") == ['"for two days"']


def test_stamp_with_its_text_inside_the_bracket_in_a_us_cable() -> None:
    raw = ("INCOMING TELEGRAM\n[stamp: DEPARTMENT OF STATE MAY 2 1961 EUROPEAN AFFAIRS]\n"
           "FM AMEMBASSY BONN\nTO SECSTATE WASHDC 2231\nSUBJECT: Talks\n\n"
           "1. Text of the cable.\n\nDOWLING\n")
    doc = _doc(raw)
    assert _values(doc, "stamp") == ["DEPARTMENT OF STATE MAY 2 1961 EUROPEAN AFFAIRS"]
