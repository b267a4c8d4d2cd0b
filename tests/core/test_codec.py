"""How a document's source file and spans are stored and read back."""
from __future__ import annotations

import sqlite3
import zlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from emendo.core.codec import compress, decode_source, encode_source
from emendo.core.errors import DamagedProjectError
from emendo.core.importers import parse_text
from emendo.core.project import Project

PAGE = ("Skip to content\n\nApril 17, 1965\n\nCable from Moscow\n\nOriginal Uploaded Date\n\n"
        "Record ID\n\nTo the Foreign Ministry:\nIzvestia reported.\n")


def test_a_page_is_stored_as_its_lines_beyond_the_transcription():
    doc = parse_text(PAGE, "page.txt")
    stored = encode_source(PAGE, doc.text)
    assert stored[:1] == b"L" and len(stored) < len(zlib.compress(PAGE.encode()))
    assert b"Skip to content" in stored and b"Izvestia" not in stored
    assert decode_source(stored, doc.text) == PAGE


@pytest.mark.parametrize("source", [
    "Line one\r\nLine two\r\n",            # CRLF: the text has LF
    "\ufeffWith a byte-order mark\n",
    "<TEI><text>Not line by line</text></TEI>",
])
def test_other_sources_are_compressed_whole(source):
    stored = encode_source(source, "Line one\nLine two\n")
    assert stored == compress(source)
    assert decode_source(stored, "anything") == source


def test_lines_out_of_order_fall_back_to_zlib():
    assert encode_source("b\na\n", "a\nb\n") == compress("b\na\n")


def test_older_forms_still_read():
    assert decode_source(compress("old"), "x") == "old"
    assert decode_source("plain string", "x") == "plain string"
    assert decode_source(None, "x") == ""


def test_source_against_another_transcription_is_damage_not_garbage():
    stored = encode_source(PAGE, parse_text(PAGE, "p.txt").text)
    with pytest.raises(DamagedProjectError):
        decode_source(stored, "To the Foreign Ministry:\nPravda reported.\n")
    with pytest.raises(DamagedProjectError):
        decode_source(b"x\x9c garbage", "")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["", "Skip to content", "Record ID", "a", "b", "Текст",
                                 "中文", " x "]), max_size=12),
       st.lists(st.booleans(), max_size=12))
def test_any_source_round_trips(lines, keep):
    source = "\n".join(lines)
    baseline = "\n".join(ln for ln, k in zip(lines, keep + [True] * len(lines)) if k)
    assert decode_source(encode_source(source, baseline), baseline) == source


def test_check_reports_a_source_stored_against_another_text(tmp_path):
    path = tmp_path / "p.emendo"
    with Project.open(path) as p:
        p.import_documents([parse_text(PAGE, "page.txt")])
    conn = sqlite3.connect(path)
    conn.execute("UPDATE documents SET text = replace(text, 'Izvestia', 'Pravda')")
    conn.commit()
    conn.close()
    with Project.open(path, readonly=True) as p:
        problems = p.check()
        assert any("source file" in problem for problem in problems)
        with pytest.raises(DamagedProjectError):
            p.document(1)
        assert "Pravda" in p.document(1, source=False).text


def test_redone_fix_keeps_the_transcription_as_first_imported(tmp_path):
    with Project.open(tmp_path / "p.emendo") as p:
        p.import_documents([parse_text(PAGE, "page.txt")])
        baseline = p.document(1).baseline_text
        at = baseline.index("Izvestia")
        p.edit_text(1, at, 8, "Pravda")
        p.undo()
        assert p.document(1).imported_text is None
        p.redo()
        doc = p.document(1)
        assert doc.baseline_text == baseline and "Pravda" in doc.text
        assert doc.source_text == PAGE and p.check() == []


def test_stored_spans_read_back_every_span():
    from emendo.core.codec import StoredSpans, decode_spans, encode_spans
    from emendo.core.importers import import_path

    doc = import_path(sorted((Path(__file__).parent.parent / "data" / "corpus")
                             .glob("000_*.txt"))[0])
    doc.assign_ids()
    data = encode_spans(doc.text, doc.spans)
    stored = StoredSpans(doc.text, data)
    assert len(stored) == len(doc.spans)
    every = stored.all()
    assert every is stored.all()  # built once
    assert [s.to_json() for s in every] == [s.to_json() for s in doc.spans]
    # Names stored as "the covered text" come back as the names.
    assert any(s.kind == "recipient" and s.attrs["name"] == "Peng Zhen" for s in every)
    assert [s.to_json() for s in decode_spans(doc.text, data)] == \
        [s.to_json() for s in doc.spans]


