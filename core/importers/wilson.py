"""The Wilson Center Digital Archive page parser.

A page copied from the archive reads: site chrome ("Skip to content"), the document date,
its title and a funder line; then the transcription (stamps, handwritten marks, priority,
origin, telegram number, addressee, body, closer, distribution lists); then a summary, a
"Document Information" block with the archival citation and translator, rights text and
site labels (empty ones are chrome) and a trailing funder line.  Chrome is removed from the
text; everything else stays and is covered by spans (see docs/model.md).
"""
from __future__ import annotations

import re

from emendo.core.dates import parse_date, parse_date_line
from emendo.core.importers import fields as F
from emendo.core.importers._base import Lines, SpanBuilder
from emendo.core.importers.header import (
    find_addressee,
    find_doctype,
    find_origin,
    find_signature,
)
from emendo.core.importers.marks import scan_marks
from emendo.core.importers.wilson_lists import match_list
from emendo.core.model import Document

# Labels of the archive's record page (lower case, without a trailing colon).
SITE_LABELS = frozenset((
    "document information", "source", "original archive", "rights", "original uploaded date",
    "type", "language", "original language", "record id", "donors", "funders", "author(s)",
    "authors", "associated places", "associated topics", "associated people & organizations",
    "associated people and organizations", "subjects discussed", "related documents",
    "citation", "keywords", "document type", "record type", "theme", "themes", "period",
    "collections", "available translations",
))
# Labels whose value has a recognisable shape: anything else after them is not their value.
_LABEL_VALUE_SHAPE = {
    "record id": re.compile(r"^\d[\w\-]*$"),
    "original uploaded date": re.compile(r"\d"),
}
_CHROME_LINES = frozenset(("skip to content", "skip to main content", "skip to main navigation",
                           "back to top"))
_FUNDER_HEAD = re.compile(
    r"^This document was made possible with (?:the )?(?:generous )?support (?:from|of)\s+"
    r"(?:the\s+)?(?P<v>.+?)\.?$", re.IGNORECASE)
_FUNDER_TAIL = re.compile(
    r"\b(?:Foundation|Fund|Endowment|Trust|Corporation|Institute|Ministry|Council|Program|"
    r"Programme|Agency|Grant|Society|Commission|Embassy|Government)\b")
_RIGHTS = re.compile(r"welcomes reuse|rights holders?|rights status|copyright|"
                     r"permission to reproduce", re.IGNORECASE)
# "Translated by X", "Obtained and translated for CWIHP by X", "Translated from the Russian
# by X": a few words (bounded, so no backtracking blow-up) may sit between the verb and "by".
_TRANSLATED = re.compile(
    r"(?:^|(?<=[\s.;,]))(?:obtained\s+and\s+)?(?:translated|translation|trans\.)"
    r"(?:\s[^.;\n]{0,60}?)?\s+by\s+", re.IGNORECASE)
_YEAR_ONLY = re.compile(r"^(?:c(?:a|irca)?\.?\s*)?(1[5-9]\d\d|20\d\d)s?$", re.IGNORECASE)
_NAME_SPLIT = re.compile(r",\s*|\s+and\s+|;\s*")
_TRANSLATOR_CUT = re.compile(r"\s+(?:for|from|with)\s+")
_PROSE_START = re.compile(r"^(?:\d{1,2}|[IVX]{1,4}|[a-z])[.)]\s")
# The archive's citation as one quoted reference line (its older pages and PDF exports):
# '"Title," June 19, 1965, History and Public Policy Program Digital Archive, CITATION.
# Translated by X.'
_QUOTED_REF = re.compile(
    r'^\s*[“"](?P<t>[^\n]{3,400}?),?[”"],?\s+(?P<d>[A-Z][a-z]+\.?\s+\d{1,2},\s+\d{4}|\d{4}|'
    r'\d{1,2}\s+[A-Z][a-z]+\s+\d{4}),\s+History and Public Policy Program Digital Archive,\s+'
    r'(?P<rest>[^\n]+?)\s*$', re.MULTILINE)
_CITE_END = re.compile(r"\.\s+(?=(?:Obtained|Translated|Translation|Reprinted|Contributed|"
                       r"Published|Originally|Also|Included|Document|https?:)\b)|\s+https?://|\.$")
