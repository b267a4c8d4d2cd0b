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

from emendo.core.editions.apparatus import CONVENTIONS, MARKERS, plain_legend
from emendo.core.editions.text import (
    PlainWriter,
    _annotated,
    header_rows,
    reading_label,
    title_of,
)
from emendo.core.editions.tree import Node, build_tree
from emendo.core.model import Document

if TYPE_CHECKING:
    from emendo.core.editions import EditionContext

_INLINE = re.compile(
    r"""[`*<]                         # code spans, emphasis, HTML and autolinks
      | \\(?=[!-/:-@\[-`{-~]|$)       # a backslash that would escape the next character
      | (?<![^\W_])_|_(?![^\W_])      # _ at a word edge (inside a word it is text)
      | &(?=\#?\w*(?:;|$))            # an entity or character reference (or the start
                                      # of one that the next piece may finish)
      | \[(?=\^|$)                    # a footnote reference
      | \](?=[(\[:])                  # a link, reference or definition
      | ^\(                           # a piece that may follow a "]" in the output
      | \](?=$)                       # a piece's last "]" may meet a "(" or "[" next
      | \^(?=\[|$)                    # an inline footnote (markdown-it's plugin)
      | [~|\x85\u2028\u2029]            # strikethrough, fences and tables (GFM); the
                                      # line separators some renderers split lines at
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
    if c in "~|^\x85\u2028\u2029":
        # a character reference: Python-Markdown shows "\~" with its backslash, and a
        # reference is never a table's cell boundary under GFM
        return f"&#{ord(c)};"
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


_EDGE_SPACE = re.compile(r"^[^\S \t\r\n]+|[^\S \t\r\n]+(?=[ \t]*$)")


def _edge_space_sub(m: re.Match[str]) -> str:
    return "".join(f"&#{ord(c)};" for c in m.group())


def _line(line: str) -> str:
    # Unicode spaces at a line's edges (an ideographic indent) as references: renderers
    # trim them from paragraphs as whitespace
    line = _LINE_START.sub(_line_start_sub, line, count=1)
    if line and (not line[0].isascii() or not line[-1].isascii() or "  " in line[-3:]):
        line = _EDGE_SPACE.sub(_edge_space_sub, line)
    return line


def escape_line_starts(block: str) -> str:
    """Escape what Markdown reads as block syntax at the start of each line of ``block``."""
    if "\n" not in block:
        return _line(block)
    return "\n".join(_line(line) for line in block.split("\n"))


def escape_md(text: str) -> str:
    """Text that Markdown shows literally, wherever it stands."""
    return escape_line_starts(escape_inline(text))


# Markdown's own formatting where CommonMark has it; the rest as in plain text.
MD_MARKERS: dict[str, tuple[str, str]] = {
    **MARKERS, "underline": ("<u>", "</u>"), "unclear": ("", "\\(?)"),
}


def render_markdown(doc: Document, reading: str = "diplomatic",
                    context: EditionContext | None = None) -> str:
    """The Markdown edition: title, record, conventions, text and footnotes.

    Notes are footnotes (``[^1]`` and ``[^1]: …``), the syntax that Python-Markdown's
    ``footnotes`` extension, markdown-it's footnote plugin and GFM all render.
    """
    doc = _annotated(doc)
    w = PlainWriter(reading, esc=escape_inline, newline="  \n", note_ref="[^{n}]",
                    line_esc=escape_line_starts, markers=MD_MARKERS,
                    brackets=("\\[", "\\]"))
    w.text = doc.text
    out = ["# " + escape_inline(title_of(doc))]
    rows = header_rows(doc, context)
    if rows:
        out.append("## Record")
        out.append("\n".join(f"- **{escape_inline(k)}:** {escape_inline(v)}" for k, v in rows))
    out.append("## Conventions")
    out.append(escape_md(CONVENTIONS))
    legend = plain_legend(doc)
    if legend:
        out.append("\n".join(f"- {escape_inline(_md_sample(s))}: {escape_inline(m)}"
                             for s, m in legend))
    out.append("## " + reading_label(reading))
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


def _md_sample(sample: str) -> str:
    # the legend's sample as the Markdown edition shows it
    return {"_…_": "<u>…</u> (underlined)", "…(?)": "…(?)"}.get(sample, sample)
