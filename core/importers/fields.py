"""Line-level recognisers of a cable's structured fields.

Each ``match_*`` looks at one line (index into :class:`Lines`), adds its spans when the line
is that field and returns True (or the last line it consumed).  They are shared by the Wilson
Center parser and the plain-text parser.
"""
from __future__ import annotations

import re
from functools import cache

from emendo.core.dates import parse_date, parse_date_line
from emendo.core.importers import vocab
from emendo.core.importers._base import Lines, SpanBuilder
from emendo.core.importers.marks import BLOCK_OPEN, add_block

MAX_FIELD_LINE = 300  # longer lines are prose: no field regex ever sees them

_STAMP_TOKEN = re.compile(
    r"\[\s*(?P<inner>(?:(?P<q>[\w\-]+(?:\s[\w\-]+){0,2})\s+)?(?P<w>stamps?|stamped|seal)"
    r"(?:\s+reads)?\s*:?)\s*\](?P<colon>\s*:)?", re.IGNORECASE)
_STAMP_NUMBER = re.compile(r"(?:#|№|\bNo\.?|\bNr\.?)\s*\w*\d|^[^\d]{0,40}\d[\d\-/.]*\s*$")
_PRIORITY = re.compile(
    r"^(?P<label>Priority|Class|Level|Precedence|Urgency|Срочность|Категория|等级|急别)"
    r"\s*[:：]\s*(?P<value>\S.*?)\s*$", re.IGNORECASE)
_PRIORITY_BARE = re.compile(
    r"^(?:(?:extra|very|most|highly)\s+)?(?:urgent|immediate)$|^flash$|^routine$|^priority$|"
    r"^(?:очень\s+|весьма\s+)?срочно$|^(?:特急|加急|急件|特提)$", re.IGNORECASE)
# A classification line: the term (vocabulary, any language, letter-spaced too) with its
# caveats ('SECRET/NODIS/XGDS', 'SECRET NOFORN'), in parentheses or with an exclamation
# mark, optionally labelled and followed by a copy or registry number.
_CAVEATS = (r"(?:\s*[/ ]\s*(?:NODIS|EXDIS|LIMDIS|NOFORN|XGDS|ORCON|NOCONTRACT|WNINTEL|STADIS|"
            r"SENSITIVE|CODEWORD|UMBRA|EYES ONLY|NOFORN DISSEM)(?:-\d)?)*")


@cache
def _class_line_re() -> re.Pattern[str]:
    """The classification-line regex, built from the vocabulary."""
    terms = vocab.alternation(vocab.terms("classification", "terms"), spaced=True)
    labels = vocab.alternation(vocab.terms("classification", "labels"))
    return re.compile(
        r"^(?:" + labels + r"\s*[:：]\s*)?[(\[]?(?P<v>" + terms + _CAVEATS + r")(?![\w])[)\]]?"
        r"\s*[!.]?(?:\s*[,;:]?\s*(?:copy|экз|egz|ex|No\.?|Nr\.?|nr|№|#|Nº|N°)[^\n]{0,30})?[.!]?$",
        re.IGNORECASE)
_DOCTYPE = re.compile(
    r"^[^\d:：]{0,60}\b(?:telegram|cable|ciphergram|cipher telegram|memorandum|dispatch|"
    r"circular|note verbale|телеграмма|шифртелеграмма|szyfrogram|电报|電報)$", re.IGNORECASE)
# The ASCII words _DOCTYPE can end with: on ASCII text its case-insensitive match is plain
# lower-casing, so a line ending in none of them is refused without the slow regex.
_DOCTYPE_ASCII_ENDS = ("telegram", "cable", "ciphergram", "memorandum", "dispatch", "circular",
                       "note verbale")
_LEADER = re.compile(r"\s*(?:…|\.{2,}|_{2,})+\s*")
_FROM = re.compile(r"^(?:From|FROM|Od|Из|Откуда|发自|來自)\s*[:：]?\s+(?P<v>.+?)\s*$")
# Where a From line's place ends: a number, a comma, a parenthesis, a receipt or series word.
_FROM_CUT = re.compile(r"\s+(?:No\.|Nr\.?|№|#|\d)|\s*[,(]|\s+(?:received|sent|dispatched|"
                       r"arrived|Reg|Ref|Special)\b", re.IGNORECASE)
