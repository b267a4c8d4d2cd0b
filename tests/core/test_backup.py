"""Backups at the edges: restore after a crash, a kill at every step, emptied files, leftovers."""
from __future__ import annotations

import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from emendo.core import backup
from emendo.core.crash_worker import make_cable
from emendo.core.project import Project

# Run in a child process: kill ourselves (SIGKILL, no clean-up of any kind) at the N-th
# call that changes a file, so a restore or snapshot can be cut at each of its steps.
KILLER = r"""
import os, shutil, signal, sqlite3, sys
from pathlib import Path
n = int(sys.argv[1]); calls = [0]
def step(fn):
    def wrapped(*a, **k):
        calls[0] += 1
        if calls[0] == n:
            os.kill(os.getpid(), signal.SIGKILL)
        return fn(*a, **k)
    return wrapped
for mod, name in ((os, "replace"), (os, "link"), (os, "unlink"), (os, "fsync"),
                  (shutil, "copyfile"), (Path, "unlink")):
    setattr(mod, name, step(getattr(mod, name)))
from emendo.core import backup
from emendo.core.project import Project
action = sys.argv[2]
if action == "restore":
    backup.restore(Path(sys.argv[3]), Path(sys.argv[4]))
elif action == "snapshot":
    with Project.open(sys.argv[3], author="t") as p:
        backup.snapshot(p.db, p.path, reason="daily")
print("done", calls[0])
"""


def history_len(path: Path) -> int:
    """Operation-log entries of a project as SQLite sees it (its log folded in)."""
    con = sqlite3.connect(path)
    try:
        assert [r[0] for r in con.execute("PRAGMA integrity_check")] == ["ok"]
        return con.execute("SELECT count(*) FROM oplog").fetchone()[0]
    finally:
        con.close()


def crashed_session(path: Path, edits: int) -> None:
    """A session that commits ``edits`` steps and is killed before closing (work in -wal)."""
    script = ("import os, signal, sys\n"
              "from emendo.core.project import Project\n"
              "p = Project.open(sys.argv[1], author='t')\n"
              "d = p.list_documents()[0].id\n"
              f"for i in range({edits}):\n"
              "    p.edit_text(d, 0, 0, f'[{i}] ', merge=False)\n"
              "os.kill(os.getpid(), signal.SIGKILL)\n")
    proc = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True)
    assert proc.returncode == -signal.SIGKILL, proc.stderr


def project_with_crash(tmp_path: Path) -> tuple[Path, Path, int, int]:
    """A project, an older snapshot of it and a crashed session's work left in its log.

    The snapshot holds 3 log entries, the file without its log 6, with it 46: a restore
    cut between dropping the log and the rename would show 6.
    """
    path = tmp_path / "p.emendo"
    with Project.open(path, author="t") as p:
        doc_id = p.import_documents([make_cable("rs.1.0")]).doc_ids[0]
        for i in range(5):
            p.edit_text(doc_id, 0, 0, f"({i}) ", merge=False)
            if i == 1:
                older = backup.snapshot(p.db, path)  # 3 entries; the file ends with 6
    crashed_session(path, 40)
    wal = path.with_name(path.name + "-wal")
    assert wal.exists() and wal.stat().st_size > 0, "the crash left no log to lose"
    return path, older, 3, 46


def test_undoing_a_restore_keeps_the_crashed_sessions_work(tmp_path: Path) -> None:
    """Restore an older backup, then the before-restore one: every entry is back."""
    path, older, old_len, crashed_len = project_with_crash(tmp_path)
    backup.restore(path, older)
    assert history_len(path) == old_len
    before = [b for b in backup.list_backups(path) if "before-restore" in b.name]
    assert len(before) == 1
    assert not before[0].with_name(before[0].name + "-wal").exists(), \
        "a snapshot must be one self-contained file"
    backup.restore(path, before[0])
    assert history_len(path) == crashed_len
    with Project.open(path, author="t") as p:
        assert p.check() == []


def test_restoring_a_snapshot_that_kept_a_log_folds_it_in(tmp_path: Path) -> None:
    """An older Emendo kept a before-restore snapshot as file + -wal: restore reads both."""
    path, older, _, crashed_len = project_with_crash(tmp_path)
    legacy = backup.backup_dir(path) / "20000101-000000-000000-before-restore.emendo"
    shutil.copyfile(path, legacy)
    shutil.copyfile(path.with_name(path.name + "-wal"), legacy.with_name(legacy.name + "-wal"))
    backup.restore(path, older)
    backup.restore(path, legacy)
    assert history_len(path) == crashed_len


