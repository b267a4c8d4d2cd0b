"""Property test: TEI exports of random documents are valid and read back as they were.

Documents get random text with hostile characters (markup, control characters XML
refuses, CR, astral and combining characters, brackets) and random overlapping spans of
every kind: the record's fields, every mark of the kinds table, corrections, notes with
their references, dates with times and TEI elements the importer keeps generically.
Every export is validated against tei_all with jing (many files per run: the JVM and the
schema take seconds to start); and re-importing it gives the same record, with Emendo's
record in ``xenoData`` and, once a document has been through the body, without it.
"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from _edition_docs import SCHEMA
from _tools import missing_tool
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from emendo.core.editions import EditionContext, render
from emendo.core.importers.tei import parse_tei
from emendo.core.model import FIELD_KINDS, MARK_KINDS, Document, Span, validate_spans

EMENDO_NS = "https://emendo.example.org/ns/record/1"
TEI = "{http://www.tei-c.org/ns/1.0}"
EXAMPLES = 60

# Words of the text: ordinary words, markup and entity look-alikes, the CDATA end, the
# source's bracket notation, characters XML 1.0 refuses (\x00, \x0b, \ufffe), a lone CR,
# Cyrillic, Chinese, a combining accent and an astral character.
WORDS = ["the", "Ministry", "1965", "<script>", "a&b", "&lt;", "]]>", "\"q'", "[illegible]",
         "[?]", "[1]", "x\x00y", "\x0b", "\ufffe", "a\rb", "Москва", "北京", "e\u0301",
         "\U0001f600", "--", "#", "{x}", "\u00a0", "\u3000"]
SEPS = [" ", " ", " ", "\n", "\n\n", "\t", "  "]
# Generic TEI elements (no kind of their own) with attributes of the shapes real
# editions use: pointers, languages, renditions, milestones.
GENERIC = [("hi", {"rend": "italic"}), ("hi", {"rend": "smallcaps"}), ("emph", {}),
           ("foreign", {"xml:lang": "ru"}), ("term", {}), ("quote", {}), ("q", {}),
           ("gloss", {"target": "#t_PRC1"}), ("ref", {"target": "#d1fn2"}),
           ("seg", {"type": "x", "xml:id": "s1"}), ("abbr", {}), ("del", {"rend": "strike"}),
           ("damage", {"agent": "water"}), ("rs", {"type": "person", "key": "k1"}),
           ("name", {"type": "ship"}), ("title", {"level": "m"}), ("num", {"value": "3"})]
EMPTIES = [("pb", {"n": "233", "facs": "0395"}), ("anchor", {"xml:id": "a1"}),
           ("lb", {}), ("ptr", {"target": "#d1fn1"}), ("milestone", {"unit": "section"})]
WHENS = ["1956-05-24", "1956-05-24T15:00:00+01:00", "1965-04", "1918", "1956-05-24T09:00:00Z"]


@st.composite
def texts(draw) -> str:
    n = draw(st.integers(1, 40))
    parts = []
    for _ in range(n):
        parts.append(draw(st.sampled_from(WORDS)))
        parts.append(draw(st.sampled_from(SEPS)))
    return "".join(parts)


def _attrs_for(draw, kind: str, covered: str) -> dict:
    """Attributes of the shapes the importers and the window give a span of this kind."""
    v = covered.strip() or "x"
    if kind == "date":
        return draw(st.sampled_from([{"value": draw(st.sampled_from(WHENS))},
                                     {"when": draw(st.sampled_from(WHENS))}, {}]))
    if kind in ("sic",):
        return {"corr": draw(st.sampled_from(["foreign", "a<b", ""]))}
    if kind == "note":
        return draw(st.sampled_from([{"n": "1"}, {"note": "an editor's & note"}, {}]))
    if kind == "noteref":
        return {"n": draw(st.sampled_from(["1", "2", "*"]))}
    if kind == "handwritten":
        return {"hand": draw(st.sampled_from(["h1", "Mao", "2 hand"])), "value": v}
    if kind == "underline":
        return draw(st.sampled_from([{}, {"hand": "h1", "by_hand": True},
                                     {"note": "underlined by hand"}]))
    if kind == "unclear":
        return {"cert": draw(st.sampled_from(["low", "medium"]))}
    if kind == "stamp":
        return {"type": draw(st.sampled_from(["stamp", "received"])), "text": v,
                "date": "1965-06-21"}
    if kind == "recipient":
        return {"name": v}
    if kind in FIELD_KINDS:
        return {"value": v} if draw(st.booleans()) else {}
    return {}


@st.composite
def documents(draw) -> Document:
    text = draw(texts())
    n = len(text)
    kinds = sorted(FIELD_KINDS | set(MARK_KINDS)) + ["tei", "tei_empty"]
    spans: list[Span] = []
    for i in range(draw(st.integers(0, 14))):
        kind = draw(st.sampled_from(kinds))
        a = draw(st.integers(0, n))
        b = draw(st.integers(a, min(n, a + 60)))
        if kind == "tei":
            tag, ta = draw(st.sampled_from(GENERIC))
            attrs = {"tei": tag, **({"tei_attrs": dict(ta)} if ta else {})}
        elif kind == "tei_empty":
            tag, ta = draw(st.sampled_from(EMPTIES))
            kind, b = ("pb" if tag == "pb" else "tei"), a
            attrs = {"tei": tag, "tei_empty": True, **({"tei_attrs": dict(ta)} if ta else {})}
        else:
            attrs = _attrs_for(draw, kind, text[a:b])
        spans.append(Span(kind, a, b, attrs, i + 1))
    if draw(st.booleans()):  # a stamp seen only on the paper, a citation: no anchor
        spans.append(Span(draw(st.sampled_from(["stamp", "citation", "translator"])),
                          None, None, {"value": "AVP RF f. 0100"}, len(spans) + 1))
    title = draw(st.sampled_from(["Telegram <to> Geneva", "Протокол № 1", "", "a\x00b"]))
    date = draw(st.sampled_from([None, "1956-05-24", "1918", "1956-05-24T15:00:00+01:00"]))
    doc = Document(title=title, text=text, spans=spans, date=date, source_name="p.txt")
    doc.language = draw(st.sampled_from([None, "en", "ru", "zh"]))
    assert not validate_spans(doc.text, doc.spans)
    return doc


CONTEXT = EditionContext(transcriber="Ann <Archivist>", editor="Ed & Itor",
                         revisions=[("2024-05-01T09:30:00", "Ed & Itor", "Corrected a typo")],
                         project_title="Property")


def without_record(xml: str) -> str:
    """The export with Emendo's record taken out (as an XML editor might)."""
    root = etree.fromstring(xml.split("\n", 1)[1].encode("utf-8"))
    for x in list(root.iter(TEI + "xenoData")):
        x.getparent().remove(x)
    return etree.tostring(root, encoding="unicode")


