"""How a Document is stored in a row of the documents table, and read back.

Space matters (a project of 10,000 cables should stay within 3x of their text), so:
spans are stored as compact arrays, an attribute that only repeats the text a span covers
is stored as a key name, the source file (mostly the text again) is zlib-compressed, and the
search column holds only field values that are *not* already in the text.
"""
from __future__ import annotations

import json
import sys
import zlib
from itertools import repeat
from typing import Any

from emendo.core.model import FIELD_KINDS, FIELD_LABELS, Document, Span

SEARCH_KINDS = FIELD_KINDS | {"person", "place", "org", "note", "sic"}
# Attributes worth indexing for search when they say more than the covered text.
SEARCH_ATTRS = ("value", "name", "text", "number", "date", "note", "corr")
_SEARCH_ATTR_SET = frozenset(SEARCH_ATTRS)
# Attributes that often just repeat the covered text; stored by name when they do.
ECHO_ATTRS = ("value", "name", "text")
_ECHO_SET = frozenset(ECHO_ATTRS)
# Short single-valued fields always indexed with their label: searches name them, and
# the window offers the values already used (e.g. every priority in the project).
ALWAYS_INDEXED = frozenset({"priority", "classification", "doctype", "date", "origin",
                            "refno", "addressee", "citation", "translator", "signature",
                            "copies"})

DOC_COLUMNS = ("id", "title", "date", "text", "spans", "source_z", "imported_text",
               "source_name", "meta")


def encode_spans(text: str, spans: list[Span]) -> str:
    """Spans as compact columns: kinds by index, starts, lengths, and shared attrs.

    ``{"k": kinds, "t": kind index per span, "s": starts, "l": lengths, "i": ids (left out
    when they are 1..n), "u": distinct [attrs, echoed keys], "x": per span 1 + its index
    in "u" (0: no attrs)}``.  An attribute that repeats the covered text is stored as its
    key name only, so the recipients of a list all share one entry of "u".
    """
    kinds: dict[str, int] = {}
    for span in spans:
        if span.kind not in kinds:
            kinds[span.kind] = len(kinds)
    # Column by column: comprehensions keep a keystroke's re-encoding of 1,000 spans short.
    t = [kinds[span.kind] for span in spans]
    st = [span.start for span in spans]
    ln = [None if span.start is None or span.end is None else span.end - span.start
          for span in spans]
    ids = [span.id for span in spans]
    x = [0] * len(spans)
    uniq: dict[Any, int] = {}
    shared: list[list[Any]] = []
    for n, span in enumerate(spans):
        attrs = span.attrs
        if not attrs:
            continue
        start = span.start
        echoes: tuple[str, ...] = ()
        if start is not None and not _ECHO_SET.isdisjoint(attrs):
            covered = text[start:span.end]
            echoes = tuple(k for k in ECHO_ATTRS if attrs.get(k) == covered)
            if echoes:
                attrs = {k: v for k, v in attrs.items() if k not in echoes}
        try:
            key: Any = (*attrs.items(), echoes)
            ix = uniq.get(key)
        except TypeError:  # a list or dict value: key it by its JSON text instead
            key = json.dumps([attrs, echoes], ensure_ascii=False, sort_keys=True)
            ix = uniq.get(key)
        if ix is None:
            ix = uniq[key] = len(shared)
            shared.append([attrs, list(echoes)])
        x[n] = ix + 1
    data: dict[str, Any] = {"k": list(kinds), "t": t, "s": st, "l": ln}
    if ids != list(range(1, len(spans) + 1)):
        data["i"] = ids
    if shared:
        data["u"] = shared
        data["x"] = x
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def decode_spans(text: str, data: str) -> list[Span]:
    """Inverse of :func:`encode_spans` (also reads a plain list of span objects)."""
    raw = json.loads(data)
    if isinstance(raw, list):  # the long form: a list of span objects
        return [Span.from_json(item) for item in raw]
    kinds = [sys.intern(k) for k in raw["k"]]
    ids = raw.get("i") or range(1, len(raw["t"]) + 1)
    uniq = raw.get("u")
    xs = raw.get("x") or repeat(0)
    spans = []
    append = spans.append
    for k, s, n, i, ix in zip(raw["t"], raw["s"], raw["l"], ids, xs):
        end = None if s is None else s + n
        if ix:
            shared, echoes = uniq[ix - 1]
            attrs = dict(shared)  # a copy: spans must never share one dict
            if echoes:
                covered = text[s:end]
                for key in echoes:
                    attrs[key] = covered
        else:
            attrs = {}
        append(Span(kinds[k], s, end, attrs, i))
    return spans


