"""The Wilson Center page importer on the corpus and on unseen, hand-made variants."""
from __future__ import annotations

from pathlib import Path

import pytest
from _import_checks import CORPUS, check_document, corpus_file

from emendo.core.importers import import_path, parse_text, read_raw
from emendo.core.model import Document


def _one(doc: Document, kind: str):
    spans = doc.spans_of(kind)
    assert spans, f"no {kind} span"
    return spans[0]


def _texts(doc: Document, kind: str) -> list[str]:
    return [doc.span_text(s) for s in doc.spans_of(kind)]


def _recipients(doc: Document, dist) -> list[str]:
    return [s.attrs["name"] for s in doc.children_of(dist)]


@pytest.fixture(scope="module")
def doc000() -> Document:
    return import_path(corpus_file("000"))


def test_000_header_fields(doc000: Document) -> None:
    d = doc000
    assert d.title == ("Cable from the Chinese Embassy in the Soviet Union, 'Signs of the "
                       "Soviet Union’s False Anti-Imperialism and False Support for Vietnam'")
    assert d.date == "1965-04-17"
    assert d.field_value("title") == d.title
    assert d.field_value("date") == "1965-04-17"
    assert d.field_value("priority") == "Urgent"
    assert d.field_value("doctype") == "Ministry of Foreign Affairs Telegram"
    assert d.field_value("origin") == "Moscow Station"
    assert d.field_value("refno") == "Foreign Ministry (65) No. Mao-1014"
    assert d.field_value("addressee") == "the Foreign Ministry"
    assert d.field_value("citation") == "PRC FMA 109-03654-02, 20-22"
    assert d.field_value("translator") == "David Cowhig"
    assert d.field_value("funder") == "Henry Luce Foundation"
    assert "reviews the local press" in d.span_text(_one(d, "summary"))
    assert "welcomes reuse" in d.span_text(_one(d, "rights"))


def test_000_stamp_and_handwriting(doc000: Document) -> None:
    stamps = doc000.spans_of("stamp")
    assert len(stamps) == 1
    st = stamps[0].attrs
    assert st["text"] == "Foreign Ministry Soviet and East Europe Department"
    assert st["number"] == "Soviet Union #1631"
    assert st["date"] == "1965-06-21"
    assert st["type"] == "stamp"
    assert "[Stamp]" in _texts(doc000, "token")
    hw = doc000.spans_of("handwritten")
    assert [h.attrs["value"] for h in hw] == ["487"]
    assert doc000.span_text(hw[0]) == "[handwritten 487]"


def test_000_marks(doc000: Document) -> None:
    assert _texts(doc000, "illegible") == ["[illegible]"] * 3
    ul = _one(doc000, "underline")
    assert doc000.span_text(ul) == "April 16th"
    assert ul.attrs["by_hand"] is True
    assert "[date underlined by hand]" in _texts(doc000, "token")
    assert "[Chinese]" in _texts(doc000, "supplied")
    closer = _one(doc000, "closer")
    assert doc000.span_text(closer) == "[Chinese] Embassy Moscow\n\nApril 17, 1965"


def test_000_both_distribution_lists(doc000: Document) -> None:
    lists = doc000.spans_of("distribution")
    assert len(lists) == 2
    first, second = lists
    assert first.attrs["label"] == "Distribution"
    assert _recipients(doc000, first) == [
        "Members of the Standing Committee of the Politburo", "Peng Zhen", "Chen Yi",
        "He Long", "Kang Sheng", "Luo Ruiqing", "Central General Office Confidential Department",
        "Foreign Affairs Office", "Central Propaganda Office", "Central Liaison Department",
        "Central Investigation Department", "Ministry of National Defense",
        "Military Intelligence Office", "Wu Lengxi", "Zhu Muzhi"]
    assert second.attrs["label"] is None
    assert second.attrs["copies"] == 67
    assert _recipients(doc000, second) == [
        "Liu", "Zhang", "Luo", "[illegible]", "[illegible]", "[illegible]", "Gong", "Dong",
        "The General Office", "Division of Soviet and European Affairs", "Second Asian Division",
        "Press", "Ambassador", "Confidential Office", "Archive"]
    illegible = [s for s in doc000.children_of(second) if s.attrs.get("illegible")]
    assert len(illegible) == 3
    copies = _one(doc000, "copies")
    assert doc000.span_text(copies) == "67 copies printed"
    assert copies.attrs["value"] == "67"


