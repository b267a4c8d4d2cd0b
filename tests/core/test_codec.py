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
