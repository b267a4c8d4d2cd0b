"""Several archive pages concatenated into one file import as one document each."""
from __future__ import annotations

from pathlib import Path

import pytest
from _import_checks import CORPUS, check_document, corpus_file

from emendo.core.importers import import_file, read_raw, split_text
from emendo.core.importers.pages import split_pages


def _corpus(prefix: str) -> str:
    return read_raw(corpus_file(prefix))


@pytest.mark.parametrize("first,second,nl", [("000", "003", "\n"), ("102", "109", "\n"),
                                             ("158", "100", "\n"), ("000", "003", "\r\n")])
def test_two_archive_pages_in_one_file_are_two_documents(tmp_path: Path, first: str,
                                                         second: str, nl: str) -> None:
    a, b = _corpus(first).replace("\n", nl), _corpus(second).replace("\n", nl)
    path = tmp_path / "both.txt"
    path.write_bytes((a.rstrip("\r\n") + nl + nl + b).encode("utf-8"))
    docs = import_file(path)
    assert len(docs) == 2
    alone = [split_text(a, "a.txt")[0], split_text(b, "b.txt")[0]]
    for doc, ref in zip(docs, alone):
        check_document(doc)
        assert doc.title == ref.title and doc.date == ref.date
        assert [(s.kind, doc.span_text(s)) for s in doc.spans] == \
            [(s.kind, ref.span_text(s)) for s in ref.spans]
    # Nothing dropped: the pieces are the file, in order.
    assert "".join(d.source_text for d in docs) == a.rstrip("\r\n") + nl + nl + b
    assert [d.meta.get("page") for d in docs] == [1, 2]


def test_pages_without_chrome_split_at_the_next_page_header() -> None:
    # The archive's page copied without "Skip to content": date, title, funder line.
    a = _corpus("000").split("\n", 2)[2]
    assert a.lstrip().startswith("April 17, 1965")
    b = _corpus("003").split("\n", 2)[2]
    docs = split_text(a + "\n" + b, "x.txt")
    assert [d.date for d in docs] == ["1965-04-17", "1965-05-30"]


def test_three_frus_pages(tmp_path: Path) -> None:
    pages = [read_raw(p) for p in sorted(CORPUS.glob("2??_frus-web-*.txt"))
             if read_raw(p).lstrip().startswith("Office of the Historian")][:2]
    if len(pages) < 2:
        pytest.skip("fewer than two FRUS pages with the site chrome in the corpus")
    text = "\n".join(pages + pages[:1])
    assert len(split_pages(text)) == 3


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.txt")), ids=lambda p: p.name[:3])
def test_every_corpus_page_stays_one_document(path: Path) -> None:
    raw = read_raw(path)
    assert split_pages(raw) == [raw]


def test_a_page_that_quotes_the_chrome_in_its_text_is_not_split() -> None:
    raw = _corpus("000")
    # A line equal to the opener just after it (a doubled chrome line) is not a new page.
    doubled = raw.replace("Skip to content", "Skip to content\n\nSkip to content", 1)
    assert len(split_pages(doubled)) == 1
