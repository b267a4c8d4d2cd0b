"""Crash harness: kill a worker doing real operations with SIGKILL, then check the file.

After every kill: ``integrity_check`` and ``foreign_key_check`` are clean, the project opens
(clearing the dead worker's stale lock) and ``Project.check()`` is empty, every operation the
worker acknowledged is present, the one operation in flight is all there or not at all, and
the documents equal a replay of the operation log over the imported cables (an edit's text
and its log entry agree).  ``EMENDO_CRASH_KILLS`` sets the number of kills.
"""
from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from emendo.core.crash_worker import CLOSE, make_cable
from emendo.core.model import Span
from emendo.core.project import Project
from emendo.core.textedit import shift_spans

KILLS_PER_PROJECT = 20  # a fresh project now and then keeps the per-kill checks cheap
NEW_OPS = {"import", "type", "paste", "delete", "mark", "field"}


@dataclass
class Entry:
    """The harness's idea of one operation-log entry."""

    id: int
    undone: bool = False
    tags: list[str] = field(default_factory=list)  # an import's cables
    mark: tuple[int, str] | None = None  # (doc, tag)
    value: tuple[int, str, int] | None = None  # (doc, refno value, creation order)


@dataclass
class Marker:
    """Text the worker inserted: the characters acked so far and their entries."""

    doc: int
    text: str
    entries: list[Entry] = field(default_factory=list)  # one per acked character
    complete: bool = False


@dataclass
class Model:
    """What the acknowledgements say the project holds."""

    log: dict[int, Entry] = field(default_factory=dict)
    markers: list[Marker] = field(default_factory=list)
    marks: list[Entry] = field(default_factory=list)
    acked: int = 0
    order: int = 0

    def flags(self) -> dict[int, bool]:
        return {i: e.undone for i, e in self.log.items()}

    def new_entry(self, eid: int) -> Entry:
        """A new log entry: as in Project._log, it ends the redo branch first."""
        for i in [i for i, e in self.log.items() if e.undone]:
            del self.log[i]
        entry = Entry(eid)
        self.log[eid] = entry
        return entry


def parse(line: str) -> tuple[str, int, str, dict[str, str]]:
    kind, n, op, *rest = line.split(" ")
    return kind, int(n), op, dict(w.split("=", 1) for w in rest)


def apply_ack(model: Model, op: str, kv: dict[str, str], open_marker: dict[int, Marker]) -> None:
    """Fold one acknowledged operation into the model."""
    model.acked += 1
    eid = kv.get("entry", "none")
    if op in ("undo", "redo"):
        if eid != "none":
            model.log[int(eid)].undone = op == "undo"
        return
    e = int(eid)
    merged = op == "type" and e in model.log and not model.log[e].undone
    entry = model.log[e] if merged else model.new_entry(e)
    attach(model, entry, op, kv, open_marker)


def attach(model: Model, entry: Entry, op: str, kv: dict[str, str],
           open_marker: dict[int, Marker]) -> None:
    """Record what an operation made visible, tied to its log entry."""
    if op == "import":
        entry.tags += kv["tags"].split(",")
    elif op == "mark":
        entry.mark = (int(kv["doc"]), kv["tag"])
        model.marks.append(entry)
    elif op == "field":
        model.order += 1
        entry.value = (int(kv["doc"]), kv["value"].replace("_", " "), model.order)
    elif op == "paste" and "text" in kv:
        model.markers.append(Marker(int(kv["doc"]), kv["text"], [entry], True))
    elif op == "type" and "text" in kv:
        mid = int(kv["marker"])
        m = open_marker.get(mid)
        if m is None:
            m = open_marker[mid] = Marker(int(kv["doc"]), "")
            model.markers.append(m)
        m.text = kv["text"]
        m.entries.append(entry)
        m.complete = m.text.endswith(CLOSE)


def actual_flags(path: Path) -> dict[int, bool]:
    if not path.exists() or path.stat().st_size == 0:
        return {}  # killed before the new project's schema was committed: still a new file
    con = sqlite3.connect(path)
    try:
        return {i: bool(u) for i, u in con.execute("SELECT id, undone FROM oplog")}
    finally:
        con.close()


def resolve_pending(model: Model, pending: tuple[str, dict[str, str]] | None,
                    actual: dict[int, bool], open_marker: dict[int, Marker]) -> str:
    """Match the file's log against 'in-flight op not done' or 'done'; adopt the match."""
    expected = model.flags()
    if actual == expected:
        return "not committed"  # (or a keystroke merged into its entry: flags unchanged)
    assert pending is not None, f"log differs with nothing in flight: {expected} vs {actual}"
    op, kv = pending
    if op in ("undo", "redo"):
        alive = [i for i, u in expected.items() if not u]
        undone = [i for i, u in expected.items() if u]
        target = max(alive) if op == "undo" and alive else (
            min(undone) if op == "redo" and undone else None)
        assert target is not None, f"{op} changed the log with nothing to {op}"
        flipped = {**expected, target: op == "undo"}
        assert actual == flipped, f"partial {op}: expected {flipped}, file has {actual}"
        model.log[target].undone = op == "undo"
        return "committed"
    assert op in NEW_OPS, op
    kept = {i: u for i, u in expected.items() if not u}
    extra = set(actual) - set(kept)
    assert len(extra) == 1 and {i: actual[i] for i in kept} == kept and \
        not actual[next(iter(extra))], f"partial {op}: log {actual}, before it {expected}"
    entry = model.new_entry(extra.pop())
    attach(model, entry, op, kv, open_marker)
    return "committed"


