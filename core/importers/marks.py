"""Inline bracket conventions of transcriptions, turned into spans.

``[handwritten 487]``, ``[illegible]``, ``[…]``, ``word [?]``, ``April 16th [date underlined
by hand]``, supplied text (``[Chinese] Embassy``, ``F[oreign]``, ``прот[оиерей]``), note
references ``[1]`` and editor's notes.  The tokens stay in the text; spans cover them.
"""
from __future__ import annotations

import re

from emendo.core.importers._base import SpanBuilder

# Bounded inner length and no nested brackets or newlines: the scan stays linear.
_BRACKET = re.compile(r"\[([^\[\]\n]{0,300})\]")
_STAMP_WORD = re.compile(
    r"^(?:[\w\- ]{0,30}\s)?(?:stamps?|stamped|seal)(?:\s+reads)?\s*:?$", re.IGNORECASE)
_HANDWRITTEN = re.compile(
    r"^(?:hand[\s\-]?written|in handwriting|handwriting|written by hand|hand)"
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
    # A closing punctuation mark belongs to the sentence, not to the doubtful word.
    while e > s and text[e - 1] in ",.;:)]”\"'":
        e -= 1
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


def scan_marks(b: SpanBuilder, lo: int, hi: int) -> bool:
    """Add spans for the bracket conventions in text[lo:hi]; False when MAX_MARKS cut it short."""
    text = b.text
    if text.find("[", lo, hi) < 0:
        return True
    refs: set[str] = set()
    for count, m in enumerate(_BRACKET.finditer(text, lo, hi)):
        if count >= MAX_MARKS or b.truncated:
            return False
        inner = m.group(1).strip()
        s, e = m.start(), m.end()
        if not inner:
            continue
        low = inner.lower()
        if _STAMP_WORD.match(inner):
            continue  # stamp tokens belong to the stamp recogniser
        if low in ("?", "？"):
            b.add("token", s, e, note="unclear")
            word = _word_before(text, s)
            if word:
                b.add("unclear", word[0], word[1], cert="low")
            continue
        if _ILLEGIBLE.search(inner):
            b.add("illegible", s, e)
            continue
        hw = _HANDWRITTEN.match(inner)
        if hw:
            b.add("handwritten", s, e, value=hw.group("v").strip(), hand="h1")
            continue
        if _OMISSION.match(inner):
            b.add("omission", s, e)
            continue
        if _UNDERLINE.search(inner):
            target = _underlined_before(text, s)
            if target:
                b.add("underline", target[0], target[1], hand="h1",
                      by_hand="hand" in low, note=inner)
            b.add("token", s, e, note=inner)
            continue
        note = _NOTE.match(inner)
        if note:
            b.add("note", s, e, note=note.group("v").strip(), editorial=True)
            continue
        if _NOTEREF.match(inner):
            b.add("noteref", s, e, n=inner)
            if inner in refs and (s == 0 or text[s - 1] == "\n"):
                # "[1] text" opening a line after "[1]" was cited: that line is the note.
                nl = text.find("\n", e, min(len(text), e + 20000))
                ns, ne = e, (nl if nl >= 0 else min(len(text), e + 20000))
                while ns < ne and text[ns] in " \t":
                    ns += 1
                while ne > ns and text[ne - 1] in " \t":
                    ne -= 1
                if ne > ns:
                    b.add("note", ns, ne, n=inner)
            refs.add(inner)
            continue
        if low in ("sic", "sic!"):
            continue  # no correction is given, so there is nothing to record beyond the text
        if inner.endswith("?") and len(inner) <= 60 and "?" not in inner[:-1]:
            # "[that?]": the editor's doubtful reading of a word
            b.add("unclear", s, e, cert="low", value=inner[:-1].strip())
            continue
        b.add("supplied", s, e, value=m.group(1))
    return True