# Lines of the older page's chrome before the transcription ("English HTML" ends it).
_LANGUAGE_HTML = re.compile(
    r"^[A-Z][a-z]+(?:\s[A-Z][a-z]+)?\s+(?:HTML|PDF|Transcript|Translation)$")
_OTHER_SITES = ("National Security Archive", "Office of the Historian", "CIA Reading Room",
                "history.state.gov", "nsarchive")
_MARKERS = ("This document was made possible with", "History and Public Policy Program",
            "Digital Archive", "wilsoncenter.org")


# Short lines recur across pages (labels, names, dates): their label reading is remembered.
_MEMO_MAX = 8192
_MISS = object()
_label_memo: dict[str, str | None] = {}


def _label_key(line: str) -> str | None:
    """The site label a line is, or None."""
    if len(line) > 45:
        return None
    key = _label_memo.get(line, _MISS)
    if key is _MISS:
        key = line.strip().rstrip(":：").strip().lower()
        if key not in SITE_LABELS:
            key = None
        if len(_label_memo) >= _MEMO_MAX:
            _label_memo.clear()
        _label_memo[line] = key
    return key  # type: ignore[return-value]


_RIGHTS_PHRASES = ("welcomes reuse", "rights holder", "rights status", "copyright",
                   "permission to reproduce")


def _is_rights(line: str) -> bool:
    """True when _RIGHTS matches somewhere in the line."""
    if line.isascii():  # there the regex's case-insensitive match is plain lower-casing
        low = line.lower()
        return any(p in low for p in _RIGHTS_PHRASES)
    return _RIGHTS.search(line) is not None


def looks_like_wilson(text: str) -> bool:
    """True when the text reads as a page copied from the Wilson Center Digital Archive."""
    head = text[:3000]
    if any(m in head for m in _MARKERS):
        return True
    tail = text[-6000:]
    if any(m in tail for m in _MARKERS[1:]):
        return True
    lines = [ln.strip() for ln in head.split("\n") if ln.strip()][:3]
    # "Skip to content" opens many sites' pages: another archive named at the top wins.
    if lines and lines[0].lower() in _CHROME_LINES and not any(
            o in head for o in _OTHER_SITES):
        return True
    # The archive's own layout: a date line, then a title, then the body.
    if any(ln == "Document Information" for ln in tail.split("\n")):
        return True
    return len(lines) >= 2 and parse_date_line(lines[0]) is not None and "[Stamp]" in head


def strip_chrome(text: str) -> str:
    """The page without its site chrome: 'Skip to content' and empty site labels."""
    return _strip_chrome(text)[0]


def _strip_chrome(text: str) -> tuple[str, list[str], list[str]]:
    """strip_chrome with the lines of its result and those lines stripped (for Lines)."""
    items = text.split("\n")
    stripped = list(map(str.strip, items))
    n = len(items)
    drop = bytearray(n)

    def drop_with_blanks(i: int) -> None:
        drop[i] = 1
        j = i + 1
        while j < n and not stripped[j]:
            drop[j] = 1
            j += 1

    k = 0
    while k < n and not stripped[k]:
        k += 1
    if k < n and len(items[k]) < 40 and stripped[k].lower() in _CHROME_LINES:
        for j in range(0, k):
            drop[j] = 1
        drop_with_blanks(k)
    # Only short lines can be labels: pick them out in one comprehension, not line by line.
    for i in [i for i, line in enumerate(items) if line and len(line) <= 45]:
        if drop[i]:
            continue
        key = _label_key(items[i])
        if key is None:
            continue
        j = i + 1
        while j < n and not stripped[j]:
            j += 1
        if j < n:
            nxt = stripped[j]
            shape = _LABEL_VALUE_SHAPE.get(key)
            empty = _label_key(nxt) is not None or (shape is not None and not shape.search(nxt))
        else:
            empty = True
        if empty:
            drop_with_blanks(i)
    if 1 not in drop:
        return text, items, stripped
    kept = [line for line, d in zip(items, drop) if not d]
    if not kept:
        return "", [""], [""]  # as "".split("\n") gives
    return "\n".join(kept), kept, [st for st, d in zip(stripped, drop) if not d]