def replay(initial: dict[str, Any], entries: list[dict[str, Any]]) -> tuple[str, dict]:
    """A document's text and spans rebuilt from its import and its live log entries."""
    text = initial["text"]
    spans = dict(initial["spans"])
    for before, after in entries:
        if "text" in after:
            pos, new = after["text"]
            _, old = before["text"]
            assert text[pos:pos + len(old)] == old, "log entry does not fit the text"
            text = text[:pos] + new + text[pos + len(old):]
            # The log keeps only the spans the edit touched; the rest move with the text.
            moved = shift_spans([Span.from_json(d) for d in spans.values()], pos, len(old),
                                len(new))
            spans = {s.id: s.to_json() for s in moved}
        for key, data in after.get("spans", {}).items():
            if data is None:
                spans.pop(int(key), None)
            else:
                spans[int(key)] = Span.from_json(data).to_json()
    return text, spans


_INITIAL: dict[str, dict[str, Any]] = {}


def initial_state(tag: str) -> dict[str, Any]:
    if tag not in _INITIAL:
        doc = make_cable(tag)
        _INITIAL[tag] = {"text": doc.text, "spans": {s.id: s.to_json() for s in doc.spans}}
    return _INITIAL[tag]


def check_project(path: Path, model: Model) -> None:
    """Everything the harness promises about a project after a kill."""
    if not path.exists():
        # Killed before the worker linked its new project into place. A plain connect
        # would create an empty file here, which the next open rightly refuses as emptied.
        assert not model.log, "operations were acknowledged, but there is no project file"
        return
    con = sqlite3.connect(path)  # a plain connection rolls back the hot journal, as any would
    try:
        assert [r[0] for r in con.execute("PRAGMA integrity_check")] == ["ok"]
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        con.close()
    with Project.open(path, author="harness") as p:  # clears the dead worker's lock
        assert p.check() == []
        docs = {d.id: p.document(d.id) for d in p.list_documents()}
        log = p.history(include_undone=True)
    alive = [e for e in model.log.values() if not e.undone]
    # Imports: all or nothing, and exactly the live ones.
    want_tags = sorted(t for e in alive for t in e.tags)
    have_tags = sorted(d.title.removeprefix("Telegram ") for d in docs.values())
    assert have_tags == want_tags, "documents differ from the acknowledged imports"
    # Replay: text and spans are exactly what the import and the live log entries make.
    by_doc: dict[int, list[tuple[dict, dict]]] = {}
    for e in log:
        if not e.undone and "doc" in e.after:
            by_doc.setdefault(int(e.after["doc"]), []).append((e.before, e.after))
    for doc in docs.values():
        text, spans = replay(initial_state(doc.title.removeprefix("Telegram ")),
                             by_doc.get(doc.id, []))
        assert doc.text == text, f"document {doc.id}: text differs from its log"
        assert {s.id: s.to_json() for s in doc.spans} == spans, \
            f"document {doc.id}: spans differ from the log"
    # Acked effects are visible; undone ones are gone.
    for m in model.markers:
        live = [e for e in m.entries if e.id in model.log and not model.log[e.id].undone
                and model.log[e.id] is e]
        doc = docs.get(m.doc)
        if len(live) == len(m.entries) and m.text:
            assert doc is not None and m.text in doc.text, f"acked text {m.text!r} lost"
        elif not live and m.complete and doc is not None:
            assert m.text not in doc.text, f"undone text {m.text!r} still there"
    for e in model.marks:
        doc_id, tag = e.mark  # type: ignore[misc]
        live = model.log.get(e.id) is e and not e.undone
        present = doc_id in docs and any(s.attrs.get("tag") == tag for s in docs[doc_id].spans)
        assert present == live, f"mark {tag}: {'lost' if live else 'undone but still there'}"
    for doc in docs.values():
        values = sorted((e.value for e in alive if e.value and e.value[0] == doc.id),
                        key=lambda v: v[2])
        assert doc.field_value("refno") == (values[-1][1] if values else None), \
            f"document {doc.id}: reference number differs from the acknowledged edits"


def read_lines(out: Path) -> list[str]:
    data = out.read_bytes().decode("utf-8", errors="replace")
    # Only whole lines count: a line cut by the kill was never acknowledged.
    return data.split("\n")[:-1]


