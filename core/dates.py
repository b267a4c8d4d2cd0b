"""Dates as archival sources write them, turned into ISO 8601 strings.

Handles English ("April 17, 1965", "9 July 1962", "Apr. 17th, 1965"), numeric day-first
("13.1.1951", "9.6.63"), ISO, Chinese/Japanese/Korean ("1966年7月18日", "1965년 4월 17일"),
Russian/Polish/German/French month names and two-calendar dates
("22 августа (4 сентября) 1918 г.": the Gregorian date in parentheses wins).
Two-digit years are read as 19xx: the archives this tool serves are twentieth-century.
"""
from __future__ import annotations

import calendar
import re

_MONTHS: dict[str, int] = {}


def _add(month: int, *names: str) -> None:
    for name in names:
        _MONTHS[name] = month


_add(1, "january", "jan", "января", "январь", "янв", "stycznia", "styczeń", "styczen", "januar",
     "janvier", "janv", "enero", "gennaio")
_add(2, "february", "feb", "февраля", "февраль", "фев", "февр", "lutego", "luty", "februar",
     "février", "fevrier", "févr", "febrero", "febbraio")
_add(3, "march", "mar", "марта", "март", "мар", "marca", "marzec", "märz", "marz", "mars",
     "marzo")
_add(4, "april", "apr", "апреля", "апрель", "апр", "kwietnia", "kwiecień", "kwiecien", "avril",
     "avr", "abril", "aprile")
_add(5, "may", "мая", "май", "maja", "maj", "mai", "mayo", "maggio")
_add(6, "june", "jun", "июня", "июнь", "июн", "czerwca", "czerwiec", "juni", "juin", "junio",
     "giugno")
_add(7, "july", "jul", "июля", "июль", "июл", "lipca", "lipiec", "juli", "juillet", "juil",
     "julio", "luglio")
_add(8, "august", "aug", "августа", "август", "авг", "sierpnia", "sierpień", "sierpien", "août",
     "aout", "agosto")
_add(9, "september", "sep", "sept", "сентября", "сентябрь", "сен", "сент", "września",
     "wrzesnia", "wrzesień", "septembre", "septiembre", "settembre")
_add(10, "october", "oct", "октября", "октябрь", "окт", "października", "pazdziernika",
     "październik", "oktober", "okt", "octobre", "octubre", "ottobre")
_add(11, "november", "nov", "ноября", "ноябрь", "нояб", "ноя", "listopada", "listopad",
     "novembre", "noviembre")
_add(12, "december", "dec", "декабря", "декабрь", "дек", "grudnia", "grudzień", "grudzien",
     "dezember", "dez", "décembre", "decembre", "déc", "diciembre", "dicembre")


def _trie_alternation(words: list[str]) -> str:
    """A regex alternation of words as a prefix tree: longer continuations before the end.

    It matches what the flat longest-first alternation matches, in the same order (words
    that match at one place are prefixes of each other), but tries each first letter once
    instead of every word at every position: the date patterns run over every dateline.
    """
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        alts = [re.escape(ch) + emit(child) for ch, child in node.items() if ch]
        if "" in node:
            alts.append("")  # ending here is tried last: the longest reading wins
        if len(alts) == 1:
            return alts[0]
        return "(?:" + "|".join(alts) + ")"

    return emit(trie)


# Longest names first ("sept" wins over "sep"), as the prefix tree tries them.
_MONTH_ALT = _trie_alternation(list(_MONTHS))
_M = rf"(?P<{{0}}>{_MONTH_ALT})\.?"
_ORD = r"(?:st|nd|rd|th|er|ого|-го|е)?"

_FLAGS = re.IGNORECASE | re.UNICODE
# "22 августа (4 сентября) 1918": the parenthesised (Gregorian) day and month win.
_RE_DUAL_DMY = re.compile(
    rf"(?<!\d)(?P<d1>\d{{1,2}}){_ORD}\s+{_M.format('m1')}\s*\(\s*(?P<d2>\d{{1,2}}){_ORD}\s+"
    rf"{_M.format('m2')}\s*\)\s*,?\s*(?P<y>\d{{4}})(?!\d)", _FLAGS)
