"""The plain-text importer: titles, dates and bracket conventions outside the archive's pages."""
from __future__ import annotations

from _import_checks import check_document, corpus_file

from emendo.core.importers import import_path, parse_text
from emendo.core.importers.wilson import looks_like_wilson


def _texts(doc, kind):
    return [doc.span_text(s) for s in doc.spans_of(kind)]


def test_025_cyrillic_minutes() -> None:
    d = import_path(corpus_file("025"))
    check_document(d)
    assert d.meta["importer"] == "plaintext"
    assert d.title == "Протокол № 1"
    assert d.date == "1918-09-04"  # the Gregorian date in parentheses wins
    supplied = _texts(d, "supplied")
    assert "[оиерей]" in supplied and "[ода]" in supplied and "[иссаров]" in supplied
    assert d.text == d.source_text  # nothing dropped, nothing changed
    i = d.text.index("прот[оиерей]")
    assert any(s.start == i + 4 for s in d.spans_of("supplied"))


def test_027_chinese_with_reading_site_controls() -> None:
    d = import_path(corpus_file("027"))
    check_document(d)
    assert d.title not in ("关灯", "护眼", "字体:")
    assert d.title == "苏海运部就向越南运送物资事给苏共中央的报告(1966年7月18日)"
    assert d.date == "1966-07-18"
    assert _texts(d, "chrome") == ["关灯", "护眼", "字体:"]
    assert d.field_value("addressee") == "苏共中央"
    assert "SD11468" in [s.attrs["value"] for s in d.spans_of("refno")]
    assert "А.Н.柯西金" in d.text  # Cyrillic initials inside Chinese survive
    assert d.text == d.source_text


def test_plaintext_not_mistaken_for_wilson() -> None:
    for prefix in ("025", "027"):
        assert not looks_like_wilson(corpus_file(prefix).read_text(encoding="utf-8"))
    for prefix in ("000", "003", "006", "008", "017", "020"):
        assert looks_like_wilson(corpus_file(prefix).read_text(encoding="utf-8"))


def test_english_memo_with_ui_lines_and_marks() -> None:
    raw = ("Menu\nSearch\nA+\n\nMemorandum of Conversation between Zhou Enlai and "
           "A. I. Mikoyan\n\n9 July 1962\n\n"
           "Secret\n\nZhou said the F[oreign] M[inistry] had [illegible] doubts about "
           "Comrade Li [?] and the […] matter.\n\n"
           "Distribution: Mao Zedong, Liu Shaoqi, Archive\n\n/-/ Chen Yi\n")
    d = parse_text(raw, "memo.txt")
    check_document(d)
    assert d.title == "Memorandum of Conversation between Zhou Enlai and A. I. Mikoyan"
    assert d.date == "1962-07-09"
    assert _texts(d, "chrome") == ["Menu", "Search", "A+"]
    assert _texts(d, "supplied") == ["[oreign]", "[inistry]"]
    assert _texts(d, "illegible") == ["[illegible]"]
    assert _texts(d, "unclear") == ["Li"]
    assert _texts(d, "omission") == ["[…]"]
    assert d.field_value("classification") == "Secret"
    assert d.field_value("signature") == "Chen Yi"
    dist = d.first("distribution")
    assert [s.attrs["name"] for s in d.children_of(dist)] == ["Mao Zedong", "Liu Shaoqi",
                                                              "Archive"]


def test_title_skips_a_leading_dateline_and_finds_no_date_when_none() -> None:
    d = parse_text("April 1, 1965\n\nCable from X, 'Y'\n\nPriority: Urgent\n\nText.\n")
    check_document(d)
    assert d.title == "Cable from X, 'Y'"
    assert d.date == "1965-04-01"
    assert d.field_value("priority") == "Urgent"
    d2 = parse_text("Just a note\nwith two lines and no date\n")
    assert d2.title == "Just a note" and d2.date is None


def test_short_real_heading_is_not_ui() -> None:
    d = parse_text("No. 5\n\nThe text of the fifth document follows here.\n")
    assert d.title == "No. 5"
    d = parse_text("Протокол № 2\n\n5 (18) января 1918 г.\n\nТекст.\n")
    assert d.title == "Протокол № 2" and d.date == "1918-01-18"


def test_only_ui_like_lines() -> None:
    d = parse_text("关灯\n护眼\n")
    check_document(d)
    assert d.title == "关灯"
