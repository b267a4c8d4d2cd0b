"""The main window's typing: each keystroke shown at once and committed on a thread.

A mixin of :class:`emendo.gui.main_window.MainWindow`, split off to keep modules short. The
window's ``project`` is a :class:`~emendo.gui.committer.ProjectGate`: whatever the window
reads or does waits for the typing still being committed, so nothing sees a stale file.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any

from emendo.core.codec import StoredSpans
from emendo.core.errors import EmendoError
from emendo.core.model import Document
from emendo.core.project import Change, Project
from emendo.gui.committer import Committer, ProjectGate, Typing

# Panels other than the editor refresh this long after the last keystroke.
PANEL_DELAY_MS = 350
# ... and look again this often while commits of the typing are still being written.
PANEL_RETRY_MS = 40


class TypingMixin:
    """The document shown and its typing, committed in order on a thread of its own
    (mixed into MainWindow).
    """

    committer: Committer
    _gate: ProjectGate | None
    _doc: Document | None
    _pending_spans: StoredSpans | None

    def _init_commits(self) -> None:
        self.committer = Committer(self)  # type: ignore[arg-type]
        self.committer.committed.connect(self._on_committed)
        self.committer.failed.connect(self._on_commit_failed)
        self._gate = None
        self._doc = None
        self._pending_spans = None
        self._retitled: int | None = None  # a document whose title followed typing
        self._spans_typed = False  # typing moved the view's spans since the doc had them

    @property
    def doc(self) -> Document | None:
        """The document shown (its spans all built and where typing moved them: asking
        for it finishes the opening).
        """
        if self._pending_spans is not None:
            self._finish_open()
        if self._spans_typed and self._doc is not None:
            # The view moved its spans by core's rules; unanchored ones stay as they were.
            self._spans_typed = False
            self._doc.spans = self.source.spans + [  # type: ignore[attr-defined]
                s for s in self._doc.spans if s.start is None]
        return self._doc

    @doc.setter
    def doc(self, value: Document | None) -> None:
        self._pending_spans = None
        self._spans_typed = False
        self._doc = value

    def _finish_open(self) -> None:
        """Build the rest of a long document's spans (after its first paint)."""
        stored, self._pending_spans = self._pending_spans, None
        if stored is None or self._doc is None:
            return
        try:
            self._doc.spans = stored.all()
        except EmendoError as exc:
            # Damage the first paint did not need to read: as when a document cannot be
            # opened at all, say so and show nothing (nothing can then be written over it).
            title = self._doc.title
            self._show_doc(None)  # type: ignore[attr-defined]
            self.statusBar().showMessage(f"{title}: {exc}", 8000)  # type: ignore[attr-defined]
            return
        self.source.adopt_spans(self._doc.spans)  # type: ignore[attr-defined]
        self._update_title()  # type: ignore[attr-defined]

    @property
    def project(self) -> ProjectGate | None:
        """The open project (every use first waits for the typing being committed)."""
        return self._gate

    @project.setter
    def project(self, value: Project | ProjectGate | None) -> None:
        if value is None or isinstance(value, ProjectGate):
            self._gate = value
        else:
            self._gate = ProjectGate(value, self.committer)

    def _on_text_edited(self, pos: int, removed: int, inserted: str) -> None:
        """A keystroke: hand its commit over, keep the local copy in step, refresh later.

        Only what the eye needs now happens here; the commit runs on the commit thread, and
        the undo label, the record, the marks list and the history follow once typing
        pauses.
        """
        if self._pending_spans is not None:  # (input builds them first; to be sure)
            self._finish_open()
        gate, doc = self.project, self._doc
        if gate is None or doc is None:
            return
        self.committer.submit(Typing(gate.real, doc.id, pos, removed, inserted))
        if doc.imported_text is None:
            doc.imported_text = doc.text
        doc.text = self.source.text  # type: ignore[attr-defined]
        # The spans as the view moved them, taken when the document is next asked for:
        # a keystroke moves only the few near it (the view owes the rest their shift).
        self._spans_typed = True
        acts = self.acts  # type: ignore[attr-defined]
        if not acts["undo"].isEnabled() and not self.readonly:  # type: ignore[attr-defined]
            acts["undo"].setEnabled(True)
        if self._steps:  # type: ignore[attr-defined]
            # A refresh was under way: do it after this pause instead.
            owed = self._owe_panels or self._steps_full  # type: ignore[attr-defined]
            self._cancel_steps()  # type: ignore[attr-defined]
            self._owe_panels = owed
        self._panel_timer.start(PANEL_DELAY_MS)  # type: ignore[attr-defined]
        self._typing = True

    def _on_committed(self, change: Change) -> None:
        """A keystroke is in the file: say so (briefly while typing goes on)."""
        self._typed_label = change.label or ""
        if change.documents and change.doc_ids:
            # A fix typed in the title's text: the list and the window title follow once
            # typing pauses (_sync_title).
            self._retitled = change.doc_ids[0]
        label = self.saved_label  # type: ignore[attr-defined]
        if self._typing and self._saved_typing != label.text():  # type: ignore[attr-defined]
            # One short text while typing: a label that changes size on every key
            # relays out the status bar each time; the full label follows the pause.
            label.setText(self._saved_typing)  # type: ignore[attr-defined]

    def _on_commit_failed(self, exc: Any) -> None:
        """A keystroke could not be written: say so and show the file as saved."""
        self.committer.recovered()
        if not isinstance(exc, EmendoError):
            exc = EmendoError(f"unexpected error: {exc}")
        self._write_failed(exc)  # type: ignore[attr-defined]

    def _sync_title(self) -> None:
        """Show the title a typed fix gave a document: in the list, the record, the window."""
        doc_id, self._retitled = self._retitled, None
        gate = self.project
        if doc_id is None or gate is None:
            return
        try:
            title = gate.document(doc_id, source=False).title
        except EmendoError:
            return
        if self._doc is not None and self._doc.id == doc_id:
            self._doc.title = title
            self._update_title()  # type: ignore[attr-defined]
        docs = self.documents  # type: ignore[attr-defined]
        rows = [replace(r, title=title) if r.id == doc_id else r for r in docs.model.rows]
        docs.set_documents(rows, self._doc.id if self._doc is not None else None)