# "August 22 (September 4), 1918"
_RE_DUAL_MDY = re.compile(
    rf"\b{_M.format('m1')}\s+(?P<d1>\d{{1,2}}){_ORD}\s*\(\s*{_M.format('m2')}\s+"
    rf"(?P<d2>\d{{1,2}}){_ORD}\s*\)\s*,?\s*(?P<y>\d{{4}})(?!\d)", _FLAGS)
# "5 (18) января 1918", "January 5 (18), 1918": two days, one month.
_RE_DUAL_DAY_DMY = re.compile(
    rf"(?<!\d)(?P<d1>\d{{1,2}})\s*\(\s*(?P<d2>\d{{1,2}})\s*\)\s+{_M.format('m')}\s*,?\s*"
    rf"(?P<y>\d{{4}})(?!\d)", _FLAGS)
_RE_DUAL_DAY_MDY = re.compile(
    rf"\b{_M.format('m')}\s+(?P<d1>\d{{1,2}}){_ORD}\s*\(\s*(?P<d2>\d{{1,2}}){_ORD}\s*\)\s*,?\s*"
    rf"(?P<y>\d{{4}})(?!\d)", _FLAGS)
_RE_MDY = re.compile(
    rf"(?<![\w])(?:{_M.format('m')})\s+(?P<d>\d{{1,2}}){_ORD}\s*,?\s+(?P<y>\d{{4}})(?!\d)",
    _FLAGS)
_RE_DMY = re.compile(
    rf"(?<![\w])(?P<d>\d{{1,2}}){_ORD}\.?\s+(?:of\s+)?{_M.format('m')}\s*,?\s+(?P<y>\d{{4}})(?!\d)",
    _FLAGS)
_RE_MY = re.compile(rf"(?<![\w])(?:{_M.format('m')})\s*,?\s+(?P<y>\d{{4}})(?!\d)", _FLAGS)
_RE_ISO = re.compile(r"(?<!\d)(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?!\d)")
_RE_YMD_SLASH = re.compile(r"(?<!\d)(?P<y>\d{4})[/.](?P<m>\d{1,2})[/.](?P<d>\d{1,2})(?![\d])")
_RE_DOTTED = re.compile(
    r"(?<![\d.])(?P<d>\d{1,2})\.\s?(?P<m>\d{1,2})\.\s?(?P<y>\d{4}|\d{2})(?![\d])")
_RE_SLASHED = re.compile(r"(?<![\d/])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4}|\d{2})(?![\d/])")
# A military date-time group ("091603Z NOV 77"): day, hour and minute, Z, month, year.
_RE_DTG = re.compile(r"(?<![\w])(?P<d>[0-3]\d)[0-2]\d[0-5]\dZ\s+(?P<m>JAN|FEB|MAR|APR|MAY|JUN|JUL|"
                     r"AUG|SEP|OCT|NOV|DEC)\s+(?P<y>\d{4}|\d\d)(?!\d)")
_CJK_NUM = r"[0-9０-９〇零一二三四五六七八九十○]"
_RE_CJK = re.compile(
    rf"(?P<y>{_CJK_NUM}{{2,4}})\s*[年년]\s*(?P<m>{_CJK_NUM}{{1,3}})\s*[月월]"
    rf"(?:\s*(?P<d>{_CJK_NUM}{{1,3}})\s*[日号號일])?")

_DIGIT = re.compile(r"\d")
# Month names can only match ASCII text through their ASCII spellings (all letters), and
# only at a word start: every pattern has a month after a non-word character.
_ASCII_MONTH_WORD = re.compile(
    r"(?<![a-z0-9_])" + _trie_alternation([m for m in _MONTHS if m.isascii()]))
_OPEN_PAREN = re.compile(r"\s*[(（]\s*")
_CLOSE_PAREN = re.compile(r"\s*[)）]")

