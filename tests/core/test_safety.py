"""Data safety: risky locations, failed writes, one writer at a time, backups and restore."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from emendo.core import backup, store
from emendo.core import project as project_mod
from emendo.core.crash_worker import make_cable
from emendo.core.errors import EmendoError, ProjectInUseError, WriteFailedError
from emendo.core.model import Document
from emendo.core.project import Project
from emendo.core.safety import filesystem_type, risky_location

DATA = Path(__file__).resolve().parent.parent / "data"


def rows(path: Path) -> list[tuple]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        # Whole rows (whatever the storage format), text third for the assertions.
        return con.execute("SELECT id, title, text, * FROM documents ORDER BY id").fetchall()
    finally:
        con.close()


def cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "emendo.core.cli", *map(str, args)],
                          capture_output=True, text=True, timeout=120)


# --- risky locations ---------------------------------------------------------------------------

MOUNTS = """\
/dev/sda1 / ext4 rw,relatime 0 0
proc /proc proc rw 0 0
server:/export/home /home/ada/nfs nfs4 rw,vers=4.2 0 0
//nas/share /mnt/nas cifs rw 0 0
//nas/s3 /mnt/smb3 smb3 rw 0 0
ada@host:/srv /home/ada/remote fuse.sshfs rw 0 0
hostshare /mnt/9p 9p rw 0 0
/dev/sdb1 /home/ada/nfs/local\\040disk ext4 rw 0 0
/dev/sdc1 /media/usb\\040stick vfat rw 0 0
"""


@pytest.mark.parametrize("path,expect", [
    ("/home/ada/nfs/project.emendo", "nfs4"),
    ("/mnt/nas/cables/p.emendo", "cifs"),
    ("/mnt/smb3/p.emendo", "smb3"),
    ("/home/ada/remote/p.emendo", "fuse.sshfs"),
    ("/mnt/9p/p.emendo", "9p"),
])
def test_network_filesystems_warned(path: str, expect: str) -> None:
    warning = risky_location(Path(path), mounts_text=MOUNTS)
    assert warning is not None and expect in warning and "network" in warning
    assert "\n" not in warning


@pytest.mark.parametrize("path", [
    "/home/ada/work/p.emendo",
    "/home/ada/nfs/local disk/p.emendo",  # a local disk mounted inside the NFS tree
    "/media/usb stick/p.emendo",
    "/home/ada/dropbox-notes/p.emendo",  # not a sync folder, only a similar name
    "/home/ada/MyDriveThing/p.emendo",
])
def test_local_places_not_warned(path: str) -> None:
    assert risky_location(Path(path), mounts_text=MOUNTS) is None


@pytest.mark.parametrize("path,service", [
    ("/home/ada/Dropbox/thesis/p.emendo", "Dropbox"),
    ("/home/ada/Dropbox (Personal)/p.emendo", "Dropbox"),
    ("/home/ada/OneDrive/p.emendo", "OneDrive"),
    ("/home/ada/OneDrive - University of Oslo/p.emendo", "OneDrive"),
    ("/Users/ada/Library/CloudStorage/OneDrive-Personal/p.emendo", "OneDrive"),
    ("/home/ada/Google Drive/p.emendo", "Google Drive"),
    ("/home/ada/GoogleDrive/p.emendo", "Google Drive"),
    ("/Volumes/GoogleDrive/My Drive/p.emendo", "Google Drive"),
    ("/Users/ada/iCloud Drive/p.emendo", "iCloud Drive"),
    ("/Users/ada/Library/Mobile Documents/com~apple~CloudDocs/p.emendo", "iCloud Drive"),
])
def test_sync_folders_warned(path: str, service: str) -> None:
    warning = risky_location(Path(path), mounts_text=MOUNTS)
    assert warning is not None and service in warning


def test_symlink_into_a_sync_folder_warned(tmp_path: Path) -> None:
    real = tmp_path / "Dropbox" / "work"
    real.mkdir(parents=True)
    (tmp_path / "shortcut").symlink_to(real)
    assert "Dropbox" in (risky_location(tmp_path / "shortcut" / "p.emendo", "") or "")


def test_real_mounts_are_read(tmp_path: Path) -> None:
    """Without an injected source /proc/mounts is used (the test folder is local here)."""
    if not Path("/proc/mounts").exists():
        pytest.skip("no /proc/mounts on this system")
    assert filesystem_type(tmp_path) is not None
    fstype = filesystem_type(tmp_path) or ""
    if fstype not in ("nfs", "nfs4", "cifs", "9p", "fuse.sshfs", "virtiofs"):
        assert risky_location(tmp_path / "p.emendo") is None


# --- failed writes ---------------------------------------------------------------------------

@pytest.fixture
def tiny_fs(tmp_path: Path) -> Iterator[Path]:
    """A 384 KiB tmpfs: a real disk that fills up (needs root and mount; else skipped)."""
    mnt = tmp_path / "tiny"
    mnt.mkdir()
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=384k", "tmpfs", str(mnt)],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a small filesystem here: {proc.stderr.strip()}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True)


def _fill_until_full(p: Project) -> tuple[int, WriteFailedError]:
    """Import documents until the disk refuses; return how many made it and the error."""
    n = 0
    for i in range(10_000):
        doc = make_cable(f"fill.{i}.0")
        doc.text = doc.source_text = doc.text + ("filler text " * 400)
        try:
            p.import_documents([doc])
        except WriteFailedError as exc:
            return n, exc
        n += 1
    raise AssertionError("the small filesystem never filled up")


def test_disk_full_on_a_real_small_filesystem(tiny_fs: Path) -> None:
    path = tiny_fs / "p.emendo"
    p = Project.open(path, author="t")
    try:
        doc_id = p.import_documents([make_cable("keep.1.0")]).doc_ids[0]
        p.edit_text(doc_id, 0, 0, "Saved: ", merge=False)
        saved = rows(path)
        n, exc = _fill_until_full(p)
        msg = str(exc)
        assert "cannot write" in msg and p.path.name in msg and "\n" not in msg
        assert "full" in msg or "disk" in msg
        # Typing after the failure fails cleanly too, or succeeds: never half done.
        try:
            p.edit_text(doc_id, 0, 0, "x", merge=False)
            typed = "x"
        except WriteFailedError:
            typed = ""
        assert p.check() == []
    finally:
        p.close()
    with Project.open(path, readonly=True) as again:
        assert again.check() == []
        assert again.count_documents() == 1 + n
        assert again.document(doc_id).text.startswith(typed + "Saved: ")
    assert rows(path)[:1][0][:2] == saved[0][:2]


def test_project_in_a_read_only_folder(tmp_path: Path) -> None:
    """A project on a read-only mount: a clear WriteFailedError, nothing changed, still readable.

    A read-only bind mount is real even for root, whom chmod does not stop.
    """
    work, view = tmp_path / "work", tmp_path / "read-only view"
    work.mkdir()
    view.mkdir()
    with Project.open(work / "p.emendo", author="t") as p:
        p.import_documents([make_cable("keep.2.0")])
    digest = hashlib.sha256((work / "p.emendo").read_bytes()).hexdigest()
    ok = subprocess.run(["mount", "--bind", str(work), str(view)], capture_output=True)
    if ok.returncode != 0:
        pytest.skip("cannot bind-mount here")
    try:
        r = subprocess.run(["mount", "-o", "remount,ro,bind", str(view)], capture_output=True)
        if r.returncode != 0:
            pytest.skip("cannot remount read-only")
        path = view / "p.emendo"
        with pytest.raises(WriteFailedError) as info:
            Project.open(path, author="t")
        assert "cannot write" in str(info.value) and "\n" not in str(info.value)
        proc = cli("import", path, DATA / "000_prc-moscow-1965-04-17_signs-false-anti-imperialism.txt")
        assert proc.returncode == 1 and "Traceback" not in proc.stderr
        assert "cannot write" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
        with Project.open(path, readonly=True) as ro:
            assert ro.count_documents() == 1
    finally:
        subprocess.run(["umount", str(view)], capture_output=True)
    assert hashlib.sha256((work / "p.emendo").read_bytes()).hexdigest() == digest


def test_disk_full_simulated_with_max_page_count(tmp_path: Path) -> None:
    """Where no small filesystem can be mounted, SQLite's page limit plays the full disk."""
    path = tmp_path / "p.emendo"
    with Project.open(path, author="t") as p:
        doc_id = p.import_documents([make_cable("keep.3.0")]).doc_ids[0]
        p.add_span(doc_id, "person", 0, 8)
        saved = rows(path)
        pages = p.db.execute("PRAGMA page_count").fetchone()[0]
        p.db.execute(f"PRAGMA max_page_count = {pages}")
        big = Document(title="Big", text="x " * 200_000, source_text="x " * 200_000)
        with pytest.raises(WriteFailedError) as info:
            p.import_documents([big])
        assert "full" in str(info.value) and "\n" not in str(info.value)
        assert rows(path) == saved
        assert p.check() == []
        # Room again: work goes on in the same session.
        p.db.execute(f"PRAGMA max_page_count = {pages * 1000}")
        p.edit_text(doc_id, 0, 0, "After: ", merge=False)
    assert rows(path)[0][2].startswith("After: ")


