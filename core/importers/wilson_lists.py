"""Distribution lists: a label (``Distribution:``, ``Copies to:``, ``Received by:``,
``Verteiler:``, ``(FYI: …)``, ``This letter was sent to:``, a ``DISTRIBUTION`` heading …,
the labels being data in ``vocab/labels.toml``), then names on its line or in a column
below; the unlabelled office list ending in ``Twenty copies printed``; the footnote sentence
``Copies were sent to A, B and C.``; a label run into a long (OCR) line.

A column's items may carry the prefixes real lists use: dashes and bullets (with blank lines
between names), serial numbers (``1 – Cde. Gromyko``, ``Copy 2 – …``, ``1. Ausf. …``), copy
counts (``1x …``, ``2 - OLC``, ``Orig & 1 - Addressee``) and counts after the name
(``Stalin (2)``, ``Cde. Stalin – 2 copies``, ``(2 copies)``).  Numbers that run 1, 2, 3 … are
serials; others are counts.  The recipient span covers the name alone.
"""
from __future__ import annotations

import re
from functools import cache
from itertools import accumulate

from emendo.core.importers import vocab
from emendo.core.importers._base import Lines, SpanBuilder

MAX_LIST_LINE = 5000  # a list longer than this is not a list; keeps huge lines out
MAX_COLUMN = 60  # names a column may hold
_ITEM_MAX = 100  # a column line longer than this is text, not a name

# Counts in words, as "Eight copies printed." writes them.
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "a hundred": 100, "one hundred": 100,
}
_NUM = (r"(?:\d+|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[\s\-]"
        r"(?:one|two|three|four|five|six|seven|eight|nine)|"
        + "|".join(sorted(map(re.escape, _NUMBER_WORDS), key=len, reverse=True)) + ")")
_PRODUCED = re.compile(
    rf"^(?P<label>(?:Produced|Printed|Made|Prepared|Written)\s*:?\s+in\s+(?P<n>{_NUM})\s+"
    r"cop(?:y|ies))(?:\s+for)?\s*[:：]?\s*", re.IGNORECASE)
_PRINTED = re.compile(
    rf"(?:^|[\s,;.])(?P<phrase>(?P<n>{_NUM})\s+cop(?:y|ies)\s+(?:printed|made|produced|"
    r"run off)|(?:printed|copies)\s*[:：]?\s*(?P<n2>\d+)(?:\s+cop(?:y|ies))?|"
    rf"(?:printed|made|produced)\s+in\s+(?P<n3>{_NUM})\s+cop(?:y|ies))\s*[.:：]?\s*$",
    re.IGNORECASE)
# "Copies were sent to Stalin, Molotov and Beria." (a footnote or a closing sentence).
# Copies printed, as other languages write it at the head of a column of names.
_PRINTED_AS = re.compile(
    r"^(?P<phrase>(?:Отп(?:ечатано)?\.?|Напечатано)\s*(?P<a>\d+)\s*экз\.?|"
    r"Wykonano\s+w\s+(?P<b>\d+)\s+egz\.?|Készült\s+(?P<c>\d+)\s+példányban\.?|"
    r"(?P<d>\d+)\s+Ausfertigungen\.?)\s*[:：]?\s*$", re.IGNORECASE)
_SENT_SENTENCE = re.compile(
    r"^(?:[*†]+\s*|\d{1,2}\.?\s+)?(?P<label>(?P<subject>(?:[\w’']+\s+){0,3}?)(?:was|were|is|"
    r"are|have\s+been|has\s+been)\s+(?:sent|distributed|forwarded|circulated|copied)\s+to)"
    r"\s*(?P<colon>[:：])?\s*", re.IGNORECASE)
_COPY_SUBJECT = re.compile(r"(?:^|\s)cop(?:y|ies)\s*$", re.IGNORECASE)
_SEPARATORS = ",;、，；"
_TRIM = _SEPARATORS + " ."
_DIGIT = re.compile(r"\d")
_ITEM = re.compile(r"[^,;、，；]+")
# A count after the name: "Stalin (2)", "(2 copies)", "– 2 copies", ", 2 copies".
_COUNT = re.compile(
    rf"(?:\s*\((?P<n>\d+)(?:\s*(?:x|cop(?:y|ies)|egz\.?|экз\.?|Ausf\.?))?\)|"
    rf"\s*[–—\-,]\s*(?P<w>{_NUM})\s+(?:cop(?:y|ies)|egz\.?|экз\.?|Ausf\.?|példány|"
    r"Exemplare?))\s*$", re.IGNORECASE)