def test_a_restore_killed_at_every_step_leaves_the_old_or_the_new_project(
        tmp_path: Path) -> None:
    """Never neither: at each kill the project is whole, the old (crash included) or new."""
    template = tmp_path / "template"
    template.mkdir()
    path, older, old_len, crashed_len = project_with_crash(template)
    seen: set[int] = set()
    n = 0
    while True:
        n += 1
        run = tmp_path / f"run{n}"
        shutil.copytree(template, run, symlinks=True)
        p = run / path.name
        snap = backup.backup_dir(p) / older.name
        proc = subprocess.run([sys.executable, "-c", KILLER, str(n), "restore", str(p),
                               str(snap)], capture_output=True, text=True)
        finished = proc.returncode == 0
        assert finished or proc.returncode == -signal.SIGKILL, proc.stderr
        state = history_len(p)
        assert state in (crashed_len, old_len), f"kill at step {n}: {state} entries"
        seen.add(state)
        if not finished:
            # Everything of the old project is still somewhere: in place, or in a
            # before-restore snapshot when the rename already happened.
            if state == old_len:
                kept = [b for b in backup.list_backups(p) if "before-restore" in b.name]
                assert kept and history_len(kept[0]) == crashed_len, f"step {n}"
            # The next open cleans what the kill left, and a new restore completes.
            with Project.open(p, author="t") as proj:
                assert proj.check() == []
            assert not list(backup.backup_dir(p).glob("*.tmp*"))
            assert not p.with_name(p.name + backup.RESTORE_SUFFIX).exists()
        shutil.rmtree(run)
        if finished:
            break
        assert n < 200
    assert n > 5 and seen == {crashed_len, old_len}


def test_a_killed_daily_snapshot_leaves_nothing_after_the_next_open(tmp_path: Path) -> None:
    """The full-size .tmp and journal of a snapshot killed midway are cleaned on open."""
    path = tmp_path / "p.emendo"
    with Project.open(path, author="t") as p:
        p.import_documents([make_cable(f"lo.{i}.0") for i in range(30)])
    proc = subprocess.run([sys.executable, "-c", KILLER, "1", "snapshot", str(path)],
                          capture_output=True, text=True)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    folder = backup.backup_dir(path)
    left = list(folder.glob("*.tmp*"))
    assert left and max(f.stat().st_size for f in left) > 0, "the kill left nothing to clean"
    with Project.open(path, readonly=True):
        assert list(folder.glob("*.tmp*")) == left  # a reader cleans nothing
    with Project.open(path, author="t"):
        pass
    assert not list(folder.glob("*.tmp*"))


def test_an_emptied_project_file_is_refused_with_its_backups_named(tmp_path: Path) -> None:
    """`: > p.emendo; emendo import p.emendo x.txt` must not make a fresh project."""
    path = tmp_path / "p.emendo"
    with Project.open(path, author="t") as p:
        p.import_documents([make_cable("em.1.0")])
        snap = backup.snapshot(p.db, path)
    path.write_bytes(b"")
    src = tmp_path / "x.txt"
    src.write_text("Telegram\n\nNew text.\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "emendo.core.cli", "import", str(path),
                           str(src)], capture_output=True, text=True)
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "empty" in lines[0] and snap.name in lines[0], lines
    assert path.stat().st_size == 0
    assert backup.list_backups(path) == [snap]


def test_a_new_project_never_rotates_out_the_old_ones_last_backup(tmp_path: Path) -> None:
    path = tmp_path / "p.emendo"
    with Project.open(path, author="t") as p:
        p.import_documents([make_cable("rot.1.0")])
        old = [backup.snapshot(p.db, path) for _ in range(backup.KEEP)]
    path.unlink()  # the researcher starts again at the same path
    with Project.open(path, author="t") as p:
        p.import_documents([make_cable("rot.2.0")])
        new = [backup.snapshot(p.db, path) for _ in range(backup.KEEP + 2)]
    kept = backup.list_backups(path)
    assert old[-1] in kept, "the last good backup of the old project was rotated out"
    assert sorted(new, reverse=True)[:backup.KEEP] == [b for b in kept if b != old[-1]]


def test_a_project_being_created_is_never_seen_half_made(tmp_path: Path) -> None:
    """Creation happens under another name: the project path never holds an empty file."""
    path = tmp_path / "new.emendo"
    for n in range(1, 4):
        proc = subprocess.run([sys.executable, "-c", KILLER, str(n), "snapshot", str(path)],
                              capture_output=True, text=True)
        assert proc.returncode in (0, -signal.SIGKILL), proc.stderr
        assert not path.exists() or path.stat().st_size > 0
    with Project.open(path, author="t") as p:
        assert p.check() == []


@pytest.mark.parametrize("reason", ["daily", "manual"])
def test_snapshots_are_self_contained(tmp_path: Path, reason: str) -> None:
    path, _, _, crashed_len = project_with_crash(tmp_path)
    with Project.open(path, author="t") as p:
        snap = backup.snapshot(p.db, path, reason=reason)
        assert history_len(snap) == crashed_len
    assert not snap.with_name(snap.name + "-wal").exists()
