r"""Markdown edition: the plain walker, escaping only what Markdown would read as syntax.

Transcription text is escaped in two steps.  Inline, per piece of text: characters that
can open syntax anywhere (`` ` ``, ``*``, ``<``; ``_`` at a word edge; ``&`` before an
entity; ``[`` before ``^``; ``]`` before ``(``, ``[`` or ``:``; a backslash before
punctuation; ``~~``) -- and, because a piece's neighbour is not known, ``\\``, ``&`` and
``[`` at its end and ``(`` at its start.  At the start of each line of a block: headings,
quotes, list markers, numbered items, setext underlines and reference definitions.  So
``109-03654`` or ``U.S.`` stay as they are, and no transcription can become markup.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from emendo.core.editions.text import PlainWriter, _annotated, header_rows
from emendo.core.editions.tree import Node, build_tree
from emendo.core.model import Document

if TYPE_CHECKING:
    from emendo.core.editions import EditionContext

_INLINE = re.compile(
    r"""[`*<]                         # code spans, emphasis, HTML and autolinks
      | \\(?=[!-/:-@\[-`{-~]|$)       # a backslash that would escape the next character
      | (?<![^\W_])_|_(?![^\W_])      # _ at a word edge (inside a word it is text)
      | &(?=\#?\w+;|$)                # an entity or character reference
      | \[(?=\^|$)                    # a footnote reference
      | \](?=[(\[:])                  # a link, reference or definition
      | ^\(                           # a piece that may follow a "]" in the output
      | ~(?=~)|(?<=~)~                # strikethrough and fences
    """, re.X)
_LINE_START = re.compile(
    r"""^(\s*)(?:
        ([#>+])                       # heading, block quote, list item
      | ([-*])(?=\s|$)                # list item
      | (\d{1,9})([.)])(?=\s|$)       # numbered item
      | ([-=])(?=[-=\s]*$)            # setext underline, thematic break
      | (\[)(?=[^\]]*\]:)             # a reference definition
    )""", re.X)


def _inline_sub(m: re.Match[str]) -> str:
    c = m.group()
    if c == "&":
        return "&amp;"
    if c == "<":
        return "&lt;"
    return "\\" + c


def escape_inline(text: str) -> str:
    """A piece of transcription text safe inside a Markdown line (not at its start)."""
    return _INLINE.sub(_inline_sub, text)


def _line_start_sub(m: re.Match[str]) -> str:
    lead = m.group(1)
    if m.group(4) is not None:
        return lead + m.group(4) + "\\" + m.group(5)
    mark = next(g for g in (m.group(2), m.group(3), m.group(6), m.group(7)) if g)
    return lead + "\\" + mark


def escape_line_starts(block: str) -> str:
    """Escape what Markdown reads as block syntax at the start of each line of ``block``."""
    if "\n" not in block:
        return _LINE_START.sub(_line_start_sub, block, count=1)
    return "\n".join(_LINE_START.sub(_line_start_sub, line, count=1)
                     for line in block.split("\n"))


def escape_md(text: str) -> str:
    """Text that Markdown shows literally, wherever it stands."""
    return escape_line_starts(escape_inline(text))


def render_markdown(doc: Document, reading: str = "diplomatic",
                    context: EditionContext | None = None) -> str:
    """The Markdown edition of a document."""
    doc = _annotated(doc)
    w = PlainWriter(reading, esc=escape_inline, newline="  \n", emphasis="_",
                    note_ref="[^{n}]", line_esc=escape_line_starts)
    out = ["# " + escape_inline(" ".join((doc.title or "Untitled").split()))]
    rows = header_rows(doc, context)
    if rows:
        out.append("\n".join(f"- **{k}:** {escape_inline(v)}" for k, v in rows))
    out.append(f"_{reading.capitalize()} text_")
    for b in build_tree(doc, reading).children:
        if isinstance(b, Node):
            blocks: list[str] = []
            w.block(b, blocks)
            if b.kind == "closer":
                blocks = ["> " + x.replace("  \n", "  \n> ") for x in blocks]
            out.extend(blocks)
    if w.notes:
        out.append("\n".join(f"[^{i}]: {escape_inline(t)}" for i, t in enumerate(w.notes, 1)))
    return "\n\n".join(out) + "\n"