_LEADING_AND = re.compile(r"^(?:and|und|i|и|et)\s+", re.IGNORECASE)
# The prefixes of a column item, by style: a copy number, a count, a bullet.
_PREFIX = re.compile(
    r"^(?:(?P<orig>Orig(?:inal)?\.?(?:\s*(?:&|\+|and)\s*\d+)?\s*[–—\-]\s*)|"
    r"(?P<copy>(?:Copy|Ex(?:emplar)?\.?|Egz\.?|Экз\.?)\s*(?:No\.?\s*|№\s*|#\s*)?(?P<cn>\d+)"
    r"\s*[–—\-:.]\s*)|"
    r"(?P<ausf>(?P<an>\d+)\.\s*(?:Ausf(?:ertigung)?|Expl|Exemplar|egz|Ex|экз)(?:\.|(?=\s))\s*)|"
    r"(?P<times>(?P<tn>\d+)\s*x\s+)|"
    r"(?P<numdot>(?P<nn>\d{1,2})[.)]\s+)|"
    r"(?P<dash>(?P<dn>\d+)\s*[–—\-]\s*)|"
    r"(?P<bullet>[\-–—•·*▪]\s*))")
_COPY_WORDS = frozenset(("ausfertigung", "exemplar", "copy", "egz", "экз", "példány", "výtisk"))
_TO_WORD = re.compile(r"^to\s+(?=[A-ZА-ЯЁ]|the\s)")
_SPLIT = re.compile(r"[,;、，；]")
_PLUS_ONE = (1).__add__  # an item's length plus its separator
_SEP_TO_COMMA = str.maketrans({c: "," for c in _SEPARATORS})
_INITIAL_END = re.compile(r"(?:^|\s)\w\.$")
_MISS = object()


@cache
def _label_re() -> re.Pattern[str]:
    """A list label at a line's start: '(FYI:', 'Distribution (eight copies):', 'cc:' …"""
    return re.compile(
        r"^[(*\s]{0,3}(?P<label>" + vocab.alternation(vocab.terms("labels", "lists"))
        + r")(?:\s*\((?P<paren>[^()\n]{1,40})\))?\s*(?P<colon>[:：])?\s*", re.IGNORECASE)


@cache
def _inline_label_re() -> re.Pattern[str]:
    """A capitalised list label with its colon inside a run-together line."""
    words = [w for w in vocab.terms("labels", "lists") if w[:1].isupper() and len(w) > 3]
    return re.compile(r"(?<=\s)(?P<label>" + vocab.alternation(words) + r")\s*[:：]\s*")


def _count_of(word: str) -> int | None:
    """The number a count is written with ('8', 'eight', 'twenty-five')."""
    w = word.strip().lower()
    if w.isdigit():
        return int(w)
    if w in _NUMBER_WORDS:
        return _NUMBER_WORDS[w]
    parts = re.split(r"[\s\-]", w)
    if len(parts) == 2 and parts[0] in _NUMBER_WORDS and parts[1] in _NUMBER_WORDS:
        return _NUMBER_WORDS[parts[0]] + _NUMBER_WORDS[parts[1]]
    return None


