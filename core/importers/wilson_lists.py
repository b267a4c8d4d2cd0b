"""Distribution lists: 'Distribution:', 'Copies:', 'FYI:', 'Produced in N copies for:' and
the unlabelled office list that ends in 'N copies printed'.
"""
from __future__ import annotations

import re
from itertools import accumulate

from emendo.core.importers._base import Lines, SpanBuilder

MAX_LIST_LINE = 5000  # a list longer than this is not a list; keeps huge lines out

_LABELLED = re.compile(
    r"^(?P<label>Distribution(?:\s+list)?|Distributed\s+to|Copies(?:\s+to)?|Copy\s+to|FYI|"
    r"cc|c\.c\.|Rozdzielnik|Do\s+wiadomości|Рассылка|Разослано|Копии|抄送|分送|抄报|發送|"
    r"배부)\s*[:：]\s*", re.IGNORECASE)
_PRODUCED = re.compile(
    r"^(?P<label>(?:Produced|Printed|Made|Prepared)\s+in\s+(?P<n>\d+)\s+cop(?:y|ies))"
    r"(?:\s+for)?\s*[:：]?\s*", re.IGNORECASE)
_PRINTED = re.compile(
    r"(?:^|[\s,;.])(?P<phrase>(?P<n>\d+)\s+cop(?:y|ies)\s+(?:printed|made|produced|run off)|"
    r"(?:printed|copies)\s*[:：]?\s*(?P<n2>\d+)(?:\s+cop(?:y|ies))?|"
    r"(?:printed|made|produced)\s+in\s+(?P<n3>\d+)\s+cop(?:y|ies))\.?\s*$", re.IGNORECASE)
# Every character a _PRINTED match can hold after its first: no match starts before the last
# character outside this set, so the search may begin there (see _printed).
_NOT_IN_PRINTED = re.compile(r"[^\s\d:：.copyiesrntdmauf]", re.IGNORECASE)
_SEPARATORS = ",;、，；"
_TRIM = _SEPARATORS + " ."
_DIGIT = re.compile(r"\d")
_ITEM = re.compile(r"[^,;、，；]+")
_COUNT = re.compile(r"\s*\((?P<n>\d+)\)\s*$")
_LEADING_AND = re.compile(r"^(?:and|und|i|и|et)\s+", re.IGNORECASE)
_SPLIT = re.compile(r"[,;、，；]")
_PLUS_ONE = (1).__add__  # an item's length plus its separator
_SEP_TO_COMMA = str.maketrans({c: "," for c in _SEPARATORS})
_MISS = object()


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
    """One list item: (start, end of the name in raw, the name, extra attrs), or None."""
    seg = raw.lstrip()
    s = len(raw) - len(seg)
    seg = seg.rstrip().rstrip(".")
    if not seg:
        return None
    m = _LEADING_AND.match(seg)
    if m and len(seg) > m.end():
        s += m.end()
        seg = seg[m.end():]
    attrs: dict[str, object] = {}
    if ")" in seg:  # _COUNT ends in a parenthesis: no search without one
        cm = _COUNT.search(seg)
        if cm and cm.start() > 0:
            attrs["count"] = int(cm.group("n"))
            seg = seg[: cm.start()].rstrip()
    if not seg:
        return None
    if seg.lower() == "[illegible]" or (seg.startswith("[") and "illegib" in seg.lower()):
        attrs["illegible"] = True
    return s, s + len(seg), seg, attrs


def _add_recipients(b: SpanBuilder, parent_id: int, lo: int, hi: int) -> int:
    """One recipient span per name in text[lo:hi]; returns how many."""
    text = b.text
    if text.find("(", lo, hi) < 0:
        # Without parentheses the items are the runs between separators, which a split
        # yields with their text; each separator is one character.
        raws = _SPLIT.split(text[lo:hi])
        offsets = list(accumulate(map(_PLUS_ONE, map(len, raws)), initial=lo))
    else:
        spans = _items(text, lo, hi)
        raws = [text[s:e] for s, e in spans]
        offsets = [s for s, _ in spans]
    memo = _item_memo
    starts: list[int] = []
    ends: list[int] = []
    attrs: list[dict[str, object]] = []
    for pos, raw in zip(offsets, raws):
        item = memo.get(raw, _MISS)
        if item is _MISS:
            item = _read_item(raw)
            if len(memo) >= _MEMO_MAX:
                memo.clear()
            memo[raw] = item
        if item is not None:
            s, e, name, extra = item  # type: ignore[misc]
            starts.append(pos + s)
            ends.append(pos + e)
            attrs.append({"name": name, "parent": parent_id, **extra}
                         if extra else {"name": name, "parent": parent_id})
    b.add_many("recipient", starts, ends, attrs)
    return len(starts)