def test_000_text_without_chrome_and_source_exact(doc000: Document) -> None:
    path = corpus_file("000")
    assert doc000.source_text == path.read_bytes().decode("utf-8")
    assert "Skip to content" not in doc000.text
    assert "Original Uploaded Date" not in doc000.text
    assert "Record ID" not in doc000.text
    assert doc000.text.startswith("April 17, 1965")
    assert doc000.text.rstrip().endswith("Henry Luce Foundation")
    # Nothing else is dropped: every non-chrome line of the file is still in the text.
    for line in doc000.source_text.split("\n"):
        if line.strip() and line.strip() not in ("Skip to content", "Original Uploaded Date",
                                                 "Record ID"):
            assert line in doc000.text


def test_003_three_stamp_kinds() -> None:
    d = import_path(corpus_file("003"))
    kinds = [s.attrs["type"] for s in d.spans_of("stamp")]
    assert kinds == ["date", "stamp", "stamped"]
    date_stamp, stamp, stamped = d.spans_of("stamp")
    assert date_stamp.attrs["date"] == "1965-02-06"
    assert stamp.attrs["number"] == "Soviet Union #2188"
    assert stamped.attrs["text"] == "Request Soviet and European Department study"
    assert "[Date stamp]:" in _texts(d, "token")
    assert d.field_value("priority") == "Normal"
    assert d.date == "1965-05-30"


def test_006_class_priority_and_supplied() -> None:
    d = import_path(corpus_file("006"))
    assert d.field_value("priority") == "Very Urgent"
    assert _one(d, "priority").attrs["label"] == "Class"
    stamp = _one(d, "stamp")
    assert stamp.attrs["text"] == "[illegible]"
    assert d.span_text(stamp).startswith("[Stamp] [illegible]")
    assert "[illegible]" in _texts(d, "illegible")
    assert "[Aleksei]" in _texts(d, "supplied")
    # An excerpt cut mid-sentence keeps its last words.
    assert d.text.rstrip().endswith("that it supported the National")


def test_008_supplied_closer_citation() -> None:
    d = import_path(corpus_file("008"))
    supplied = _texts(d, "supplied")
    for token in ("[To the]", "[Ili]", "[our]", "[We]", "[of Foreign Affairs]"):
        assert token in supplied
    assert d.field_value("addressee") == "Xinjiang Foreign Affairs Office"
    assert d.span_text(_one(d, "closer")) == "Ministry of Foreign Affairs\n\n9 July 1962"
    assert d.field_value("citation") == "PRC FMA 118-01082-04, 60"
    assert d.field_value("translator") == "Charles Kraus"
    funders = [s.attrs["value"] for s in d.spans_of("funder")]
    assert funders == ["MacArthur Foundation", "MacArthur Foundation and Henry Luce Foundation"]
    assert d.spans_of("funder")[1].attrs["names"] == ["MacArthur Foundation",
                                                      "Henry Luce Foundation"]


def test_017_polish_form_fields() -> None:
    d = import_path(corpus_file("017"))
    assert d.field_value("classification") == "Secret"
    assert d.field_value("origin") == "Saigon"
    assert _one(d, "origin").attrs["dispatched"] == "9.4. at 10:00 hours"
    assert d.field_value("refno") == "No. 11464"  # the number without its type word
    assert d.field_value("doctype") == "Ciphergram"
    dist = _one(d, "distribution")
    assert dist.attrs["label"] == "FYI"
    assert _recipients(d, dist) == ["Siedlecki", "Trojanowski", "Thee"]
    assert d.field_value("signature") == "Maneli"
    assert d.date == "1963-09-04"
    assert "Author(s):" not in d.text  # empty site labels are chrome


