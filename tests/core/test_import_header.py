"""Fields of the head zone read for every layout: the document type."""
from __future__ import annotations

import pytest
from _import_checks import check_document

from emendo.core.importers import parse_text

BODY = ("\n\nThe delegation arrived on Tuesday and was received at the airport by the deputy "
        "minister, who spoke of the coming talks at some length.\n")


@pytest.mark.parametrize("head,doctype", [
    ("Secret\n\nCIPHERED TELEGRAM No. 40211\n\nFrom SOFIA", "CIPHERED TELEGRAM"),
    ("Streng vertraulich!\n\nV e r m e r k\n\nüber ein Gespräch", "V e r m e r k"),
    ("MEMORANDUM FOR: Chief, Registry Branch\nSUBJECT: Old files", "MEMORANDUM"),
    ("(Working notes)\n\nPresent: all members", "Working notes"),
    ("INCOMING TELEGRAM Department of State\n\nFROM: Bonn", "INCOMING TELEGRAM"),
    ("Top Secret\n\nRecord of Conversation between the Ambassador and the Premier",
     "Record of Conversation"),
])
def test_heading_names_the_document_type(head: str, doctype: str) -> None:
    doc = parse_text("Some cable\n\n" + head + BODY, "x.txt")
    check_document(doc)
    assert doc.field_value("doctype") == doctype


def test_a_label_value_is_not_a_heading() -> None:
    doc = parse_text("Some page\n\nDocument Type:\nMEMO\n\nTelegram sent on Monday" + BODY)
    assert doc.field_value("doctype") is None


def test_own_first_line_names_the_type_but_an_archive_page_title_does_not() -> None:
    doc = parse_text("Letter from the Minister to the Ambassador, 3 May 1962" + BODY)
    assert doc.field_value("doctype") == "Letter"
    page = ("Skip to content\n\nMay 3, 1962\n\nReport from the Embassy in Tirana\n\n"
            "This document was made possible with support from Leon Levy Foundation\n\n"
            "Strictly secret" + BODY + "\nDocument Information\n\nAQSH, F. 14. Translated by X.\n")
    doc = parse_text(page)
    check_document(doc)
    assert doc.title == "Report from the Embassy in Tirana"
    assert doc.field_value("doctype") is None


TEXT = ("The delegation arrived on Tuesday and was received at the airport by the deputy "
        "minister, who spoke of the coming talks at some length.\n\n")


@pytest.mark.parametrize("foot,name", [
    ("Ambassador\nReis Dervishi", "Reis Dervishi"),
    ("Bertram\nChargé d'Affaires a.i.", "Bertram"),
    ("With communist greetings,\n\nOscar Pinto Lema", "Oscar Pinto Lema"),
    ("V. IVANOV\nP. PETROV", "V. IVANOV\nP. PETROV"),
    ("AMBASSADOR: ST. DIMOV", "ST. DIMOV"),
    ("28.X.62 ALEKSANDROV", "ALEKSANDROV"),
    ("/B. Orlov/", "B. Orlov"),
    ("Ambassador Vukić", "Vukić"),
    ("Secretary of the CC MPRP Yu. Dorj", "Yu. Dorj"),
    ("ORLOV [Molotov]\"\n\nConfirm receipt.", "ORLOV [Molotov]"),
])
def test_signature_without_a_mark(foot: str, name: str) -> None:
    doc = parse_text("Report on the visit\n\n" + TEXT + foot + "\n", "x.txt")
    check_document(doc)
    assert doc.field_value("signature") == name


@pytest.mark.parametrize("foot", [
    "Director of the National Security Agency",
    "Director, Defense Intelligence Agency",
    "Pyongyang\n12 May 1962",
    "PAGE TWO NOT RECEIVED",
])
def test_foot_lines_that_are_not_signatures(foot: str) -> None:
    doc = parse_text("Report on the visit\n\n" + TEXT + foot + "\n", "x.txt")
    assert doc.field_value("signature") is None


def test_the_authenticating_name_over_the_recorder_and_none_from_the_header() -> None:
    doc = parse_text("Minutes of the meeting\n\nRecorder: Li Ming\n\n" + TEXT
                     + "Recorded by: K. Petrov\nVerified: A. Novak\n", "x.txt")
    assert doc.field_value("signature") == "A. Novak"
    doc = parse_text("Minutes of the meeting\n\nRecorder: Li Ming\n\n" + TEXT, "x.txt")
    assert doc.field_value("signature") is None