_CJK_DIGITS = {"〇": 0, "零": 0, "○": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6,
               "七": 7, "八": 8, "九": 9}


def _cjk_int(s: str, positional: bool = False) -> int | None:
    """An integer from ASCII, full-width or Chinese numerals ("十八" -> 18)."""
    s = s.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if s.isdigit():
        return int(s)
    if positional:  # years are written digit by digit: 一九六六
        digits = [_CJK_DIGITS.get(c) for c in s]
        if None in digits:
            return None
        return int("".join(str(d) for d in digits))
    if "十" in s:
        tens, _, units = s.partition("十")
        t = _CJK_DIGITS.get(tens, None) if tens else 1
        u = _CJK_DIGITS.get(units, None) if units else 0
        if t is None or u is None:
            return None
        return t * 10 + u
    if len(s) == 1 and s in _CJK_DIGITS:
        return _CJK_DIGITS[s]
    return None


def _year(y: str) -> int:
    n = int(y)
    return 1900 + n if len(y) <= 2 else n


def _iso(y: int, m: int, d: int | None) -> str | None:
    if not (1 <= m <= 12) or not (1000 <= y <= 2999):
        return None
    if d is None:
        return f"{y:04d}-{m:02d}"
    if not (1 <= d <= calendar.monthrange(y, m)[1]):
        return None
    return f"{y:04d}-{m:02d}-{d:02d}"


def _month(name: str) -> int:
    return _MONTHS[name.lower()]


def _may_name_month(s: str) -> bool:
    """False only when no month name starts a word of s (every named-month pattern needs one).

    One search decides for all seven named-month patterns.  On ASCII text their
    case-insensitive matching is plain lower-casing, so the lowered text is searched for the
    ASCII names; other text is left to the patterns themselves.
    """
    if not s.isascii():
        return True
    return _ASCII_MONTH_WORD.search(s.lower()) is not None


def _candidates(s: str) -> list[tuple[int, int, str]]:
    """(start, end, iso) of every date reading found in s."""
    found: list[tuple[int, int, str]] = []

    def add(mt: re.Match[str], iso: str | None) -> None:
        if iso:
            found.append((mt.start(), mt.end(), iso))

    # Every numeric pattern needs a digit, and each guard below is a character its pattern
    # cannot match without: skipping a pattern never changes what is found.
    has_digit = _DIGIT.search(s) is not None
    named = has_digit and _may_name_month(s)
    if has_digit:
        if named and "(" in s:
            for rx in (_RE_DUAL_DMY, _RE_DUAL_MDY):
                for mt in rx.finditer(s):
                    add(mt, _iso(int(mt["y"]), _month(mt["m2"]), int(mt["d2"])))
            for rx in (_RE_DUAL_DAY_DMY, _RE_DUAL_DAY_MDY):
                for mt in rx.finditer(s):
                    add(mt, _iso(int(mt["y"]), _month(mt["m"]), int(mt["d2"])))
        if named:
            for mt in _RE_MDY.finditer(s):
                add(mt, _iso(int(mt["y"]), _month(mt["m"]), int(mt["d"])))
            for mt in _RE_DMY.finditer(s):
                add(mt, _iso(int(mt["y"]), _month(mt["m"]), int(mt["d"])))
        if "-" in s:
            for mt in _RE_ISO.finditer(s):
                add(mt, _iso(int(mt["y"]), int(mt["m"]), int(mt["d"])))
        dot = "." in s
        slash = "/" in s
        if dot or slash:
            for mt in _RE_YMD_SLASH.finditer(s):
                add(mt, _iso(int(mt["y"]), int(mt["m"]), int(mt["d"])))
        if dot:
            for mt in _RE_DOTTED.finditer(s):
                add(mt, _iso(_year(mt["y"]), int(mt["m"]), int(mt["d"])))
        if slash:
            for mt in _RE_SLASHED.finditer(s):
                a, b = int(mt["a"]), int(mt["b"])
                # Month first (US usage of the English translations) unless that cannot be.
                m, d = (b, a) if a > 12 else (a, b)
                add(mt, _iso(_year(mt["y"]), m, d))
        if "Z" in s:
            for mt in _RE_DTG.finditer(s):
                # Date-time groups run on past 2000 (cables are still sent), unlike the
                # twentieth-century sources the other two-digit years come from.
                y = int(mt["y"]) if len(mt["y"]) == 4 else (
                    2000 + int(mt["y"]) if int(mt["y"]) < 30 else 1900 + int(mt["y"]))
                add(mt, _iso(y, _month(mt["m"].lower()), int(mt["d"])))
    if "年" in s or "년" in s:
        for mt in _RE_CJK.finditer(s):
            y = _cjk_int(mt["y"], positional=True)
            m = _cjk_int(mt["m"])
            d = _cjk_int(mt["d"]) if mt["d"] else None
            if y is not None and m is not None and (mt["d"] is None or d is not None):
                add(mt, _iso(y, m, d))
    if named and not found:
        for mt in _RE_MY.finditer(s):
            add(mt, _iso(int(mt["y"]), _month(mt["m"]), None))
    return found


