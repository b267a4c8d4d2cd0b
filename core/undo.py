"""Undo, redo and revert over the operation log kept in the project file."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from emendo.core.errors import DamagedProjectError, InvalidEditError, NothingToUndoError
from emendo.core.model import Span
from emendo.core.projectfile import Change
from emendo.core.textedit import shift_spans


class UndoMixin:
    """Undo and redo (mixed into Project): apply one side of a log entry."""

    def undo(self) -> Change:
        """Take back the latest step still done."""
        row = self.db.execute(
            "SELECT id FROM oplog WHERE undone = 0 ORDER BY id DESC LIMIT 1").fetchone()
        if row is None:
            raise NothingToUndoError("nothing to undo")
        return self._step(row[0], undo=True)

    def redo(self) -> Change:
        """Do again the earliest undone step."""
        row = self.db.execute(
            "SELECT id FROM oplog WHERE undone = 1 ORDER BY id LIMIT 1").fetchone()
        if row is None:
            raise NothingToUndoError("nothing to redo")
        return self._step(row[0], undo=False)

    def _step(self, entry_id: int, undo: bool) -> Change:
        with self._transaction() as conn:
            op, label, doc_id, before_s, after_s = conn.execute(
                "SELECT op, label, doc_id, before, after FROM oplog WHERE id = ?", (entry_id,)
            ).fetchone()
            before, after = _states(entry_id, op, doc_id, before_s, after_s, not undo)
            if undo and "documents" in after:
                # Keep what an undone import created, so redo can bring it back.
                stash = {k: (self._doc_snapshot(int(k)) if v is True else v)
                         for k, v in after["documents"].items()}
                after = {"documents": stash}
                conn.execute("UPDATE oplog SET after = ? WHERE id = ?",
                             (json.dumps(after, ensure_ascii=False), entry_id))
            target, current = (before, after) if undo else (after, before)
            change = self._apply_state(conn, target, current)
            conn.execute("UPDATE oplog SET undone = ? WHERE id = ?", (1 if undo else 0, entry_id))
        change.op = "undo" if undo else "redo"
        change.label = ("Undo " if undo else "Redo ") + label
        change.entry_id = entry_id
        return change

    def _apply_state(self, conn: sqlite3.Connection, target: dict[str, Any],
                     current: dict[str, Any]) -> Change:
        """Bring the file to ``target`` (one side of a log entry) from ``current``."""
        change = Change("", "")
        if "documents" in target:
            for key, snap in target["documents"].items():
                doc_id = int(key)
                if snap is None:
                    conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
                else:
                    self._restore_snapshot(conn, snap)
                change.doc_ids.append(doc_id)
            change.documents = True
            return change
        doc_id = int(target["doc"])
        doc = self._load_for_write(conn, doc_id)
        columns: set[str] = set()
        if "text" in target:
            pos, text_to = target["text"]
            _, text_from = current["text"]
            if doc.text[pos:pos + len(text_from)] != text_from:
                raise InvalidEditError("the text has changed since; undo the later steps first")
            if doc.imported_text is None:
                doc.imported_text = doc.text  # a redone fix: the text differs from import
            doc.text = doc.text[:pos] + text_to + doc.text[pos + len(text_from):]
            # Spans untouched by the edit shift back; touched ones are restored exactly.
            doc.spans = shift_spans(doc.spans, pos, len(text_from), len(text_to))
            if doc.text == doc.imported_text:
                doc.imported_text = None
            columns.add("text")
            change.text = True
        spans_target = target.get("spans", {})
        if spans_target:
            by_id = {s.id: s for s in doc.spans}
            for key, data in spans_target.items():
                sid = int(key)
                if data is None:
                    by_id.pop(sid, None)
                else:
                    by_id[sid] = Span.from_json(data)
            doc.spans = list(by_id.values())
            columns.add("spans")
            change.spans = True
        for col, value in target.get("cols", {}).items():
            setattr(doc, col, value)
            columns.add(col)
            change.documents = True
        self._write_doc(conn, doc, columns)
        change.doc_ids.append(doc_id)
        return change

    def revert(self, entry_id: int) -> Change:
        """Undo one past change (not necessarily the latest) as a new, undoable step."""
        entry = next((e for e in self.history(include_undone=False) if e.id == entry_id), None)
        if entry is None:
            raise InvalidEditError(f"no change {entry_id} to revert")
        if "documents" in entry.before:
            raise InvalidEditError("imports and deletions are reverted with undo")
        doc_id = int(entry.before["doc"])
        if "text" in entry.before:
            pos, old = entry.before["text"]
            _, new = entry.after["text"]
            # Later edits before this position move it.
            for later in self.history(doc_id):
                if later.id <= entry_id or "text" not in later.before:
                    continue
                lpos, lold = later.before["text"]
                _, lnew = later.after["text"]
                if lpos + len(lold) <= pos:
                    pos += len(lnew) - len(lold)
                elif lpos < pos + len(new):
                    raise InvalidEditError("a later change overlaps this one; revert that first")
            doc = self.document(doc_id)
            if doc.text[pos:pos + len(new)] != new:
                raise InvalidEditError("the text has changed there since")
            return self.edit_text(doc_id, pos, len(new), old, merge=False, op="revert",
                                  reason="", label=f"Revert: {entry.label}")
        with self._transaction() as conn:
            doc = self._load_for_write(conn, doc_id)
            by_id = {s.id: s for s in doc.spans}
            before = {"doc": doc_id, "spans": {}, "cols": {}}
            after = {"doc": doc_id, "spans": {}, "cols": {}}
            for key, data in entry.before.get("spans", {}).items():
                sid = int(key)
                before["spans"][key] = by_id[sid].to_json() if sid in by_id else None
                after["spans"][key] = data
                if data is None:
                    by_id.pop(sid, None)
                else:
                    by_id[sid] = Span.from_json(data)
            doc.spans = list(by_id.values())
            cols = {"spans"}
            for col, value in entry.before.get("cols", {}).items():
                before["cols"][col] = getattr(doc, col)
                after["cols"][col] = value
                setattr(doc, col, value)
                cols.add(col)
            self._write_doc(conn, doc, cols)
            label = f"Revert: {entry.label}"
            new_id = self._log(conn, "revert", label, doc_id, before, after)
        return Change("revert", label, [doc_id], spans=True, documents=bool(after["cols"]),
                      entry_id=new_id)


def _states(entry_id: int, op: Any, doc_id: Any, before_s: Any, after_s: Any,
            undone: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    """A log entry's before and after states, refused with a named error when damaged."""
    from emendo.core.integrity import state_problem

    before: Any = None
    after: Any = None
    try:
        before, after = json.loads(before_s), json.loads(after_s)
    except (ValueError, TypeError, RecursionError):
        problem: str | None = "its states are unreadable"
    else:
        problem = state_problem(op, doc_id, before, after, undone)
    if problem or not isinstance(before, dict) or not isinstance(after, dict):
        raise DamagedProjectError(f"operation log entry {entry_id} cannot be applied: "
                                  f"{problem}; run 'emendo check'")
    return before, after
