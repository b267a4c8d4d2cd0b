"""Page models of NSArchive document entries and CIA CREST reading-room pages."""
from __future__ import annotations

from _import_checks import check_document

from emendo.core.importers import parse_text

ENTRY = ("Skip to main content\nThe National Security Archive\nBriefing Book #455\nDocument 7\n"
         "State Department cable 118204 to U.S. Embassy Bonn, \"Talks on Berlin Access,\" "
         "March 3, 1962, Confidential\n"
         "Source: Department of State FOIA release to the National Security Archive. "
         "Translated by Anna Weiss.\n"
         "The cable instructs the Embassy to raise the autobahn incidents.\n"
         "CONFIDENTIAL\nSUBJECT: Berlin access\n1. Please raise the incidents of last week "
         "with the Foreign Office at the earliest opportunity.\nRUSK\n")


def test_nsarchive_entry_gives_title_date_classification_citation_translator() -> None:
    doc = parse_text(ENTRY, "entry.txt")
    check_document(doc)
    assert doc.title == "Talks on Berlin Access"  # the quoted title over SUBJECT
    assert doc.date == "1962-03-03"
    assert doc.field_value("classification") == "Confidential"
    assert doc.field_value("citation") == \
        "Department of State FOIA release to the National Security Archive"
    assert doc.field_value("translator") == "Anna Weiss"
    assert doc.field_value("refno") is None  # "Briefing Book #455" is the posting's


def test_nsarchive_entry_without_a_quoted_title_uses_subject_else_the_entry() -> None:
    doc = parse_text(ENTRY.replace('"Talks on Berlin Access," ', ""), "e.txt")
    assert doc.title == "Berlin access"
    doc = parse_text("Document 3\nMemorandum of Conversation, May 4, 1975\n"
                     "Source: Ford Library, Box 2.\nMEMORANDUM OF CONVERSATION\n"
                     "The President and the Chancellor met in the Oval Office for an hour.\n",
                     "m.txt")
    check_document(doc)
    assert doc.title == "Memorandum of Conversation, May 4, 1975"
    assert doc.date == "1975-05-04"
    assert doc.field_value("citation") == "Ford Library, Box 2"


CREST = ("SOVIET TRADE WITH FINLAND\nDocument Type:\nCREST\nCollection:\nGeneral CIA Records\n"
         "Document Number (FOIA) /ESDN (CREST):\nCIA-RDP79R00890A000800030004-1\n"
         "Release Decision:\nRIPPUB\nOriginal Classification:\nS\n"
         "Document Creation Date:\nDecember 16, 2016\nCase Number:\nPublication Date:\n"
         "April 2, 1959\nContent Type:\nMEMO\nBody:\nSECRET\n2 April 1959\n"
         "MEMORANDUM FOR: Director of Central Intelligence\nSUBJECT: Soviet trade\n"
         "1. The Soviet trade delegation has left Helsinki without signing the protocol.\n")


def test_crest_page_gives_the_esdn_and_publication_date_and_reads_the_body_head() -> None:
    doc = parse_text(CREST, "crest.txt")
    check_document(doc)
    assert doc.title == "SOVIET TRADE WITH FINLAND"
    assert doc.date == "1959-04-02"  # not the catalogue's creation date
    assert doc.field_value("citation") == "CIA-RDP79R00890A000800030004-1"
    assert doc.field_value("classification") == "SECRET"  # not the code "S"
    assert doc.field_value("addressee") == "Director of Central Intelligence"
    assert doc.field_value("doctype") == "MEMORANDUM"


def test_entry_names_the_addressee_when_the_document_does_not() -> None:
    doc = parse_text("Document 9\nState Department cable 2210 to U.S. Embassy Bonn, \"Access,\" "
                     "May 2, 1962, Secret\nSource: FOIA release.\n1. Please raise the access "
                     "question with the Foreign Office at once and report.\n", "e.txt")
    check_document(doc)
    assert doc.field_value("addressee") == "U.S. Embassy Bonn"