def test_read_only_project_file(tmp_path: Path) -> None:
    """A read-only file: opening for writing fails clearly and changes nothing."""
    path = tmp_path / "p.emendo"
    with Project.open(path, author="t") as p:
        p.import_documents([make_cable("keep.4.0")])
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    path.chmod(0o444)
    tmp_path.chmod(0o555)
    try:
        if os.access(path, os.W_OK):
            pytest.skip("running as a user who may write a read-only file (root)")
        with pytest.raises(EmendoError) as info:
            Project.open(path, author="t")
        assert "\n" not in str(info.value)
        with Project.open(path, readonly=True) as ro:
            assert ro.count_documents() == 1
    finally:
        tmp_path.chmod(0o755)
        path.chmod(0o644)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest


def test_write_refused_by_the_connection(tmp_path: Path) -> None:
    """A medium that refuses writes (query_only stands in for a read-only mount)."""
    path = tmp_path / "p.emendo"
    with Project.open(path, author="t") as p:
        doc_id = p.import_documents([make_cable("keep.5.0")]).doc_ids[0]
        saved = rows(path)
        p.db.execute("PRAGMA query_only = 1")
        with pytest.raises(WriteFailedError) as info:
            p.set_field(doc_id, "refno", "No. 1")
        assert "cannot write" in str(info.value)
        p.db.execute("PRAGMA query_only = 0")
        assert rows(path) == saved