def test_overlapping_keys_are_the_spans_in_text_order():
    from emendo.core.codec import StoredSpans, encode_spans
    from emendo.core.importers import import_path
    from emendo.core.model import span_sort_key

    doc = import_path(sorted((Path(__file__).parent.parent / "data" / "corpus")
                             .glob("000_*.txt"))[0])
    doc.assign_ids()
    stored = StoredSpans(doc.text, encode_spans(doc.text, doc.spans))
    for lo, hi in ((0, 400), (3000, 3400), (0, len(doc.text))):
        want = sorted((s for s in doc.spans if s.anchored and s.start < hi and s.end > lo),
                      key=span_sort_key)
        assert stored.overlapping_keys(lo, hi) == [(s.start, -s.end, s.id, s.kind)
                                                  for s in want]


# Attribute values that look like the columns' own keys, to tempt the lazy attrs split.
TRICKY = st.sampled_from(['', ',"a":[', '{"k":', '"i":[1]', '"u":', '}', ']', 'Peng Zhen',
                          '\\",\\"a\\":[', '中文', 'x'])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 8),
                          st.dictionaries(st.sampled_from(["note", "a", "i", "u", "name", "k"]),
                                          TRICKY, max_size=3)),
                max_size=12),
       st.booleans())
def test_stored_spans_read_their_attrs_only_when_built(rows, shuffle_ids):
    from emendo.core.codec import StoredSpans, encode_spans
    from emendo.core.model import Span

    text = "Izvestia reported the Kosygin talks. " * 2
    spans = [Span("note" if i % 2 else "person", a, min(a + n, len(text)), dict(attrs), i + 1)
             for i, (a, n, attrs) in enumerate(rows)]
    if shuffle_ids:
        for s in spans:
            s.id = 100 - s.id
    data = encode_spans(text, spans)
    stored = StoredSpans(text, data)
    for lo, hi in ((0, len(text)), (10, 30)):
        want = sorted((s.start, -s.end, s.id, s.kind) for s in spans
                      if s.start < hi and s.end > lo)
        assert stored.overlapping_keys(lo, hi) == want
    assert [s.to_json() for s in stored.all()] == [s.to_json() for s in spans]
    eager = StoredSpans(text, data, lazy=False)  # how a whole document is read
    assert [s.to_json() for s in eager.all()] == [s.to_json() for s in spans]


def test_the_attrs_are_parsed_after_the_first_paint_and_damage_there_is_named():
    from emendo.core.codec import StoredSpans, encode_spans
    from emendo.core.model import Span

    text = "Izvestia reported the Kosygin talks."
    spans = [Span("unclear", 0, 8, {"reason": "faded"}, 1), Span("person", 22, 29, {}, 2)]
    data = encode_spans(text, spans)
    stored = StoredSpans(text, data)
    assert stored._attrs is not None  # the first paint reads the columns alone
    assert stored.overlapping_keys(0, 10) == [(0, -8, 1, "unclear")]
    assert stored.all()[0].attrs == {"reason": "faded"} and stored._attrs is None
    # A damaged attrs section: the columns still read; building the spans names the damage.
    broken = StoredSpans(text, data.replace('"faded"', '"faded'))
    assert broken.overlapping_keys(0, 10) == [(0, -8, 1, "unclear")]
    with pytest.raises(DamagedProjectError, match="marks cannot be read"):
        broken.all()
    # Damage before the attrs is found at once, as before.
    with pytest.raises(ValueError):
        StoredSpans(text, data.replace('"s":[', '"s":[[', 1))


@pytest.mark.parametrize("spans", [
    '{"k":["org"],"t":[0],"s":[0],"l":[8],"a":[{"note":}]}',  # in the attrs, read last
    '{"k":["org"],"t":[0],"s":[0,"l":[8]}',                    # in the columns
])
def test_a_document_with_damaged_marks_is_named_damaged(tmp_path, spans):
    from emendo.core.model import Document, Span

    path = tmp_path / "p.emendo"
    with Project.open(path) as p:
        p.import_documents([Document(title="A", text="Izvestia said",
                                     spans=[Span("org", 0, 8, {"note": "x"})])])
    conn = sqlite3.connect(path)
    conn.execute("UPDATE documents SET spans = ?", (spans,))
    conn.commit()
    conn.close()
    with Project.open(path, readonly=True) as p:
        with pytest.raises(DamagedProjectError, match="cannot be read"):
            p.document(1)
        with pytest.raises(DamagedProjectError, match="cannot be read"):
            p.document_parts(1)[1].all()
        assert any("document 1" in problem for problem in p.check())
