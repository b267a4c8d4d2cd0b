"""Fields read from a document's head zone as a whole, for every page layout.

Each reader runs after a layout's own recognisers and adds a field only when none was found:
the document type from a heading line (``CIPHERED TELEGRAM No. 25631``, ``V e r m e r k``,
``(Working notes)``, ``MEMORANDUM FOR: …``) or, failing that, from the word the title opens
with (``Letter from …``, ``Record of Conversation between …``).  The words are data
(``vocab/labels.toml``, ``doctypes``).
"""
from __future__ import annotations

import re
from functools import cache

from emendo.core.importers import vocab
from emendo.core.importers._base import Lines, SpanBuilder

HEAD_LINES = 25  # non-blank lines of the head zone a heading is looked for in
_HEADING_MAX = 90


@cache
def _doctype_heading() -> re.Pattern[str]:
    """A heading line that is, or opens with, a document type."""
    words = vocab.alternation(vocab.terms("labels", "doctypes"), spaced=True)
    return re.compile(r"^[(“\"«]?\s*(?P<v>" + words + r")(?![\w])\s*[)”\"»]?(?P<rest>.*)$",
                      re.IGNORECASE)


@cache
def _doctype_title() -> re.Pattern[str]:
    """A title that opens with a document type ('Letter from …')."""
    words = vocab.alternation(vocab.terms("labels", "doctypes"))
    return re.compile(r"^[“\"«]?(?P<v>" + words + r")(?=[\s,:;]|$)", re.IGNORECASE | re.MULTILINE)


_NUMBER_AFTER = re.compile(r"^\s*(?:No\.?|Nr\.?|nr\.?|№|N°|Nº|#)\s*\S*\d", re.IGNORECASE)
_FOR_AFTER = re.compile(r"^\s*FOR\b")
_AGENCY_AFTER = re.compile(r"^\s*(?:[A-Z][a-z]+\s?(?:of\s|for\s|the\s)?){1,4}$")
# Form captions ("TELEGRAM SENT") name a type alone, never open a heading sentence.
_CAPTION_END = ("sent", "received")


def _heading_doctype(line: str) -> re.Match[str] | None:
    """The document type a heading line names, or None."""
    if len(line) > _HEADING_MAX:
        return None
    m = _doctype_heading().match(line)
    if not m:
        return None
    rest = m.group("rest")
    if not rest.strip(" .:!"):
        return m
    if _NUMBER_AFTER.match(rest) or _FOR_AFTER.match(rest):
        return m
    v = m.group("v")
    if v.isupper() and _AGENCY_AFTER.match(rest):  # "INCOMING TELEGRAM Department of State"
        return m
    return None


_OPENS_TITLE = re.compile(r"^\s*(?:between|from|of|on|with|by|to|about|concerning|regarding)\s",
                          re.IGNORECASE)


def find_doctype(b: SpanBuilder, lines: Lines, lo: int, hi: int,
                 from_title: bool = True) -> bool:
    """A doctype span from a heading in lines[lo:hi]'s head zone, else from the title.

    A heading names the type alone ('MINUTES'), before a number ('Ciphergram No. 11464'),
    'FOR' ('MEMORANDUM FOR: …'), or as the first words of a heading sentence ('Record of
    Conversation between …').  ``from_title``: the title is the document's own heading (not
    an archive's catalogue title), so its first words may name the type.
    """
    if b.has("doctype"):
        return False
    seen = 0
    prev = ""
    for i in range(lo, hi):
        st = lines.stripped[i]
        if not st:
            continue
        seen += 1
        if seen > HEAD_LINES:
            break
        after_label = len(prev) <= 40 and prev.endswith((":", "："))
        prev = st
        if after_label:
            continue  # the value of a label ("Document Type:" / "MEMO"), not a heading
        m = _heading_doctype(st)
        if m is None and len(st) <= 160:
            h = _doctype_heading().match(st)
            if (h and _OPENS_TITLE.match(h.group("rest")) and st[:1].isupper()
                    and h.group("v").split()[-1].lower() not in _CAPTION_END):
                m = h
        if m:
            s = lines.strip_span(i)[0]
            b.add("doctype", s + m.start("v"), s + m.end("v"), value=m.group("v"))
            return True
    title = next((sp for sp in b.spans if sp.kind == "title"), None) if from_title else None
    if title is None or title.start is None or title.end is None:
        return False
    m = _doctype_title().match(b.text, title.start, title.end)
    if not m:
        return False
    b.add("doctype", m.start("v"), m.end("v"), value=m.group("v"))
    return True