# --- one writer at a time ---------------------------------------------------------------------

OPENER = """
import json, sys
from emendo.core.errors import ProjectInUseError
from emendo.core.project import Project
try:
    p = Project.open(sys.argv[1], author="second")
except ProjectInUseError as e:
    print(json.dumps({"error": str(e), "host": e.host, "pid": e.pid, "since": e.since}))
    sys.exit(0)
print(json.dumps({"opened": True}), flush=True)
if len(sys.argv) > 2:
    import os, time
    os.kill(os.getpid(), 9)  # die holding the lock
p.close()
"""


def test_second_process_told_who_holds_it(tmp_path: Path) -> None:
    path = tmp_path / "p.emendo"
    with Project.open(path, author="first") as p:
        doc_id = p.import_documents([make_cable("two.1.0")]).doc_ids[0]
        out = subprocess.run([sys.executable, "-c", OPENER, str(path)], capture_output=True,
                             text=True, timeout=60)
        info = json.loads(out.stdout)
        assert info["pid"] == os.getpid() and info["host"] == socket.gethostname()
        assert info["since"] and str(os.getpid()) in info["error"]
        assert socket.gethostname() in info["error"] and info["since"] in info["error"]
        # The first process carries on; the second one's attempt left no trace.
        p.edit_text(doc_id, 0, 0, "Still mine. ", merge=False)
        assert p.check() == []
        assert store.lock_holder(p.db)[1] == os.getpid()  # type: ignore[index]
        with Project.open(path, readonly=True) as ro:  # reading alongside is fine
            assert ro.document(doc_id).text.startswith("Still mine. ")


