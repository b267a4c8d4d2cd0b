"""Inline bracket conventions of transcriptions, turned into spans.

``[handwritten 487]``, ``[illegible]``, ``[…]``, ``word [?]``, ``April 16th [date underlined
by hand]``, supplied text (``[Chinese] Embassy``, ``F[oreign]``, ``прот[оиерей]``), note
references ``[1]`` and editor's notes.  The tokens stay in the text; spans cover them.
"""
from __future__ import annotations

import re

from emendo.core.dates import parse_date_line
from emendo.core.importers import vocab
from emendo.core.importers._base import SpanBuilder

# Bounded inner length and no nested brackets or newlines: the scan stays linear.
_BRACKET = re.compile(r"\[([^\[\]\n]{0,300})\]")
_STAMP_WORD = re.compile(
    r"^(?:[\w\- ]{0,30}\s)?(?:stamps?|stamped|seal)(?:\s+reads)?\s*:?$", re.IGNORECASE)
_HANDWRITTEN = re.compile(
    r"^(?:hand[\s\-]?written|in handwriting|handwriting|written by hand|entered by hand|"
    r"added by hand|hand)"
    r"(?:\s+(?:note|notes|text|annotation|comment|number|numeral|addition))?"
    r"\s*(?:[:\-–—]\s*|\s+|$)(?P<v>.*)$", re.IGNORECASE | re.DOTALL)
_ILLEGIBLE = re.compile(r"illegib|indecipher|undecipher|unreadable|^unclear$|^[?]{2,}$",
                        re.IGNORECASE)
_OMISSION = re.compile(r"^(?:…+|\.(?:\s?\.){1,5}|(?:text |passage |\w+ )?omitted|omission)$",
                       re.IGNORECASE)
_UNDERLINE = re.compile(r"underlin", re.IGNORECASE)
_NOTE = re.compile(
    r"^(?:translator|editor|ed|trans|tr|transcriber)\.?(?:'s|’s|s')?\s+notes?\s*[:.\-–]\s*(?P<v>.*)$",
    re.IGNORECASE | re.DOTALL)
_NOTEREF = re.compile(r"^\d{1,3}$")
_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
          r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
# A date just before an underline note: "April 16th", "16 April 1965", "April 16, 1965".
_DATE_BEFORE = re.compile(
    rf"(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?|\d{{1,2}}(?:st|nd|rd|th)?\s+"
    rf"(?:of\s+)?{_MONTH}(?:,?\s+\d{{4}})?)\s*$")
_QUOTED_BEFORE = re.compile(r"[“\"«][^“”\"«»\n]{1,120}[”\"»]\s*$")


# A bracket that opens a mark with its text inside: "[stamp: …", "[CPSU CC stamp: …",
# "[handwritten in margin: …", "[entered by hand: …", "[Stempel: …".  Its text may hold
# other brackets, run over lines, or never be closed (see find_block).
BLOCK_OPEN = re.compile(
    # The lookahead refuses at once a bracket with no colon near its start ("[illegible]").
    r"\[(?=[^\]\n:]{0,60}:)\s*(?:(?P<q>[\w\-]+(?:\s[\w\-.]+){0,3}?)\s+)??(?P<label>(?P<stamp>stamps?|stamped|seal|"
    r"stempel|штамп|печать|pieczęć|pieczątka|bélyegző|razítko)(?:\s+reads)?|"
    r"(?P<hand>hand[\s\-]?written|in handwriting|handwriting|written by hand|entered by hand|"
    r"added by hand|handschriftlich|от руки)(?:\s+[\w\-]+){0,5}?)\s*:\s*", re.IGNORECASE)
_BLOCK_LINES = 8  # lines a bracketed mark may run over
_BLOCK_CHARS = 1500
_SQUARE = re.compile(r"[\[\]]")


def _continues(line: str) -> bool:
    """A line that can go on an unclosed mark's text (short, no new mark, label or heading)."""
    st = line.strip()
    if not st or len(st) > 120 or st[0] == "[":
        return False
    if vocab.list_label_re().match(st) or vocab.classification_re().fullmatch(st.rstrip("!. ")):
        return False
    return not (len(st) > 60 and st.endswith("."))


