"""The one guarantee of every edition: no character of the transcription is dropped.

For the diplomatic reading, the text of an edition's body holds every character of the
transcription, in order; for the reading edition, the same with each ``sic`` span's
correction in place of its words and the source's bracket notation that a mark already
states (``token`` spans: ``[date underlined by hand]``, ``[?]``) left out. The
transcription is the document's text outside the site's metadata and interface text
(``pagemeta``, ``chrome``: what the record block shows, or nothing of the document).

The normalisation every format may apply, and nothing more:

- ASCII whitespace (space, tab, line feed, carriage return) and the line separators
  (U+0085, U+2028, U+2029) may be collapsed, changed into line breaks or paragraphs, or
  dropped at the edges of a block. Every other character is kept, the ideographic space
  (U+3000) and the no-break space among them.
- TEI encodes the source's bracketed notation as elements (``[illegible]`` as ``gap``,
  ``[Chinese]`` as ``supplied``, ``[handwritten 487]`` as ``add``, a token as the mark it
  states), so there the bracketed text of such spans may stand as its element instead.
- A PDF holds glyphs at places, not characters: its readers extract any space (the
  ideographic space, the no-break space) as a plain one, so there every Unicode space
  counts as foldable (it is still laid out as the width it has).
- Characters XML 1.0 cannot hold (C0 controls but tab, line feed and carriage return; lone
  surrogates; U+FFFE and U+FFFF) are written as U+FFFD in every format.

Editions may add characters (labels, markers, notes); they never take one away, and a
value derived from the text (a count, a normalised name) never replaces the text.
"""
from __future__ import annotations

import re

from emendo.core.model import Document

# What any format may normalise (see the module's docstring).
FOLDABLE = frozenset(" \t\n\r\x85\u2028\u2029")
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_UNWRITABLE_C0 = dict.fromkeys(c for c in range(32) if c not in (9, 10, 13))


def shown(text: str) -> str:
    """``text`` as every edition writes it: unwritable characters as U+FFFD (same length)."""
    if text.isascii():
        if len(text.translate(_UNWRITABLE_C0)) == len(text):
            return text
    elif _UNWRITABLE.search(text) is None:
        return text
    return _UNWRITABLE.sub("\ufffd", text)


# Kinds whose bracketed text TEI writes as an element (see the module's docstring).
NOTATION = frozenset({"token", "illegible", "omission", "supplied", "handwritten"})


def transcription(doc: Document, reading: str = "diplomatic",
                  encoded_notation: bool = False) -> str:
    """The characters every edition of ``doc`` in ``reading`` must hold, in order.

    ``encoded_notation``: for TEI, which writes bracketed notation as elements.
    """
    from emendo.core.editions.tree import body_intervals

    text = doc.text
    n = len(text)
    # per character: kept as is, dropped (inside a token), or replaced by a correction
    drop = bytearray(n)
    insert: dict[int, str] = {}
    if encoded_notation:
        for s in doc.spans:
            if s.kind in NOTATION and s.anchored and s.start < s.end:  # type: ignore[operator]
                words = text[s.start:s.end]
                if s.kind == "token" or words.startswith("[") and words.endswith("]"):
                    drop[s.start:s.end] = b"\x01" * (s.end - s.start)  # type: ignore[misc]
        _notes_in_place(doc, drop, insert)
    if reading == "reading":
        for s in doc.spans:
            if not s.anchored or s.start >= s.end:  # type: ignore[operator]
                continue
            if s.kind == "token":
                drop[s.start:s.end] = b"\x01" * (s.end - s.start)  # type: ignore[misc]
        # outer corrections first, as the edition tree nests them; one beginning inside
        # an applied one is not applied (its text outside that one stays)
        sics = sorted((s for s in doc.spans if s.kind == "sic"),
                      key=lambda s: (s.start or 0, -(s.end or 0), s.id or 0))
        for s in sics:
            if not s.anchored or s.start >= s.end:  # type: ignore[operator]
                continue
            if any(drop[s.start:s.end]):  # type: ignore[misc]
                continue  # a correction inside dropped notation goes with it
            drop[s.start:s.end] = b"\x01" * (s.end - s.start)  # type: ignore[misc]
            corr = str(s.attrs.get("corr", ""))
            insert[s.start] = insert.get(s.start, "") + corr  # type: ignore[index]
    out: list[str] = []
    for a, b in body_intervals(doc):
        if not insert and not any(drop[a:b]):
            out.append(text[a:b])
            continue
        for i in range(a, b):
            if i in insert:
                out.append(insert[i])
            if not drop[i]:
                out.append(text[i])
    return shown("".join(out))


def _notes_in_place(doc: Document, drop: bytearray, insert: dict[int, str]) -> None:
    """TEI read from TEI writes each note where its reference ``[n]`` stands (the note's
    ``note_key``), instead of the reference, and not again after the text.
    """
    text = doc.text
    notes = {s.attrs.get("note_key"): s for s in doc.spans if s.kind == "note"
             and s.anchored and isinstance(s.attrs.get("note_key"), str)}
    for r in doc.spans:
        note = notes.get(r.attrs.get("note_key")) if r.kind == "noteref" else None
        if note is None or not r.anchored:
            continue
        drop[r.start:r.end] = b"\x01" * (r.end - r.start)  # type: ignore[misc,operator]
        insert[r.start] = insert.get(r.start, "") + text[note.start:note.end]  # type: ignore
        drop[note.start:note.end] = b"\x01" * (note.end - note.start)  # type: ignore


def significant(text: str, any_space: bool = False) -> str:
    """The characters that must survive: ``text`` without the foldable whitespace
    (``any_space``: without any Unicode space either, as PDF readers extract them).
    """
    s = shown(text).translate(_FOLD)
    if any_space and not s.isascii():
        s = "".join(c for c in s if not c.isspace())
    return s


_FOLD = dict.fromkeys(map(ord, FOLDABLE))


def first_missing(expected: str, got: str, any_space: bool = False) -> str | None:
    """None when every significant character of ``expected`` is in ``got`` in order; else
    a one-line account of the first one missing (its place and what comes before it).
    ``any_space``: every Unicode space may be folded (text extracted from a PDF).
    """
    want = significant(expected, any_space)
    have = significant(got, any_space)
    n = len(want)
    i = pos = 0
    step = 64
    # Greedy matching (each character at its first place after the last one) is exact for
    # "in order"; a run that stands at that very place is matched whole, so long texts
    # cost a few calls per difference, not one per character.
    while i < n:
        if step > 1:
            chunk = want[i:i + step]
            if have.startswith(chunk, pos):
                i += len(chunk)
                pos += len(chunk)
                step = min(step * 2, 1 << 16)
            else:
                step //= 4
            continue
        c = want[i]
        j = have.find(c, pos)
        if j < 0:
            return (f"character {i} of the text, {c!r} (U+{ord(c):04X}), is missing after "
                    f"{want[max(0, i - 30):i]!r}")
        pos = j + 1
        i += 1
        step = 16
    return None
