"""Concatenated archive pages: a file holding several copied pages, split into one text each.

A page copied from an archive's site opens with its chrome (``Skip to content``, ``Search
in``, the PDF export's ``Digital Archive …`` line, FRUS's ``Office of the Historian`` or
volume heading; data in ``vocab/pages.toml``).  When such an opener comes again after a
page's text, a new page begins there.  A Wilson Center page copied without its chrome
begins with its date, title and funder line: a funder line after the previous page's
trailer (``Document Information``, the rights text) begins a new page at its date.

The pieces are the file's text cut at those lines, so joined they give the file back.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from functools import cache

from emendo.core.dates import parse_date_line
from emendo.core.importers import vocab

MIN_PAGE_LINES = 3  # non-blank lines after its chrome a page has before another may begin


@cache
def _marks() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Lines that may begin a page (an opener or a funder line, by named group), and the
    trailer phrases that close one.
    """
    table = vocab.load("pages")
    exact = [t for v in table["openers"].values() for t in v]
    pats = [p for v in table["patterns"].values() for p in v]
    h = table["headers"]
    opener = r"[ \t\ufeff]*(?:" + vocab.alternation(exact) + r")[ \t\r]*$"
    if pats:
        opener = r"(?:" + opener + "|" + "|".join(f"[ \t]*(?:{p})" for p in pats) + r")"
    funder = r"[ \t]*(?:" + "|".join(re.escape(f) for f in h["funder"]) + r")"
    return (re.compile(rf"^(?:(?P<opener>{opener})|(?P<funder>{funder}))",
                       re.MULTILINE | re.IGNORECASE),
            re.compile("|".join(re.escape(t) for t in h["trailer"])))


_NONBLANK = re.compile(r"^[ \t]*\S", re.MULTILINE)


def _content(raw: str, lo: int, hi: int, cap: int = MIN_PAGE_LINES) -> int:
    """Non-blank lines in raw[lo:hi], counted up to cap."""
    n = 0
    for _ in _NONBLANK.finditer(raw, lo, hi):
        n += 1
        if n >= cap:
            break
    return n


def _header_start(raw: str, pos: int, floor: int) -> int:
    """Where a chrome-less page's header begins above its funder line at pos: its date line
    (up to two non-blank lines above), else its title line.
    """
    above: list[int] = []
    k = pos
    while k > floor and len(above) < 2:
        e = raw.rfind("\n", floor, k - 1) if k - 1 > floor else -1
        s_ = e + 1 if e >= 0 else floor
        if raw[s_:k - 1].strip():
            above.append(s_)
        if e < 0:
            break
        k = s_
    if not above:
        return pos
    for s_ in reversed(above):  # the date line, earliest first
        nl = raw.find("\n", s_)
        if parse_date_line(raw[s_:nl if nl >= 0 else len(raw)].strip()):
            return s_
    return above[0]  # no date: the title line


@cache
def _count_words() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The opener lines (and the FRUS volume heading's words) and the funder prefixes, as
    plain strings to count.
    """
    table = vocab.load("pages")
    openers = tuple(t for v in table["openers"].values() for t in v)
    return openers + ("Foreign Relations of the United States",), tuple(table["headers"]["funder"])


def _may_hold_pages(raw: str) -> bool:
    """False when no opener or funder line can come twice (str.count: no regex pass)."""
    openers, funders = _count_words()
    if sum(raw.count(f) for f in funders) >= 2:
        return True
    n = 0
    for o in openers:
        n += raw.count(o)
        if n >= 2:
            return True
    return False


def page_starts(raw: str) -> list[int]:
    """Offsets in raw where each page begins (the first is 0)."""
    if not _may_hold_pages(raw):
        return [0]
    begins, trailer = _marks()
    starts = [0]
    last_cut = 0  # where the current page's text (after its chrome) is counted from
    cands = list(begins.finditer(raw))
    if len(cands) < 2:
        return starts  # one opener or funder line at most: one page
    trailers = [m.start() for m in trailer.finditer(raw)]
    for m in cands:
        pos = m.start()
        if m.group("opener") is not None:
            if _content(raw, last_cut, pos) >= MIN_PAGE_LINES:
                starts.append(pos)
            last_cut = raw.find("\n", pos) + 1 or len(raw)  # the opener is chrome
        else:
            # A funder line begins a page only after the previous page's trailer.
            k = bisect_left(trailers, last_cut)
            if k < len(trailers) and trailers[k] < pos \
                    and _content(raw, last_cut, pos) >= MIN_PAGE_LINES:
                first = _header_start(raw, pos, starts[-1])
                if first > starts[-1]:
                    starts.append(first)
                    last_cut = first
    return starts


def split_pages(raw: str) -> list[str]:
    """The pages of a text, in order; joined they are the text."""
    starts = page_starts(raw)
    if len(starts) == 1:
        return [raw]
    ends = starts[1:] + [len(raw)]
    return [raw[s:e] for s, e in zip(starts, ends)]
