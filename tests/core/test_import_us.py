"""FRUS pages and US telegrams: fields their own conventions give."""
from __future__ import annotations

from _import_checks import check_document

from emendo.core.importers import parse_text


def test_frus_letter_addressee_is_its_salutation_and_heading_split_at_the_last_to() -> None:
    raw = ("Foreign Relations of the United States, 1958–1960, Volume X\n"
           "55. Letter From Prime Minister Nehru to President Eisenhower1\n"
           "New Delhi, April 2, 1959.\n\nDear Mr. President:\n\nI write about Tibet and the "
           "situation on our frontier, which has grown worse.\n\nNehru\n\n"
           "1. Source: Eisenhower Library, Whitman File. No classification marking.\n")
    doc = parse_text(raw, "f.txt")
    check_document(doc)
    assert doc.field_value("addressee") == "Mr. President"
    raw2 = raw.replace("Letter From Prime Minister Nehru to President Eisenhower",
                       "Telegram From the Mission to the United Nations to the Department of "
                       "State").replace("Dear Mr. President:", "1240. Text.")
    doc = parse_text(raw2, "f.txt")
    assert doc.field_value("origin") == "Mission to the United Nations"
    assert doc.field_value("addressee") == "Department of State"
