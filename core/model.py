"""The document model: one transcription text plus typed stand-off spans over it.

Bracket conventions of the source (``[illegible]``, ``[handwritten 487]``, ``[Chinese]``)
stay in the text as tokens and the span covers the whole token, brackets included.  A
convention that qualifies other words (``April 16th [date underlined by hand]``,
``word [?]``) gives two spans: the mark on the words (``underline``, ``unclear``) and a
``token`` span over the bracketed note itself, which editions drop because the mark
already says it.  Every anchored span therefore satisfies
``text[start:end] == span_text`` exactly; spans without an anchor (a stamp seen only on the
paper) have ``start is None and end is None``.
"""
from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

# Kinds that carry a structured field of the record (shown in the fields panel).
SINGLE_FIELDS: tuple[str, ...] = (
    "title",
    "date",
    "doctype",
    "priority",
    "classification",
    "origin",
    "refno",
    "addressee",
    "closer",
    "signature",
    "citation",
    "translator",
    "rights",
    "funder",
    "summary",
)
LIST_FIELDS: tuple[str, ...] = ("stamp", "handwritten", "distribution", "recipient", "copies")
FIELD_KINDS: frozenset[str] = frozenset(SINGLE_FIELDS + LIST_FIELDS)

# Editorial and semantic marks a researcher sets on the text.
MARK_KINDS: tuple[str, ...] = (
    "illegible",
    "unclear",
    "supplied",
    "omission",
    "underline",
    "handwritten",
    "stamp",
    "sic",
    "person",
    "place",
    "org",
    "date",
    "note",
    "noteref",
    "token",
    "chrome",
    "pagemeta",
)
ALL_KINDS: frozenset[str] = FIELD_KINDS | frozenset(MARK_KINDS)
# Attributes that most often repeat the text their span covers (a recipient's name, a
# field's value): while they do, a fix typed in that text changes them with it.
ECHO_ATTRS = ("name", "value", "text")

FIELD_LABELS: dict[str, str] = {
    "title": "Title",
    "date": "Date",
    "doctype": "Document type",
    "priority": "Priority",
    "classification": "Classification",
    "origin": "Origin",
    "refno": "Reference number",
    "addressee": "Addressee",
    "stamp": "Stamps",
    "handwritten": "Handwritten notes",
    "distribution": "Distribution",
    "recipient": "Recipient",
    "copies": "Copies printed",
    "closer": "Closer",
    "signature": "Signature",
    "citation": "Citation",
    "translator": "Translator",
    "rights": "Rights",
    "funder": "Funder",
    "summary": "Summary",
}


@dataclass(slots=True)
class Span:
    """A typed range of the text: ``text[start:end]``, or unanchored when both are None."""

    kind: str
    start: int | None
    end: int | None
    attrs: dict[str, Any] = field(default_factory=dict)
    id: int = 0

    @property
    def anchored(self) -> bool:
        """True when the span has a place in the text."""
        return self.start is not None and self.end is not None

    def value(self, text: str) -> str:
        """The normalised value: ``attrs['value']`` if set, else the covered text."""
        v = self.attrs.get("value")
        if v is not None:
            return str(v)
        if self.anchored:
            return text[self.start : self.end]  # type: ignore[index]
        return ""

    def to_json(self) -> dict[str, Any]:
        """A plain dict (stored form and JSON output without the text)."""
        return {"id": self.id, "kind": self.kind, "start": self.start, "end": self.end,
                "attrs": self.attrs}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Span:
        """Inverse of :meth:`to_json`."""
        return cls(kind=data["kind"], start=data.get("start"), end=data.get("end"),
                   attrs=dict(data.get("attrs") or {}), id=int(data.get("id") or 0))

    def copy(self) -> Span:
        """A deep copy (attrs included)."""
        return Span(self.kind, self.start, self.end, copy.deepcopy(self.attrs), self.id)


@dataclass
class Document:
    """A transcription: working text, spans, the file as imported and the text at import."""

    title: str
    text: str
    spans: list[Span] = field(default_factory=list)
    source_text: str = ""
    imported_text: str | None = None  # None: the text has not changed since import
    date: str | None = None  # ISO 8601 when known
    source_name: str = ""
    id: int | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def language(self) -> str | None:
        """The BCP 47 code of the document's language (detected on import, or set), or None."""
        lang = self.meta.get("language")
        return lang if isinstance(lang, str) and lang else None

    @language.setter
    def language(self, code: str | None) -> None:
        if code:
            self.meta["language"] = code
        else:
            self.meta.pop("language", None)

    @property
    def baseline_text(self) -> str:
        """The transcription as first imported (before any correction)."""
        return self.text if self.imported_text is None else self.imported_text

    def spans_of(self, kind: str) -> list[Span]:
        """Spans of one kind in text order (unanchored last)."""
        return sorted((s for s in self.spans if s.kind == kind), key=span_sort_key)

    def first(self, kind: str) -> Span | None:
        """The first span of a kind, or None."""
        found = self.spans_of(kind)
        return found[0] if found else None

    def field_value(self, kind: str) -> str | None:
        """The normalised value of a single-valued field, or None."""
        span = self.first(kind)
        if span is None:
            return None
        return span.value(self.text) or None

    def span_text(self, span: Span) -> str:
        """The characters a span covers ('' when unanchored)."""
        if not span.anchored:
            return ""
        return self.text[span.start : span.end]  # type: ignore[index]

    def next_span_id(self) -> int:
        """An id not used by any span of this document."""
        return max((s.id for s in self.spans), default=0) + 1

    def assign_ids(self) -> None:
        """Give every span without an id a fresh one."""
        used = {s.id for s in self.spans if s.id}
        nxt = max(used, default=0) + 1
        for s in self.spans:
            if not s.id:
                s.id = nxt
                nxt += 1

    def children_of(self, span: Span) -> list[Span]:
        """Spans whose ``attrs['parent']`` is this span's id (recipients of a list)."""
        return sorted((s for s in self.spans if s.attrs.get("parent") == span.id),
                      key=span_sort_key)


def span_sort_key(span: Span) -> tuple[int, int, int, int]:
    """Text order; unanchored spans last, in id order; wider spans first at a tie."""
    if not span.anchored:
        return (1, 0, 0, span.id)
    return (0, span.start, -(span.end or 0), span.id)  # type: ignore[operator]


def validate_spans(text: str, spans: Iterable[Span]) -> list[str]:
    """Problems with spans against a text (empty when sound)."""
    problems: list[str] = []
    seen: set[int] = set()
    n = len(text)
    for s in spans:
        if s.id in seen:
            problems.append(f"duplicate span id {s.id}")
        seen.add(s.id)
        if (s.start is None) != (s.end is None):
            problems.append(f"span {s.id} ({s.kind}) has only one end")
            continue
        if s.anchored and not (0 <= s.start <= s.end <= n):  # type: ignore[operator]
            problems.append(f"span {s.id} ({s.kind}) [{s.start}, {s.end}) is outside the text")
        if not isinstance(s.attrs, dict):
            problems.append(f"span {s.id} ({s.kind}) has attrs that are not an object")
    return problems