def test_020_copies_list_and_signature() -> None:
    d = import_path(corpus_file("020"))
    dist = _one(d, "distribution")
    assert dist.attrs["label"] == "Copies"
    kids = d.children_of(dist)
    assert kids[0].attrs["name"] == "Stalin" and kids[0].attrs["count"] == 2
    assert [k.attrs["name"] for k in kids[1:4]] == ["Molotov", "Malenkov", "Beria"]
    assert d.field_value("signature") == "ROSHCHIN"
    assert d.field_value("origin") == "BEIJING"
    assert "No. 1309" in [s.attrs["value"] for s in d.spans_of("refno")]
    assert "Special No. 62" in [s.attrs["value"] for s in d.spans_of("refno")]
    assert d.field_value("citation").startswith("APRF, Fond 45, Opis 1, Delo 336")
    assert d.field_value("translator") is None


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.txt")), ids=lambda p: p.name[:3])
def test_every_corpus_file_is_sound(path: Path) -> None:
    doc = import_path(path)
    check_document(doc)
    assert doc.source_text == path.read_bytes().decode("utf-8")
    assert doc.title


@pytest.mark.parametrize("cut", range(40, 4629, 97))
def test_excerpts_cut_anywhere_import_sanely(cut: int) -> None:
    raw = read_raw(corpus_file("000"))[:cut]
    check_document(parse_text(raw, "cut.txt"))


# --- unseen variants ------------------------------------------------------------------

RIGHTS = ("The History and Public Policy Program welcomes reuse of Digital Archive materials "
          "for research and educational purposes. Some documents may be subject to copyright, "
          "which is retained by the rights holders in accordance with US and international "
          "copyright laws.")

VARIANT_A = f"""Skip to content

March 3, 1966

Cable from the Chinese Embassy in North Korea, 'On the Korean Workers’ Party Conference'

This document was made possible with support from ROK Ministry of Unification

[Stamp] Foreign Ministry First Asian Affairs Department

Korea #0452

March 9, 1966


[handwritten: 12]

Ministry of Foreign Affairs Telegram

Level: Extra Urgent
From Pyongyang Station
Foreign Ministry (66) No. Chao-233

On the Korean Workers’ Party Conference

To the Foreign Ministry:

1. The conference of the K[orean] W[orkers’] P[arty] opened on 2 March [...]. Kim Il Sung [?] spoke for two hours; Rodong Sinmun on March 2nd [date underlined by hand] printed the speech in full and everyone has read the editorial about it.

2. The [illegible] delegation did not attend.

[Chinese] Embassy Pyongyang

March 3, 1966

Produced in 40 copies for: Chairman Mao, Liu Shaoqi; Zhou Enlai, [illegible], Deng Xiaoping, Archive

The embassy reports on the conference of the Korean Workers' Party.

Document Information

PRC FMA 106-01479-05, 1-3. Translated by Jane Q. Doe for the Wilson Center.

{RIGHTS}

Original Uploaded Date

Record ID

ROK Ministry of Unification
"""