# "From the diary of …", "Из дневника": a journal's heading, not a sender.
_NOT_ORIGIN = re.compile(r"^(?:the\s+)?(?:diary|journal|notes|record|minutes|files?)\b|"
                         r"^(?:дневника|записей|дневник)", re.IGNORECASE)
_DOC_ID = re.compile(r"^(?:[A-Z]{1,4}-?\d{3,}[A-Z]?|(?:[A-Z]{2,6}(?:[ /][A-Z]{1,5}){0,2}\s)?"
                     r"\d{1,6}(?:[\-/]\d{1,6}){1,3}|[A-Z]{1,6}(?:[ /][A-Z]{1,5}){0,2}\s\d{3,7})$")
_DIGIT = re.compile(r"\d")
_NOT_DOC_ID = re.compile(r"^(?:PAGE|GP|GROUP|SECTION|DOCUMENT|VOL|VOLUME|BOX|FOLDER|TAB)\b",
                         re.IGNORECASE)
# A copy's own number ("Copy No. 2", "SECRET, Copy No. 2", "Экз. № 1"), not the document's.
_COPY_LINE = re.compile(r"(?:^|[\s,;])(?:Copy|Exemplar|Экз|Egz|Ausfertigung|Példány|Výtisk|Ex)"
                        r"\.?\s*(?:No\.?|Nr\.?|nr|№|#|Nº|N°)?\s*\d+\s*\.?$", re.IGNORECASE)
_REFNO_LABEL = re.compile(
    r"^(?:Ref(?:erence)?\.?(?:\s*No\.?)?|Our ref\.?|Szám|Number|Číslo|Sygn(?:atura)?\.?|"
    r"Aktenzeichen|NO|No|Nr)\s*[:：]\s*(?P<v>[^\s,:][^,]{0,40}?)\s*(?:,.*)?$")
_HAS_SIGN = re.compile(r"No|Nr|nr|№|#|N°|Nº|N\.|Az\.|sz\.|Č", re.IGNORECASE)
_SERIES_PREFIX = re.compile(r"(?:\(\d{2,4}\)|\b(?:Reg|Ref|Tgb|VS|CIA|Special|Outgoing|"
                            r"Incoming|Registry|File)\.?-?)\s*$", re.IGNORECASE)
_NOT_REF_PREFIX = re.compile(r"\b(?:document|page|box|folder|briefing book|volume|vol\.|tab|"
                             r"item|part|section|chapter|job|boxes)\s*$", re.IGNORECASE)
_FORM_KEY = re.compile(r"^(dispatched|sent|received|transmitted|came in|filed)(?:\s+(?:on|at|to))?"
                       r"\s+(.*)$", re.IGNORECASE)
_ADDRESSEE_TO = re.compile(
    r"^(?:\[\s*To(?:\s+the)?\s*\]|To\b|TO\b|Кому|Адресат|致)\s*[:：]?\s*(?P<v>[^\n]+?)\s*[:：]?\s*$")
_WORD_COLON = re.compile(r"^\S+\s*[:：]")
_ADDRESSEE_CJK = re.compile(r"^(?P<v>[\u3400-\u9fff\uac00-\ud7af]{2,16})[:：]")
# Headings that end in a colon but introduce something other than the addressee.
_NOT_ADDRESSEE = re.compile(
    r"^(?:present|participants|attendees|subject|summary|note|notes|location|place|time|date|"
    r"re|regarding|agenda|enclosure|attachment|annex|appendix|contents|translator|source|"
    r"original|also present|author|authors|document|release|sequence|case|publication|content|"
    r"file|page|body|keywords|attachments?)\b", re.IGNORECASE)