def _is_prose(line: str) -> bool:
    """A line of running text (ends the cable's heading block)."""
    if "…" in line or "..." in line:
        return False  # dotted-leader form fields are short however long they look
    # CJK sentences pack more into fewer characters, so a shorter full-stop line is prose.
    return len(line) > 100 or bool(_PROSE_START.match(line)) or (
        len(line) > 60 and line.endswith(".")) or (len(line) > 25 and line.endswith("。"))


def _summary_like(line: str) -> bool:
    """The archive's one-paragraph summary above the trailer (not a mark, not a numbered
    paragraph of the text).
    """
    return len(line) >= 30 and not line.startswith("[") and not _PROSE_START.match(line)


class _Page:
    """One parse: the text, its lines, the spans made and the lines already explained."""

    def __init__(self, text: str, items: list[str] | None = None,
                 stripped: list[str] | None = None) -> None:
        self.text = text
        self.b = SpanBuilder(text)
        self.lines = Lines(text, items, stripped)
        self.claimed: set[int] = set()
        self.title: str = ""
        self.date: str | None = None
        self.head_funder: str | None = None
        self.quoted = False
        self.meta: dict[str, object] = {"importer": "wilson"}

    def claim(self, first: int, last: int) -> None:
        self.claimed.update(range(first, last + 1))

    # -- older pages and PDF exports: the quoted reference line -------------------------
    def quoted_reference(self, lo: int) -> int:
        """Title, date, citation and translator from a quoted reference line near the top;
        the index of the first line of the transcription after the page's chrome.
        """
        L, b, text = self.lines, self.b, self.text
        limit = L.start(min(L.n - 1, 80)) if L.n else 0
        m = _QUOTED_REF.search(text, 0, max(limit, 1))
        if not m:
            return lo
        for kind in ("title", "date"):
            for sp in [sp for sp in b.spans if sp.kind == kind]:
                b.spans.remove(sp)
        title = m.group("t").rstrip(",")
        b.add("title", m.start("t"), m.start("t") + len(title), value=title)
        self.title = title
        iso = parse_date(m.group("d"))
        if iso:
            self.date = iso
            b.add("date", m.start("d"), m.end("d"), value=iso)
        rs = m.start("rest")
        rest = m.group("rest")
        ce = _CITE_END.search(rest)
        cite = rest[:ce.start()] if ce else rest
        cite = cite.rstrip(" .;,")
        if cite:
            b.add("citation", rs, rs + len(cite), value=cite)
        tm = _TRANSLATED.search(rest[:2000])
        if tm:
            name = rest[tm.end():]
            name = re.split(r"\s+https?://|\.(?:\s|$)", name, maxsplit=1)[0]
            name = _TRANSLATOR_CUT.split(name, maxsplit=1)[0].rstrip(". ")
            if name:
                ts = rs + tm.end()
                b.add("translator", ts, ts + len(name), value=name)
        self.quoted = True
        ref_line = L.line_of(m.start("t"))
        first = ref_line + 1
        # The chrome ends at a "English HTML" line; the title may stand again below it.
        # (The PDF export puts its Summary, Original Language and Contents labels between.)
        for k in range(ref_line + 1, min(L.n, ref_line + 40)):
            if _LANGUAGE_HTML.match(L.stripped[k]):
                first = k + 1
                nxt = L.next_nb(k, None, 4)
                if nxt is not None and L.stripped[nxt].rstrip(",") == title:
                    first = nxt + 1
                break
        self.claim(0, first - 1)
        return max(lo, first)

    # -- page header: date, title, funder -------------------------------------------------
    def header(self) -> int:
        """Recognise the page header; return the index of the first line after it."""
        L, b = self.lines, self.b
        nbs: list[int] = []
        i = 0
        while i < L.n and len(nbs) < 4:
            if L.stripped[i]:
                nbs.append(i)
            i += 1
        if not nbs:
            return 0
        used: list[int] = []
        funder_i = None
        for k in nbs[:2]:
            iso = parse_date_line(L.items[k])
            if iso is None and len(L.items[k]) < 20:
                ym = _YEAR_ONLY.match(L.stripped[k])
                iso = ym.group(1) if ym else None  # "1965", "c. 1965": year precision
            if iso:
                self.date = iso
                s, e = L.strip_span(k)
                b.add("date", s, e, value=iso)
                used.append(k)
                break
        for k in nbs[:4]:
            line = L.stripped[k]
            if len(line) > 400:
                continue
            fm = _FUNDER_HEAD.match(line)
            if fm:
                funder_i = k
                s, e = L.strip_span(k)
                self.head_funder = fm.group("v")
                b.add("funder", s, e, value=fm.group("v"))
                used.append(k)
                break
        for k in nbs[:3]:
            if k in used:
                continue
            if funder_i is not None and k > funder_i:
                break
            line = L.stripped[k]
            if line.startswith("[") or _is_prose(line) and len(line) > 300:
                break
            s, e = L.strip_span(k)
            self.title = line
            b.add("title", s, e, value=line)
            used.append(k)
            break
        if not used:
            return 0
        last = max(used)
        first = min(used)
        b.add("pagemeta", L.strip_span(first)[0], L.strip_span(last)[1], region="header")
        self.claim(0, last)
        return last + 1

    # -- the trailer: summary, Document Information, rights, funder --------------------
    def trailer_start(self, lo: int) -> int:
        """Index of the first line of the site's trailing metadata (n when absent)."""
        L = self.lines
        items, stripped = L.items, L.stripped
        # Only a short line (a label) or one naming the Program can start the trailer.
        for i in [i for i in range(lo, L.n)
                  if (stripped[i] and len(stripped[i]) <= 45) or "Program" in stripped[i]]:
            line = items[i]
            if not line or len(line) > 2000:
                continue
            st = stripped[i]
            if (len(st) <= 45 and _label_key(st) is not None) or (
                    "Program" in st and _is_rights(st)):
                return i
        return L.n

    def trailer(self, t0: int) -> None:
        """Recognise the trailing metadata from line t0 on."""
        L, b = self.lines, self.b
        if t0 >= L.n:
            return
        region_start = L.strip_span(t0)[0]
        p = L.prev_nb(t0, 0, 8)
        if p is not None and p not in self.claimed:
            st = L.stripped[p]
            if _summary_like(st):
                s, e = L.strip_span(p)
                b.add("summary", s, e)
                self.claimed.add(p)
                region_start = s
        pending: str | None = None
        rights: list[int] = []
        citation_done = False
        last_nb = None
        labels: dict[str, str] = {}
        for i in range(t0, L.n):
            st = L.stripped[i]
            if not st:
                continue
            last_nb = i
            key = _label_key(st)
            if key is not None:
                pending = key
                continue
            if _is_rights(st[:2000]):
                rights.append(i)
                pending = None
                continue
            if (pending in ("document information", "source", "citation") and not citation_done
                    and not self.quoted):
                self._citation(i)
                citation_done = True
                pending = None
                self.claimed.add(i)
                continue
            if pending in ("donors", "funders") and len(st) <= 300:
                s_, e_ = L.strip_span(i)
                names = [n.strip() for n in _NAME_SPLIT.split(st) if n.strip()]
                b.add("funder", s_, e_, value=st, names=names)
            if pending is not None:
                labels[pending] = st[:500]
                pending = None
                self.claimed.add(i)
                continue
        if rights:
            b.add("rights", L.strip_span(rights[0])[0], L.strip_span(rights[-1])[1])
            self.claim(rights[0], rights[-1])
        if last_nb is not None and last_nb not in self.claimed:
            st = L.stripped[last_nb]
            if len(st) <= 300 and not st.endswith(".") and (
                    _FUNDER_TAIL.search(st)
                    or (self.head_funder and self.head_funder in st)):
                s, e = L.strip_span(last_nb)
                names = [n.strip() for n in _NAME_SPLIT.split(st) if n.strip()]
                b.add("funder", s, e, value=st, names=names)
                self.claimed.add(last_nb)
        if labels:
            self.meta["labels"] = labels
        if last_nb is not None:
            b.add("pagemeta", region_start, L.strip_span(last_nb)[1], region="trailer")

    def _citation(self, i: int) -> None:
        """'PRC FMA 109-03654-02, 20-22. Translated by David Cowhig.'"""
        L, b = self.lines, self.b
        s, e = L.strip_span(i)
        line = self.text[s:e]
        m = _TRANSLATED.search(line[:2000])
        cite_end = e
        if m:
            ts = s + m.end()
            name = line[m.end():].strip()
            name = _TRANSLATOR_CUT.split(name, maxsplit=1)[0].rstrip(". ")
            if name:
                b.add("translator", ts, ts + len(name), value=name)
            cite_end = s + m.start()
        cs, ce = s, cite_end
        while ce > cs and self.text[ce - 1] in " .;,":
            ce -= 1
        if ce > cs:
            b.add("citation", cs, ce, value=self.text[cs:ce])

    # -- the cable itself ---------------------------------------------------------------
    def body(self, lo: int, hi: int) -> None:
        """Fields of the cable between the page header and the trailer."""
        L, b = self.lines, self.b
        in_head = True
        body_start: int | None = None
        addressee = False
        prose_seen = 0
        i = lo
        while i < hi and not b.truncated:
            st = L.stripped[i]
            if not st:
                i += 1
                continue
            # A stamp block opens with its bracketed token: other lines skip the call.
            last = F.match_stamp(b, L, i, hi) if st[0] == "[" else None
            if last is not None:
                self.claim(i, last)
                i = last + 1
                continue
            span = match_list(b, L, i, hi)
            if span is not None:
                self.claim(*span)
                i = span[1] + 1
                continue
            if in_head and _is_prose(st):
                in_head = False
            if in_head:
                if (F.match_priority(b, L, i) or F.match_classification(b, L, i)
                        or F.match_doctype(b, L, i) or F.match_origin(b, L, i)
                        or F.match_refno(b, L, i)):
                    self.claimed.add(i)
                else:
                    # Only the addressee test needs to know whether prose follows.
                    nxt = L.next_nb(i, hi)
                    next_prose = nxt is not None and _is_prose(L.stripped[nxt])
                    if F.match_addressee(b, L, i, bare_colon=next_prose):
                        self.claimed.add(i)
                        addressee = True
                        in_head = False
                        body_start = i + 1
                i += 1
                continue
            if body_start is None:
                body_start = i
            if not addressee and prose_seen < 3 and F.match_addressee(b, L, i):
                addressee = True
                self.claimed.add(i)
            elif F.match_signature(b, L, i) or (len(st) <= 40 and F.match_refno(b, L, i)):
                self.claimed.add(i)
            elif _is_prose(st):
                prose_seen += 1
            i += 1
        if body_start is not None:
            F.find_closer(b, L, body_start, hi, self.claimed)
            sig_hi = hi
            p = L.prev_nb(hi, body_start, 8) if hi < L.n else None
            if p is not None and p not in self.claimed and _summary_like(L.stripped[p]):
                sig_hi = p  # the archive's summary closes the body, above its trailer
            find_signature(b, L, body_start, sig_hi, self.claimed)


