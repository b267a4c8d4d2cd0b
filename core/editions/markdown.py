"""Markdown edition: the plain walker with every transcription character escaped."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from emendo.core.editions.text import PlainWriter, _annotated, header_rows
from emendo.core.editions.tree import Node, build_tree
from emendo.core.model import Document

if TYPE_CHECKING:
    from emendo.core.editions import EditionContext

# Markdown punctuation that can start syntax anywhere in a line.
_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~>-])")
# Numbered-list and heading starts: "1. " at the start of a line.
_LIST_START = re.compile(r"(?m)^(\s*\d+)\.")


def escape_md(text: str) -> str:
    """Text that Markdown shows literally: punctuation escaped, < and & as entities."""
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    text = _SPECIAL.sub(r"\\\1", text)
    return _LIST_START.sub(r"\1\\.", text)


def render_markdown(doc: Document, reading: str = "diplomatic",
                    context: EditionContext | None = None) -> str:
    """The Markdown edition of a document."""
    doc = _annotated(doc)
    w = PlainWriter(reading, esc=escape_md, newline="  \n", emphasis="_", note_ref="[^{n}]")
    out = ["# " + escape_md(" ".join((doc.title or "Untitled").split()))]
    rows = header_rows(doc, context)
    if rows:
        out.append("\n".join(f"- **{k}:** {escape_md(v)}" for k, v in rows))
    out.append(f"_{reading.capitalize()} text_")
    for b in build_tree(doc, reading).children:
        if isinstance(b, Node):
            blocks: list[str] = []
            w.block(b, blocks)
            if b.kind == "closer":
                blocks = ["> " + x.replace("  \n", "  \n> ") for x in blocks]
            out.extend(_escape_line_start(x) for x in blocks)
    if w.notes:
        out.append("\n".join(f"[^{i}]: {escape_md(t)}" for i, t in enumerate(w.notes, 1)))
    return "\n\n".join(out) + "\n"


def _escape_line_start(block: str) -> str:
    # a paragraph that starts with a digit run and ")" would become a list too
    return re.sub(r"(?m)^(\d+)\)", r"\1\\)", block)