def test_variant_a_with_crlf() -> None:
    raw = VARIANT_A.replace("\n", "\r\n")
    d = parse_text(raw, "variant-a.txt")
    check_document(d)
    assert d.source_text == raw
    assert "\r" not in d.text
    assert d.title.startswith("Cable from the Chinese Embassy in North Korea")
    assert d.date == "1966-03-03"
    pri = _one(d, "priority")
    assert pri.attrs["value"] == "Extra Urgent" and pri.attrs["label"] == "Level"
    stamp = _one(d, "stamp")
    assert stamp.attrs["number"] == "Korea #0452" and stamp.attrs["date"] == "1966-03-09"
    assert [h.attrs["value"] for h in d.spans_of("handwritten")] == ["12"]
    assert d.field_value("origin") == "Pyongyang Station"
    assert d.field_value("refno") == "Foreign Ministry (66) No. Chao-233"
    assert "[orean]" in _texts(d, "supplied")
    assert _texts(d, "omission") == ["[...]"]
    assert _texts(d, "unclear") == ["Sung"]
    assert _texts(d, "underline") == ["March 2nd"]
    dist = _one(d, "distribution")
    assert dist.attrs["label"].startswith("Produced in 40 copies")
    assert dist.attrs["copies"] == 40
    assert _recipients(d, dist) == ["Chairman Mao", "Liu Shaoqi", "Zhou Enlai", "[illegible]",
                                    "Deng Xiaoping", "Archive"]
    assert _one(d, "copies").attrs["value"] == "40"
    assert d.field_value("citation") == "PRC FMA 106-01479-05, 1-3"
    assert d.field_value("translator") == "Jane Q. Doe"
    assert d.span_text(_one(d, "closer")).endswith("March 3, 1966")
    assert "Skip to content" not in d.text and "Record ID" not in d.text
    assert d.spans_of("funder")[-1].attrs["value"] == "ROK Ministry of Unification"


VARIANT_KOREAN = """July 2, 1968

Telegram from the North Korean Embassy in Moscow, '소련 정세에 관하여'

This document was made possible with support from Korea Foundation

[Stamp] 외무성 [illegible]

No. 2211

1968년 7월 5일

Priority: Very Urgent

평양 외무성 앞:

1. 소련 측은 [illegible] 문제에 대하여 아무런 입장도 밝히지 않았다. 이는 매우 중요한 사실이며 우리는 이 문제를 계속 주시하여야 할 것이다.

배부: 김일성, 최용건; 박성철, [illegible]
"""


def test_variant_korean_no_document_information() -> None:
    d = parse_text(VARIANT_KOREAN, "kr.txt")
    check_document(d)
    assert d.date == "1968-07-02"
    assert d.field_value("priority") == "Very Urgent"
    stamp = _one(d, "stamp")
    assert stamp.attrs["number"] == "No. 2211" and stamp.attrs["date"] == "1968-07-05"
    assert d.field_value("addressee") == "평양 외무성 앞"
    dist = _one(d, "distribution")
    assert _recipients(d, dist) == ["김일성", "최용건", "박성철", "[illegible]"]
    assert len(d.spans_of("illegible")) == 3
    assert not d.spans_of("citation")


VARIANT_CYRILLIC = """Skip to content

January 5, 1950

Ciphered telegram, Roshchin to Filippov

Копии: Сталину (2), Молотову, Берия, Маленкову.

Из ПЕКИНА № 77 14 часов 20 минут

Совершенно секретно

Ваш № 12 исполнен. Чжоу Эньлай просил передать благодарность тов. Филиппову за совет [неразборчиво] и консультацию, а также сообщил о дальнейших шагах.

5.1.50 РОЩИН

Document Information

АПРФ, Ф. 45, Оп. 1, Д. 334, Л. 12. Translated by Sergey Radchenko.
"""


def test_variant_cyrillic_copies_list() -> None:
    d = parse_text(VARIANT_CYRILLIC, "ru.txt")
    check_document(d)
    dist = _one(d, "distribution")
    kids = d.children_of(dist)
    assert [k.attrs["name"] for k in kids] == ["Сталину", "Молотову", "Берия", "Маленкову"]
    assert kids[0].attrs["count"] == 2
    assert d.field_value("origin") == "ПЕКИНА"
    assert d.field_value("classification") == "Совершенно секретно"
    assert d.field_value("signature") == "РОЩИН"
    assert d.field_value("citation") == "АПРФ, Ф. 45, Оп. 1, Д. 334, Л. 12"
    assert d.field_value("translator") == "Sergey Radchenko"


