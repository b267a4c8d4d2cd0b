"""TEI import: own editions losslessly, FRUS TEI mapped, hostile XML refused."""
from __future__ import annotations

from pathlib import Path

import pytest
from _edition_docs import DATA, corpus_documents, hostile_doc, model_cable
from lxml import etree

from emendo.core.editions import render
from emendo.core.errors import ImportFailedError
from emendo.core.importers.tei import parse_tei
from emendo.core.model import validate_spans

FRUS = DATA / "x04_frus1955-57v03_d180_telegram-geneva-johnson.wrapped.xml"


def same_record(a, b) -> None:
    assert b.text == a.text and b.title == a.title and b.date == a.date
    assert [s.to_json() for s in b.spans] == [s.to_json() for s in a.spans]


@pytest.mark.parametrize("make", [model_cable, hostile_doc])
def test_export_then_import_gives_the_same_record(make):
    doc = make()
    same_record(doc, parse_tei(render(doc, "tei"), "x.xml"))


def test_corpus_round_trip():
    for d in corpus_documents():
        same_record(d, parse_tei(render(d, "tei")))


def test_own_tei_without_record_maps_body():
    xml = render(model_cable(), "tei")
    root = etree.fromstring(xml.encode())
    for x in root.iter("{http://www.tei-c.org/ns/1.0}xenoData"):
        x.getparent().remove(x)
    d = parse_tei(etree.tostring(root, encoding="unicode"))
    assert not validate_spans(d.text, d.spans)
    kinds = [s.kind for s in d.spans]
    assert kinds.count("illegible") == 3 and "handwritten" in kinds and "stamp" in kinds
    assert "sic" in kinds and "distribution" in kinds
    assert d.spans_of("sic")[0].attrs["corr"] == "foreign"


def test_frus_tei_imports():
    d = parse_tei(FRUS.read_text("utf-8"), FRUS.name)
    assert not validate_spans(d.text, d.spans)
    assert d.title.startswith("180. Telegram From Ambassador U. Alexis Johnson")
    assert d.date == "1956-05-24"
    assert "Two hour 25 minute meeting this morning." in d.text
    persons = {d.span_text(s) for s in d.spans_of("person")}
    assert {"Wang", "Rockefeller", "McConaughy", "U. Alexis Johnson"} <= persons
    assert [d.span_text(s) for s in d.spans_of("place")] == ["Geneva"]
    notes = d.spans_of("note")
    assert [s.attrs["n"] for s in notes] == ["1", "2", "3"]
    assert d.span_text(notes[0]).startswith("Source: Department of State")
    assert d.field_value("signature") == "Johnson"
    assert d.spans_of("date")[0].attrs["when"].startswith("1956-05-24")
    assert "  " not in d.text.replace("\n", "")


@pytest.mark.parametrize("raw", [
    '<?xml version="1.0"?><!DOCTYPE TEI [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>&x;</p></body></text></TEI>',
    '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;">]><TEI><text><body><p>&lol3;</p></body></text></TEI>',
    '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>unclosed</body></text></TEI>',
    '<html><body>not tei</body></html>',
])
def test_hostile_or_broken_xml_is_refused(raw):
    with pytest.raises(ImportFailedError):
        parse_tei(raw, "bad.xml")


def test_no_network_or_file_access_through_xinclude(tmp_path: Path):
    raw = ('<TEI xmlns="http://www.tei-c.org/ns/1.0" xmlns:xi="http://www.w3.org/2001/XInclude">'
           '<text><body><p>a<xi:include href="/etc/passwd" parse="text"/>b</p></body></text></TEI>')
    d = parse_tei(raw)
    assert "root:" not in d.text and d.text == "ab"


def _with_record(tei: str, record: dict) -> str:
    """The edition with its Emendo record replaced (as an earlier Emendo wrote it)."""
    import json

    root = etree.fromstring(tei.split("\n", 1)[1].encode("utf-8"))
    rec = root.find(".//{https://emendo.example.org/ns/record/1}record")
    rec.text = json.dumps(record, ensure_ascii=True)
    return etree.tostring(root, encoding="unicode")


@pytest.mark.parametrize("form", ["span_rows", "spans"])
def test_records_of_earlier_versions_still_import(form):
    doc = model_cable()
    base = {"title": doc.title, "text": doc.text, "date": doc.date,
            "source_name": doc.source_name, "imported_text": doc.imported_text,
            "meta": doc.meta}
    if form == "span_rows":
        base["span_rows"] = [[s.id, s.kind, s.start, s.end, s.attrs] for s in doc.spans]
    else:
        base["spans"] = [s.to_json() for s in doc.spans]
    same_record(doc, parse_tei(_with_record(render(doc, "tei"), base), "old.xml"))


def test_a_damaged_record_is_not_used_and_the_body_is_read():
    doc = model_cable()
    broken = {"title": doc.title, "text": doc.text, "spans_encoded": '{"k":["date"],"t":[0]}'}
    d = parse_tei(_with_record(render(doc, "tei"), broken), "broken.xml")
    note = d.meta["tei_import"]
    assert "record was not used" in note and "spans are damaged" in note and "\n" not in note
    assert "Soviet Union #1631" in d.text and not validate_spans(d.text, d.spans)


def test_export_from_a_project_then_import_gives_the_same_record(tmp_path):
    from emendo.core.editions.bulk import export_project
    from emendo.core.project import Project

    docs = corpus_documents()
    with Project.open(tmp_path / "p.emendo") as p:
        ids = p.import_documents(docs).doc_ids
        stored = [p.document(i) for i in ids]
    written = export_project(tmp_path / "p.emendo", ids, "tei", tmp_path / "out", workers=1)
    for doc, path in zip(stored, written):
        same_record(doc, parse_tei(path.read_text(encoding="utf-8"), path.name))
