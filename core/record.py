"""The structured record of a document as plain data (``emendo show --json``, the window)."""
from __future__ import annotations

import difflib
from typing import Any

from emendo.core.model import Document, Span, span_sort_key


def span_record(doc: Document, span: Span) -> dict[str, Any]:
    """A span as JSON: kind, offsets, the text it covers and its attrs."""
    return {"id": span.id, "kind": span.kind, "start": span.start, "end": span.end,
            "text": doc.span_text(span), "attrs": span.attrs}


def stamp_record(doc: Document, span: Span) -> dict[str, Any]:
    """A stamp: its text, number, date and where it sits."""
    a = span.attrs
    return {"text": a.get("text") or a.get("value") or doc.span_text(span),
            "type": a.get("type", "stamp"), "number": a.get("number"),
            "date": a.get("date"), "start": span.start, "end": span.end}


def recipients(doc: Document) -> list[dict[str, Any]]:
    """Every recipient of every distribution list, in list order."""
    out: list[dict[str, Any]] = []
    lists = doc.spans_of("distribution")
    for n, lst in enumerate(lists):
        children = [s for s in doc.spans if s.kind == "recipient"
                    and s.attrs.get("parent") == lst.id]
        children.sort(key=lambda s: (s.attrs.get("order", 1 << 30), span_sort_key(s)))
        for child in children:
            out.append(_recipient(doc, child, lst, n))
    orphans = [s for s in doc.spans_of("recipient")
               if s.attrs.get("parent") not in {lst.id for lst in lists}]
    for child in orphans:
        out.append(_recipient(doc, child, None, len(lists)))
    return out


def _recipient(doc: Document, span: Span, lst: Span | None, n: int) -> dict[str, Any]:
    rec = {"name": span.attrs.get("name") or span.value(doc.text), "list": n,
           "label": (lst.attrs.get("label") if lst else None), "start": span.start,
           "end": span.end}
    if "count" in span.attrs:
        rec["count"] = span.attrs["count"]
    if span.attrs.get("illegible"):
        rec["illegible"] = True
    return rec


def _widen_to_words(base: str, text: str, i1: int, i2: int, j1: int,
                    j2: int) -> tuple[int, int, int, int]:
    """Grow a diff hunk to whole words, so 'forein' → 'foreign' rather than '' → 'g'."""
    while i1 > 0 and j1 > 0 and base[i1 - 1] == text[j1 - 1] and base[i1 - 1].isalnum():
        i1, j1 = i1 - 1, j1 - 1
    while (i2 < len(base) and j2 < len(text) and base[i2] == text[j2]
           and base[i2].isalnum()):
        i2, j2 = i2 + 1, j2 + 1
    return i1, i2, j1, j2


def corrections(doc: Document,
                reasons: list[tuple[str, str, str]] | None = None) -> list[dict[str, Any]]:
    """Transcription fixes (the text against the text as imported) and emendations (sic).

    ``reasons`` are (original, corrected, reason) of logged corrections; a fix found by
    the diff takes the reason of the logged correction that contains it.
    """
    out: list[dict[str, Any]] = []
    base = doc.baseline_text
    if base != doc.text:
        matcher = difflib.SequenceMatcher(None, base, doc.text, autojunk=False)
        hunks: list[list[int]] = []
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                continue
            i1, i2, j1, j2 = _widen_to_words(base, doc.text, i1, i2, j1, j2)
            if hunks and i1 <= hunks[-1][1]:
                hunks[-1][1], hunks[-1][3] = max(hunks[-1][1], i2), max(hunks[-1][3], j2)
            else:
                hunks.append([i1, i2, j1, j2])
        for i1, i2, j1, j2 in hunks:
            rec: dict[str, Any] = {"kind": "fix", "original": base[i1:i2],
                                   "corrected": doc.text[j1:j2], "start": j1, "end": j2}
            for original, corrected, reason in reasons or []:
                if rec["original"] in original and rec["corrected"] in corrected:
                    rec["reason"] = reason
            out.append(rec)
    for span in doc.spans_of("sic"):
        rec = {"kind": "sic", "original": doc.span_text(span),
               "corrected": str(span.attrs.get("corr", "")), "start": span.start,
               "end": span.end}
        if span.attrs.get("reason"):
            rec["reason"] = span.attrs["reason"]
        out.append(rec)
    return out


def document_record(doc: Document,
                    reasons: list[tuple[str, str, str]] | None = None) -> dict[str, Any]:
    """Everything ``emendo show --json`` prints for a document."""
    def single(kind: str) -> str | None:
        return doc.field_value(kind)

    return {
        "id": doc.id,
        "title": doc.title or None,
        "date": doc.date,
        "language": doc.language,
        "source_name": doc.source_name,
        "doctype": single("doctype"),
        "priority": single("priority"),
        "classification": single("classification"),
        "origin": single("origin"),
        "refno": single("refno"),
        "addressee": single("addressee"),
        "stamps": [stamp_record(doc, s) for s in doc.spans_of("stamp")],
        "handwritten": [{"text": s.attrs.get("value") or doc.span_text(s),
                         "hand": s.attrs.get("hand"), "start": s.start, "end": s.end}
                        for s in doc.spans_of("handwritten")],
        "distribution": recipients(doc),
        "copies": single("copies"),
        "closer": single("closer"),
        "signature": single("signature"),
        "citation": single("citation"),
        "translator": single("translator"),
        "rights": single("rights"),
        "text": doc.text,
        "source_text": doc.source_text,
        "spans": [span_record(doc, s) for s in sorted(doc.spans, key=span_sort_key)],
        "corrections": corrections(doc, reasons),
    }
