"""Round trips on real TEI: FRUS documents in, TEI out, and back.

The documents: the FRUS telegram of the shared corpus (HistoryAtState/frus, one document
division) and a FRUS-style volume written for these tests (three document divisions with
the volume files' structures: ``frus:`` attributes, source notes in heads, datelines with
date-times, page breaks, glosses, pointers, tables, lists with labels, closers).

import → export → import gives the same text, spans and fields, once without Emendo's
record (the body alone); and import → export keeps every element with its attributes
(the multiset of element, attributes and text without white space), ``frus:`` attributes
only when asked for.
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from _edition_docs import CORPUS, DATA, compiled_schema, corpus_documents
from _tools import missing_tool
from lxml import etree

from emendo.core.editions import EditionContext, render
from emendo.core.importers.tei import parse_tei, parse_tei_documents
from emendo.core.model import FIELD_KINDS, Document

TEI_NS = "http://www.tei-c.org/ns/1.0"
FRUS_NS = "http://history.state.gov/frus/ns/1.0"
T = f"{{{TEI_NS}}}"
NS = {"t": TEI_NS}
VOLUME = DATA / "tei" / "frus_style_volume.xml"
_TELEGRAM = "x04_frus1955-57v03_d180_telegram-geneva-johnson.wrapped.xml"
TELEGRAM = next(d / _TELEGRAM for d in (CORPUS, DATA) if (d / _TELEGRAM).exists())
FILES = [TELEGRAM, VOLUME]


@pytest.fixture(scope="module")
def schema():
    s = compiled_schema()
    if s is None:
        missing_tool("tei_all.rng not found beside the repository (../shared/schemas)")
    return s


def sources() -> list[tuple[str, int, etree._Element, Document]]:
    """(file, index, source division, imported document) of every document."""
    out = []
    for path in FILES:
        raw = path.read_text(encoding="utf-8")
        divs = [d for d in etree.fromstring(raw.encode("utf-8")).iter(T + "div")
                if d.get("type") == "document"]
        docs = parse_tei_documents(raw, path.name)
        assert len(docs) == len(divs)
        out += [(path.name, i, div, doc) for i, (div, doc) in enumerate(zip(divs, docs))]
    return out


SOURCES = sources()
IDS = [f"{name[:12]}-{i}" for name, i, _div, _doc in SOURCES]


def exported(doc: Document, keep: bool = False) -> etree._Element:
    xml = render(doc, "tei", context=EditionContext(editor="Ed", keep_namespaces=keep))
    return etree.fromstring(xml.split("\n", 1)[1].encode("utf-8"))


def without_record(root: etree._Element) -> str:
    for x in list(root.iter(T + "xenoData")):
        x.getparent().remove(x)
    return etree.tostring(root, encoding="unicode")


def state(doc: Document, keep: bool = True) -> tuple:
    """Text, spans, fields and date; without the attributes of other namespaces unless kept."""
    def attrs(a: dict) -> str:
        if not keep and isinstance(a.get("tei_attrs"), dict):
            a = {**a, "tei_attrs": {k: v for k, v in a["tei_attrs"].items()
                                    if not k.startswith("{")}}
        return repr(sorted(a.items()))

    spans = sorted((s.kind, s.start if s.start is not None else -1,
                    s.end if s.end is not None else -1, attrs(s.attrs)) for s in doc.spans)
    return doc.text, spans, {k: doc.field_value(k) for k in sorted(FIELD_KINDS)}, doc.date


def elements(root: etree._Element, keep: bool) -> Counter:
    """Every TEI element under ``root``: name, attributes (frus: ones if kept), text."""
    out: Counter = Counter()
    for e in root.iter(T + "*"):
        attrs = tuple(sorted((k, v) for k, v in e.attrib.items()
                             if keep or not k.startswith(f"{{{FRUS_NS}}}")))
        out[(etree.QName(e).localname, attrs, re.sub(r"\s+", "", "".join(e.itertext())))] += 1
    return out


def document_div(root: etree._Element) -> etree._Element:
    return next(d for d in root.iter(T + "div") if d.get("type") == "document")


@pytest.mark.parametrize("keep", [False, True], ids=["plain", "keep-namespaces"])
@pytest.mark.parametrize("item", SOURCES, ids=IDS)
def test_import_export_import_without_the_record_is_the_same(item, keep):
    _name, _i, _div, doc = item
    back = parse_tei(without_record(exported(doc, keep)))
    assert state(back, keep) == state(doc, keep)
    assert back.title == doc.title


@pytest.mark.parametrize("keep", [False, True], ids=["plain", "keep-namespaces"])
@pytest.mark.parametrize("item", SOURCES, ids=IDS)
def test_export_keeps_every_element_with_its_attributes(item, keep):
    _name, _i, div, doc = item
    got = elements(document_div(exported(doc, keep)), keep)
    want = elements(div, keep)
    assert got == want, (f"missing {list((want - got).items())[:4]}, "
                         f"extra {list((got - want).items())[:4]}")


@pytest.mark.parametrize("item", SOURCES, ids=IDS)
def test_export_is_valid_tei_and_namespaces_are_kept_only_when_asked(item, schema):
    _name, _i, div, doc = item
    root = exported(doc)
    assert schema.validate(root), schema.error_log
    assert not any(k.startswith(f"{{{FRUS_NS}}}") for e in root.iter() for k in e.attrib)
    kept = document_div(exported(doc, keep=True))
    assert kept.get(f"{{{FRUS_NS}}}doc-dateTime-min") == div.get(
        f"{{{FRUS_NS}}}doc-dateTime-min")
    assert kept.nsmap.get("frus") == FRUS_NS


def test_the_telegram_keeps_the_marks_a_frus_edition_needs():
    doc = parse_tei(TELEGRAM.read_text(encoding="utf-8"), TELEGRAM.name)
    root = exported(doc)
    x = lambda p: root.xpath(p, namespaces=NS)  # noqa: E731
    assert x("//t:pb[@n='367'][@xml:id='pg_367'][@facs='0395']")
    assert x("//t:hi[@rend='italic']") and x("//t:hi[@rend='strong']")
    assert x("//t:ref[@target='#d180fn2'][.='footnote 2']")
    assert [n.get("{http://www.w3.org/XML/1998/namespace}id") for n in x("//t:note")] == [
        "d180fn1", "d180fn2", "d180fn3"]
    assert x("//t:persName[@corresp='#p_WP1']")
    assert x("//t:date[@when='1956-05-24T15:00:00+01:00']")
    assert x("//t:closer/t:signed/t:hi/t:persName[.='Johnson']")
    assert x("//t:head/t:note[@type='source']")  # the note where the source had it


def test_a_volume_imports_one_document_per_division_with_its_own_notes():
    docs = parse_tei_documents(VOLUME.read_text(encoding="utf-8"), VOLUME.name)
    assert [d.title for d in docs] == [
        "1. Telegram From the Embassy in Lisbon to the Department of State",
        "2. Memorandum From Ada Marsh to the Ambassador", "3. Editorial Note"]
    assert [d.date for d in docs] == ["1957-03-02", "1957-03-05", None]
    assert [[s.attrs["n"] for s in d.spans_of("note")] for d in docs] == [
        ["1", "2"], ["1", "2"], ["1"]]
    first = docs[0].text
    # cells, rows, labels and the parts of a substitution are never glued
    assert "LISBON\t41\t12,000\nPORTO\t17" in first and "(a) dues" in first
    assert "ten eleven" in first and "português, paciência" in first
    assert "Persons" not in first and "Index" not in first  # front and back matter
    assert docs[0].field_value("signature") == "Hale"


def test_search_finds_words_from_table_cells(tmp_path: Path):
    from emendo.core.importers import import_file
    from emendo.core.project import Project

    with Project.open(tmp_path / "v.emendo") as p:
        ids = p.import_documents(import_file(VOLUME)).doc_ids
        assert len(ids) == 3
        assert [h.doc_id for h in p.search("PORTO")] == [ids[0]]
        assert [h.doc_id for h in p.search("LISBON 41")] == [ids[0]]


def test_a_tei_corpus_imports_one_document_per_member():
    members = "".join(
        f'<TEI><teiHeader><fileDesc><titleStmt><title>Letter {n}</title></titleStmt>'
        f'<publicationStmt><p>x</p></publicationStmt><sourceDesc><p>x</p></sourceDesc>'
        f'</fileDesc><profileDesc><creation><date when="1960-0{n}-01"/></creation>'
        f'</profileDesc></teiHeader><text><body><p>Text {n}<note n="1">a note</note></p>'
        f'</body></text></TEI>' for n in (1, 2))
    raw = f'<teiCorpus xmlns="{TEI_NS}"><teiHeader><fileDesc><titleStmt><title>C</title>' \
          f'</titleStmt></fileDesc></teiHeader>{members}</teiCorpus>'
    docs = parse_tei_documents(raw, "c.xml")
    assert [(d.title, d.date) for d in docs] == [("Letter 1", "1960-01-01"),
                                                 ("Letter 2", "1960-02-01")]
    assert [[s.attrs["n"] for s in d.spans_of("note")] for d in docs] == [["1"], ["1"]]


def test_progress_is_reported_per_document_and_may_cancel():
    seen: list[tuple[int, int]] = []

    class Cancelled(Exception):
        pass

    def progress(done: int, total: int) -> None:
        seen.append((done, total))
        if done == 2:
            raise Cancelled

    with pytest.raises(Cancelled):
        parse_tei_documents(VOLUME.read_text(encoding="utf-8"), VOLUME.name, progress)
    assert seen == [(1, 3), (2, 3)]


def test_a_word_edited_in_the_exported_body_comes_back_edited():
    doc = parse_tei(TELEGRAM.read_text(encoding="utf-8"), TELEGRAM.name)
    xml = render(doc, "tei")
    assert xml.count("diffuse") == 2  # the body, and Emendo's record
    head, body = xml.split("<text>", 1)
    edited = parse_tei(head + "<text>" + body.replace("diffuse", "lengthy"), "edited.xml")
    assert "long and lengthy give-and-take" in edited.text
    assert "body was edited" in edited.meta["tei_import"]


def test_russian_and_chinese_documents_say_their_language():
    by_lang = {d.language: d for d in corpus_documents()}
    for code in ("ru", "zh"):
        tei = render(by_lang[code], "tei")
        assert re.search(rf'<TEI [^>]*xml:lang="{code}"', tei)
        assert f'<html lang="{code}"' in render(by_lang[code], "html")
