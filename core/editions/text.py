"""Plain-text edition, and the plain walker the Markdown edition shares.

Diplomatic: the text as transcribed (bracket tokens included), corrections and notes as
numbered notes.  Reading: corrections applied, tokens dropped, marks as conventional
brackets ([illegible], [...], [supplied], word [?]).
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from emendo.core.editions.tree import Node, build_tree
from emendo.core.model import Document

if TYPE_CHECKING:
    from emendo.core.editions import EditionContext

HEADER_FIELDS: tuple[tuple[str, str], ...] = (
    ("priority", "Priority"), ("classification", "Classification"), ("origin", "Origin"),
    ("addressee", "Addressee"), ("refno", "Reference"), ("citation", "Citation"),
    ("translator", "Translator"),
)


def header_rows(doc: Document, context: EditionContext | None) -> list[tuple[str, str]]:
    """Label/value pairs for an edition header (only those known)."""
    rows: list[tuple[str, str]] = []
    if doc.date:
        rows.append(("Date", doc.date))
    for kind, label in HEADER_FIELDS:
        v = doc.field_value(kind)
        if v:
            rows.append((label, " ".join(v.split())))
    if context is not None:
        if context.transcriber:
            rows.append(("Transcriber", context.transcriber))
        if context.editor:
            rows.append(("Editor", context.editor))
    return rows


class PlainWriter:
    """Walks the edition tree into text; ``esc`` escapes transcription text (Markdown)."""

    def __init__(self, reading: str, esc: Callable[[str], str] = lambda s: s,
                 newline: str = "\n", emphasis: str = "", note_ref: str = "[{n}]",
                 line_esc: Callable[[str], str] = lambda s: s) -> None:
        self.reading = reading
        self.esc = esc
        self.line_esc = line_esc  # escapes what a line may not start with (Markdown)
        self.newline = newline
        self.em = emphasis
        self.note_ref = note_ref
        self.notes: list[str] = []

    def note(self, text: str) -> str:
        """Register a numbered note; returns its reference mark."""
        self.notes.append(" ".join(text.split()))
        return self.note_ref.format(n=len(self.notes))

    def inline(self, nodes: list) -> str:
        """The text of a list of inline children."""
        return "".join(self.esc(c) if isinstance(c, str) else self.node(c) for c in nodes)

    def node(self, n: Node) -> str:
        """The plain text of one node and its children."""
        k, a = n.kind, (n.span.attrs if n.span is not None else {})
        inner = self.inline(n.children)
        reading = self.reading == "reading"
        if k == "lb":
            return self.newline
        if reading and n.part == 0:
            if k == "illegible":
                inner = self.esc("[illegible]")
            elif k == "omission":
                inner = self.esc("[…]")
            elif k == "supplied":
                inner = self.esc(f"[{a.get('value') or n.text().strip('[]')}]")
            elif k == "handwritten":
                inner = self.esc(f"[handwritten: {a.get('value') or n.text().strip('[]')}]")
            elif k == "unclear" and n.last:
                inner += self.esc(" [?]")
        elif reading and n.part and k in ("illegible", "omission", "supplied", "handwritten"):
            inner = ""
        if k == "handwritten" and self.em and inner:
            inner = f"{self.em}{inner}{self.em}"
        if n.last:
            if k == "sic" and a.get("corr"):
                inner += self.note(f"sic; read: {a['corr']}")
            elif k == "corr" and n.span is not None:
                inner += self.note(f"corrected; the original reads: {_span_text(n)}")
            if a.get("note") and not redundant_note(n, self.notes):
                inner += self.note(str(a["note"]))
        return inner

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
                t = self.line_esc(self.inline(c.children).strip())
                if c.kind == "item":
                    lines.append(f"- {t}")
                elif c.kind == "head":
                    lines.append(t + "\n")
                else:  # the trailer: its own paragraph, not part of the last item
                    lines.append("\n" + t)
            out.append("\n".join(lines))
        else:
            t = self.inline(b.children).strip()
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


def render_text(doc: Document, reading: str = "diplomatic",
                context: EditionContext | None = None) -> str:
    """The plain-text edition of a document."""
    doc = _annotated(doc)
    w = PlainWriter(reading)
    title = " ".join((doc.title or "Untitled").split())
    out = [title + "\n" + "=" * min(len(title), 78)]
    rows = header_rows(doc, context)
    if rows:
        out.append("\n".join(f"{k}: {v}" for k, v in rows))
    out.append(f"[{reading} text]")
    for b in build_tree(doc, reading).children:
        if isinstance(b, Node):
            w.block(b, out)
    if w.notes:
        out.append("Notes\n-----\n" + "\n".join(f"[{i}] {t}" for i, t in
                                                  enumerate(w.notes, 1)))
    return "\n\n".join(out) + "\n"


def _annotated(doc: Document) -> Document:
    """A shallow copy whose sic spans remember their original words (doc left untouched)."""
    spans = [s.copy() for s in doc.spans]
    d = Document(title=doc.title, text=doc.text, spans=spans, source_text=doc.source_text,
                 imported_text=doc.imported_text, date=doc.date, source_name=doc.source_name,
                 id=doc.id, meta=doc.meta)
    with_originals(d)
    return d
