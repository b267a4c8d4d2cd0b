"""What every edition states besides the text: the record, and the conventions it follows.

One list of label/value rows (the record block at the top of each edition, as each format
suits: a definition list, a table, lines) holding everything the record knows: dates,
fields, stamps with their number and date, handwritten additions, the distribution lists
in their order, summary, citation, translator, funder and rights. And one legend per
format saying how each kind of mark present in the text is shown.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from emendo.core.editions.fidelity import shown
from emendo.core.language import LANGUAGES
from emendo.core.model import Document
from emendo.core.record import recipients, stamp_record

if TYPE_CHECKING:
    from emendo.core.editions import EditionContext

_FIELDS_BEFORE: tuple[tuple[str, str], ...] = (
    ("doctype", "Document type"), ("priority", "Priority"),
    ("classification", "Classification"), ("origin", "Origin"), ("addressee", "Addressee"),
    ("refno", "Reference"),
)
_FIELDS_AFTER: tuple[tuple[str, str], ...] = (
    ("copies", "Copies printed"), ("signature", "Signature"), ("summary", "Summary"),
    ("citation", "Citation"), ("translator", "Translator"), ("funder", "Funder"),
    ("rights", "Rights"),
)


def _one_line(value: object) -> str:
    return shown(" ".join(str(value).split()))


def record_rows(doc: Document, context: EditionContext | None) -> list[tuple[str, str]]:
    """Label/value rows of everything the record holds (only what is known), in order."""
    rows: list[tuple[str, str]] = []
    if doc.date:
        rows.append(("Date", doc.date))
    if doc.language:
        name = LANGUAGES.get(doc.language.split("-")[0])
        rows.append(("Language", f"{name} ({doc.language})" if name else doc.language))
    for kind, label in _FIELDS_BEFORE:
        v = doc.field_value(kind)
        if v:
            rows.append((label, _one_line(v)))
    for span in doc.spans_of("stamp"):
        rec = stamp_record(doc, span)
        parts = [_one_line(rec["text"])]
        if rec.get("number"):
            parts.append(f"number {_one_line(rec['number'])}")
        if rec.get("date"):
            parts.append(f"dated {_one_line(rec['date'])}")
        if not span.anchored:
            parts.append("on the paper only")
        rows.append(("Stamp", "; ".join(p for p in parts if p)))
    for span in doc.spans_of("handwritten"):
        value = span.attrs.get("value") or doc.span_text(span)
        hand = span.attrs.get("hand")
        rows.append(("Handwritten", _one_line(value) + (f" (hand {hand})" if hand else "")))
    rows += _distribution_rows(doc)
    for kind, label in _FIELDS_AFTER:
        v = doc.field_value(kind)
        if v:
            rows.append((label, _one_line(v)))
    if context is not None:
        if context.transcriber:
            rows.append(("Transcriber", _one_line(context.transcriber)))
        if context.editor:
            rows.append(("Editor", _one_line(context.editor)))
    return rows


def _distribution_rows(doc: Document) -> list[tuple[str, str]]:
    """One row per distribution list: its label and its recipients in the record's order."""
    lists = doc.spans_of("distribution")
    names: dict[int, list[str]] = {}
    for rec in recipients(doc):
        name = _one_line(rec["name"])
        if rec.get("count") not in (None, "", 1):
            name += f" ({rec['count']} copies)"
        names.setdefault(rec["list"], []).append(name)
    rows = []
    for n, lst in enumerate(lists):
        label = _one_line(lst.attrs.get("label") or "Distribution")
        rows.append((label, ", ".join(names.get(n, [])) or _one_line(doc.span_text(lst))))
    if len(lists) in names:  # recipients of no list
        rows.append(("Recipients", ", ".join(names[len(lists)])))
    return rows


# Kinds of mark in the order a legend lists them.
LEGEND_ORDER: tuple[str, ...] = (
    "stamp", "handwritten", "underline", "illegible", "omission", "unclear", "supplied",
    "sic", "note", "person", "place", "org", "date",
)
MEANINGS: dict[str, str] = {
    "stamp": "a stamp on the document",
    "handwritten": "added by hand",
    "underline": "underlined in the original",
    "illegible": "illegible in the original",
    "omission": "left out by the editor",
    "unclear": "an unclear reading",
    "supplied": "supplied by the editor",
    "sic": "a word kept as the original wrote it; the note gives the correction",
    "note": "a note of the editor or the source",
    "person": "a person's name",
    "place": "a place name",
    "org": "an organisation",
    "date": "a date",
}
# How plain text shows each mark (Markdown adds formatting where CommonMark has it).
MARKERS: dict[str, tuple[str, str]] = {
    "stamp": ("⟦", "⟧"),
    "handwritten": ("⌜", "⌝"),
    "underline": ("_", "_"),
    "unclear": ("", "(?)"),
    "person": ("{", "}ᵖ"),
    "place": ("{", "}ˡ"),
    "org": ("{", "}ᵒ"),
    "date": ("{", "}ᵈ"),
}
# Kinds shown in brackets unless their text already stands in brackets ([illegible]).
BRACKETED = frozenset({"illegible", "omission", "supplied"})


def kinds_present(doc: Document) -> list[str]:
    """The kinds of mark the text of ``doc`` carries, in legend order."""
    present = {s.kind for s in doc.spans if s.anchored}
    if any(s.kind == "stamp" and s.attrs.get("date_text") for s in doc.spans):
        present.add("date")
    if any(s.attrs.get("note") for s in doc.spans):
        present.add("note")
    return [k for k in LEGEND_ORDER if k in present]


def plain_legend(doc: Document) -> list[tuple[str, str]]:
    """(how it looks, what it means) in the plain-text and Markdown editions."""
    out = []
    for k in kinds_present(doc):
        if k in MARKERS:
            a, b = MARKERS[k]
            sample = f"{a}…{b}"
        elif k in BRACKETED:
            sample = "[…]"
        else:
            sample = "a numbered note [1]"
        out.append((sample, MEANINGS[k]))
    return out


CONVENTIONS = (
    "The diplomatic text is the transcription as it stands, the source's own bracketed "
    "notes ([illegible], [handwritten 487], [Chinese]) included; the reading text applies "
    "the editor's corrections and leaves out the bracketed notes that a mark already shows. "
    "Spacing and line breaks may be evened out; no other character is changed, except "
    "control characters, shown as \ufffd. Values of the record that come from the text "
    "(a count of copies, a normalised name or date) are given in the record above and never "
    "replace the text. Numbered notes follow the text."
)