def test_stale_lock_of_a_killed_process_is_cleared(tmp_path: Path) -> None:
    path = tmp_path / "p.emendo"
    with Project.open(path, author="first") as p:
        p.import_documents([make_cable("two.2.0")])
    out = subprocess.run([sys.executable, "-c", OPENER, str(path), "die"], capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == -signal.SIGKILL and json.loads(out.stdout)["opened"]
    con = sqlite3.connect(path)
    holder = con.execute("SELECT pid FROM lock").fetchone()
    con.close()
    assert holder is not None and holder[0] != os.getpid()  # the dead process's lock
    with Project.open(path, author="next") as p:  # no question asked
        assert store.lock_holder(p.db)[1] == os.getpid()  # type: ignore[index]
        assert p.check() == []


def _foreign_lock(path: Path, host: str = "laptop-old", pid: int = 4242,
                  since: str = "2026-11-30T09:15:00.000+00:00") -> tuple[str, int, str]:
    """The lock record another computer left (a project copied while it was open)."""
    con = sqlite3.connect(path)
    con.execute("INSERT OR REPLACE INTO lock (id, host, pid, since, token) "
                "VALUES (1, ?, ?, ?, 'x')", (host, pid, since))
    con.commit()
    con.close()
    return host, pid, since


def _cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "EMENDO_AUTHOR": "tester"}
    return subprocess.run([sys.executable, "-m", "emendo.core.cli", *map(str, args)],
                          capture_output=True, text=True, timeout=120, env=env)


def test_a_lock_from_another_host_is_taken_over_when_asked(tmp_path: Path) -> None:
    path = tmp_path / "p.emendo"
    with Project.open(path, author="t") as p:
        p.import_documents([make_cable("lock.1.0")])
    holder = _foreign_lock(path)
    before = path.read_bytes()
    with pytest.raises(ProjectInUseError, match="--break-lock") as refused:
        Project.open(path, author="t")
    err = refused.value
    assert err.foreign and (err.host, err.pid, err.since) == holder
    assert path.read_bytes() == before  # the refusal wrote nothing
    # A lock other than the one shown is not broken unseen.
    with pytest.raises(ProjectInUseError):
        Project.open(path, author="t", take_over=("laptop-old", 4242, "another time"))
    assert path.read_bytes() == before
    with Project.open(path, author="t", take_over=holder) as p:
        assert p.took_over == holder
        assert store.lock_holder(p.db)[:2] == (socket.gethostname(), os.getpid())  # type: ignore[index]
        p.edit_text(1, 0, 0, "Here now. ", merge=False)
        assert p.check() == []
    with Project.open(path, author="t") as p:  # ours released on close: no question
        assert p.took_over is None and p.document(1).text.startswith("Here now. ")


def test_a_live_lock_on_this_host_is_never_taken_over(tmp_path: Path) -> None:
    path = tmp_path / "p.emendo"
    with Project.open(path, author="first"):
        out = subprocess.run(
            [sys.executable, "-c", "import sys\nfrom emendo.core.project import Project\n"
             "from emendo.core.errors import ProjectInUseError\n"
             "try:\n    Project.open(sys.argv[1], take_over=True)\n"
             "except ProjectInUseError as e:\n    print('refused', e.foreign)\n",
             str(path)], capture_output=True, text=True, timeout=60)
        assert out.stdout.strip() == "refused False", out.stderr


