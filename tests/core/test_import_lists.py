"""Distribution lists as real archives write them: labels, columns, prefixes, counts."""
from __future__ import annotations

import pytest
from _import_checks import check_document

from emendo.core.importers import parse_text
from emendo.core.model import Document

BODY = ("The delegation arrived on Tuesday and was received at the airport by the deputy "
        "minister, who spoke of the coming talks at some length.\n\n")


def _lists(doc: Document) -> list[list[tuple[str, int | None]]]:
    """Each distribution's recipients as (name, count)."""
    return [[(r.attrs["name"], r.attrs.get("count")) for r in doc.children_of(d)]
            for d in doc.spans_of("distribution")]


def _doc(tail: str, head: str = "Memorandum on the visit\n\n") -> Document:
    doc = parse_text(head + BODY + tail, "x.txt")
    check_document(doc)
    return doc


def test_numbered_column_with_blank_lines_gives_serials_not_counts() -> None:
    doc = _doc("Four copies printed.\n\n1 – Cde. Ivanov\n\n2 – Cde. Petrov\n\n"
               "3 – to the Second European Department\n\n4 – file\n\n\n\nA summary line.\n")
    assert _lists(doc) == [[("Cde. Ivanov", None), ("Cde. Petrov", None),
                            ("the Second European Department", None), ("file", None)]]
    copies = doc.first("copies")
    assert copies is not None and copies.attrs["value"] == "Four" and copies.attrs["count"] == 4


def test_leading_numbers_out_of_sequence_are_counts_and_the_list_ends_at_a_new_shape() -> None:
    doc = _doc("Distribution:\nOrig - Addressee\n1 - DDI\n3 - OCR\n1 - Registry\n"
               "Approved For Release 2001/01/01 : CIA-RDP00-00000R000000000000-0\n")
    assert _lists(doc) == [[("Addressee", None), ("DDI", 1), ("OCR", 3), ("Registry", 1)]]


def test_count_after_the_name_and_total_in_the_label() -> None:
    doc = _doc("Distribution (six copies):\n\nCde. Suslov – 2 copies\n\nCde. Ponomarev\n\n"
               "Cde. Andropov (3)\n")
    (dist,) = doc.spans_of("distribution")
    assert dist.attrs["copies"] == 6
    assert _lists(doc) == [[("Cde. Suslov", 2), ("Cde. Ponomarev", None),
                            ("Cde. Andropov", 3)]]


def test_times_prefix_and_copy_serial_prefix() -> None:
    doc = _doc("Copies:\n1x Comrade Axen\n2x Embassy file\n")
    assert _lists(doc) == [[("Comrade Axen", 1), ("Embassy file", 2)]]
    doc = _doc("Distribution:\nCopy 1 – Comrade Krenz\nCopy 2 – Comrade Hager\n")
    assert _lists(doc) == [[("Comrade Krenz", None), ("Comrade Hager", None)]]


def test_dash_list_under_a_heading_without_colon_keeps_commas_inside_names() -> None:
    doc = _doc("DISTRIBUTION\n- CHIEF, EUR DIVISION\n\n- J-3, JCS\n\n- DIRNSA\n")
    assert _lists(doc) == [[("CHIEF, EUR DIVISION", None), ("J-3, JCS", None),
                            ("DIRNSA", None)]]


def test_labels_of_other_phrasings_and_languages() -> None:
    assert _lists(_doc("Received by: Comrade Kardos, Comrade Nagy, Archive\n")) == [
        [("Comrade Kardos", None), ("Comrade Nagy", None), ("Archive", None)]]
    assert _lists(_doc("Kapják:\nKiss Béla elvtárs\nTóth Pál elvtárs\nIrattár\n")) == [
        [("Kiss Béla elvtárs", None), ("Tóth Pál elvtárs", None), ("Irattár", None)]]
    assert _lists(_doc("(FYI: INR - Mr. Hughes)\n")) == [[("INR - Mr. Hughes", None)]]
    assert _lists(_doc("The note was sent to:\nthe Minister\nthe Deputy Minister\n")) == [
        [("the Minister", None), ("the Deputy Minister", None)]]
    assert _lists(_doc("Отп. 3 экз.\n1 – т. Зорину\n2 – т. Орлову\n3 – в дело\n")) == [
        [("т. Зорину", None), ("т. Орлову", None), ("в дело", None)]]


def test_footnote_sentence_is_a_list_but_a_prose_sentence_is_not() -> None:
    doc = _doc("* Copies were sent to Voroshilov, Zhdanov, Kalinin and Andreyev.\n")
    assert _lists(doc) == [[("Voroshilov", None), ("Zhdanov", None), ("Kalinin", None),
                            ("Andreyev", None)]]
    assert _lists(_doc("The report was sent to Moscow and Warsaw on Monday.\n")) == []


