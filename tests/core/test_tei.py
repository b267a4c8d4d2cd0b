"""TEI P5 edition: validity against tei_all.rng and the model cable's marks."""
from __future__ import annotations

import re

import pytest
from _edition_docs import HOSTILE, compiled_schema, corpus_documents, hostile_doc, model_cable
from _tools import missing_tool
from lxml import etree

from emendo.core.editions import EditionContext, render

NS = {"t": "http://www.tei-c.org/ns/1.0"}


@pytest.fixture(scope="session")
def schema():
    s = compiled_schema()
    if s is None:
        missing_tool("tei_all.rng not found beside the repository (../shared/schemas)")
    return s


def parse(xml: str) -> etree._Element:
    return etree.fromstring(xml.encode("utf-8"))


def assert_valid(schema, root) -> None:
    if not schema.validate(root):
        raise AssertionError("\n".join(f"{e.line}: {e.message}" for e in schema.error_log))


CTX = EditionContext(transcriber="Ann Archivist", editor="Ed Itor",
                     revisions=[("2024-05-01T09:30:00", "Ann Archivist", "Corrected a typo")],
                     project_title="Sino-Soviet cables")


def test_model_cable_validates_and_carries_marks(schema):
    root = parse(render(model_cable(), "tei", context=CTX))
    assert_valid(schema, root)
    x = lambda p: root.xpath(p, namespaces=NS)  # noqa: E731
    assert x("//t:stamp[t:date/@when='1965-06-21']")
    assert x("//t:msDesc//t:additions/t:p[contains(., 'Soviet Union #1631')]")
    assert [a.text for a in x("//t:body//t:add[@hand='#h1']")] == ["487"]
    assert x("//t:handNote[@xml:id='h1']")
    assert len(x("//t:body//t:gap[@reason='illegible']")) == 3
    hi = x("//t:hi[@rend='underline']")
    assert hi[0].text == "April 16th" and hi[0].get("hand") == "#h1"
    assert x("//t:msIdentifier/t:idno")[0].text == "PRC FMA 109-03654-02, 20-22"
    assert x("//t:respStmt[t:resp='translated by']/t:name")[0].text == "David Cowhig"
    assert x("//t:respStmt[t:resp='transcribed by']/t:name")[0].text == "Ann Archivist"
    lists = x("//t:postscript/t:list[@type='distribution']")
    assert len(lists) == 2 and len(lists[1].findall("t:item", NS)) == 15
    assert x("//t:closer/t:supplied")[0].text == "Chinese"
    assert x("//t:choice[t:sic='forein'][t:corr='foreign']")
    assert x("//t:keywords/t:term[@type='priority']")[0].text == "Urgent"
    assert x("//t:correspAction[@type='sent']/t:placeName")[0].text == "Moscow Station"
    assert x("//t:revisionDesc/t:change[@when='2024-05-01T09:30:00']")
    assert x("//t:editorialDecl/t:p")
    # pagemeta (summary, rights boilerplate) stays out of the body
    assert "reuse of Digital Archive" not in "".join(x("//t:body//text()"))


def test_hostile_text_is_text(schema):
    xml = render(hostile_doc(), "tei")
    root = parse(xml)
    assert_valid(schema, root)
    assert not root.xpath("//t:script|//script|//img", namespaces=NS)
    body = "".join(root.xpath("//t:body//text()", namespaces=NS))
    assert "<script>alert('x')</script>" in body and "]]>" in body and "&lt;" in body
    assert "\x00" not in xml and "\x0b" not in xml


def test_every_corpus_document_exports_valid_tei(schema):
    docs = corpus_documents()
    assert len(docs) >= 8
    for d in docs:
        assert_valid(schema, parse(render(d, "tei")))


def test_context_is_optional_and_all_readings_render(schema):
    for reading in ("diplomatic", "reading"):
        assert_valid(schema, parse(render(model_cable(), "tei", reading)))


def test_hostile_constant_has_every_trap():
    for trap in ("<script>", "onerror=", "]]>", "&lt;", "\x00"):
        assert trap in HOSTILE


def test_imported_model_cable_carries_its_marks(schema):
    from _edition_docs import MODEL_FILE

    from emendo.core.importers import parse_text

    root = parse(render(parse_text(MODEL_FILE.read_text("utf-8"), MODEL_FILE.name), "tei"))
    assert_valid(schema, root)
    x = lambda p: root.xpath(p, namespaces=NS)  # noqa: E731
    assert x("//t:body//t:stamp") and x("//t:body//t:add[@hand]")
    assert len(x("//t:body//t:gap[@reason='illegible']")) == 3
    assert x("//t:hi[@rend='underline']") and x("//t:msIdentifier/t:idno")
    assert x("//t:respStmt/t:name[.='David Cowhig']")
    assert len(x("//t:list[@type='distribution']")) == 2


def test_tei_opener_dateline_closer_date_and_tokens():
    from _edition_docs import imported_model_cable

    xml = render(imported_model_cable(), "tei")
    assert "<stamp type=\"stamp\">Foreign Ministry" in xml  # "[Stamp]" dropped with its space
    assert ("<dateline>From <placeName>Moscow Station</placeName>"
            "<date when=\"1965-04-17\"/></dateline>") in xml
    # The closer signed by its sender line, then its dateline (indented once it has elements).
    assert re.search(r"<closer>\s*<signed><supplied[^>]*>Chinese</supplied> Embassy Moscow</signed>"
                     r"[\s\S]*?<dateline>\s*<date when=\"1965-04-17\">April 17, 1965</date>\s*"
                     r"</dateline>\s*</closer>", xml)
    assert "<salute>To the Foreign Ministry:</salute>" in xml
    assert "<idno type=\"refno\">" in xml and "quantity=\"67\"" in xml
    assert "</note> reported" in xml