def state(doc: Document) -> tuple:
    """Text, spans (kind, offsets, attrs, in order) and fields of a document."""
    spans = sorted((s.kind, s.start if s.start is not None else -1,
                    s.end if s.end is not None else -1, repr(sorted(s.attrs.items())))
                   for s in doc.spans)
    fields = {k: doc.field_value(k) for k in sorted(FIELD_KINDS)}
    return doc.text, spans, fields, doc.date


# (file name, xml, the document) of every example, validated at the end
EXPORTS: list[tuple[str, str, Document]] = []


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_export_reads_back_with_and_without_the_record(doc):
    xml = render(doc, "tei", context=CONTEXT)
    EXPORTS.append((f"e{len(EXPORTS)}.xml", xml, doc))
    back = parse_tei(xml, "e.xml")
    assert (back.title, back.text, back.date, back.meta) == (doc.title, doc.text, doc.date,
                                                             doc.meta)
    assert [s.to_json() for s in back.spans] == [s.to_json() for s in doc.spans]
    # through the body once, the document is what its body says: again, it is the same
    once = parse_tei(without_record(xml), "e.xml")
    assert not validate_spans(once.text, once.spans)
    xml1 = render(once, "tei", context=CONTEXT)
    EXPORTS.append((f"e{len(EXPORTS)}.xml", xml1, once))
    twice = parse_tei(without_record(xml1), "e.xml")
    assert state(twice) == state(once)


def test_every_export_is_valid_tei(tmp_path: Path):
    """Run after the property test (file order): all its exports in one jing run."""
    jing = shutil.which("jing")
    if jing is None:
        missing_tool("jing not found (apt install jing)")
    if not SCHEMA.exists():
        missing_tool("tei_all.rng not found beside the repository (../shared/schemas)")
    if not EXPORTS:
        test_export_reads_back_with_and_without_the_record()
    assert EXPORTS
    paths = []
    for name, xml, _doc in EXPORTS:
        p = tmp_path / name
        p.write_text(xml, encoding="utf-8")
        paths.append(str(p))
    run = subprocess.run([jing, str(SCHEMA), *paths], capture_output=True, text=True,
                         check=False)
    if run.returncode:
        bad = {Path(line.split(":", 1)[0]).name for line in run.stdout.splitlines()}
        docs = "\n".join(f"{n}: {d.text!r} {d.spans!r}" for n, _x, d in EXPORTS if n in bad)
        raise AssertionError(f"{run.stdout[:3000]}\n{docs[:6000]}")