_SIGNATURE = (
    re.compile(r"^/\s*(?:-|s|signed|sgd|podp)\s*/\s*(?P<v>\S.{0,60}?)\.?$", re.IGNORECASE),
    re.compile(r"^\((?:signed|sgd\.?|подпись|podpis|signature)\)\s*(?P<v>\S.{0,60}?)\.?$",
               re.IGNORECASE),
    re.compile(r"^(?:\d{1,2}\.\d{1,2}\.\d{2,4}\s+)(?P<v>[A-ZА-ЯЁ][A-ZА-ЯЁ\-]{2,30}"
               r"(?:\s+[A-ZА-ЯЁ][A-ZА-ЯЁ\-]{1,30})?)$"),
    re.compile(r"^(?:Signed|Signature|Подпись)\s*[:：]\s*(?P<v>\S.{0,60}?)\.?$", re.IGNORECASE),
)


def _line(lines: Lines, i: int) -> str | None:
    """Line i stripped, or None when it is too long to be a field line."""
    if len(lines.items[i]) > MAX_FIELD_LINE:
        return None
    return lines.stripped[i]


def normalise_priority(value: str) -> str:
    """'Normal Priority' -> 'Normal', 'very urgent' -> 'Very Urgent'."""
    v = value.strip().rstrip(".;,")
    low = v.lower()
    if low.endswith(" priority"):
        v = v[: -len(" priority")].rstrip()
    if v.islower() or v.isupper():
        v = " ".join(w[:1].upper() + w[1:].lower() for w in v.split())
    return v


def match_stamp(b: SpanBuilder, lines: Lines, i: int, hi: int) -> int | None:
    """A stamp block starting at line i: spans added, index of its last line returned."""
    line = _line(lines, i)
    if not line or line[0] != "[":
        return None
    m = _STAMP_TOKEN.match(line)
    if not m:
        bm = BLOCK_OPEN.match(b.text, lines.strip_span(i)[0])
        if bm is None:
            return None
        # "[stamp: Tenth Department / Incoming No. 26483 / …]", "[handwritten: … [illegible]]":
        # the text inside the bracket, over lines, perhaps never closed.
        end = add_block(b, bm, len(b.text))
        return lines.line_of(max(end - 1, bm.start()))
    ls, le = lines.strip_span(i)
    tok_end = ls + m.end()
    b.add("token", ls, tok_end, note=m.group("inner").strip().rstrip(":").strip())
    word = m.group("w").lower()
    qual = (m.group("q") or "").lower()
    kind = "stamped" if word == "stamped" else "date" if "date" in qual else "stamp"
    rest = line[m.end():].strip()
    attrs: dict[str, object] = {"type": kind, "text": rest}
    if qual and kind == "stamp":
        attrs["qualifier"] = qual
    last = i
    end = le
    if kind == "date":
        iso = parse_date(rest) if rest else None
        if iso:
            attrs["date"] = iso
            attrs["date_text"] = rest
    elif kind == "stamp" and rest and parse_date_line(rest):
        attrs["date"] = parse_date_line(rest)
        attrs["date_text"] = rest
    elif kind == "stamp":
        j = lines.next_nb(i, hi, 3)
        if not rest and j is not None:
            cand = _line(lines, j)
            if cand and len(cand) <= 120 and not parse_date_line(cand) and cand[0] != "[":
                attrs["text"] = cand
                last, end = j, lines.strip_span(j)[1]
                j = lines.next_nb(j, hi, 3)
        if j is not None:
            cand = _line(lines, j)
            if (cand and len(cand) <= 60 and _STAMP_NUMBER.search(cand)
                    and not parse_date_line(cand) and not _PRIORITY.match(cand)):
                attrs["number"] = cand
                last, end = j, lines.strip_span(j)[1]
                j = lines.next_nb(j, hi, 3)
        if j is not None:
            cand = _line(lines, j)
            iso = parse_date_line(cand) if cand else None
            if iso:
                attrs["date"] = iso
                attrs["date_text"] = cand
                last, end = j, lines.strip_span(j)[1]
    b.add("stamp", ls, end, **attrs)
    return last


