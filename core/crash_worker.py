"""The process the crash harness kills: real operations on a project, each acknowledged.

Run as ``python -m emendo.core.crash_worker PROJECT SEED [MAX_OPS]``.  It opens the project
through :class:`Project` (clearing the stale lock a killed predecessor left), prints
``ready``, then performs random operations forever.  Before an operation it prints
``begin <n> <op> <details>``; after the operation has *returned* it prints
``ack <n> <op> <details>``, flushing each line, so the parent knows exactly which operations
were acknowledged and which one (at most) was in flight when SIGKILL arrived.

Details are ``key=value`` words.  Every acked operation names the operation-log entry it
created or changed (``entry=``); undo and redo name the entry they flipped.  Text inserted
by the worker is a marker ``⟦<seed>.<n>⟧`` so it can be found again; marks carry
``attrs['tag']``; field edits set the ``refno`` field to a unique value.
"""
from __future__ import annotations

import random
import sys
from pathlib import Path

from emendo.core.errors import EmendoError, InvalidEditError, NothingToUndoError
from emendo.core.model import Document, Span
from emendo.core.project import Project

OPEN, CLOSE = "⟦", "⟧"

_NAMES = ("Peng Zhen", "Chen Yi", "He Long", "Kang Sheng", "Luo Ruiqing", "Wu Lengxi",
          "Zhu Muzhi", "Archive")
_PRIORITIES = ("Urgent", "Very Urgent", "Normal")


def cable_text(tag: str) -> str:
    """The deterministic text of a generated cable (shaped like the model cable)."""
    rng = random.Random(tag)
    names = rng.sample(_NAMES, 4)
    body = " ".join(rng.choice(("The", "Soviet", "press", "reported", "that", "embassy",
                                "comrades", "meeting", "[illegible]", "April", "16th"))
                    for _ in range(rng.randint(30, 70)))
    return (f"Telegram {tag}\n\nPriority: {rng.choice(_PRIORITIES)}\n\n"
            f"[handwritten {rng.randint(100, 999)}]\n\n{body}.\n\n"
            f"Distribution: {', '.join(names)}\n")


def make_cable(tag: str) -> Document:
    """A generated cable as a Document with typical spans (parent and worker agree on it)."""
    text = cable_text(tag)
    doc = Document(title=f"Telegram {tag}", text=text, source_text=text,
                   source_name=f"{tag}.txt")
    spans: list[Span] = []
    i = text.index("Priority:")
    j = text.index("\n", i)
    spans.append(Span("priority", i, j, {"value": text[i + 10:j]}))
    i = text.index("[handwritten")
    j = text.index("]", i) + 1
    spans.append(Span("handwritten", i, j, {"value": text[i + 13:j - 1], "hand": "h1"}))
    start = 0
    while (k := text.find("[illegible]", start)) >= 0:
        spans.append(Span("illegible", k, k + 11, {}))
        start = k + 11
    i = text.index("Distribution:")
    j = text.index("\n", i)
    dist = Span("distribution", i, j, {"label": "Distribution"}, id=1000)
    spans.append(dist)
    pos = i + len("Distribution: ")
    for name in text[pos:j].split(", "):
        spans.append(Span("recipient", pos, pos + len(name), {"name": name, "parent": 1000}))
        pos += len(name) + 2
    spans.append(Span("stamp", None, None, {"text": "seen only on the paper"}))
    doc.spans = spans
    doc.assign_ids()
    return doc


def free_positions(text: str) -> list[int]:
    """Offsets where a new marker may go: not inside an earlier marker."""
    out, depth = [], 0
    for i, ch in enumerate(text):
        if depth == 0:
            out.append(i)
        if ch == OPEN:
            depth += 1
        elif ch == CLOSE:
            depth = max(0, depth - 1)
    if depth == 0:
        out.append(len(text))
    return out


def plain_range(text: str, rng: random.Random, length: int) -> tuple[int, int] | None:
    """A range of ``length`` characters holding no marker character (for deletes, marks)."""
    for _ in range(20):
        if len(text) <= length:
            return None
        a = rng.randrange(0, len(text) - length)
        seg = text[a:a + length]
        if OPEN not in seg and CLOSE not in seg and a in free_positions(text[:a + 1]):
            return a, a + length
    return None


