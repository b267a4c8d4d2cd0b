"""Typing committed to the project on a thread of its own, so no keystroke waits for the disk.

A keystroke's commit is a transaction synced to disk (``synchronous=FULL``): a few
milliseconds, tens when the disk is busy. The window applies the keystroke to what it shows
at once and hands the commit to :class:`Committer`, which runs commits one after another in
the order typed. Everything else the window asks of the project goes through
:class:`ProjectGate`, which first waits for the commits still pending (a few milliseconds at
most), so every read and every other operation sees all the typing before it. SQLite lets
go of Python's lock while it writes and syncs, so the window keeps running meanwhile.

A commit starts once the window is idle again (the turn of its event loop that shows the
keystroke is over): a commit thread woken at once would take Python's lock from the window
while it lays out and paints the key.

Keystrokes still waiting when the thread takes the next one are committed with it as one
edit when they continue it (typing on, or deleting what was just typed): typing faster than
the disk then costs fewer commits, not a longer queue.

A commit that fails drops the typing queued behind it (it was typed on top of a change that
is not in the file) and reports the error; the window then shows the file as saved.
"""
from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from emendo.core.project import Project
from emendo.core.projectfile import Change

__all__ = ["Committer", "ProjectGate", "Typing"]


@dataclass(frozen=True)
class Typing:
    """A keystroke's edit of one document, to commit (joined with those that continue it)."""

    project: Project
    doc_id: int
    pos: int
    removed: int
    inserted: str

    def __call__(self) -> Change:
        """Commit the edit (on the commit thread)."""
        # The project's method as it is when the commit runs (tests replace it).
        return self.project.edit_text(self.doc_id, self.pos, self.removed, self.inserted,
                                      typed=True)

    def then(self, nxt: Typing) -> Typing | None:
        """The edit and ``nxt`` as one edit, when ``nxt`` continues it (else None)."""
        if nxt.project is not self.project or nxt.doc_id != self.doc_id:
            return None
        end = self.pos + len(self.inserted)
        if nxt.removed == 0 and nxt.pos == end:  # typing on
            return replace(self, inserted=self.inserted + nxt.inserted)
        if not nxt.inserted and nxt.pos + nxt.removed == end \
                and nxt.removed <= len(self.inserted):  # deleting what was just typed
            return replace(self, inserted=self.inserted[:len(self.inserted) - nxt.removed])
        return None


class Committer(QObject):
    """Runs commits in order on one worker thread; reports each on the window's thread."""

    committed = Signal(object)  # the Change
    failed = Signal(object)  # the exception (an EmendoError, or an unexpected one)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._jobs: queue.Queue[Callable[[], Change] | None] = queue.Queue()
        self._held: list[Callable[[], Change]] = []  # submitted, not yet handed over
        self._release = QTimer(self)
        self._release.setSingleShot(True)
        self._release.setInterval(0)
        self._release.timeout.connect(self._hand_over)
        self._failing = threading.Event()
        self._thread = threading.Thread(target=self._work, name="emendo-commit", daemon=True)
        self._thread.start()

    def submit(self, job: Callable[[], Change]) -> None:
        """Commit ``job`` after everything submitted before it, once the window is idle."""
        self._held.append(job)
        if not self._release.isActive():
            self._release.start()

    def _hand_over(self) -> None:
        """Give the commit thread what was submitted (in order)."""
        self._release.stop()
        held, self._held = self._held, []
        for job in held:
            self._jobs.put(job)

    def pending(self) -> int:
        """How many submitted commits are not done yet."""
        return len(self._held) + self._jobs.unfinished_tasks

    def drain(self) -> None:
        """Wait until every submitted commit is done (or dropped after a failure)."""
        if self._held:
            self._hand_over()
        if self._jobs.unfinished_tasks:
            self._jobs.join()

    def recovered(self) -> None:
        """The window has shown the file as saved after a failure: commit typing again."""
        self.drain()
        self._failing.clear()

    def stop(self) -> None:
        """Finish the pending commits and end the thread (the window is closing)."""
        if self._thread.is_alive():
            self._hand_over()
            self._jobs.put(None)
            self._thread.join()

    def _take(self, job: Callable[[], Change] | None) -> tuple[Any, int, Any]:
        """``job`` joined with the waiting keystrokes that continue it: (the job, how many
        submitted jobs it stands for, the next job already taken in a 1-tuple, or None).
        """
        count = 1
        if not isinstance(job, Typing):
            return job, count, None
        while True:
            try:
                nxt = self._jobs.get_nowait()
            except queue.Empty:
                return job, count, None
            joined = job.then(nxt) if isinstance(nxt, Typing) else None
            if joined is None:
                return job, count, (nxt,)
            job, count = joined, count + 1

    def _work(self) -> None:
        ahead: Any = None  # a job taken from the queue that did not join the one before it
        while True:
            job, count, ahead = self._take(ahead[0] if ahead else self._jobs.get())
            try:
                if job is None:
                    return
                if self._failing.is_set():
                    continue  # typed on top of a change that failed: the window reloads
                try:
                    change = job()
                except Exception as exc:  # noqa: BLE001 (reported on the window's thread)
                    self._failing.set()
                    self.failed.emit(exc)
                else:
                    self.committed.emit(change)
            finally:
                for _ in range(count):
                    self._jobs.task_done()


class ProjectGate:
    """The window's view of its project: every use waits for the pending commits first."""

    __slots__ = ("_project", "_committer")

    def __init__(self, project: Project, committer: Committer) -> None:
        object.__setattr__(self, "_project", project)
        object.__setattr__(self, "_committer", committer)

    @property
    def real(self) -> Project:
        """The project itself (for the commit thread; never used while commits are pending)."""
        return self._project

    def __getattr__(self, name: str) -> Any:
        self._committer.drain()
        return getattr(self._project, name)

    def __setattr__(self, name: str, value: Any) -> None:
        self._committer.drain()
        setattr(self._project, name, value)

    def __delattr__(self, name: str) -> None:
        self._committer.drain()
        delattr(self._project, name)