def test_break_lock_on_the_command_line(tmp_path: Path) -> None:
    path = tmp_path / "p.emendo"
    src = tmp_path / "cable.txt"
    src.write_text("Telegram\n\nA cable typed elsewhere.\n", encoding="utf-8")
    assert _cli("import", path, src).returncode == 0
    host, pid, since = _foreign_lock(path)
    refused = _cli("import", path, src)
    assert refused.returncode == 1
    line = refused.stderr.strip()
    assert host in line and str(pid) in line and since in line and "--break-lock" in line
    for args in (("undo", path), ("restore", path)):
        proc = _cli(*args)
        assert proc.returncode == 1 and "--break-lock" in proc.stderr, proc.stderr
    taken = _cli("import", path, src, "--break-lock")
    assert taken.returncode == 0, taken.stderr
    assert taken.stderr.strip() == (f"emendo: warning: took over the lock of process {pid} "
                                    f"on {host} (since {since})")
    assert taken.stdout.startswith("2\t")
    _foreign_lock(path)
    undone = _cli("undo", path, "--break-lock")
    assert undone.returncode == 0 and "took over the lock" in undone.stderr
    assert _cli("check", path).returncode == 0


def test_in_use_error_carries_host_pid_since() -> None:
    e = ProjectInUseError("x is open", host="h", pid=7, since="2026-01-01T00:00:00")
    assert (e.host, e.pid, e.since) == ("h", 7, "2026-01-01T00:00:00")


# --- backups -------------------------------------------------------------------------------

def test_daily_snapshot_on_open_at_most_once_a_day(tmp_path: Path) -> None:
    path = tmp_path / "p.emendo"
    with Project.open(path, author="t") as p:
        p.import_documents([make_cable("bk.1.0")])
    assert backup.list_backups(path) == []  # a new project: nothing worth a snapshot yet
    with Project.open(path, author="t"):
        pass
    first = backup.list_backups(path)
    assert len(first) == 1 and "daily" in first[0].name
    with Project.open(path, author="t"):
        pass
    assert backup.list_backups(path) == first  # same day: no second snapshot
    old = first[0].stat().st_mtime - 2 * 86400
    os.utime(first[0], (old, old))
    with Project.open(path, author="t"):
        pass
    assert len(backup.list_backups(path)) == 2
    for snap in backup.list_backups(path):
        assert store.inspect_file(snap) == store.FORMAT_VERSION
        con = store.connect(snap, readonly=True)
        try:
            assert store.quick_check(con) == []
            assert con.execute("SELECT count(*) FROM lock").fetchone()[0] == 0
        finally:
            con.close()


def test_snapshot_before_migration_keeps_the_old_format(tmp_path: Path) -> None:
    path = tmp_path / "old.emendo"
    shutil.copy(DATA / "project-v1.emendo", path)
    original = path.read_bytes()
    with Project.open(path, author="t") as p:
        assert p.check() == []
    snaps = [b for b in backup.list_backups(path) if "before-migration" in b.name]
    assert len(snaps) == 1
    assert store.inspect_file(snaps[0]) == 1
    assert rows_v1(snaps[0]) == rows_v1_bytes(original, tmp_path)


def rows_v1(path: Path) -> list[tuple]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return con.execute("SELECT id, title, text FROM documents ORDER BY id").fetchall()
    finally:
        con.close()


def rows_v1_bytes(data: bytes, tmp: Path) -> list[tuple]:
    f = tmp / "copy-of-original.emendo"
    f.write_bytes(data)
    return rows_v1(f)