def parse_wilson(raw: str, name: str = "") -> Document:
    """A Document from the text of a Wilson Center Digital Archive page."""
    source = raw
    norm = raw.replace("\r\n", "\n").replace("\r", "\n") if "\r" in raw else raw
    if norm.startswith("\ufeff"):
        norm = norm[1:]
    text, items, stripped = _strip_chrome(norm)
    page = _Page(text, items, stripped)
    hdr_end = page.quoted_reference(page.header())
    t0 = page.trailer_start(hdr_end)
    page.body(hdr_end, t0)
    L = page.lines
    # The page title is the archive's catalogue title: only the text's own headings count.
    find_doctype(page.b, L, hdr_end, t0, from_title=False)
    find_addressee(page.b, L, hdr_end, t0, page.claimed)
    find_origin(page.b, L, hdr_end, t0, page.claimed)
    body_lo = L.start(hdr_end) if hdr_end < L.n else len(text)
    body_hi = L.start(t0) if t0 < L.n else len(text)
    if not scan_marks(page.b, body_lo, body_hi):
        page.meta["marks_truncated"] = True
    page.trailer(t0)
    if page.b.truncated:
        page.meta["marks_truncated"] = True
    title = page.title or _fallback_title(text, name)
    date = page.date
    if date is None:
        closer = next((s for s in page.b.spans if s.kind == "closer"), None)
        date = closer.attrs.get("date") if closer else None
    # Every span already has its id from the builder, so no assign_ids pass is needed.
    return Document(title=title, text=text, spans=page.b.spans, source_text=source, date=date,
                    source_name=name, meta=page.meta)


def _fallback_title(text: str, name: str) -> str:
    """The first non-blank line, else the file name."""
    for line in text.split("\n", 50)[:50]:
        st = line.strip()
        if st:
            return st[:200]
    return name or "Untitled"
