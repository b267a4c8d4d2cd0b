"""Moving spans when the text is edited: a pure function with defined boundary rules.

An edit is ``(position, removed, inserted)``: ``removed`` characters from ``position`` are
replaced by ``inserted`` characters.  Rules, for an anchored span ``[start, end)``:

* the edit lies wholly before the span (``position + removed <= start``): the span shifts;
  an insertion exactly at ``start`` goes before the span (it does not grow);
* the edit lies wholly after the span (``position >= end``): the span is unchanged; an
  insertion exactly at ``end`` does not extend it;
* the span contains the edit (``start <= position`` and ``position + removed <= end``, not
  an insertion at either edge): the span grows or shrinks by the difference, so typing
  inside a mark stays inside it;
* the edit contains the whole span (a replacement of its text): the span covers the
  inserted text, and is dropped when nothing was inserted;
* the edit overlaps one edge: the removed part is cut off the span and the inserted text
  stays outside it.

A span left empty is dropped; unanchored spans are never touched.  Untouched characters
keep their spans, which the property tests check.  An attribute that repeated the text a
span covers (a recipient's name) follows a fix typed in that text (:func:`follow_text`).
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from emendo.core.model import ECHO_ATTRS, Span


def map_span(start: int, end: int, position: int, removed: int,
             inserted: int) -> tuple[int, int] | None:
    """New ``(start, end)`` of a span after an edit, or None when the span is gone."""
    edit_end = position + removed
    delta = inserted - removed
    if edit_end <= start:
        # wholly before; an insertion exactly at start goes before the span
        return (start + delta, end + delta)
    if position >= end:
        return (start, end)
    if start <= position and edit_end <= end:
        if start == position and edit_end == end:
            new = (position, position + inserted)  # replaced exactly
        else:
            new = (start, end + delta)
    elif position <= start and end <= edit_end:
        new = (position, position + inserted)
    elif position < start:  # overlaps the span's start
        new = (position + inserted, end + delta)
    else:  # overlaps the span's end
        new = (start, position)
    if new[0] >= new[1]:
        return None
    return new


def follow_text(attrs: dict[str, Any], old_covered: str,
                new_covered: str) -> dict[str, Any] | None:
    """New attrs when some repeated the covered text and it changed (else None).

    A recipient's name or a field's value that was the text itself stays the text after a
    fix; one that says something else (a normalised name) is left as it is.
    """
    if not attrs or old_covered == new_covered:
        return None
    keys = [k for k in ECHO_ATTRS if attrs.get(k) == old_covered]
    if not keys:
        return None
    followed = dict(attrs)  # a new dict: attrs are shared between copies of a span
    for key in keys:
        followed[key] = new_covered
    return followed


def shift_spans(spans: Iterable[Span], position: int, removed: int,
                inserted: int) -> list[Span]:
    """Spans after an edit; dropped spans are left out.

    Spans that do not move are returned as they are; moved ones are new Span objects
    that share their attrs dict with the old ones (attrs are replaced, never mutated).
    """
    out: list[Span] = []
    for span in spans:
        if not span.anchored:
            out.append(span)
            continue
        moved = map_span(span.start, span.end, position, removed, inserted)  # type: ignore[arg-type]
        if moved is None:
            continue
        if moved == (span.start, span.end):
            out.append(span)
        else:
            out.append(Span(span.kind, moved[0], moved[1], span.attrs, span.id))
    return out


def touched_spans(before: list[Span], after: list[Span], position: int, removed: int,
                  inserted: int) -> list[Span]:
    """Spans (as they were before) that the reverse edit would not restore exactly.

    These are the spans an undo must put back from the log; every other span returns to
    its place when the reverse edit is shifted over it.
    """
    now = {s.id: s for s in after}
    out = []
    for span in before:
        if not span.anchored:
            continue
        new = now.get(span.id)
        if new is None:
            out.append(span)
            continue
        back = map_span(new.start, new.end, position, inserted, removed)  # type: ignore[arg-type]
        if back != (span.start, span.end):
            out.append(span)
    return out


def apply_edit(text: str, position: int, removed: int, inserted_text: str) -> str:
    """The text after replacing ``removed`` characters at ``position``."""
    return text[:position] + inserted_text + text[position + removed :]


def shift_with_touched(spans: list[Span], position: int, removed: int, inserted: int,
                       texts: tuple[str, str] | None = None) -> tuple[list[Span], list[Span]]:
    """:func:`shift_spans` and :func:`touched_spans` in one pass, for keystrokes.

    Spans wholly before or after the edit are only moved; the round trip through the
    reverse edit is checked for the few spans whose ends lie near it. With ``texts`` (the
    text before and after the edit), attributes that repeated a span's text follow it
    (:func:`follow_text`), and such a span counts as touched (undo puts its attrs back).
    """
    edit_end = position + removed
    delta = inserted - removed
    out: list[Span] = []
    touched: list[Span] = []
    for span in spans:
        start, end = span.start, span.end
        if start is None or end is None:
            out.append(span)
            continue
        if end < position:  # wholly before: untouched
            out.append(span)
            continue
        if start > edit_end:  # wholly after: shifts, and shifts back
            out.append(Span(span.kind, start + delta, end + delta, span.attrs, span.id)
                       if delta else span)
            continue
        moved = map_span(start, end, position, removed, inserted)
        if moved is None:
            touched.append(span)
            continue
        if texts is not None and span.attrs:
            followed = follow_text(span.attrs, texts[0][start:end],
                                   texts[1][moved[0]:moved[1]])
            if followed is not None:
                out.append(Span(span.kind, moved[0], moved[1], followed, span.id))
                touched.append(span)
                continue
        out.append(span if moved == (start, end)
                   else Span(span.kind, moved[0], moved[1], span.attrs, span.id))
        if map_span(moved[0], moved[1], position, inserted, removed) != (start, end):
            touched.append(span)
    return out, touched