def run_harness(tmp_path: Path, kills: int, seed: int) -> dict[str, int]:
    rng = random.Random(seed)
    stats = {"kills": 0, "acked": 0, "in_flight_committed": 0, "before_any_ack": 0}
    model, path = Model(), tmp_path / "p0.emendo"
    for k in range(kills):
        if k % KILLS_PER_PROJECT == 0:
            model, path = Model(), tmp_path / f"p{k}.emendo"
        out = tmp_path / f"out{k}.txt"
        with open(out, "wb") as fh:
            proc = subprocess.Popen(
                [sys.executable, "-m", "emendo.core.crash_worker", str(path), str(k + 1)],
                stdout=fh, stderr=subprocess.PIPE)
        try:
            if rng.random() < 0.15:
                time.sleep(rng.uniform(0, 0.4))  # may land in start-up or in opening
            else:
                deadline = time.monotonic() + 60
                while not out.read_bytes().startswith(b"ready\n") and proc.poll() is None \
                        and time.monotonic() < deadline:
                    time.sleep(0.005)
                time.sleep(rng.uniform(0, 0.25))
        finally:
            proc.send_signal(signal.SIGKILL)
            _, err = proc.communicate()
        lines = read_lines(out)
        assert proc.returncode == -signal.SIGKILL, (proc.returncode, err.decode()[-2000:])
        assert not any(ln.startswith("error") for ln in lines), lines
        pending: tuple[str, dict[str, str]] | None = None
        open_marker: dict[int, Marker] = {}
        acked_before = model.acked
        for line in lines:
            if line.startswith("begin "):
                _, _, op, kv = parse(line)
                pending = (op, kv)
            elif line.startswith("ack "):
                _, _, op, kv = parse(line)
                apply_ack(model, op, kv, open_marker)
                pending = None
        if model.acked == acked_before:
            stats["before_any_ack"] += 1
        verdict = resolve_pending(model, pending, actual_flags(path), open_marker)
        stats["in_flight_committed"] += verdict == "committed"
        check_project(path, model)
        stats["kills"] += 1
        stats["acked"] += model.acked - acked_before
        out.unlink()
    return stats


def _harness(tmp_path: Path, default_kills: int, capsys: pytest.CaptureFixture[str]) -> None:
    kills = int(os.environ.get("EMENDO_CRASH_KILLS", default_kills))
    seed = int(os.environ.get("EMENDO_CRASH_SEED", random.randrange(10**6)))
    try:
        stats = run_harness(tmp_path, kills, seed)
    except AssertionError as exc:  # say how to replay this exact run
        raise AssertionError(f"{exc}\n(replay with EMENDO_CRASH_SEED={seed} "
                             f"EMENDO_CRASH_KILLS={kills})") from exc
    with capsys.disabled():
        print(f"\ncrash harness (seed {seed}): {stats['kills']}/{kills} kills survived, "
              f"{stats['acked']} acknowledged operations all present, "
              f"{stats['in_flight_committed']} in-flight operations found complete, "
              f"{stats['before_any_ack']} kills before any acknowledgement")
    # The loop checks each kill; this says the run exercised something: operations were
    # acknowledged before kills, so the checks compared a project against real work.
    assert stats["acked"] > 0, "no operation was acknowledged before any kill"
    assert stats["before_any_ack"] < kills, "every kill landed before the first operation"


def test_crash_harness_fast(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _harness(tmp_path, 15, capsys)


@pytest.mark.slow
def test_crash_harness_full(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                            request: pytest.FixtureRequest) -> None:
    # The normal run has the fast variant; this one runs with `-m slow` or EMENDO_SLOW=1.
    if "slow" not in (request.config.getoption("-m") or "") and not os.environ.get("EMENDO_SLOW"):
        pytest.skip("slow: run with -m slow or EMENDO_SLOW=1")
    _harness(tmp_path, 200, capsys)


def test_checker_catches_a_lost_edit(tmp_path: Path) -> None:
    """The harness's checks are not vacuous: a silently lost acknowledged edit fails them."""
    path = tmp_path / "p.emendo"
    proc = subprocess.run([sys.executable, "-m", "emendo.core.crash_worker", str(path), "7",
                           "40"], capture_output=True, text=True, check=True)
    model, open_marker = Model(), {}
    for line in proc.stdout.splitlines():
        if line.startswith("ack "):
            _, _, op, kv = parse(line)
            apply_ack(model, op, kv, open_marker)
    check_project(path, model)
    live = [m for m in model.markers if m.complete and not any(e.undone for e in m.entries)
            and all(model.log.get(e.id) is e for e in m.entries)]
    assert live, "the worker's first 40 operations left no marker to lose"
    con = sqlite3.connect(path)
    con.execute("UPDATE documents SET text = replace(text, ?, '') WHERE id = ?",
                (live[0].text, live[0].doc))
    con.commit()
    con.close()
    with pytest.raises(AssertionError):
        check_project(path, model)


def test_json_roundtrip_of_spans_is_stable() -> None:
    """Replay compares span JSON: Span.from_json(to_json) must be the identity."""
    doc = make_cable("x.1.0")
    for s in doc.spans:
        assert Span.from_json(json.loads(json.dumps(s.to_json()))).to_json() == s.to_json()