def test_variant_variations_of_marks() -> None:
    raw = ("Skip to content\n\nMay 1, 1961\n\nCable, 'Test'\n\n"
           "[Received stamp]: May 3, 1961\n\n[Handwritten note: see Comrade Chen] "
           "[handwritten 3-17]\n\nPriority: URGENT\n\nTo the Central Committee:\n\n"
           "The F[oreign] M[inistry] said [ … ] that [that?] was all [illegible word].\n\n"
           "Distribution:\nChairman, Premier, Archive\n\n"
           "Printed: 15 copies\n")
    d = parse_text(raw)
    check_document(d)
    stamp = _one(d, "stamp")
    assert stamp.attrs["type"] == "stamp" and stamp.attrs["qualifier"] == "received"
    assert stamp.attrs["date"] == "1961-05-03"
    assert [h.attrs["value"] for h in d.spans_of("handwritten")] == ["see Comrade Chen", "3-17"]
    assert d.field_value("priority") == "Urgent"
    assert d.field_value("addressee") == "the Central Committee"
    assert _texts(d, "supplied") == ["[oreign]", "[inistry]"]
    assert _texts(d, "omission") == ["[ … ]"]
    assert _one(d, "unclear").attrs["value"] == "that"
    assert _texts(d, "illegible") == ["[illegible word]"]
    dist = _one(d, "distribution")
    assert _recipients(d, dist) == ["Chairman", "Premier", "Archive"]


def test_registry_numbers_of_every_shape_are_read() -> None:
    # Parsing speed is measured in bench/bench_core.py; here, that any number is read.
    raw = read_raw(corpus_file("000"))
    for k in (0, 7, 42, 1631, 99999):
        doc = parse_text(raw.replace("#1631", f"#{k}"))
        assert doc.spans_of("stamp")[0].attrs["number"] == f"Soviet Union #{k}"


VARIANT_NEW_SITE = f"""Skip to content

October 2, 1959

Record of Conversation between N. S. Khrushchev and Mao Zedong

This document was made possible with support from Blavatnik Family Foundation

Secret

Present:

Mao Zedong said that the Soviet comrades had given great help in the past decade and that the Chinese side was grateful for it.[1] Khrushchev replied that [illegible] the help was mutual.

Printed in 30 copies

[1] Mao refers to the 1950 treaty.

A record of the conversation in Beijing.

Document Information

Source

APRF, Fond 52, Opis 1, Delo 499, Listy 1-33. Translated by Vladislav Zubok.

Original Archive

Archive of the President of the Russian Federation (APRF)

Rights

{RIGHTS}

Original Uploaded Date

2011-11-15

Type

Memorandum of Conversation

Language

Russian

Record ID

112088

Donors

Blavatnik Family Foundation
"""


def test_variant_new_site_layout() -> None:
    d = parse_text(VARIANT_NEW_SITE, "new.txt")
    check_document(d)
    assert d.title == "Record of Conversation between N. S. Khrushchev and Mao Zedong"
    assert d.date == "1959-10-02"
    assert d.field_value("classification") == "Secret"
    assert d.field_value("addressee") is None  # "Present:" introduces no addressee
    assert d.field_value("citation") == "APRF, Fond 52, Opis 1, Delo 499, Listy 1-33"
    assert d.field_value("translator") == "Vladislav Zubok"
    assert d.meta["labels"]["record id"] == "112088"
    assert d.meta["labels"]["original archive"].startswith("Archive of the President")
    assert "Record ID" in d.text  # a label with a value is not chrome
    assert [s.attrs["value"] for s in d.spans_of("funder")][-1] == "Blavatnik Family Foundation"
    assert [d.span_text(s) for s in d.spans_of("noteref")] == ["[1]", "[1]"]
    note = d.first("note")
    assert note is not None and d.span_text(note) == "Mao refers to the 1950 treaty."
    copies = d.first("copies")  # "Printed in 30 copies" under the text
    assert copies is not None and copies.attrs["value"] == "30"
    assert d.span_text(copies) == "Printed in 30 copies"