def _items(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """Offsets of the comma/semicolon separated items of text[lo:hi] (parentheses respected)."""
    if text.find("(", lo, hi) < 0:
        return [m.span() for m in _ITEM.finditer(text, lo, hi)]
    seg = text[lo:hi]
    out: list[tuple[int, int]] = []
    depth = 0
    start = 0
    for k, ch in enumerate(seg):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif ch in _SEPARATORS and depth == 0:
            out.append((lo + start, lo + k))
            start = k + 1
    out.append((lo + start, lo + len(seg)))
    return out


# Lists repeat the same offices and names from cable to cable, so each item's reading
# (a pure function of its text) is remembered; the memo is emptied when it grows.
_MEMO_MAX = 8192
_item_memo: dict[str, tuple[int, int, str, dict[str, object]] | None] = {}


def _read_item(raw: str) -> tuple[int, int, str, dict[str, object]] | None:
    """One list item: (start, end of the name in raw, the name, extra attrs), or None.

    ``extra`` may hold ``count`` (a count after the name) and ``_num``/``_style`` (the
    number and style of a prefix, resolved into a count or a serial by the list).
    """
    seg = raw.lstrip()
    s = len(raw) - len(seg)
    seg = seg.rstrip().rstrip(".;")
    if not seg:
        return None
    attrs: dict[str, object] = {}
    pm = _PREFIX.match(seg) if (seg[0].isdigit() or seg[0] in "-–—•·*▪OoCcEeЭ") else None
    if pm and len(seg) > pm.end():
        style = pm.lastgroup or ""
        num = (pm.group("cn") or pm.group("an") or pm.group("tn") or pm.group("dn")
               or pm.group("nn"))
        if style == "orig":
            attrs["_style"] = "orig"
        elif num is not None:
            attrs["_style"] = style
            attrs["_num"] = int(num)
        else:
            attrs["_style"] = style
        s += pm.end()
        seg = seg[pm.end():]
    tm = _TO_WORD.match(seg)
    if tm and len(seg) > tm.end():
        s += tm.end()
        seg = seg[tm.end():]
    m = _LEADING_AND.match(seg)
    if m and len(seg) > m.end():
        s += m.end()
        seg = seg[m.end():]
    if ")" in seg or "cop" in seg.lower() or "egz" in seg or "экз" in seg:
        cm = _COUNT.search(seg)
        if cm and cm.start() > 0:
            n = int(cm.group("n")) if cm.group("n") else _count_of(cm.group("w"))
            if n:
                attrs["count"] = n
                seg = seg[: cm.start()].rstrip()
    if seg.startswith("(") and seg.endswith(")") and seg.count("(") == 1:
        s += 1
        seg = seg[1:-1].strip()
    elif seg.endswith(")") and seg.count(")") > seg.count("("):
        seg = seg[:-1].rstrip()  # "(FYI: NSC)": the label's parenthesis closes after it
    if not seg or seg.lower().rstrip(".") in _COPY_WORDS:
        return None  # "1. Ausfertigung": this copy's own number, no recipient
    if seg.lower() == "[illegible]" or (seg.startswith("[") and "illegib" in seg.lower()):
        attrs["illegible"] = True
    return s, s + len(seg), seg, attrs


def _resolve_numbers(attrs: list[dict[str, object]]) -> None:
    """Prefix numbers become counts or are dropped as serials (1, 2, 3 … in order)."""
    nums = [a.get("_num") for a in attrs if a.get("_style") in ("dash", "times", "copy", "ausf")]
    serial = len(nums) >= 2 and nums == list(range(1, len(nums) + 1))
    for a in attrs:
        style = a.pop("_style", None)
        num = a.pop("_num", None)
        if num is None or "count" in a:
            continue
        if style == "times" or (style == "dash" and not serial):
            a["count"] = num


def _add_recipients(b: SpanBuilder, parent_id: int, lo: int, hi: int,
                    and_split: bool = False) -> int:
    """One recipient span per name in text[lo:hi]; returns how many."""
    pieces = _pieces(b.text, lo, hi, and_split)
    if any(p[3] for p in pieces):
        return _add_pieces(b, parent_id, pieces)
    # Most items are a bare name: their attrs built in one pass (lists make most spans).
    b.add_many("recipient", [p[0] for p in pieces], [p[1] for p in pieces],
               [{"name": p[2], "parent": parent_id} for p in pieces])
    return len(pieces)


def _pieces(text: str, lo: int, hi: int, and_split: bool = False
            ) -> list[tuple[int, int, str, dict[str, object]]]:
    """The items of text[lo:hi]: (start, end, name, attrs), prefix numbers unresolved."""
    if text.find("(", lo, hi) < 0:
        # Without parentheses the items are the runs between separators, which a split
        # yields with their text; each separator is one character.
        raws = _SPLIT.split(text[lo:hi])
        offsets = list(accumulate(map(_PLUS_ONE, map(len, raws)), initial=lo))
    else:
        spans = _items(text, lo, hi)
        raws = [text[s:e] for s, e in spans]
        offsets = [s for s, _ in spans]
    if and_split and raws:
        # A sentence ends its list with "and": "Mikoyan and Bulganin".
        k = raws[-1].rfind(" and ")
        if k > 0:
            pos = offsets[len(raws) - 1]
            last = raws.pop()
            raws += [last[:k], last[k + 1:]]
            offsets[len(raws) - 2:] = [pos, pos + k + 1]
    memo = _item_memo
    out: list[tuple[int, int, str, dict[str, object]]] = []
    for pos, raw in zip(offsets, raws):
        item = memo.get(raw, _MISS)
        if item is _MISS:
            item = _read_item(raw)
            if len(memo) >= _MEMO_MAX:
                memo.clear()
            memo[raw] = item
        if item is not None:
            s, e, name, extra = item  # type: ignore[misc]
            out.append((pos + s, pos + e, name, dict(extra) if extra else _NO_ATTRS))
    return out


_NO_ATTRS: dict[str, object] = {}  # shared, never written: items without extra attrs


def _column_pieces(text: str, lines: Lines, column: list[int]
                   ) -> list[tuple[int, int, str, dict[str, object]]]:
    """The items of a column: one a line ("- CHIEF, EUR DIVISION" keeps its comma), unless a
    bare line reads as a list of its own.
    """
    out: list[tuple[int, int, str, dict[str, object]]] = []
    for k in column:
        s, e = lines.strip_span(k)
        if _style(lines.stripped[k]) or not _listlike(lines.stripped[k]):
            item = _read_item(text[s:e])
            if item is not None:
                out.append((s + item[0], s + item[1], item[2], dict(item[3])))
        else:
            out.extend(_pieces(text, s, e))
    return out


def _add_pieces(b: SpanBuilder, parent_id: int,
                pieces: list[tuple[int, int, str, dict[str, object]]]) -> int:
    """Recipient spans for read items (prefix numbers resolved over the whole list)."""
    attrs = [dict(p[3]) if p[3] is _NO_ATTRS else p[3] for p in pieces]
    if any("_style" in a for a in attrs):
        _resolve_numbers(attrs)
    b.add_many("recipient", [p[0] for p in pieces], [p[1] for p in pieces],
               [{"name": p[2], "parent": parent_id, **a} for p, a in zip(pieces, attrs)])
    return len(pieces)


def _printed(s: str) -> re.Match[str] | None:
    """``_PRINTED.search(s)`` over the end of s (the phrase ends the line)."""
    # The regex is tried at every position otherwise, which on a long list line is slow:
    # a phrase is at most a few words long.
    start = max(0, len(s) - 48)
    tail = s[start:].lower()
    if "cop" not in tail and "print" not in tail:
        return None  # every phrase names copies or printing
    return _PRINTED.search(s, start) if start else _PRINTED.search(s)


def _listlike(line: str) -> bool:
    """A line that reads as a list of names rather than a sentence."""
    # Every separator is one character, so mapping them all to a comma lets the str
    # methods (much faster than a regex split on a long line) count and split.
    line = line.translate(_SEP_TO_COMMA)
    if line.count(",") < 2:
        return False
    # Sentences have long comma-free stretches; names are short.
    parts = line.split(",")
    if max(map(len, parts)) <= 80:  # short enough even before stripping
        return True
    return all(len(p.strip()) <= 80 for p in parts)


def _style(line: str) -> str:
    """The prefix style of a column line ('' for a bare name)."""
    pm = _PREFIX.match(line) if line and (line[0].isdigit() or line[0] in "-–—•·*▪OoCcEeЭ") \
        else None
    if not pm or len(line) <= pm.end():
        return ""
    style = pm.lastgroup or ""
    return "dash" if style == "orig" else style


def _name_like(line: str) -> bool:
    """A short line that can be one name of a column (no sentence, no label)."""
    if len(line) > _ITEM_MAX or line.endswith((":", "：")) or len(line.split()) > 10:
        return False
    if line.endswith(".") and not _INITIAL_END.search(line) and len(line.split()) > 2 \
            and not _COUNT.search(line.rstrip(".")):
        return False  # a sentence ("Eight copies printed."), but "A. B." initials are fine
    if _printed(line) or line.lower().startswith("approved for release"):
        return False
    return not vocab.classification_re().fullmatch(line.rstrip("!. "))


def _column(lines: Lines, j: int, hi: int) -> list[int]:
    """The lines of a column of names from j: one style of prefix, the spacing of its start.

    A blank line may separate the names when it already separated the first two (or the
    label and the first, for bulleted and numbered items); two blank lines end the list.
    """
    stripped = lines.stripped
    first = stripped[j]
    if not _name_like(first):
        return []
    style = _style(first)
    out = [j]
    gapped: bool | None = None
    k = j + 1
    while k < hi and len(out) < MAX_COLUMN:
        gap = 0
        while k < hi and not stripped[k] and gap < 2:
            gap += 1
            k += 1
        if k >= hi or gap >= 2 or not stripped[k]:
            break
        if gap and gapped is False and not style:
            break  # bare names set close together end at a blank line; numbered ones go on
        if gap and gapped is None and not style:
            # Bare names spaced by blank lines: only when the next one is a name as well.
            if not (_name_like(stripped[k]) and _style(stripped[k]) == ""):
                break
        line = stripped[k]
        if len(lines.items[k]) > MAX_LIST_LINE or not _name_like(line) or _style(line) != style:
            break
        if gapped is None:
            gapped = bool(gap)
        out.append(k)
        k += 1
    return out


def match_list(b: SpanBuilder, lines: Lines, i: int, hi: int) -> tuple[int, int] | None:
    """A distribution list at line i: spans added, (first, last) line indices returned."""
    if len(lines.items[i]) > MAX_LIST_LINE:
        return None
    line = lines.stripped[i]
    if not line:
        return None
    head = line[:60]
    if ":" in head or "：" in head or len(line) <= 40:
        m = _label_re().match(line)
        if m and (m.group("colon") or m.end() >= len(line)):
            found = _labelled(b, lines, i, hi, m)
            if found is not None:
                return found
    low = line.lower()
    if "sent to" in low or "distributed to" in low or "forwarded to" in low:
        found = _sentence(b, lines, i, hi)
        if found is not None:
            return found
    if "cop" in low or "print" in low or "экз" in low or "egz" in low or "példány" in low \
            or "ausfertig" in low:
        found = _counted(b, lines, i, hi)
        if found is not None:
            return found
    if len(line) > 200 and ":" in line:
        return _inline(b, lines, i)
    return None


def _labelled(b: SpanBuilder, lines: Lines, i: int, hi: int,
              m: re.Match[str]) -> tuple[int, int] | None:
    """A labelled list: names after the label, or on the lines below it."""
    ls, le = lines.strip_span(i)
    label = m.group("label")
    copies: int | None = None
    copies_span: tuple[int, int] | None = None
    paren = m.group("paren")
    if paren:
        pm = re.match(rf"^(?P<n>{_NUM})\s+cop(?:y|ies)$", paren.strip(), re.IGNORECASE)
        copies = _count_of(pm.group("n")) if pm else None
    items_lo, items_hi = ls + m.end(), le
    if not m.group("colon") and items_lo < le:
        return None  # a heading without a colon must stand alone
    last = i
    if items_lo >= le:  # label alone on its line: the names follow below
        j = lines.next_nb(i, hi, 2)
        if j is None or len(lines.items[j]) > MAX_LIST_LINE:
            return None
        if _listlike(lines.stripped[j]) and _style(lines.stripped[j]) == "":
            last = j
            items_lo, items_hi = lines.strip_span(j)
            le = items_hi
        else:
            column = _column(lines, j, hi)
            if not column or (len(column) < 2 and not m.group("colon")):
                return None
            dist = b.add("distribution", ls, lines.strip_span(column[-1])[1], label=label)
            if copies is not None:
                dist.attrs["copies"] = copies
            pieces = _column_pieces(b.text, lines, column)
            _add_pieces(b, dist.id, pieces)
            return i, column[-1]
    # The printed-copies phrase may also close a labelled list.
    look = copies is None and items_hi - items_lo > 6
    tail = b.text[max(items_lo, items_hi - 48):items_hi] if look else ""
    pm2 = _printed(tail) if tail and ("cop" in tail.lower() or "print" in tail.lower()) else None
    if pm2:
        n = pm2.group("n") or pm2.group("n2") or pm2.group("n3")
        copies = _count_of(n) if n else None
        base = items_hi - len(tail)
        copies_span = (base + pm2.start("phrase"), items_hi)
        items_hi = base + pm2.start("phrase")
    while items_hi > items_lo and b.text[items_hi - 1] in _TRIM:
        items_hi -= 1
    if items_hi <= items_lo:
        return None
    dist = b.add("distribution", ls, le, label=label)
    if copies is not None:
        dist.attrs["copies"] = copies
    n = _add_recipients(b, dist.id, items_lo, items_hi)
    if n == 0:
        b.spans.remove(dist)
        return None
    _copies_span(b, copies, copies_span)
    return i, last


def _copies_span(b: SpanBuilder, copies: int | None, span: tuple[int, int] | None) -> None:
    """The span of a printed-copies phrase ("Twenty copies printed")."""
    if copies is None or span is None:
        return
    cs, ce = span
    while ce > cs and b.text[ce - 1] in " .:：":
        ce -= 1
    if ce > cs:
        _add_copies(b, cs, ce, copies)


def _add_copies(b: SpanBuilder, cs: int, ce: int, copies: int) -> None:
    """A copies span: its value the count as written ('40', 'Twenty'); ``count`` the number
    when it is written in words.
    """
    m = re.search(rf"(?<!\w){_NUM}(?!\w)", b.text[cs:ce], re.IGNORECASE)
    written = m.group(0) if m else str(copies)
    if written.isdigit():
        b.add("copies", cs, ce, value=written)
    else:
        b.add("copies", cs, ce, value=written, count=copies)


def _sentence(b: SpanBuilder, lines: Lines, i: int, hi: int) -> tuple[int, int] | None:
    """'* Copies were sent to Stalin, Molotov and Bulganin.' or '… was sent to:' + column."""
    line = lines.stripped[i]
    m = _SENT_SENTENCE.match(line)
    if not m:
        return None
    ls, le = lines.strip_span(i)
    label = m.group("label")
    if m.end() >= len(line):  # "This letter was sent to:" with the names below
        if not m.group("colon"):
            return None
        j = lines.next_nb(i, hi, 2)
        if j is None:
            return None
        column = _column(lines, j, hi)
        if not column:
            return None
        dist = b.add("distribution", ls, lines.strip_span(column[-1])[1], label=label)
        pieces = _column_pieces(b.text, lines, column)
        _add_pieces(b, dist.id, pieces)
        return i, column[-1]
    if not (m.group("colon") or _COPY_SUBJECT.search(m.group("subject"))):
        return None  # "The report was sent to Moscow." is a sentence, not a list
    lo = ls + m.end()
    stop = line.find(".", m.end())
    while stop > 0 and stop + 1 < len(line) and not line[stop + 1].isspace():
        stop = line.find(".", stop + 1)  # "D.C." is not the sentence's end
    hi = ls + stop if stop > 0 else le
    seg = b.text[lo:hi]
    if not seg.strip() or max(map(len, _SPLIT.split(seg))) > 80:
        return None
    dist = b.add("distribution", ls, hi, label=label)
    if _add_recipients(b, dist.id, lo, hi, and_split=True) == 0:
        b.spans.remove(dist)
        return None
    return i, i


def _counted(b: SpanBuilder, lines: Lines, i: int, hi: int) -> tuple[int, int] | None:
    """'Produced in 40 copies for: …', 'Zhang, …, Archive Twenty copies printed',
    'Five copies printed.' with the names above it or numbered below it.
    """
    line = lines.stripped[i]
    ls, le = lines.strip_span(i)
    m = _PRODUCED.match(line)
    if m:
        copies = _count_of(m.group("n"))
        items_lo = ls + m.end()
        label = m.group("label")
        if items_lo < le:
            dist = b.add("distribution", ls, le, label=label)
            if copies is not None:
                dist.attrs["copies"] = copies
            if copies is not None:
                _add_copies(b, ls, ls + m.end("label"), copies)
            hi_ = le
            while hi_ > items_lo and b.text[hi_ - 1] in _TRIM:
                hi_ -= 1
            _add_recipients(b, dist.id, items_lo, hi_)
            return i, i
        return _column_after(b, lines, i, hi, label, copies, (ls, ls + m.end("label")))
    am = _PRINTED_AS.match(line)
    if am:
        n = am.group("a") or am.group("b") or am.group("c") or am.group("d")
        return _column_after(b, lines, i, hi, None, int(n), (ls, ls + am.end("phrase")))
    pm = _printed(line) if len(line) <= 2000 else None
    if not pm:
        return None
    n = pm.group("n") or pm.group("n2") or pm.group("n3")
    copies = _count_of(n) if n else None
    phrase_at = pm.start("phrase")
    cspan = (ls + phrase_at, le)
    if phrase_at > 0:
        if not _listlike(line[:phrase_at]):
            return None
        items_lo, items_hi = ls, ls + phrase_at
        while items_hi > items_lo and b.text[items_hi - 1] in _TRIM:
            items_hi -= 1
        dist = b.add("distribution", ls, le, label=None)
        if copies is not None:
            dist.attrs["copies"] = copies
        _add_recipients(b, dist.id, items_lo, items_hi)
        _copies_span(b, copies, cspan)
        return i, i
    # The phrase alone: the names are on the line above, or numbered below it.
    p = lines.prev_nb(i, 0, 2)
    if p is not None and _listlike(lines.items[p]) and len(lines.items[p]) <= MAX_LIST_LINE:
        items_lo, items_hi = lines.strip_span(p)
        dist = b.add("distribution", items_lo, le, label=None)
        if copies is not None:
            dist.attrs["copies"] = copies
        _add_recipients(b, dist.id, items_lo, items_hi)
        _copies_span(b, copies, cspan)
        return p, i
    return _column_after(b, lines, i, hi, None, copies, cspan)


def _column_after(b: SpanBuilder, lines: Lines, i: int, hi: int, label: str | None,
                  copies: int | None, cspan: tuple[int, int]) -> tuple[int, int] | None:
    """A copies phrase heading a column of names below it ('4 copies printed:' …)."""
    j = lines.next_nb(i, hi, 2)
    column = _column(lines, j, hi) if j is not None else []
    # Without a label only numbered or bulleted items are surely a list.
    if j is None or not column or (_style(lines.stripped[j]) == "" and (
            len(column) < 2 or label is None)):
        if copies is None:
            return None
        _copies_span(b, copies, cspan)  # the count alone is still the record's field
        return i, i
    ls = lines.strip_span(i)[0]
    dist = b.add("distribution", ls, lines.strip_span(column[-1])[1], label=label)
    if copies is not None:
        dist.attrs["copies"] = copies
    pieces = _column_pieces(b.text, lines, column)
    _add_pieces(b, dist.id, pieces)
    _copies_span(b, copies, cspan)
    return i, column[-1]


def _inline(b: SpanBuilder, lines: Lines, i: int) -> tuple[int, int] | None:
    """A list label run into a long line (OCR): the names to the line's end."""
    line = lines.items[i]
    found = None
    for m in _inline_label_re().finditer(line, 0, MAX_LIST_LINE):
        found = m
    if found is None:
        return None
    rest = line[found.end():].rstrip()
    if not _listlike(rest):
        return None
    s = lines.start(i)
    lo, hi = s + found.end(), s + len(rest) + found.end()
    while hi > lo and b.text[hi - 1] in _TRIM:
        hi -= 1
    dist = b.add("distribution", s + found.start(), hi, label=found.group("label"))
    if _add_recipients(b, dist.id, lo, hi) == 0:
        b.spans.remove(dist)
        return None
    return i, i


def scan_lists(b: SpanBuilder, lines: Lines, lo: int, hi: int) -> None:
    """Every distribution list in lines[lo:hi] not already read (for the US layouts, which
    read their own INFO and repeat lists first).
    """
    taken: set[int] = set()
    for sp in b.spans:
        if sp.kind == "distribution" and sp.start is not None and sp.end is not None:
            taken.update(range(lines.line_of(sp.start), lines.line_of(sp.end) + 1))
    i = lo
    while i < hi and not b.truncated:
        if i in taken or not lines.stripped[i]:
            i += 1
            continue
        found = match_list(b, lines, i, hi)
        i = found[1] + 1 if found else i + 1