# Importers ask about the same lines several times (and archives repeat datelines), so
# answers are remembered; results are immutable, and the memo is emptied when it grows.
_MEMO_MAX = 8192
_MISS = object()
_find_memo: dict[str, tuple[str, int, int] | None] = {}
_line_memo: dict[str, str | None] = {}


def find_date(s: str) -> tuple[str, int, int] | None:
    """The first date in s as (iso, start, end), or None."""
    if len(s) > 2000:  # a date is never found that far into one string; stay linear
        s = s[:2000]
    hit = _find_memo.get(s, _MISS)
    if hit is _MISS:
        hit = _find_date(s)
        if len(_find_memo) >= _MEMO_MAX:
            _find_memo.clear()
        _find_memo[s] = hit
    return hit  # type: ignore[return-value]


def _find_date(s: str) -> tuple[str, int, int] | None:
    """find_date without the memo."""
    found = _candidates(s)
    if not found:
        return None
    # Earliest start; at a tie the longest reading (the dual-calendar form).
    start, end, iso = min(found, key=lambda t: (t[0], -(t[1] - t[0])))
    # "31 декабря 1917 (13 января 1918)": a full date in parentheses right after wins.
    m = _OPEN_PAREN.match(s, end)
    if m:
        inner = [f for f in found if f[0] == m.end()]
        if inner:
            i_start, i_end, i_iso = max(inner, key=lambda t: t[1])
            close = _CLOSE_PAREN.match(s, i_end)
            if close:
                return i_iso, start, close.end()
    return iso, start, end


def parse_date(s: str) -> str | None:
    """ISO 8601 ("1965-04-17", or "1965-04" without a day) for the first date in s."""
    hit = find_date(s)
    return hit[0] if hit else None


_LINE_REST = re.compile(
    r"^[\s,.;:()\[\]г\-–—]*(?:г(?:ода?)?\.?|года|r\.|roku|年)?[\s,.;:()\[\]\-–—]*$", re.UNICODE)
_WEEKDAY = re.compile(
    r"^\s*(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\s*,?\s*", re.I)


def parse_date_line(s: str) -> str | None:
    """ISO date when the whole of s is a date (a dateline), else None."""
    iso = _line_memo.get(s, _MISS)
    if iso is _MISS:
        iso = _parse_date_line(s)
        if len(_line_memo) >= _MEMO_MAX:
            _line_memo.clear()
        _line_memo[s] = iso
    return iso  # type: ignore[return-value]


def _parse_date_line(s: str) -> str | None:
    """parse_date_line without the memo."""
    st = s.strip()
    if not st or len(st) > 60:
        return None
    st = _WEEKDAY.sub("", st)
    hit = find_date(st)
    if hit is None:
        return None
    iso, start, end = hit
    if st[:start].strip(" ,.([") or not _LINE_REST.match(st[end:]):
        return None
    return iso
