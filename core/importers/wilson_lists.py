"""Distribution lists: 'Distribution:', 'Copies:', 'FYI:', 'Produced in N copies for:' and
the unlabelled office list that ends in 'N copies printed'."""
from __future__ import annotations

import re

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
_SEPARATORS = ",;、，；"
_DIGIT = re.compile(r"\d")
_ITEM = re.compile(r"[^,;、，；]+")
_COUNT = re.compile(r"\s*\((?P<n>\d+)\)\s*$")
_LEADING_AND = re.compile(r"^(?:and|und|i|и|et)\s+", re.IGNORECASE)


def _items(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """Offsets of the comma/semicolon separated items of text[lo:hi] (parentheses respected)."""
    seg = text[lo:hi]
    if "(" not in seg:
        return [(lo + m.start(), lo + m.end()) for m in _ITEM.finditer(seg)]
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


def _add_recipients(b: SpanBuilder, parent_id: int, lo: int, hi: int) -> int:
    """One recipient span per name in text[lo:hi]; returns how many."""
    text = b.text
    order = 0
    for s, e in _items(text, lo, hi):
        seg = text[s:e]
        lead = len(seg) - len(seg.lstrip())
        s += lead
        seg = seg.strip().rstrip(".")
        if not seg:
            continue
        m = _LEADING_AND.match(seg)
        if m and len(seg) > m.end():
            s += m.end()
            seg = seg[m.end():]
        attrs: dict[str, object] = {}
        cm = _COUNT.search(seg)
        if cm and cm.start() > 0:
            attrs["count"] = int(cm.group("n"))
            seg = seg[: cm.start()].rstrip()
        if not seg:
            continue
        if seg.lower() == "[illegible]" or (seg.startswith("[") and "illegib" in seg.lower()):
            attrs["illegible"] = True
        order += 1
        b.add("recipient", s, s + len(seg), name=seg, parent=parent_id, **attrs)
    return order


def _listlike(line: str) -> bool:
    """A line that reads as a list of names rather than a sentence."""
    if sum(line.count(c) for c in _SEPARATORS) < 2:
        return False
    # Sentences have long comma-free stretches; names are short.
    return all(len(p.strip()) <= 80 for p in re.split(r"[,;、，；]", line))


def match_list(b: SpanBuilder, lines: Lines, i: int, hi: int) -> tuple[int, int] | None:
    """A distribution list at line i: spans added, (first, last) line indices returned."""
    raw = lines.items[i]
    if len(raw) > MAX_LIST_LINE:
        return None
    line = raw.strip()
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
        if "n" in m.groupdict() and m.groupdict().get("n"):
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
    else:
        pm = _PRINTED.search(line) if len(line) <= 2000 and _DIGIT.search(line) else None
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
        tail = b.text[items_lo:items_hi]
        pm = _PRINTED.search(tail) if _DIGIT.search(tail[-40:]) else None
        if pm:
            copies = int(pm.group("n") or pm.group("n2") or pm.group("n3"))
            copies_span = (items_lo + pm.start("phrase"), items_lo + len(tail.rstrip()))
            items_hi = items_lo + pm.start("phrase")
    # Trim the separators left between the names and the copies phrase.
    while items_hi > items_lo and b.text[items_hi - 1] in _SEPARATORS + " .":
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