def find_block(text: str, start: int, hi: int) -> tuple[int, bool]:
    """The end of the bracketed mark opening at text[start] ('['), and whether it is closed.

    Brackets inside it are counted; it may run over lines (never over a blank one).  One
    never closed ends with the last line that still reads as part of it.
    """
    limit = min(hi, start + _BLOCK_CHARS)
    depth = 0
    lines_seen = 0
    k = start
    while k < limit:
        nl = text.find("\n", k, limit)
        line_end = nl if nl >= 0 else limit
        for m in _SQUARE.finditer(text, k, line_end):
            depth += 1 if m.group(0) == "[" else -1
            if depth == 0:
                return m.end(), True
        lines_seen += 1
        nxt = line_end + 1
        nxt_end = text.find("\n", nxt, limit)
        nxt_end = nxt_end if nxt_end >= 0 else limit
        if nl < 0 or lines_seen >= _BLOCK_LINES or not text[nxt:nxt_end].strip():
            break
        k = nxt
    # Not closed: it ends with the last line that reads as its continuation.
    first_end = text.find("\n", start, limit)
    end = first_end if first_end >= 0 else limit
    while end < limit:
        nxt_end = text.find("\n", end + 1, limit)
        nxt_end = nxt_end if nxt_end >= 0 else limit
        if not _continues(text[end + 1:nxt_end]):
            break
        end = nxt_end
    while end > start and text[end - 1].isspace():
        end -= 1
    return end, False


def add_block(b: SpanBuilder, m: re.Match[str], hi: int) -> int:
    """The stamp or handwritten span of a bracketed mark opened by a BLOCK_OPEN match; its end."""
    text = b.text
    start = m.start()
    end, closed = find_block(text, start, hi)
    inner_hi = end - 1 if closed else end
    inner = text[m.end():inner_hi].strip()
    if m.group("stamp"):
        attrs: dict[str, object] = {"type": "stamp", "text": inner}
        q = (m.group("q") or "").strip()
        if q:
            attrs["qualifier"] = q
        for ln in reversed(inner.split("\n")[-3:]):
            for part in reversed([p.strip() for p in ln.split(";")]):
                iso = parse_date_line(part) if part and len(part) <= 60 else None
                if iso:
                    attrs["date"], attrs["date_text"] = iso, part
                    break
            if "date" in attrs:
                break
        if not closed:
            attrs["unclosed"] = True
        b.add_attrs("stamp", start, end, attrs)
    else:
        attrs = {"value": inner, "hand": "h1"}
        label = " ".join(m.group("label").split())
        if label.lower() not in ("handwritten", "hand-written", "hand written"):
            attrs["note"] = label
        if not closed:
            attrs["unclosed"] = True
        b.add_attrs("handwritten", start, end, attrs)
    return end


def _word_before(text: str, pos: int) -> tuple[int, int] | None:
    """Offsets of the word just before pos on the same line, or None."""
    lo = max(0, pos - 80)
    nl = text.rfind("\n", lo, pos)
    if nl >= 0:
        lo = nl + 1
    seg = text[lo:pos].rstrip()
    if not seg:
        return None
    # String methods, not a `\S+\s*$` search: that regex retries at every position.
    cut = max(seg.rfind(" "), seg.rfind("\t"), seg.rfind("\u3000"), seg.rfind("\xa0"))
    s, e = lo + cut + 1, lo + len(seg)
    # Quotation marks and punctuation around it belong to the sentence, not to the
    # doubtful word: in `"regret" [?]` the doubt is on regret.
    while e > s and text[e - 1] in ",.;:)]”\"'»’":
        e -= 1
    while s < e and text[s] in "(“\"'«‘[":
        s += 1
    return (s, e) if e > s else None


def _underlined_before(text: str, pos: int) -> tuple[int, int] | None:
    """What an underline note refers to: a date or a quotation just before, else a word."""
    lo = max(0, pos - 130)
    nl = text.rfind("\n", lo, pos)
    if nl >= 0:
        lo = nl + 1
    seg = text[lo:pos]
    for rx in (_DATE_BEFORE, _QUOTED_BEFORE):
        m = rx.search(seg)
        if m:
            s = lo + m.start()
            e = lo + len(seg.rstrip())
            return (s, e) if e > s else None
    return _word_before(text, pos)


# A transcription has hundreds of marks, not hundreds of thousands; past this many the file
# is not a transcription, and marking the rest would only make the import crawl.
MAX_MARKS = 50_000


