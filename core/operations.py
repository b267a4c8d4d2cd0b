"""Operations that change documents: import, typing, marks, fields, corrections.

Each is one transaction writing the new state and an operation-log entry with what it
changed, so that :mod:`emendo.core.undo` can take it back.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from contextlib import nullcontext
from itertools import chain
from typing import Any

from emendo.core import store
from emendo.core.codec import SEARCH_KINDS
from emendo.core.errors import InvalidEditError
from emendo.core.model import ALL_KINDS, FIELD_LABELS, Document, Span
from emendo.core.projectfile import Change, ImportRow
from emendo.core.textedit import map_span, shift_with_touched

# Consecutive keystrokes closer together than this merge into one undo step.
MERGE_SECONDS = 2.0


class OperationsMixin:
    """The changing operations of a project (mixed into Project)."""

    def import_documents(self, docs: list[Document], label: str | None = None) -> Change:
        """Add parsed documents in one transaction (one undo step)."""
        if not docs:
            return Change("import", "Import", documents=False)
        label = label or (f"Import “{_short(docs[0].title)}”" if len(docs) == 1
                          else f"Import {len(docs)} documents")
        with self._transaction() as conn:
            ids = self._insert_docs(conn, docs)
            entry = self._log(conn, "import", label, ids[0] if len(ids) == 1 else None,
                              {"documents": {str(i): None for i in ids}},
                              {"documents": {str(i): True for i in ids}})
        return Change("import", label, ids, documents=True, entry_id=entry)

    def import_rows(self, rows: Iterable[ImportRow], label: str | None = None, *,
                    bulk: bool = False) -> Change:
        """Add encoded rows (:func:`~emendo.core.projectfile.import_row`) as one undo step.

        ``rows`` may be a generator fed by worker processes: it is inserted as it comes, in
        the one transaction, and the project is not touched when it yields nothing.
        ``bulk`` (many files) writes through a rollback journal rather than the log.
        """
        it = iter(rows)
        first = next(it, None)
        if first is None:
            return Change("import", "Import", documents=False)
        with (self._bulk_writing() if bulk else nullcontext()), self._transaction() as conn:
            ids = self._insert_rows(conn, chain((first,), it))
            label = label or (f"Import “{_short(first[0])}”" if len(ids) == 1
                              else f"Import {len(ids)} documents")
            entry = self._log(conn, "import", label, ids[0] if len(ids) == 1 else None,
                              {"documents": {str(i): None for i in ids}},
                              {"documents": {str(i): True for i in ids}})
        return Change("import", label, ids, documents=True, entry_id=entry)

    def delete_documents(self, doc_ids: list[int]) -> Change:
        """Remove documents (undoable: the log keeps them)."""
        label = "Delete document" if len(doc_ids) == 1 else f"Delete {len(doc_ids)} documents"
        with self._transaction() as conn:
            snaps = {str(i): self._doc_snapshot(i) for i in doc_ids}
            conn.executemany("DELETE FROM documents WHERE id = ?", [(i,) for i in doc_ids])
            entry = self._log(conn, "delete", label, None, {"documents": snaps},
                              {"documents": {str(i): None for i in doc_ids}})
        return Change("delete", label, list(doc_ids), documents=True, entry_id=entry)

    def edit_text(self, doc_id: int, position: int, removed: int, inserted: str, *,
                  merge: bool = True, reason: str | None = None,
                  label: str | None = None, op: str = "edit", typed: bool = False) -> Change:
        """Replace ``removed`` characters at ``position`` (a transcription fix); spans move.

        ``typed``: the edit is keystrokes (the window commits several at once when typing
        outruns the disk), so it joins the typing step however many characters it has.
        """
        with self._transaction() as conn:
            doc = self._load_for_write(conn, doc_id)
            n = len(doc.text)
            if position < 0 or removed < 0 or position + removed > n:
                raise InvalidEditError(
                    f"edit [{position}, {position + removed}) is outside the text (0–{n})")
            old_str = doc.text[position:position + removed]
            if old_str == inserted:
                return Change(op, "", [doc_id])
            if doc.imported_text is None:
                doc.imported_text = doc.text
            old_spans, old_text = doc.spans, doc.text
            doc.text = doc.text[:position] + inserted + doc.text[position + removed:]
            # Log only the spans that undoing the edit would not put back by itself.
            doc.spans, touched = shift_with_touched(old_spans, position, removed,
                                                    len(inserted), (old_text, doc.text))
            new_by_id = {s.id: s for s in doc.spans}
            span_before = {str(s.id): s.to_json() for s in touched}
            span_after = {str(s.id): (new_by_id[s.id].to_json() if s.id in new_by_id else None)
                          for s in touched}
            cols = _follow_title(doc, touched, new_by_id)
            edit_end = position + removed
            self._write_doc(conn, doc, {"text", *cols[1]}, fields=any(
                s.kind in SEARCH_KINDS and s.anchored and s.start <= edit_end
                and s.end >= position for s in old_spans))
            label = label or _edit_label(old_str, inserted)
            merged = None
            if merge and reason is None and op == "edit":
                merged = self._try_merge(conn, doc, position, old_str, inserted, span_before,
                                         cols, typed)
            if merged is not None:
                entry = merged
            else:
                before = {"doc": doc_id, "text": [position, old_str], "spans": span_before}
                after = {"doc": doc_id, "text": [position, inserted], "spans": span_after}
                if cols[0]:
                    before["cols"], after["cols"] = cols
                entry = self._log(conn, op, label, doc_id, before, after, reason)
        return Change(op, label, [doc_id], text=True, spans=bool(span_before),
                      documents=bool(cols[0]), entry_id=entry)

    def _try_merge(self, conn: sqlite3.Connection, doc: Document, pos: int, old: str,
                   new: str, span_before: dict[str, Any],
                   cols: tuple[dict[str, Any], dict[str, Any]],
                   typed: bool = False) -> int | None:
        """Fold a keystroke into the previous typing step when they touch.

        ``cols``: the record columns the keystroke changed, before and after.
        """
        if conn.execute("SELECT 1 FROM oplog WHERE undone = 1 LIMIT 1").fetchone():
            return None  # after an undo, typing starts a new step and ends the redo branch
        row = conn.execute(
            "SELECT id, doc_id, op, time, before, after, reason FROM oplog "
            "WHERE undone = 0 ORDER BY id DESC LIMIT 1").fetchone()
        if row is None:
            return None
        entry_id, edoc, eop, etime, before_s, after_s, ereason = row
        doc_id = doc.id
        if edoc != doc_id or eop != "edit" or ereason is not None:
            return None
        if _seconds_since(etime) > MERGE_SECONDS:
            return None
        before, after = json.loads(before_s), json.loads(after_s)
        p1, old1 = before["text"]
        _, new1 = after["text"]
        if not typed and (len(new) > 1 or len(old) > 1):
            return None  # only typing and single deletions merge; a paste is its own step
        if not (pos <= p1 + len(new1) and pos + len(old) >= p1):
            return None
        # Combine both into one edit of the text before the first.  In the text after
        # edit 1 the combined region is A + new1 + B, where A and B are the characters the
        # keystroke removed outside new1: unchanged since edit 0, so they are also old text.
        start = min(p1, pos)
        end1 = max(p1 + len(new1), pos + len(old))
        a_len = p1 - start
        b_len = end1 - (p1 + len(new1))
        a = old[:a_len] if a_len > 0 else ""
        b = old[len(old) - b_len:] if b_len > 0 else ""
        combined_old = a + old1 + b
        region = a + new1 + b
        rel = pos - start
        combined_new = region[:rel] + new + region[rel + len(old):]
        # A span first logged by this keystroke was, before the first edit, where
        # undoing that edit puts it back.
        merged_before = dict(before.get("spans", {}))
        for key, state in span_before.items():
            if key not in merged_before:
                merged_before[key] = _unshift(state, p1, len(old1), len(new1))
        # A span neither edit logged may still not come back by undoing the combined edit
        # (a boundary inside the combined range): log it with its state before both.
        region_end = start + len(combined_new)
        for span in doc.spans:
            s0, s1 = span.start, span.end
            if s0 is None or s1 is None or not (start <= s0 <= region_end
                                                 or start <= s1 <= region_end):
                continue  # both ends outside the combined edit: it only shifted
            key = str(span.id)
            if key in merged_before:
                continue
            mid = map_span(span.start, span.end, pos, len(new), len(old))  # type: ignore[arg-type]
            first = mid and map_span(mid[0], mid[1], p1, len(new1), len(old1))
            back = map_span(span.start, span.end, start, len(combined_new),  # type: ignore[arg-type]
                            len(combined_old))
            if first and back != first:
                merged_before[key] = {**span.to_json(), "start": first[0], "end": first[1]}
        wanted = {int(k) for k in merged_before}
        current = {str(s.id): s for s in doc.spans if s.id in wanted}
        merged_after = {k: (current[k].to_json() if k in current else None)
                        for k in merged_before}
        merged_b: dict[str, Any] = {"doc": doc_id, "text": [start, combined_old],
                                    "spans": merged_before}
        merged_a: dict[str, Any] = {"doc": doc_id, "text": [start, combined_new],
                                    "spans": merged_after}
        # A column keeps its value from before the first keystroke, and takes the last's.
        cols_b = {**cols[0], **before.get("cols", {})}
        cols_a = {**after.get("cols", {}), **cols[1]}
        if cols_b:
            merged_b["cols"], merged_a["cols"] = cols_b, cols_a
        conn.execute(
            "UPDATE oplog SET before = ?, after = ?, time = ?, label = ? WHERE id = ?",
            (json.dumps(merged_b, ensure_ascii=False), json.dumps(merged_a, ensure_ascii=False),
             store.now_iso(), _edit_label(combined_old, combined_new), entry_id))
        return entry_id

    def correct(self, doc_id: int, start: int, end: int, corrected: str, *,
                kind: str = "fix", reason: str | None = None) -> Change:
        """A correction: ``fix`` changes the transcription; ``sic`` keeps it and adds a sic span."""
        if kind == "fix":
            doc = self.document(doc_id)
            original = doc.text[start:end]
            return self.edit_text(doc_id, start, end - start, corrected, merge=False,
                                  reason=reason or "", op="correct",
                                  label=f"Correct “{_short(original)}” → “{_short(corrected)}”")
        if kind == "sic":
            attrs: dict[str, Any] = {"corr": corrected}
            if reason:
                attrs["reason"] = reason
            return self.add_span(doc_id, "sic", start, end, attrs, reason=reason,
                                 label=f"Emend “{_short(corrected)}” (sic)")
        raise InvalidEditError(f"unknown correction kind '{kind}' (fix or sic)")

    def add_span(self, doc_id: int, kind: str, start: int | None, end: int | None,
                 attrs: dict[str, Any] | None = None, *, reason: str | None = None,
                 label: str | None = None) -> Change:
        """Mark a range (or add an unanchored field when start and end are None)."""
        _check_kind(kind)
        with self._transaction() as conn:
            doc = self._load_for_write(conn, doc_id)
            _check_range(doc, start, end)
            span = Span(kind, start, end, dict(attrs or {}), doc.next_span_id())
            doc.spans.append(span)
            self._write_doc(conn, doc, {"spans"})
            label = label or f"Mark {kind}" + (f" “{_short(doc.span_text(span))}”"
                                               if span.anchored else "")
            entry = self._log(conn, "mark", label, doc_id,
                              {"doc": doc_id, "spans": {str(span.id): None}},
                              {"doc": doc_id, "spans": {str(span.id): span.to_json()}}, reason)
        return Change("mark", label, [doc_id], spans=True, entry_id=entry)

    def update_span(self, doc_id: int, span_id: int, *, kind: str | None = None,
                    start: int | None | str = "keep", end: int | None | str = "keep",
                    attrs: dict[str, Any] | None = None, label: str | None = None) -> Change:
        """Change a span's kind, range or attrs (attrs replace the old ones)."""
        if kind is not None:
            _check_kind(kind)
        with self._transaction() as conn:
            doc = self._load_for_write(conn, doc_id)
            span = _find_span(doc, span_id)
            old = span.to_json()
            if kind is not None:
                span.kind = kind
            if start != "keep":
                span.start = start  # type: ignore[assignment]
            if end != "keep":
                span.end = end  # type: ignore[assignment]
            _check_range(doc, span.start, span.end)
            if attrs is not None:
                span.attrs = dict(attrs)
            self._write_doc(conn, doc, {"spans"})
            label = label or f"Edit {span.kind}"
            entry = self._log(conn, "span", label, doc_id,
                              {"doc": doc_id, "spans": {str(span_id): old}},
                              {"doc": doc_id, "spans": {str(span_id): span.to_json()}})
        return Change("span", label, [doc_id], spans=True, entry_id=entry)

    def remove_span(self, doc_id: int, span_id: int) -> Change:
        """Remove a mark or field (and the recipients of a list with it)."""
        with self._transaction() as conn:
            doc = self._load_for_write(conn, doc_id)
            span = _find_span(doc, span_id)
            gone = [span] + [s for s in doc.spans if s.attrs.get("parent") == span_id]
            gone_ids = {s.id for s in gone}
            doc.spans = [s for s in doc.spans if s.id not in gone_ids]
            self._write_doc(conn, doc, {"spans"})
            label = f"Remove {span.kind}"
            entry = self._log(conn, "unmark", label, doc_id,
                              {"doc": doc_id, "spans": {str(s.id): s.to_json() for s in gone}},
                              {"doc": doc_id, "spans": {str(s.id): None for s in gone}})
        return Change("unmark", label, [doc_id], spans=True, entry_id=entry)

    def set_field(self, doc_id: int, kind: str, value: str) -> Change:
        """Set a single-valued field's normalised value (title and date update the record)."""
        _check_kind(kind)
        with self._transaction() as conn:
            doc = self._load_for_write(conn, doc_id)
            span = doc.first(kind)
            before: dict[str, Any] = {"doc": doc_id, "spans": {}, "cols": {}}
            after: dict[str, Any] = {"doc": doc_id, "spans": {}, "cols": {}}
            value = value.strip()
            if span is None and value:
                span = Span(kind, None, None, {"value": value}, doc.next_span_id())
                doc.spans.append(span)
                before["spans"][str(span.id)] = None
                after["spans"][str(span.id)] = span.to_json()
            elif span is not None:
                before["spans"][str(span.id)] = span.to_json()
                if not value and not span.anchored:
                    doc.spans.remove(span)
                    after["spans"][str(span.id)] = None
                else:
                    span.attrs = {**span.attrs, "value": value}
                    after["spans"][str(span.id)] = span.to_json()
            cols = {"spans"}
            if kind == "title":
                before["cols"]["title"], after["cols"]["title"] = doc.title, value
                doc.title = value
                cols.add("title")
            if kind == "date":
                from emendo.core.dates import parse_date

                iso = parse_date(value) if value else None
                before["cols"]["date"], after["cols"]["date"] = doc.date, iso
                doc.date = iso
                cols.add("date")
            self._write_doc(conn, doc, cols)
            label = f"Set {FIELD_LABELS.get(kind, kind).lower()}"
            entry = self._log(conn, "field", label, doc_id, before, after)
        return Change("field", label, [doc_id], spans=True,
                      documents=kind in ("title", "date"), entry_id=entry)

    def set_language(self, doc_id: int, code: str | None) -> Change:
        """Set the document's language, a BCP 47 code (blank: not known), as one step."""
        from emendo.core.language import is_language_code

        code = (code or "").strip()
        if code and not is_language_code(code):
            raise InvalidEditError(f"{code[:40]!r} is not a language code (en, ru, zh-Hant)")
        with self._transaction() as conn:
            doc = self._load_for_write(conn, doc_id)
            before = {"doc": doc_id, "cols": {"meta": dict(doc.meta)}}
            doc.language = code or None
            after = {"doc": doc_id, "cols": {"meta": dict(doc.meta)}}
            self._write_doc(conn, doc, {"meta"})
            entry = self._log(conn, "language", "Set language", doc_id, before, after)
        return Change("language", "Set language", [doc_id], entry_id=entry)

    def reorder_children(self, doc_id: int, parent_id: int, ordered_ids: list[int]) -> Change:
        """Put the recipients of a list in a new order (kept in attrs['order'])."""
        with self._transaction() as conn:
            doc = self._load_for_write(conn, doc_id)
            children = {s.id: s for s in doc.spans if s.attrs.get("parent") == parent_id}
            if set(ordered_ids) != set(children):
                raise InvalidEditError("the new order must name every item of the list once")
            before = {str(i): children[i].to_json() for i in ordered_ids}
            for n, i in enumerate(ordered_ids):
                children[i].attrs = {**children[i].attrs, "order": n}
            after = {str(i): children[i].to_json() for i in ordered_ids}
            self._write_doc(conn, doc, {"spans"})
            entry = self._log(conn, "reorder", "Reorder list", doc_id,
                              {"doc": doc_id, "spans": before}, {"doc": doc_id, "spans": after})
        return Change("reorder", "Reorder list", [doc_id], spans=True, entry_id=entry)