def match_priority(b: SpanBuilder, lines: Lines, i: int, bare: bool = True) -> bool:
    """'Priority: Urgent', 'Class: Very Urgent', 'Level: …' (and a bare 'Urgent' line)."""
    line = _line(lines, i)
    if not line or len(line) > 80:
        return False
    m = _PRIORITY.match(line)
    if m:
        ls, le = lines.strip_span(i)
        value = m.group("value")
        if _class_line_re().match(value):  # "Class: Secret" is a classification, not a priority
            b.add("classification", ls, le, value=value.rstrip(".").strip(),
                  label=m.group("label"))
            return True
        b.add("priority", ls, le, value=normalise_priority(value), label=m.group("label"))
        return True
    if bare and (_PRIORITY_BARE.match(line) or vocab.priority_re().fullmatch(line.rstrip("!. "))):
        ls, le = lines.strip_span(i)
        b.add("priority", ls, le, value=normalise_priority(line), label=None)
        return True
    return False


def match_classification(b: SpanBuilder, lines: Lines, i: int) -> bool:
    """'Secret', 'Top Secret', 'Classification: Confidential' as a line of their own."""
    line = _line(lines, i)
    if not line or len(line) > 60:
        return False
    m = _class_line_re().match(line)
    if not m:
        return False
    ls = lines.strip_span(i)[0]
    value = m.group("v")
    # The span covers the words as printed; the value is their usual form.
    b.add("classification", ls + m.start("v"), ls + m.end("v"), value=value)
    if any(c.isdigit() for c in line[m.end("v"):]) and not _COPY_LINE.search(line):
        match_refno(b, lines, i)  # "Strictly confidential No 412": the number as well
    return True


def match_doctype(b: SpanBuilder, lines: Lines, i: int) -> bool:
    """'Ministry of Foreign Affairs Telegram' and similar form headings."""
    line = _line(lines, i)
    if not line or len(line) > 80:
        return False
    if line.isascii() and not line.lower().endswith(_DOCTYPE_ASCII_ENDS):
        return False
    if not _DOCTYPE.match(line):
        return False
    ls, le = lines.strip_span(i)
    b.add("doctype", ls, le, value=line)
    return True


def match_origin(b: SpanBuilder, lines: Lines, i: int) -> bool:
    """'From Moscow Station', 'From BEIJING No. 1309 …', dotted 'From…Saigon……dispatched …'."""
    line = _line(lines, i)
    if not line or not line[:1].isalpha():
        return False
    if "…" in line or ".." in line or "__" in line:
        parts = [p for p in _LEADER.split(line)]
        if len(parts) >= 2 and parts[0].strip().lower().rstrip(":") in ("from", "od", "из"):
            value = parts[1].strip()
            if not value:
                return False
            attrs: dict[str, object] = {"value": value, "form": True}
            for part in parts[2:]:
                fm = _FORM_KEY.match(part.strip())
                if fm:
                    attrs[fm.group(1).lower().replace(" ", "_")] = fm.group(2).strip()
            ls, le = lines.strip_span(i)
            b.add("origin", ls, le, **attrs)
            return True
        return False
    m = _FROM.match(line)
    if not m or len(line) > 120:
        return False
    value = m.group("v")
    cut = _FROM_CUT.search(value)
    if cut:
        value = value[: cut.start()].strip()
    value = value.rstrip(",.;:")
    if not value or len(value) > 60 or _NOT_ORIGIN.match(value):
        return False
    ls, le = lines.strip_span(i)
    b.add("origin", ls, le, value=value)
    ref = vocab.number_sign_re().search(line) if _HAS_SIGN.search(line) else None
    if ref:
        sm = _SERIES_PREFIX.search(line, 0, ref.start())
        _add_refno(b, ls, line, sm.start() if sm else ref.start(), ref.end("n"))
    return True