# What a bracket's content is depends on that content alone, and transcriptions repeat the
# same few ("[illegible]", "[?]"), so the reading is remembered; emptied when it grows.
_MEMO_MAX = 4096
_classify_memo: dict[str, tuple[str, object]] = {}


def _classify(group: str) -> tuple[str, object]:
    """The reading of a bracket's content: (what it is, its value) (see scan_marks)."""
    inner = group.strip()
    if not inner:
        return "skip", None
    low = inner.lower()
    if _STAMP_WORD.match(inner):
        return "skip", None  # stamp tokens belong to the stamp recogniser
    if low in ("?", "？"):
        return "unclear_word", None
    if _ILLEGIBLE.search(inner):
        return "illegible", None
    hw = _HANDWRITTEN.match(inner)
    if hw:
        return "handwritten", hw.group("v").strip()
    if _OMISSION.match(inner):
        return "omission", None
    if _UNDERLINE.search(inner):
        return "underline", "hand" in low
    note = _NOTE.match(inner)
    if note:
        return "note", note.group("v").strip()
    if _NOTEREF.match(inner):
        return "noteref", None
    if low in ("sic", "sic!"):
        return "skip", None  # no correction is given: nothing to record beyond the text
    if inner.endswith("?") and len(inner) <= 60 and "?" not in inner[:-1]:
        return "unclear", inner[:-1].strip()  # "[that?]": a doubtful reading of a word
    return "supplied", None


def scan_marks(b: SpanBuilder, lo: int, hi: int) -> bool:
    """Add spans for the bracket conventions in text[lo:hi]; False when MAX_MARKS cut it short."""
    text = b.text
    if text.find("[", lo, hi) < 0:
        return True
    # Marks with their text inside the bracket first: the line readers may have read some.
    taken = {s.start for s in b.spans if s.kind in ("stamp", "handwritten")}
    for bm in BLOCK_OPEN.finditer(text, lo, hi):
        if bm.start() not in taken and not b.truncated:
            add_block(b, bm, hi)
            taken.add(bm.start())
    refs: set[str] = set()
    memo = _classify_memo
    add = b.add
    add_attrs = b.add_attrs  # dict literals below: cheaper than keyword arguments
    for count, m in enumerate(_BRACKET.finditer(text, lo, hi)):
        if count >= MAX_MARKS or b.truncated:
            return False
        group = m.group(1)
        reading = memo.get(group)
        if reading is None:
            reading = _classify(group)
            if len(memo) >= _MEMO_MAX:
                memo.clear()
            memo[group] = reading
        what, value = reading
        if what == "skip":
            continue
        s, e = m.span()
        if s in taken:
            continue  # read above as a stamp or handwritten note
        if what == "supplied":
            add_attrs("supplied", s, e, {"value": group})
        elif what == "illegible":
            add_attrs("illegible", s, e, {})
        elif what == "unclear_word":
            add("token", s, e, note="unclear")
            word = _word_before(text, s)
            if word:
                add("unclear", word[0], word[1], cert="low")
        elif what == "handwritten":
            add("handwritten", s, e, value=value, hand="h1")
        elif what == "omission":
            add("omission", s, e)
        elif what == "underline":
            inner = group.strip()
            target = _underlined_before(text, s)
            if target:
                add("underline", target[0], target[1], hand="h1", by_hand=value, note=inner)
            add("token", s, e, note=inner)
        elif what == "note":
            add("note", s, e, note=value, editorial=True)
        elif what == "noteref":
            inner = group.strip()
            add("noteref", s, e, n=inner)
            if inner in refs and (s == 0 or text[s - 1] == "\n"):
                # "[1] text" opening a line after "[1]" was cited: that line is the note.
                nl = text.find("\n", e, min(len(text), e + 20000))
                ns, ne = e, (nl if nl >= 0 else min(len(text), e + 20000))
                while ns < ne and text[ns] in " \t":
                    ns += 1
                while ne > ns and text[ne - 1] in " \t":
                    ne -= 1
                if ne > ns:
                    add("note", ns, ne, n=inner)
            refs.add(inner)
        else:  # "unclear": the editor's doubtful reading of the word in the brackets
            add("unclear", s, e, cert="low", value=value)
    return True