def test_unlabelled_list_closed_by_a_count_in_words() -> None:
    doc = _doc("Wang, Sun, Xu, The General Office, Archive Twelve copies printed\n")
    assert _lists(doc) == [[("Wang", None), ("Sun", None), ("Xu", None),
                            ("The General Office", None), ("Archive", None)]]
    copies = doc.first("copies")
    assert copies is not None and copies.attrs["value"] == "Twelve"
    assert copies.attrs["count"] == 12


def test_label_run_into_a_long_ocr_line() -> None:
    raw = ("TELEGRAM SOFIA No. 12 SECRET To: Ministry of Foreign Affairs " + BODY.strip()
           + " Signed: Petar Ivanov Distribution: Comrade Zhivkov, Comrade Todorov, "
           "Comrade Mladenov, Directorate II")
    doc = parse_text(raw, "ocr.txt")
    check_document(doc)
    assert _lists(doc) == [[("Comrade Zhivkov", None), ("Comrade Todorov", None),
                            ("Comrade Mladenov", None), ("Directorate II", None)]]


@pytest.mark.parametrize("tail", [
    "Copies printed: twenty of them were lost in the fire, the rest sent on.\n",
    "Distribution\nThe rest of this paragraph is an ordinary sentence of the report itself.\n",
])
def test_sentences_that_mention_copies_or_distribution_are_not_lists(tail: str) -> None:
    assert _lists(_doc(tail)) == []


def test_us_cable_routed_info_lines_and_a_mission_name() -> None:
    raw = ("P 091603Z NOV 07\nFM AMEMBASSY PRAGUE\nTO RUEHC/SECSTATE WASHDC PRIORITY 5530\n"
           "INFO RUEHZL/EUROPEAN POLITICAL COLLECTIVE PRIORITY\nRUEHTA/AMEMBASSY RIGA 0920\n"
           "C O N F I D E N T I A L PRAGUE 006417\n\nSUBJECT: ELECTIONS\n\n1. Text.\n\nSMITH\n")
    doc = parse_text(raw, "c.txt")
    check_document(doc)
    assert _lists(doc) == [[("EUROPEAN POLITICAL COLLECTIVE", None), ("AMEMBASSY RIGA", None)]]
    raw = ("O 091603Z NOV 77\nFM AMEMBASSY MOSCOW\nTO SECSTATE WASHDC IMMEDIATE 4521\n"
           "INFO USMISSION USNATO\nAMEMBASSY BONN\nC O N F I D E N T I A L MOSCOW 16417\n\n"
           "SUBJECT: TRIAL\n\n1. Text.\n\nTOON\n")
    assert _lists(parse_text(raw, "c.txt")) == [[("USMISSION USNATO", None),
                                                  ("AMEMBASSY BONN", None)]]


def test_frus_source_note_posts_sent_repeated_and_passed_to() -> None:
    raw = ("Foreign Relations of the United States, 1961–1963, Volume XIV, Berlin Crisis\n"
           "120. Telegram From the Department of State to the Embassy in Germany1\n"
           "Washington, August 19, 1961, 4 p.m.\n\n410. Text of the telegram.\n\nRusk\n\n"
           "1. Source: Department of State, Central Files, 762.00/8–1961. Secret; Niact. "
           "Also sent to London and Paris and repeated to Moscow and USNATO. Received at "
           "6:12 a.m. and passed to the White House, DOD, and CIA.\n")
    doc = parse_text(raw, "f.txt")
    check_document(doc)
    assert _lists(doc) == [[("London", None), ("Paris", None), ("Moscow", None),
                            ("USNATO", None)],
                           [("White House", None), ("DOD", None), ("CIA", None)]]


def test_numbered_list_with_a_blank_line_inside_and_counts_in_egz() -> None:
    doc = _doc("Verteiler:\n1. Expl. Gen. Mittig\n2. Expl. Gen. Kienberg\n\n3. Expl. Archiv\n")
    assert _lists(doc) == [[("Gen. Mittig", None), ("Gen. Kienberg", None), ("Archiv", None)]]
    doc = _doc("Otrzymują:\n1. tow. Nowak – 2 egz.\n2. tow. Kowal\n")
    assert _lists(doc) == [[("tow. Nowak", 2), ("tow. Kowal", None)]]


def test_cia_field_dissemination_label() -> None:
    assert _lists(_doc("FIELD DISSEM: CINCPAC, PACAF, ARPAC\n")) == [
        [("CINCPAC", None), ("PACAF", None), ("ARPAC", None)]]