@pytest.mark.parametrize("head,addressee", [
    ("TO COMRADE PETAR DIMOV", "COMRADE PETAR DIMOV"),
    ("To Cde. ORLOV*", "Cde. ORLOV"),
    ("Comrade L. I. Ivanov,", "Comrade L. I. Ivanov"),
    ("\"Comrade KIM IL SUNG!", "Comrade KIM IL SUNG"),
    ("Dear Mr. Chairman:", "Mr. Chairman"),
    ("Москва — тов. ПЕТРОВУ", "тов. ПЕТРОВУ"),
    ("Kiss Béla elvtársnak, Budapest", "Kiss Béla elvtársnak, Budapest"),
    ("CC CPSU", "CC CPSU"),
    ("Rozwadowski\nFYI: Nowak, Zieliński, Wójcik", "Rozwadowski"),
    ("MEMORANDUM FOR: Chief, Records Branch\nSUBJECT: Boxes", "Chief, Records Branch"),
    ("Destination: MOSCOW   To whom: Cde. ORLOV\nSent 4.5.51 at 10:00", "Cde. ORLOV"),
    ("to the Politburo of the Party", "the Politburo of the Party"),
    ("The Honorable John Q. Smith\nUnited States Senate\n\nDear Senator Smith:",
     "The Honorable John Q. Smith"),
])
def test_addressee_as_the_head_zone_gives_it(head: str, addressee: str) -> None:
    doc = parse_text("Cable on the visit\n\nSecret\n\n" + head + "\n\n" + TEXT, "x.txt")
    check_document(doc)
    assert doc.field_value("addressee") == addressee


@pytest.mark.parametrize("head", ["Secretary: V. Novák", "REF: DIRECTOR 79120",
                                  "Document Number (FOIA) /ESDN (CREST):\nCIA-RDP80-1",
                                  "Document Type:\nMEMO"])
def test_label_lines_are_not_addressees(head: str) -> None:
    doc = parse_text("Cable on the visit\n\n" + head + "\n\n" + TEXT, "x.txt")
    assert doc.field_value("addressee") is None


@pytest.mark.parametrize("line,refno", [
    ("CIPHERED TELEGRAM No. 40211", "No. 40211"),
    ("Foreign Ministry (66) No. Chao-233", "Foreign Ministry (66) No. Chao-233"),
    ("From Sofia Reg. No. 2210", "Reg. No. 2210"),
    ("Special No. 915", "Special No. 915"),
    ("Strictly confidential No 518", "No 518"),
    ("Ref.: 411/64", "411/64"),
    ("Szám: 118/szt.", "118/szt."),
    ("SZYFROGRAM nr 5120", "nr 5120"),
    ("OLC 76-2210", "OLC 76-2210"),
])
def test_the_documents_number(line: str, refno: str) -> None:
    doc = parse_text("Cable on the visit\n\n" + line + "\n\n" + TEXT, "x.txt")
    check_document(doc)
    assert doc.field_value("refno") == refno


@pytest.mark.parametrize("line", ["Copy No. 2", "SECRET, Copy No. 3", "Экз. № 1",
                                  "Egz. nr 2", "DOCUMENT NO. 14", "Briefing Book #193"])
def test_numbers_that_are_not_the_documents(line: str) -> None:
    doc = parse_text("Cable on the visit\n\n" + line + "\n\n" + TEXT, "x.txt")
    assert doc.field_value("refno") is None


@pytest.mark.parametrize("line,value", [
    ("(Top Secret)", "Top Secret"),
    ("Streng vertraulich!", "Streng vertraulich"),
    ("Szigorúan titkos!", "Szigorúan titkos"),
    ("SECRET/NODIS/XGDS", "SECRET/NODIS/XGDS"),
    ("Strictly confidential No 518", "Strictly confidential"),
])
def test_classification_lines(line: str, value: str) -> None:
    doc = parse_text("Cable on the visit\n\n" + line + "\n\n" + TEXT, "x.txt")
    check_document(doc)
    assert doc.field_value("classification") == value


@pytest.mark.parametrize("head,origin", [
    ("EMBASSY OF THE REPUBLIC OF CHILE\nMOSCOW", "EMBASSY OF THE REPUBLIC OF CHILE\nMOSCOW"),
    ("Botschaft der DDR\nin der VR Polen", "Botschaft der DDR\nin der VR Polen"),
    ("USSR\nCOMMITTEE OF STATE SECURITY", "USSR\nCOMMITTEE OF STATE SECURITY"),
    ("From SOFIA, received 3.V.61 at 10:20", "SOFIA"),
    ("From TIRANA Reg. No. 118", "TIRANA"),
])
def test_origin_from_a_letterhead_or_a_from_line(head: str, origin: str) -> None:
    doc = parse_text("Cable on the visit\n\n" + head + "\n\nSecret\n\n" + TEXT, "x.txt")
    check_document(doc)
    assert doc.field_value("origin") == origin


def test_a_diarys_heading_is_no_origin() -> None:
    doc = parse_text("Cable on the visit\n\nFrom the diary of\nI. PETROV\n\n" + TEXT, "x.txt")
    assert doc.field_value("origin") is None


def test_polish_to_before_a_salutation_word() -> None:
    doc = parse_text("Szyfrogram\n\nTajne\n\nDo tow. Rapackiego\n\n" + TEXT, "x.txt")
    assert doc.field_value("addressee") == "tow. Rapackiego"


def test_us_addressee_without_routing_or_file_number() -> None:
    doc = parse_text("FBI teletype on the embassy\n\nTO DIRECTOR (100-3-104)\nFROM SAC WFO (100-33897) 2P\n\n" + TEXT,
                     "x.txt")
    assert doc.field_value("addressee") == "DIRECTOR"