def test_variant_year_only_stamp_without_number_and_to_label() -> None:
    raw = ("Skip to content\n\nc. 1965\n\nTelegram from the Chinese Embassy in Hanoi\n\n"
           "[Stamp] Foreign Ministry General Office\n\nMinistry of Foreign Affairs Telegram\n\n"
           "Priority: Extra Urgent\n\nTo: Comrade Chen Yi\n\n"
           "The Vietnamese comrades asked us to convey their views on the recent talks, which "
           "we report below in full.\n\nEmbassy in Hanoi\n\n5 May 1965\n")
    d = parse_text(raw, "hanoi.txt")
    check_document(d)
    assert d.date == "1965"
    assert d.title == "Telegram from the Chinese Embassy in Hanoi"
    stamp = d.first("stamp")
    assert stamp.attrs["text"] == "Foreign Ministry General Office"
    assert "number" not in stamp.attrs and "date" not in stamp.attrs
    assert d.field_value("doctype") == "Ministry of Foreign Affairs Telegram"
    assert d.field_value("priority") == "Extra Urgent"
    assert d.field_value("addressee") == "Comrade Chen Yi"
    assert d.span_text(d.first("closer")) == "Embassy in Hanoi\n\n5 May 1965"


def test_import_path_sends_xml_to_the_tei_importer(tmp_path: Path, monkeypatch) -> None:
    import emendo.core.importers.tei as tei

    seen = {}

    def fake_parse_tei_documents(raw: str, name: str = "", progress=None) -> list[Document]:
        seen["args"] = (raw, name)
        return [Document(title="tei", text=raw)]

    # The dispatch reads every document of the file (a TEI volume holds many).
    monkeypatch.setattr(tei, "parse_tei_documents", fake_parse_tei_documents)
    p = tmp_path / "doc.XML"
    p.write_text("<TEI/>", encoding="utf-8")
    assert import_path(p).title == "tei"
    assert seen["args"] == ("<TEI/>", "doc.XML")


def test_unclear_word_in_quotation_marks_is_the_word() -> None:
    doc = parse_text("To the Foreign Ministry:\n\nThey said they \"regret\" [?] the incident.\n")
    unclear = doc.spans_of("unclear")
    assert [doc.span_text(u) for u in unclear] == ["regret"]


@pytest.mark.parametrize("line,citation,translator", [
    ("AAN, KC PZPR, XIA/99, k. 12-19. Obtained and translated for CWIHP by Malgorzata "
     "Gnoinska.", "AAN, KC PZPR, XIA/99, k. 12-19", "Malgorzata Gnoinska"),
    ("AVPRF, f. 0100, op. 46, d. 12. Translated from the Russian by Sergey Radchenko.",
     "AVPRF, f. 0100, op. 46, d. 12", "Sergey Radchenko"),
    ("PRC FMA 109-03654-02, 20-22. Translated by David Cowhig.",
     "PRC FMA 109-03654-02, 20-22", "David Cowhig"),
])
def test_translator_phrasings(line: str, citation: str, translator: str) -> None:
    raw = ("Skip to content\n\nMay 1, 1960\n\nRecord of a Conversation\n\nText of it.\n\n"
           f"Document Information\n\n{line}\n")
    doc = parse_text(raw)
    assert doc.field_value("citation") == citation
    assert doc.field_value("translator") == translator


def test_distribution_as_a_column_of_names() -> None:
    raw = ("Skip to content\n\nJune 1, 1960\n\nCable from the Chinese Embassy in Hanoi, "
           "'Report'\n\nTo the Foreign Ministry:\n\nSome text of the cable.\n\n"
           "[Chinese] Embassy Hanoi\n\nDistribution:\nMao Zedong\nLiu Shaoqi\nZhou Enlai\n"
           "Archive\n\nThe embassy reports.\n")
    doc = parse_text(raw)
    (dist,) = doc.spans_of("distribution")
    assert [doc.span_text(r) for r in doc.children_of(dist)] == [
        "Mao Zedong", "Liu Shaoqi", "Zhou Enlai", "Archive"]
    assert doc.span_text(dist).startswith("Distribution:") and \
        doc.span_text(dist).endswith("Archive")
