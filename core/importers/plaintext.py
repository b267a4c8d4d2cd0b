"""Plain text that is not a Wilson Center page: titled by its first meaningful line.

Nothing is removed from the text.  Reading-site controls at the very top (very short lines
such as "关灯", "护眼", "字体:") are marked ``chrome`` and never become the title; a heading
that carries its own date in parentheses ("…的报告(1966年7月18日)") is preferred as the
title because reprint sites put the tail of the previous document above it.  Bracket
conventions, datelines, stamps, priorities and distribution lists are recognised as in a
Wilson Center page.
"""
from __future__ import annotations

import re

from emendo.core.dates import parse_date_line
from emendo.core.importers import fields as F
from emendo.core.importers._base import Lines, SpanBuilder
from emendo.core.importers.header import (
    find_addressee,
    find_doctype,
    find_origin,
    find_signature,
)
from emendo.core.importers.marks import scan_marks
from emendo.core.importers.postings import entry_parties, read_posting
from emendo.core.importers.wilson_lists import match_list
from emendo.core.model import Document

_UI_WORDS = frozenset((
    "skip to content", "skip to main content", "menu", "search", "home", "login", "log in",
    "sign in", "register", "share", "print", "close", "top", "back", "next", "previous",
    "font", "font size", "night mode", "dark mode", "light mode", "theme", "settings",
    "目录", "书签", "加入书签", "上一章", "下一章", "上一页", "下一页", "返回", "首页", "设置",
    "夜间", "夜间模式", "关灯", "开灯", "护眼", "字体", "字号", "大", "中", "小", "默认",
    "меню", "поиск", "войти", "назад", "вперёд", "вперед", "шрифт",
))
_DATED_HEADING = re.compile(r"[（(]\s*(?P<d>[^()（）\n]{4,40}?)\s*[)）]\s*$")
_HEAD_SCAN = 40  # field lines (priority, classification, numbers) live near the top
_TITLE_MAX = 300


def _ui_like(line: str) -> bool:
    """A reading-site control rather than document text."""
    if len(line) > 40:
        return False
    low = line.lower().rstrip(":：").strip()
    if low in _UI_WORDS:
        return True
    if any(c.isdigit() for c in line):
        return False
    if len(line) <= 4 and not line.startswith("["):
        return True
    return line.endswith((":", "：")) and len(line) <= 8


def parse_plaintext(raw: str, name: str = "") -> Document:
    """A Document from any text that is not a Wilson Center page."""
    source = raw
    text = raw.replace("\r\n", "\n").replace("\r", "\n") if "\r" in raw else raw
    if text.startswith("\ufeff"):
        text = text[1:]
    b = SpanBuilder(text)
    L = Lines(text)
    claimed: set[int] = set()

    # Leading UI lines: only a run of them that is followed by real text.
    nbs = [i for i in range(min(L.n, 400)) if L.stripped[i]][:60]
    ui: list[int] = []
    first_real = None
    for i in nbs[:12]:
        if _ui_like(L.stripped[i]):
            ui.append(i)
        else:
            first_real = i
            break
    if first_real is None:
        ui = []
        first_real = nbs[0] if nbs else None
    for i in ui:
        s, e = L.strip_span(i)
        b.add("chrome", s, e, note="reading-site control")
        claimed.add(i)

    # An archive's posting model (NSArchive entry, CREST page) gives what its layout holds.
    posting = read_posting(b, L)
    head_lo = 0
    title_i = None
    date: str | None = None
    if posting is not None:
        claimed.update(posting.claimed)
        head_lo = posting.body_lo
        date = posting.date
        title_i = posting.title_line

    # Title and date: a heading that dates itself, else the first meaningful line.
    for i in nbs if title_i is None else ():
        if i in claimed or len(L.items[i]) > 200:
            continue
        m = _DATED_HEADING.search(L.items[i])
        if m and m.start() > 0:
            iso = parse_date_line(m.group("d"))
            if iso:
                title_i, date = i, iso
                s = L.start(i)
                b.add("date", s + m.start("d"), s + m.end("d"), value=iso)
                break
    if title_i is None:
        for i in nbs:
            if i in claimed:
                continue
            if title_i is None and not parse_date_line(L.items[i]):
                title_i = i
            if date is None and i <= (nbs[min(len(nbs) - 1, 10)]):
                iso = parse_date_line(L.items[i])
                if iso:
                    date = iso
                    s, e = L.strip_span(i)
                    b.add("date", s, e, value=iso)
                    claimed.add(i)
            if title_i is not None and (date is not None or i > nbs[min(len(nbs) - 1, 10)]):
                break
        if title_i is None and first_real is not None:
            title_i = first_real
    title = name or "Untitled"
    if posting is not None and posting.title:
        title = posting.title[:_TITLE_MAX]
    elif title_i is not None:
        s, e = L.strip_span(title_i)
        title = text[s:min(e, s + _TITLE_MAX)].strip()
        b.add("title", s, e, value=title)
        claimed.add(title_i)
        nxt = L.next_nb(title_i, None, 4)
        if nxt is not None and nxt not in claimed and F.match_addressee(b, L, nxt, bare_colon=True):
            claimed.add(nxt)

    # Field lines: the head of the document for form fields, anywhere for blocks.
    i = 0
    while i < L.n and not b.truncated:
        st = L.stripped[i]
        if not st or len(st) > 5000:
            i += 1
            continue
        if i in claimed:
            # A whole cable run into its title line (OCR) may still end in its list.
            if len(st) > 200:
                match_list(b, L, i, L.n)
            i += 1
            continue
        last = F.match_stamp(b, L, i, L.n)
        if last is not None:
            claimed.update(range(i, last + 1))
            i = last + 1
            continue
        span = match_list(b, L, i, L.n)
        if span is not None:
            claimed.update(range(span[0], span[1] + 1))
            i = span[1] + 1
            continue
        if i < head_lo + _HEAD_SCAN and (F.match_priority(b, L, i, bare=len(st) <= 30)
                               or F.match_classification(b, L, i)
                               or F.match_origin(b, L, i)
                               or F.match_refno(b, L, i)):
            claimed.add(i)
        elif len(st) <= 80 and F.match_signature(b, L, i):
            claimed.add(i)
        i += 1

    head = max(head_lo, (title_i + 1) if title_i is not None else 0)
    find_doctype(b, L, head_lo, L.n)
    find_addressee(b, L, head, L.n, claimed)
    find_origin(b, L, head, L.n, claimed)
    if posting is not None:
        entry_parties(b, posting)
    find_signature(b, L, 0, L.n, claimed)
    marks_complete = scan_marks(b, 0, len(text))
    doc = Document(title=title or name or "Untitled", text=text, spans=b.spans,
                   source_text=source, date=date, source_name=name,
                   meta={"importer": "plaintext"})
    if not marks_complete or b.truncated:
        doc.meta["marks_truncated"] = True
    doc.assign_ids()
    return doc
