"""Dates as sources write them -> ISO 8601."""
from __future__ import annotations

import pytest

from emendo.core.dates import find_date, parse_date, parse_date_line


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("April 17, 1965", "1965-04-17"),
        ("9 July 1962", "1962-07-09"),
        ("June 21, 1965", "1965-06-21"),
        ("13.1.1951", "1951-01-13"),
        ("9.6.63", "1963-06-09"),
        ("13.1.51", "1951-01-13"),
        ("1966年7月18日", "1966-07-18"),
        ("一九六六年七月十八日", "1966-07-18"),
        ("１９６６年７月１８日", "1966-07-18"),
        ("1965년 4월 17일", "1965-04-17"),
        ("22 августа (4 сентября) 1918 г.", "1918-09-04"),
        ("August 22 (September 4), 1918", "1918-09-04"),
        ("5 (18) января 1918 г.", "1918-01-18"),
        ("January 5 (18), 1918", "1918-01-18"),
        ("31 декабря 1917 (13 января 1918)", "1918-01-13"),
        ("23 янв. 1918 г.", "1918-01-23"),
        ("4 września 1963", "1963-09-04"),
        ("May 24, 1956", "1956-05-24"),
        ("May 24, 1956, 3 p.m.", "1956-05-24"),
        ("Apr. 17th, 1965", "1965-04-17"),
        ("the 17th of April 1965", "1965-04-17"),
        ("1965-04-17", "1965-04-17"),
        ("1965/4/17", "1965-04-17"),
        ("4/17/1965", "1965-04-17"),
        ("17/4/1965", "1965-04-17"),
        ("September 1944", "1944-09"),
        ("Sent on Wednesday, June 2, 1965 at noon", "1965-06-02"),
    ],
)
def test_parse_date(text: str, iso: str) -> None:
    assert parse_date(text) == iso


@pytest.mark.parametrize("text", ["", "April 16th", "31.2.1965", "Soviet Union #1631",
                                  "No. 1309", "20-22", "hello", "13.13.1951", "February 30, 1965"])
def test_not_a_date(text: str) -> None:
    assert parse_date(text) is None


def test_date_line_needs_the_whole_line() -> None:
    assert parse_date_line("  April 17, 1965  ") == "1965-04-17"
    assert parse_date_line("Monday, April 19, 1965") == "1965-04-19"
    assert parse_date_line("22 августа (4 сентября) 1918 г.") == "1918-09-04"
    assert parse_date_line("13.1.51 ROSHCHIN") is None
    assert parse_date_line("Izvestia on April 16, 1965 reported") is None


def test_find_date_gives_offsets() -> None:
    s = "Moscow, 22 августа (4 сентября) 1918 г."
    iso, start, end = find_date(s)  # type: ignore[misc]
    assert iso == "1918-09-04"
    assert s[start:end].startswith("22 августа")


def test_long_input_is_fast() -> None:
    assert parse_date("x" * 1_000_000) is None