def test_snapshot_checked_before_it_replaces_an_older_one(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "p.emendo"
    with Project.open(path, author="t") as p:
        p.import_documents([make_cable("bk.2.0")])
        for _ in range(backup.KEEP):
            backup.snapshot(p.db, path)
        kept = backup.list_backups(path)
        digests = {b: hashlib.sha256(b.read_bytes()).hexdigest() for b in kept}

        real_connect = sqlite3.connect

        class FailingCheck(sqlite3.Connection):
            """A connection whose quick_check finds damage (a snapshot gone bad)."""

            def execute(self, sql: str, *a: object) -> sqlite3.Cursor:  # type: ignore[override]
                if "quick_check" in sql:
                    return real_connect(":memory:").execute("SELECT 'row 3 missing from index'")
                return super().execute(sql, *a)  # type: ignore[arg-type]

        monkeypatch.setattr(backup.sqlite3, "connect",
                            lambda *a, **k: real_connect(*a, factory=FailingCheck, **k))
        with pytest.raises(EmendoError) as info:
            backup.snapshot(p.db, path)
        monkeypatch.undo()
        assert "check" in str(info.value)
    assert backup.list_backups(path) == kept  # the older, good snapshots all remain
    assert {b: hashlib.sha256(b.read_bytes()).hexdigest() for b in kept} == digests
    assert not list(backup.backup_dir(path).glob("*.tmp"))


def test_a_few_snapshots_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "p.emendo"
    with Project.open(path, author="t") as p:
        p.import_documents([make_cable("bk.3.0")])
        made = [backup.snapshot(p.db, path) for _ in range(backup.KEEP + 3)]
    assert backup.list_backups(path) == sorted(made, reverse=True)[:backup.KEEP]


def test_restore_through_core(tmp_path: Path) -> None:
    path = tmp_path / "p.emendo"
    with Project.open(path, author="t") as p:
        doc_id = p.import_documents([make_cable("bk.4.0")]).doc_ids[0]
        snap = backup.snapshot(p.db, path)
        p.edit_text(doc_id, 0, 0, "Later edit. ", merge=False)
    chosen = backup.restore(path)
    assert chosen == snap
    with Project.open(path, author="t") as p:
        assert not p.document(doc_id).text.startswith("Later edit. ")
        assert p.check() == []
    # The file as it was before the restore is itself kept: a restore can be undone.
    before = [b for b in backup.list_backups(path) if "before-restore" in b.name]
    assert before and rows(before[0])[0][2].startswith("Later edit. ")


def test_restore_through_the_command_line(tmp_path: Path) -> None:
    path = tmp_path / "my project.emendo"
    with Project.open(path, author="t") as p:
        doc_id = p.import_documents([make_cable("bk.5.0")]).doc_ids[0]
        older = backup.snapshot(p.db, path)
        p.edit_text(doc_id, 0, 0, "Second. ", merge=False)
        newer = backup.snapshot(p.db, path)
        p.edit_text(doc_id, 0, 0, "Third. ", merge=False)
    listing = cli("restore", path, "--list")
    assert listing.returncode == 0 and str(newer) in listing.stdout
    proc = cli("restore", path, older)
    assert proc.returncode == 0, proc.stderr
    assert rows(path)[0][2] == make_cable("bk.5.0").text
    proc = cli("restore", path)  # the newest snapshot by default: the before-restore one
    assert proc.returncode == 0, proc.stderr
    assert rows(path)[0][2].startswith("Third. Second. ")


def test_restore_refuses_a_damaged_backup(tmp_path: Path) -> None:
    path = tmp_path / "p.emendo"
    with Project.open(path, author="t") as p:
        p.import_documents([make_cable("bk.6.0")])
        snap = backup.snapshot(p.db, path)
    data = snap.read_bytes()
    snap.write_bytes(data[: len(data) // 2])
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    proc = cli("restore", path, snap)
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest


# --- bugs found here (fixed in core/project.py) -------------------------------------------------------------------------------

def test_merged_keystroke_ends_the_redo_branch(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """A merged keystroke, like any new step, ends the redo branch (a redo would misplace)."""
    monkeypatch.setattr(project_mod, "MERGE_SECONDS", 1e9)  # no dependence on the clock
    with Project.open(tmp_path / "p.emendo", author="t") as p:
        doc_id = p.import_documents([Document(title="T", text="Hello world",
                                              source_text="Hello world")]).doc_ids[0]
        p.edit_text(doc_id, 11, 0, "!")
        p.add_span(doc_id, "unclear", 11, 12)
        p.undo()  # the mark
        p.edit_text(doc_id, 11, 1, "")  # backspace: merges into the typing step
        try:
            assert p.redo_label() is None, "typing must end the redo branch"
        finally:
            if p.redo_label() is not None:
                p.redo()
                assert p.check() == [], p.check()