class Worker:
    """Random operations with acknowledgements on stdout."""

    def __init__(self, project: Project, seed: int) -> None:
        self.p = project
        self.seed = seed
        self.rng = random.Random(seed)
        self.n = 0

    def say(self, line: str) -> None:
        """Write one protocol line and flush it past our buffers."""
        sys.stdout.write(line + "\n")
        sys.stdout.flush()

    def doc_ids(self) -> list[int]:
        return [d.id for d in self.p.list_documents()]

    def step(self) -> None:
        """One random operation (typing a marker is several, one per keystroke)."""
        ids = self.doc_ids()
        choices = ["import"] if not ids else (
            ["import"] * 2 + ["type"] * 5 + ["paste"] * 3 + ["delete"] * 2 + ["mark"] * 4
            + ["field"] * 3 + ["undo"] * 3 + ["redo"] * 2)
        op = self.rng.choice(choices)
        getattr(self, "op_" + op)(ids)

    def _next(self) -> int:
        self.n += 1
        return self.n

    def op_import(self, ids: list[int]) -> None:
        n = self._next()
        k = self.rng.randint(1, 3)
        tags = [f"{self.seed}.{n}.{i}" for i in range(k)]
        self.say(f"begin {n} import tags={','.join(tags)}")
        change = self.p.import_documents([make_cable(t) for t in tags])
        self.say(f"ack {n} import entry={change.entry_id} tags={','.join(tags)} "
                 f"docs={','.join(map(str, change.doc_ids))}")

    def op_type(self, ids: list[int]) -> None:
        # Keystrokes merge into one undo step (after an undo, the first one starts anew).
        doc_id = self.rng.choice(ids)
        text = self.p.document(doc_id).text
        pos = self.rng.choice(free_positions(text))
        marker = f"{OPEN}{self.seed}.{self.n + 1}{CLOSE}"
        mid = self.n + 1
        for i, ch in enumerate(marker):
            n = self._next()
            self.say(f"begin {n} type doc={doc_id} marker={mid} i={i}")
            change = self.p.edit_text(doc_id, pos + i, 0, ch)
            self.say(f"ack {n} type doc={doc_id} marker={mid} i={i} entry={change.entry_id} "
                     f"text={marker[:i + 1]}")

    def op_paste(self, ids: list[int]) -> None:
        doc_id = self.rng.choice(ids)
        text = self.p.document(doc_id).text
        pos = self.rng.choice(free_positions(text))
        n = self._next()
        marker = f"{OPEN}{self.seed}.{n}{CLOSE}"
        self.say(f"begin {n} paste doc={doc_id}")
        change = self.p.edit_text(doc_id, pos, 0, marker, merge=False)
        self.say(f"ack {n} paste doc={doc_id} entry={change.entry_id} marker={n} "
                 f"text={marker}")

    def op_delete(self, ids: list[int]) -> None:
        doc_id = self.rng.choice(ids)
        text = self.p.document(doc_id).text
        rng_ = plain_range(text, self.rng, self.rng.randint(1, 6))
        # Deleting under a tagged mark could drop it; keep the marks' fingerprints exact.
        tagged = [s for s in self.p.document(doc_id).spans if "tag" in s.attrs and s.anchored]
        if rng_ is None or any(s.start < rng_[1] and rng_[0] < s.end  # type: ignore[operator]
                               for s in tagged):
            return
        n = self._next()
        self.say(f"begin {n} delete doc={doc_id}")
        change = self.p.edit_text(doc_id, rng_[0], rng_[1] - rng_[0], "", merge=False)
        self.say(f"ack {n} delete doc={doc_id} entry={change.entry_id}")

    def op_mark(self, ids: list[int]) -> None:
        doc_id = self.rng.choice(ids)
        text = self.p.document(doc_id).text
        rng_ = plain_range(text, self.rng, self.rng.randint(1, 12))
        if rng_ is None:
            return
        n = self._next()
        kind = self.rng.choice(("unclear", "person", "place", "underline", "note"))
        tag = f"{self.seed}.{n}"
        self.say(f"begin {n} mark doc={doc_id} tag={tag}")
        change = self.p.add_span(doc_id, kind, rng_[0], rng_[1], {"tag": tag})
        self.say(f"ack {n} mark doc={doc_id} entry={change.entry_id} tag={tag}")

    def op_field(self, ids: list[int]) -> None:
        doc_id = self.rng.choice(ids)
        n = self._next()
        value = f"No. {self.seed}.{n}"
        self.say(f"begin {n} field doc={doc_id} value={value.replace(' ', '_')}")
        change = self.p.set_field(doc_id, "refno", value)
        self.say(f"ack {n} field doc={doc_id} entry={change.entry_id} "
                 f"value={value.replace(' ', '_')}")

    def op_undo(self, ids: list[int]) -> None:
        n = self._next()
        self.say(f"begin {n} undo")
        try:
            change = self.p.undo()
        except (NothingToUndoError, InvalidEditError):
            self.say(f"ack {n} undo entry=none")
            return
        self.say(f"ack {n} undo entry={change.entry_id}")

    def op_redo(self, ids: list[int]) -> None:
        n = self._next()
        self.say(f"begin {n} redo")
        try:
            change = self.p.redo()
        except (NothingToUndoError, InvalidEditError):
            self.say(f"ack {n} redo entry=none")
            return
        self.say(f"ack {n} redo entry={change.entry_id}")


def main(argv: list[str] | None = None) -> int:
    """Entry point: open the project, then operate until killed (or MAX_OPS are done)."""
    args = sys.argv[1:] if argv is None else argv
    path, seed = Path(args[0]), int(args[1])
    max_ops = int(args[2]) if len(args) > 2 else 10**9
    try:
        project = Project.open(path, author="crash-worker")
    except EmendoError as exc:
        print(f"error {exc}", flush=True)
        return 2
    worker = Worker(project, seed)
    worker.say("ready")
    while worker.n < max_ops:
        worker.step()
    project.close()
    worker.say("done")
    return 0


if __name__ == "__main__":
    sys.exit(main())