def _printed(s: str) -> re.Match[str] | None:
    """``_PRINTED.search(s)``, begun where a match can first start (the phrase ends s)."""
    # The regex is tried at every position otherwise, which on a long list line is slow.
    m = _NOT_IN_PRINTED.search(s[::-1])
    return _PRINTED.search(s, len(s) - 1 - m.start()) if m else _PRINTED.search(s)


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


def _name_column(lines: Lines, j: int, hi: int) -> list[int]:
    """Consecutive lines from j that each read as one name (short, no sentence, no label)."""
    out = []
    for k in range(j, hi):
        line = lines.stripped[k]
        if not line or len(line) > 80 or line.endswith(":") or len(line.split()) > 8:
            break
        if line.endswith(".") and not _INITIAL_END.search(line):
            break  # a sentence, not a name (but "A. B." initials are fine)
        out.append(k)
    return out


_INITIAL_END = re.compile(r"(?:^|\s)\w\.$")


def match_list(b: SpanBuilder, lines: Lines, i: int, hi: int) -> tuple[int, int] | None:
    """A distribution list at line i: spans added, (first, last) line indices returned."""
    if len(lines.items[i]) > MAX_LIST_LINE:
        return None
    line = lines.stripped[i]
    if not line:
        return None
    head = line[:40]
    if ":" not in head and "：" not in head:
        low = line.lower()
        if "cop" not in low and "print" not in low:
            return None  # cheap exit: most lines are neither labelled nor counted lists
    ls, le = lines.strip_span(i)
    label: str | None = None
    copies: int | None = None
    copies_span: tuple[int, int] | None = None
    m = _LABELLED.match(line) or _PRODUCED.match(line)
    first, last = i, i
    if m:
        label = m.group("label")
        if m.re is _PRODUCED and m.group("n"):  # only _PRODUCED has a count group
            copies = int(m.group("n"))
            copies_span = (ls, ls + m.end("label"))
        items_lo = ls + m.end()
        items_hi = le
        if items_lo >= le:  # label alone on its line: the names follow on the next one
            j = lines.next_nb(i, hi, 2)
            if j is None or len(lines.items[j]) > MAX_LIST_LINE:
                return None
            last = j
            items_lo, items_hi = lines.strip_span(j)
            le = items_hi
            if not _listlike(lines.stripped[j]):
                # One name a line ("Distribution:" then a column of names): the list
                # runs on to the first blank line or the first line that is not a name.
                column = _name_column(lines, j, hi)
                if len(column) > 1:
                    dist = b.add("distribution", ls, lines.strip_span(column[-1])[1],
                                 label=label)
                    for k in column:
                        _add_recipients(b, dist.id, *lines.strip_span(k))
                    return first, column[-1]
    else:
        # No digit test first: every _PRINTED phrase holds digits, and _printed is quick.
        pm = _printed(line) if len(line) <= 2000 else None
        if not pm:
            return None
        items_lo, items_hi = ls, ls + pm.start("phrase")
        if not _listlike(line[: pm.start("phrase")]) and pm.start("phrase") > 0:
            return None
        if pm.start("phrase") == 0:
            # "67 copies printed" on its own line: the names are on the line above.
            p = lines.prev_nb(i, 0, 2)
            if p is None or not _listlike(lines.items[p]) or len(lines.items[p]) > MAX_LIST_LINE:
                return None
            first = p
            items_lo, items_hi = lines.strip_span(p)
            ls = items_lo
        copies = int(pm.group("n") or pm.group("n2") or pm.group("n3"))
        copies_span = (lines.strip_span(i)[0] + pm.start("phrase"), lines.strip_span(i)[1])
    # The printed-copies phrase may also close a labelled list.
    if m and copies is None:
        # Look at the last 40 characters before copying the whole (often long) list.
        has_digit = _DIGIT.search(b.text, max(items_lo, items_hi - 40), items_hi)
        tail = b.text[items_lo:items_hi] if has_digit else ""
        pm = _printed(tail) if has_digit else None
        if pm:
            copies = int(pm.group("n") or pm.group("n2") or pm.group("n3"))
            copies_span = (items_lo + pm.start("phrase"), items_lo + len(tail.rstrip()))
            items_hi = items_lo + pm.start("phrase")
    # Trim the separators left between the names and the copies phrase.
    while items_hi > items_lo and b.text[items_hi - 1] in _TRIM:
        items_hi -= 1
    dist = b.add("distribution", ls, le, label=label)
    if copies is not None:
        dist.attrs["copies"] = copies
    n = _add_recipients(b, dist.id, items_lo, items_hi)
    if n == 0 and copies is None:
        b.spans.remove(dist)
        return None
    if copies_span is not None:
        cs, ce = copies_span
        while ce > cs and b.text[ce - 1] in " .":
            ce -= 1
        b.add("copies", cs, ce, value=str(copies))
    return first, last