def compress(text: str) -> bytes:
    """zlib of the UTF-8 text (the source file is read rarely and whole)."""
    return zlib.compress(text.encode("utf-8"), 1)  # fast; the text compresses well anyway


def decompress(data: bytes | str | None) -> str:
    """Inverse of :func:`compress` (tolerates an uncompressed string)."""
    if data is None:
        return ""
    if isinstance(data, str):
        return data
    return zlib.decompress(data).decode("utf-8")


def fields_text(doc: Document) -> str:
    """Field values the text does not already say, one 'Label: value' line each.

    The text itself is indexed in full, so a recipient's name is found there; this
    column adds normalised values (ISO dates, 'Urgent'), fields without a place in the
    text, notes and corrections, and always the short header fields.
    """
    lines = []
    text = doc.text
    for span in doc.spans:
        kind = span.kind
        if kind not in SEARCH_KINDS or kind == "title" or not span.attrs:
            continue
        covered = text[span.start:span.end] if span.start is not None else ""
        always = kind in ALWAYS_INDEXED
        for key, value in span.attrs.items():
            if key not in _SEARCH_ATTR_SET or not isinstance(value, str):
                continue
            if not always and value in covered:
                continue
            value = " ".join(value.split())
            if value:
                lines.append(f"{FIELD_LABELS.get(kind) or kind.capitalize()}: {value}")
    return "\n".join(lines)


def doc_to_row(doc: Document, now: str) -> dict[str, Any]:
    """The documents-table row of a Document."""
    return {
        "id": doc.id,
        "title": doc.title,
        "date": doc.date,
        "text": doc.text,
        "spans": encode_spans(doc.text, doc.spans),
        "source_z": compress(doc.source_text),
        "imported_text": doc.imported_text,
        "source_name": doc.source_name,
        "fields_text": fields_text(doc),
        "meta": json.dumps(doc.meta, ensure_ascii=False),
        "created": now,
        "modified": now,
    }


def row_to_doc(row: dict[str, Any]) -> Document:
    """A Document from a documents-table row (columns as in DOC_COLUMNS)."""
    return Document(
        id=row["id"],
        title=row["title"],
        date=row["date"],
        text=row["text"],
        spans=decode_spans(row["text"], row["spans"]),
        source_text=decompress(row["source_z"]),
        imported_text=row["imported_text"],
        source_name=row["source_name"],
        meta=json.loads(row["meta"] or "{}"),
    )


def doc_to_json(doc: Document) -> dict[str, Any]:
    """A whole document as plain JSON data (kept in the log when a document is removed)."""
    return {"id": doc.id, "title": doc.title, "date": doc.date, "text": doc.text,
            "spans": [s.to_json() for s in doc.spans], "source_text": doc.source_text,
            "imported_text": doc.imported_text, "source_name": doc.source_name,
            "meta": doc.meta}


def doc_from_json(data: dict[str, Any]) -> Document:
    """Inverse of :func:`doc_to_json`."""
    return Document(id=data["id"], title=data["title"], date=data.get("date"),
                    text=data["text"], spans=[Span.from_json(s) for s in data["spans"]],
                    source_text=data.get("source_text", ""),
                    imported_text=data.get("imported_text"),
                    source_name=data.get("source_name", ""), meta=data.get("meta") or {})