# --- helpers ---------------------------------------------------------------------------------

def _unshift(state: dict[str, Any], pos: int, removed: int, inserted: int) -> dict[str, Any]:
    """A logged span state as it was before an edit that merely moved it."""
    if state.get("start") is None:
        return state
    back = map_span(state["start"], state["end"], pos, inserted, removed)
    if back is None:
        return state
    return {**state, "start": back[0], "end": back[1]}


def _check_kind(kind: str) -> None:
    if kind not in ALL_KINDS:
        raise InvalidEditError(f"unknown mark kind '{kind}'")


def _check_range(doc: Document, start: int | None, end: int | None) -> None:
    if start is None and end is None:
        return
    if start is None or end is None or not (0 <= start < end <= len(doc.text)):
        raise InvalidEditError(
            f"range [{start}, {end}) is not a non-empty part of the text (0–{len(doc.text)})")


def _find_span(doc: Document, span_id: int) -> Span:
    for s in doc.spans:
        if s.id == span_id:
            return s
    raise InvalidEditError(f"document {doc.id} has no mark {span_id}")


def _follow_title(doc: Document, touched: list[Span],
                  now: dict[int, Span]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The title column follows a fix typed in the title's text, when it was that text.

    Returns the columns changed, before and after (empty when none).
    """
    for span in touched:
        if span.kind != "title" or span.id not in now:
            continue
        old, new = span.attrs.get("value"), now[span.id].attrs.get("value")
        if old != new and isinstance(new, str) and doc.title == old:
            doc.title = new
            return {"title": old}, {"title": new}
    return {}, {}


def _short(s: str, n: int = 30) -> str:
    """A label-sized quotation; whitespace that is all there is stays visible."""
    if s and not s.strip():
        return s.replace(" ", "␣").replace("\n", "⏎").replace("\t", "⇥")[:n]
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


def _edit_label(old: str, new: str) -> str:
    if not old:
        return f"Type “{_short(new)}”"
    if not new:
        return f"Delete “{_short(old)}”"
    return f"Replace “{_short(old)}” with “{_short(new)}”"


def _seconds_since(iso: str) -> float:
    import datetime as dt

    try:
        then = dt.datetime.fromisoformat(iso)
    except ValueError:
        return 1e9
    return (dt.datetime.now(dt.timezone.utc) - then).total_seconds()