def match_refno(b: SpanBuilder, lines: Lines, i: int) -> bool:
    """The document's number on line i: 'Foreign Ministry (65) No. Mao-1014', 'No. 11464'
    (from 'Ciphergram No. 11464'), 'Reg. No. 1108', '318/63' (from 'Ref.: 318/63'), a bare
    series number ('OLC 75-1604', '002291/1960').  A copy's number is not the document's.
    """
    line = _line(lines, i)
    # Every number form holds a digit: most lines are refused by that one C-level search.
    if not line or len(line) > 90 or _DIGIT.search(line) is None or _COPY_LINE.search(line):
        return False
    ls = lines.strip_span(i)[0]
    m = _REFNO_LABEL.match(line)
    if m:
        return _add_refno(b, ls, line, m.start("v"), m.end("v"))
    m = vocab.number_sign_re().search(line) if _HAS_SIGN.search(line) else None
    if m:
        prefix = line[:m.start()].strip()
        rest = line[m.end():].strip()
        if len(rest) > 60 or parse_date_line(line) and not prefix:
            return False
        start = m.start()
        if prefix:
            if _NOT_REF_PREFIX.search(prefix):
                return False  # "DOCUMENT NO. 14", "Briefing Book #193": not this text's number
            sm = _SERIES_PREFIX.search(prefix)
            if sm and sm.group(0).startswith("("):
                start = 0  # the series with its year: "Foreign Ministry (65) No. …"
            elif sm:
                start = sm.start()  # "Reg. No.", "Special No.", "Outgoing No."
        return _add_refno(b, ls, line, start, m.end("n"))
    if _DOC_ID.match(line) and not parse_date_line(line) and not _NOT_DOC_ID.match(line):
        return _add_refno(b, ls, line, 0, len(line))
    return False


def _add_refno(b: SpanBuilder, ls: int, line: str, s: int, e: int) -> bool:
    """A refno span over line[s:e] (its offsets relative to the line at ls)."""
    while e > s and line[e - 1] in " ,;:":
        e -= 1
    if e <= s:
        return False
    b.add("refno", ls + s, ls + e, value=line[s:e])
    return True


def match_addressee(b: SpanBuilder, lines: Lines, i: int, bare_colon: bool = False) -> bool:
    """'To the Foreign Ministry:', '[To the] Xinjiang Foreign Affairs Office:', '苏共中央:'."""
    line = _line(lines, i)
    if not line:
        return False
    ls, le = lines.strip_span(i)
    if len(line) <= 120:
        m = _ADDRESSEE_TO.match(line)
        if m and (line.endswith((":", "：")) or _WORD_COLON.match(line)):
            value = m.group("v").strip().rstrip(":：").strip()
            if value:
                b.add("addressee", ls, le, value=value)
                return True
        if (bare_colon and line.endswith((":", "：")) and len(line) <= 60
                and not any(c.isdigit() for c in line) and not _NOT_ADDRESSEE.match(line)):
            value = line.rstrip(":：").strip()
            if value:
                b.add("addressee", ls, le, value=value)
                return True
    if bare_colon:
        m = _ADDRESSEE_CJK.match(lines.items[i].lstrip()[:40])
        if m:
            b.add("addressee", ls, ls + m.end(), value=m.group("v"))
            return True
    return False


def match_signature(b: SpanBuilder, lines: Lines, i: int) -> bool:
    """'/-/ Maneli', '13.1.51 ROSHCHIN', '(signed) Johnson'."""
    line = _line(lines, i)
    if not line or len(line) > 80:
        return False
    for rx in (*_SIGNATURE, vocab.signature_mark_re()):
        m = rx.match(line)
        if m:
            ls, le = lines.strip_span(i)
            attrs: dict[str, object] = {"value": m.group("v").strip()}
            iso = parse_date(line[: m.start("v")]) if m.start("v") else None
            if iso:
                attrs["date"] = iso
            b.add("signature", ls, le, **attrs)
            return True
    return False


def find_closer(b: SpanBuilder, lines: Lines, lo: int, hi: int, claimed: set[int]) -> int | None:
    """The closer: the last dateline of the body with the short sender line above it."""
    for i in range(hi - 1, lo - 1, -1):
        if i in claimed:
            continue
        line = _line(lines, i)
        if not line or len(line) > 60:
            continue
        iso = parse_date_line(line)
        if not iso:
            continue
        start, end = lines.strip_span(i)
        p = lines.prev_nb(i, lo, 3)
        if p is not None and p not in claimed:
            prev = _line(lines, p)
            if (prev and len(prev) <= 80 and prev[-1] not in ".:;,!?" and not prev[:1].isdigit()):
                start = lines.strip_span(p)[0]
                claimed.add(p)
        claimed.add(i)
        b.add("closer", start, end, date=iso)
        return i
    return None
