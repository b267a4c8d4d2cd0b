"""Plain-text edition, and the plain walker the Markdown edition shares.

Both readings keep every character of the text (fidelity.py); marks are shown by the
markers of :data:`~emendo.core.editions.apparatus.MARKERS` (a legend in the edition says
which), corrections and notes as numbered notes after the text. Diplomatic: the text as
transcribed, the source's bracket notation included. Reading: corrections applied, the
bracket notation that a mark already states left out.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from emendo.core.editions.apparatus import (
    BRACKETED,
    CONVENTIONS,
    MARKERS,
    plain_legend,
    record_rows,
)
from emendo.core.editions.fidelity import shown
from emendo.core.editions.tree import Node, build_tree
from emendo.core.model import Document

if TYPE_CHECKING:
    from emendo.core.editions import EditionContext


def header_rows(doc: Document, context: EditionContext | None) -> list[tuple[str, str]]:
    """Label/value pairs for an edition's record block (only those known)."""
    return record_rows(doc, context)


class PlainWriter:
    """Walks the edition tree into text; ``esc`` escapes transcription text (Markdown)."""

    def __init__(self, reading: str, esc: Callable[[str], str] = lambda s: s,
                 newline: str = "\n", note_ref: str = "[{n}]",
                 line_esc: Callable[[str], str] = lambda s: s,
                 markers: dict[str, tuple[str, str]] | None = None,
                 brackets: tuple[str, str] = ("[", "]")) -> None:
        self.reading = reading
        self.esc = esc
        self.line_esc = line_esc  # escapes what a line may not start with (Markdown)
        self.newline = newline
        self.note_ref = note_ref
        self.markers = MARKERS if markers is None else markers
        self.brackets = brackets  # what encloses illegible, omitted and supplied words
        self.notes: list[str] = []
        self.text = ""  # the document's text, to see a span whole (set by the renderer)

    def in_brackets(self, n: Node) -> bool:
        """Whether the source wrote the span in brackets ("[illegible]"): no marker then."""
        s = n.span
        if s is None or s.start is None:
            return False
        words = self.text[s.start:s.end]
        return words.startswith("[") and words.endswith("]")

    def note(self, text: str) -> str:
        """Register a numbered note; returns its reference mark."""
        self.notes.append(shown(" ".join(text.split())))
        return self.note_ref.format(n=len(self.notes))

    def inline(self, nodes: list) -> str:
        """The text of a list of inline children."""
        esc, node = self.esc, self.node
        return "".join(esc(c) if c.__class__ is str else node(c) for c in nodes)

    def node(self, n: Node) -> str:
        """The text of one node and its children, with its marker."""
        k = n.kind
        if k == "lb":
            return self.newline
        inner = self.inline(n.children)
        marker = self.markers.get(k)
        if marker is None and k in BRACKETED and not self.in_brackets(n):
            marker = self.brackets
        if marker is not None:
            if n.part == 0:
                inner = marker[0] + inner
            if n.last:
                inner += marker[1]
        if n.last:
            inner += self.notes_of(n)
        return inner

    def notes_of(self, n: Node) -> str:
        """The note references a node's end carries (corrections, notes)."""
        a = n.span.attrs if n.span is not None else {}
        out = ""
        if n.kind == "sic" and a.get("corr"):
            out += self.note(f"sic; read: {a['corr']}")
        elif n.kind == "corr" and n.span is not None:
            out += self.note(f"corrected; the original reads: {_span_text(n)}")
        if a.get("note") and not redundant_note(n, self.notes):
            out += self.note(str(a["note"]))
        return out

    def block(self, b: Node, out: list[str]) -> None:
        """Append the paragraphs of a block node to ``out``."""
        if b.kind == "postscript":
            for c in b.children:
                if isinstance(c, Node):
                    self.block(c, out)
        elif b.kind == "list":
            lines = []
            for c in b.children:
                if not isinstance(c, Node):
                    continue
                t = self.line_esc(self.inline(c.children).strip(" \t\r\n"))
                if c.kind == "item":
                    lines.append(f"- {t}")
                elif c.kind == "head":
                    lines.append(t + "\n")
                else:  # the trailer: its own paragraph, not part of the last item
                    lines.append("\n" + t)
            out.append("\n".join(lines))
        else:
            t = self.inline(b.children).strip(" \t\r\n")
            if t:
                out.append(self.line_esc(t))


def redundant_note(n: Node, notes: list[str]) -> bool:
    """True for a bracket token's note that only repeats the token ("[Stamp]": "Stamp")
    or the note just given for the span it annotates ("[date underlined by hand]").
    """
    if n.kind != "token" or n.span is None:
        return False
    note = " ".join(str(n.span.attrs.get("note", "")).split()).casefold()
    return note == n.text().strip("[]: ").casefold() or bool(notes) and \
        notes[-1].casefold() == note


def _span_text(n: Node) -> str:
    # the original words of a correction, for its note
    return str(n.span.attrs.get("_original", "")) if n.span is not None else ""


def with_originals(doc: Document) -> None:
    """Remember each sic span's original words (read by the correction notes)."""
    for s in doc.spans:
        if s.kind == "sic" and s.anchored and "_original" not in s.attrs:
            s.attrs["_original"] = doc.text[s.start:s.end]


def title_of(doc: Document) -> str:
    """The document's title on one line ("Untitled" when it has none)."""
    return shown(" ".join((doc.title or "").split())) or "Untitled"


def reading_label(reading: str) -> str:
    """The heading of the text part: "Text (diplomatic)" or "Text (reading)"."""
    return f"Text ({reading})"


def render_text(doc: Document, reading: str = "diplomatic",
                context: EditionContext | None = None) -> str:
    """The plain-text edition of a document: title, record, conventions, text, notes."""
    doc = _annotated(doc)
    w = PlainWriter(reading)
    w.text = doc.text
    title = title_of(doc)
    out = [title + "\n" + "=" * min(len(title), 78)]
    rows = header_rows(doc, context)
    if rows:
        out.append(_heading("Record") + "\n".join(f"{k}: {v}" for k, v in rows))
    legend = plain_legend(doc)
    out.append(_heading("Conventions") + CONVENTIONS +
               ("\n\n" + "\n".join(f"{s}  {m}" for s, m in legend) if legend else ""))
    out.append(_heading(reading_label(reading)).rstrip("\n"))
    for b in build_tree(doc, reading).children:
        if isinstance(b, Node):
            w.block(b, out)
    if w.notes:
        out.append(_heading("Notes") + "\n".join(f"[{i}] {t}" for i, t in
                                                 enumerate(w.notes, 1)))
    return "\n\n".join(out) + "\n"


def _heading(text: str) -> str:
    return f"{text}\n{'-' * len(text)}\n"


def _annotated(doc: Document) -> Document:
    """A shallow copy whose sic spans remember their original words (doc left untouched)."""
    spans = [s.copy() for s in doc.spans]
    d = Document(title=doc.title, text=doc.text, spans=spans, source_text=doc.source_text,
                 imported_text=doc.imported_text, date=doc.date, source_name=doc.source_name,
                 id=doc.id, meta=doc.meta)
    with_originals(d)
    return d
