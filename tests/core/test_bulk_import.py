"""Bulk import in worker processes stores exactly what the in-process import stores."""
from __future__ import annotations

import multiprocessing
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from emendo.core.importers import import_paths
from emendo.core.importers.bulk import THRESHOLD_ENV, file_rows, text_rows
from emendo.core.project import Project

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"
# Everything but the timestamps, which differ between two imports by design.
COMPARED = ("id, title, date, text, spans, source_z, imported_text, source_name, meta, "
            "fields_text")


def _files(tmp_path: Path, copies: int = 3) -> list[Path]:
    """Corpus cables (several copies, to fill more than one chunk) and a plain note."""
    out = []
    for n in range(copies):
        for src in sorted(CORPUS.glob("*.txt")):
            dst = tmp_path / "in" / f"{n}_{src.name}"
            dst.parent.mkdir(exist_ok=True)
            dst.write_bytes(src.read_bytes())
            out.append(dst)
    note = tmp_path / "in" / "note.txt"
    note.write_bytes("A plain note\r\nwith CRLF line ends – and a dash.\r\n".encode())
    out.append(note)
    return out


def _bad_files(tmp_path: Path) -> list[Path]:
    """Files each refused with a one-line message."""
    d = tmp_path / "bad"
    d.mkdir()
    (d / "empty.txt").write_bytes(b"")
    (d / "binary.txt").write_bytes(b"\x00\x01\x02abc")
    (d / "latin1.txt").write_bytes("caf\xe9".encode("latin-1"))
    return [d / "empty.txt", d / "binary.txt", d / "missing.txt", d / "latin1.txt"]


def _table(path: Path) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"SELECT {COMPARED} FROM documents ORDER BY id").fetchall()
    finally:
        conn.close()


def _children() -> list:
    return multiprocessing.active_children()


@pytest.fixture(autouse=True)
def _pool_for_small_batches(monkeypatch):
    """The pool even for a handful of files (the default threshold is 200)."""
    monkeypatch.setenv(THRESHOLD_ENV, "1")


def test_bulk_rows_are_byte_identical_to_serial(tmp_path):
    files = _files(tmp_path)
    errors: list = []
    with Project.open(tmp_path / "serial.emendo") as p:
        p.import_documents(import_paths(files, lambda path, exc: errors.append(exc)))
    rows = file_rows(files, lambda path, exc: errors.append(exc), workers=2, chunk=4)
    first = next(rows)
    assert len(_children()) == 2  # really in worker processes
    with Project.open(tmp_path / "bulk.emendo") as p:
        change = p.import_rows([first, *rows])
    assert errors == []
    assert change.doc_ids == list(range(1, len(files) + 1))
    assert _table(tmp_path / "bulk.emendo") == _table(tmp_path / "serial.emendo")
    assert _children() == []


def test_bulk_ids_follow_existing_documents(tmp_path):
    files = _files(tmp_path, copies=1)
    with Project.open(tmp_path / "p.emendo") as p:
        first = p.import_rows(file_rows(files[:2], lambda *_: None, workers=2, chunk=1))
        second = p.import_rows(file_rows(files, lambda *_: None, workers=2, chunk=3))
        assert first.doc_ids == [1, 2]
        assert second.doc_ids == list(range(3, 3 + len(files)))
        assert p.count_documents() == 2 + len(files)
        assert p.check() == []


def test_text_rows_match_serial(tmp_path):
    texts = [(src.read_text(encoding="utf-8"), src.name) for src in sorted(CORPUS.glob("*.txt"))]
    with Project.open(tmp_path / "a.emendo") as p:
        from emendo.core.importers import parse_text

        p.import_documents([parse_text(t, n) for t, n in texts])
    with Project.open(tmp_path / "b.emendo") as p:
        p.import_rows(text_rows(texts, lambda *_: None, workers=2, chunk=3))
    assert _table(tmp_path / "a.emendo") == _table(tmp_path / "b.emendo")


def test_undo_redo_of_a_bulk_import(tmp_path):
    files = _files(tmp_path, copies=2)
    path = tmp_path / "p.emendo"
    with Project.open(path) as p:
        p.import_documents(import_paths(files[:1], lambda *_: None))
        before = _table(path)
        change = p.import_rows(file_rows(files, lambda *_: None, workers=2, chunk=5))
        after = _table(path)
        assert p.undo_label() == f"Import {len(files)} documents"
        assert len(p.history()) == 2  # one step for the whole batch
        p.undo()
        assert _table(path) == before
        p.redo()
        assert _table(path) == after
        assert [d.id for d in p.list_documents()] == [1, *change.doc_ids]
        assert p.check() == []


def test_single_document_label(tmp_path):
    files = _files(tmp_path, copies=1)[:1]
    with Project.open(tmp_path / "p.emendo") as p:
        serial_title = import_paths(files, lambda *_: None)[0].title
        change = p.import_rows(file_rows(files, lambda *_: None, workers=2, chunk=1))
        assert p.undo_label() == change.label
        assert serial_title[:10] in change.label


def test_good_and_bad_files_mixed(tmp_path):
    good = _files(tmp_path, copies=1)
    bad = _bad_files(tmp_path)
    mixed = [bad[0], *good[:3], bad[1], bad[2], *good[3:], bad[3]]
    serial_errors: list = []
    with Project.open(tmp_path / "serial.emendo") as p:
        p.import_documents(import_paths(mixed, lambda path, exc: serial_errors.append(
            (path, str(exc)))))
    bulk_errors: list = []
    with Project.open(tmp_path / "bulk.emendo") as p:
        change = p.import_rows(file_rows(mixed, lambda path, exc: bulk_errors.append(
            (path, str(exc))), workers=2, chunk=2))
    assert len(change.doc_ids) == len(good)
    assert bulk_errors == serial_errors and len(bulk_errors) == len(bad)
    assert _table(tmp_path / "bulk.emendo") == _table(tmp_path / "serial.emendo")
    assert _children() == []


def test_all_refused_touches_nothing(tmp_path):
    bad = _bad_files(tmp_path)
    errors: list = []
    with Project.open(tmp_path / "p.emendo") as p:
        change = p.import_rows(file_rows(bad, lambda path, exc: errors.append(exc),
                                         workers=2, chunk=1))
        assert change.doc_ids == [] and p.history() == []
    assert len(errors) == len(bad)


def test_failed_store_stops_the_workers(tmp_path):
    files = _files(tmp_path, copies=3)
    with Project.open(tmp_path / "p.emendo") as p:
        def rows():
            for n, row in enumerate(file_rows(files, lambda *_: None, workers=2, chunk=2)):
                if n == 5:
                    raise RuntimeError("disk on fire")
                yield row

        gen = rows()
        with pytest.raises(RuntimeError):
            p.import_rows(gen)
        gen.close()
        assert p.count_documents() == 0 and p.history() == []
    assert _children() == []


def _cli(*args: str, threshold: str | None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env.pop(THRESHOLD_ENV, None)
    if threshold:
        env[THRESHOLD_ENV] = threshold
    return subprocess.run([sys.executable, "-m", "emendo.core.cli", *args],
                          check=False, capture_output=True, text=True, timeout=120,
                          env=env)


def test_cli_bulk_output_matches_serial(tmp_path):
    good = _files(tmp_path, copies=2)
    bad = _bad_files(tmp_path)
    mixed = [str(f) for f in [*good[:5], bad[0], *good[5:], bad[2]]]
    serial = _cli("import", str(tmp_path / "s.emendo"), *mixed, threshold=None)
    bulk = _cli("import", str(tmp_path / "b.emendo"), *mixed, threshold="1")
    assert serial.returncode == bulk.returncode == 1
    assert bulk.stdout == serial.stdout
    assert bulk.stderr == serial.stderr
    assert len(bulk.stdout.splitlines()) == len(good)
    assert _table(tmp_path / "b.emendo") == _table(tmp_path / "s.emendo")

    ok = _cli("import", str(tmp_path / "ok.emendo"), *map(str, good), threshold="1")
    assert ok.returncode == 0 and "Traceback" not in ok.stderr
    assert [ln.split("\t")[0] for ln in ok.stdout.splitlines()] == \
        [str(i) for i in range(1, len(good) + 1)]


def test_cli_bulk_all_refused_creates_no_project(tmp_path):
    bad = _bad_files(tmp_path)
    proc = _cli("import", str(tmp_path / "p.emendo"), *map(str, bad), threshold="1")
    assert proc.returncode == 1 and proc.stdout == ""
    assert len(proc.stderr.splitlines()) == len(bad)
    assert not (tmp_path / "p.emendo").exists()


def _journal_mode(p: Project) -> str:
    return p.db.execute("PRAGMA journal_mode").fetchone()[0]


def test_bulk_store_goes_through_a_rollback_journal_then_back_to_wal(tmp_path):
    files = _files(tmp_path, copies=2)
    path = tmp_path / "p.emendo"
    modes: list[str] = []
    with Project.open(path) as p:
        assert _journal_mode(p) == "wal"

        def watched():
            for row in file_rows(files, lambda *_: None, workers=2, chunk=3):
                modes.append(_journal_mode(p))
                yield row

        change = p.import_rows(watched(), bulk=True)
        # The first row is read before the transaction begins (an empty import opens none).
        assert set(modes[1:]) == {"delete"}
        assert _journal_mode(p) == "wal"  # keystrokes commit through the log again
        assert len(change.doc_ids) == len(files) and p.check() == []
        p.undo()
        assert p.count_documents() == 0
    assert not (tmp_path / "p.emendo-wal").exists()


def test_bulk_store_stays_in_wal_while_another_connection_reads(tmp_path):
    files = _files(tmp_path, copies=1)
    path = tmp_path / "p.emendo"
    with Project.open(path) as p:
        p.import_rows(file_rows(files[:1], lambda *_: None, workers=2, chunk=1))
        reader = sqlite3.connect(path)
        reader.execute("SELECT COUNT(*) FROM documents").fetchone()  # holds the WAL open
        try:
            change = p.import_rows(file_rows(files, lambda *_: None, workers=2, chunk=2),
                                   bulk=True)
            assert _journal_mode(p) == "wal"
            assert len(change.doc_ids) == len(files)
            assert reader.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == \
                len(files) + 1
        finally:
            reader.close()


def test_failed_bulk_store_changes_nothing(tmp_path):
    files = _files(tmp_path, copies=2)
    path = tmp_path / "p.emendo"
    with Project.open(path) as p:
        p.import_rows(file_rows(files[:2], lambda *_: None, workers=2, chunk=1))
        before = _table(path)

        def rows():
            for n, row in enumerate(file_rows(files, lambda *_: None, workers=2, chunk=2)):
                if n == 7:
                    raise RuntimeError("disk on fire")
                yield row

        with pytest.raises(RuntimeError):
            p.import_rows(rows(), bulk=True)
        assert _table(path) == before and _journal_mode(p) == "wal"
        assert p.check() == []


def test_a_bulk_import_killed_midway_leaves_all_or_nothing(tmp_path):
    """The bulk store's rollback journal: a kill at any moment keeps the project sound."""
    import signal
    import time

    files = _files(tmp_path, copies=30)  # enough that storing takes a while
    path = tmp_path / "p.emendo"
    env = dict(os.environ, **{THRESHOLD_ENV: "1"})
    command = [sys.executable, "-m", "emendo.core.cli", "import", str(path), *map(str, files)]
    t = time.perf_counter()
    subprocess.run(command, env=env, capture_output=True, check=True, timeout=120)
    whole = time.perf_counter() - t  # one import from start to end, to place the kills
    interrupted = hot_journals = 0
    for fraction in (0.3, 0.45, 0.6, 0.7, 0.8, 0.9):
        with Project.open(path) as p:
            count_before = p.count_documents()
        proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(whole * fraction)
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # the workers too
        except ProcessLookupError:
            pass
        proc.wait()
        # Killed while storing: the rollback journal is there, and the next open undoes it.
        hot_journals += (tmp_path / "p.emendo-journal").exists()
        with Project.open(path) as p:
            assert p.check() == []
            n = p.count_documents()
            assert n in (count_before, count_before + len(files)), (n, count_before)
            interrupted += n == count_before
            assert p.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert interrupted, "no kill landed inside an import: the test proves nothing"
    print(f"bulk import kills: {interrupted} of 6 interrupted, {hot_journals} while storing")
    assert not (tmp_path / "p.emendo-journal").exists()


_KILLED_WHILE_STORING = """
import os, signal, sys
from pathlib import Path
from emendo.core.importers import import_paths
from emendo.core.importers.bulk import file_rows
from emendo.core.project import Project

files = [Path(f) for f in sys.argv[2:]]
p = Project.open(sys.argv[1])
p.db.conn.execute("PRAGMA cache_size = 8")  # a tiny cache: pages reach the file mid-write
rows = file_rows(files, lambda *_: None, workers=1)

def then_die():
    for n, row in enumerate(rows):
        if n == len(files) - 1:
            os.kill(os.getpid(), signal.SIGKILL)
        yield row

p.import_rows(then_die(), bulk=True)
"""


def test_a_half_written_bulk_import_is_put_back_when_the_project_opens(tmp_path):
    files = _files(tmp_path, copies=20)
    path = tmp_path / "p.emendo"
    with Project.open(path) as p:
        p.import_documents(import_paths(files[:2], lambda *_: None))
        before = _table(path)
    script = tmp_path / "die.py"
    script.write_text(_KILLED_WHILE_STORING, encoding="utf-8")
    run = subprocess.run([sys.executable, str(script), str(path), *map(str, files)],
                         capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == -9, run.stderr
    assert (tmp_path / "p.emendo-journal").stat().st_size > 0  # a hot journal was left
    with Project.open(path, readonly=True) as p:  # even read-only: SQLite's recovery first
        assert p.count_documents() == 2 and p.check() == []
    assert _table(path) == before
    with Project.open(path) as p:
        assert p.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        p.import_documents(import_paths(files[:1], lambda *_: None))  # and it writes again
        assert p.count_documents() == 3 and p.check() == []


def _odd_importer(real):
    """The real importer, except that files named ``odd-*`` trip an unexpected error."""
    def fake(path):
        name = Path(path).name
        if name.startswith("odd-recursion"):
            raise RecursionError("maximum recursion depth exceeded")
        if name.startswith("odd-key"):
            raise KeyError("n")
        if name.startswith("odd-surrogate"):
            docs = real(path)
            docs[0].text += "\ud800"  # what a hostile record could smuggle in
            docs[0].source_text = docs[0].text
            return docs
        return real(path)
    return fake


@pytest.mark.parametrize("workers", [1, 2])
def test_an_unexpected_error_in_one_file_does_not_sink_the_batch(tmp_path, monkeypatch,
                                                                  workers):
    """A RecursionError, a KeyError or an unstorable character refuse that file alone."""
    import emendo.core.importers.bulk as bulk_mod

    monkeypatch.setattr(bulk_mod, "import_file", _odd_importer(bulk_mod.import_file))
    good = _files(tmp_path, copies=1)
    odd = []
    for name in ("odd-recursion.txt", "odd-key.txt", "odd-surrogate.txt"):
        f = tmp_path / "in" / name
        f.write_bytes(good[0].read_bytes())
        odd.append(f)
    mixed = [odd[0], *good[:2], odd[1], *good[2:], odd[2]]
    errors: list = []
    with Project.open(tmp_path / "p.emendo") as p:
        change = p.import_rows(file_rows(mixed, lambda path, exc: errors.append(
            (path.name, str(exc))), workers=workers, chunk=2))
        assert len(change.doc_ids) == len(good)
        assert p.check() == []
    assert [e[0] for e in errors] == ["odd-recursion.txt", "odd-key.txt", "odd-surrogate.txt"]
    assert "nested too deeply" in errors[0][1]
    assert "KeyError" in errors[1][1]
    assert "cannot be stored" in errors[2][1]
    assert all("\n" not in e[1] for e in errors)


def test_cli_batch_of_250_on_the_worker_path_survives_one_odd_file(tmp_path):
    """249 good files are imported and the odd one reported, not exit 70 with nothing."""
    src = sorted(CORPUS.glob("*.txt"))[0].read_bytes()
    d = tmp_path / "in"
    d.mkdir()
    files = []
    for n in range(250):
        f = d / (f"odd-recursion-{n}.txt" if n == 137 else f"{n:03}.txt")
        f.write_bytes(src)
        files.append(str(f))
    script = ("import sys\n"
              "import emendo.core.importers.bulk as b\n"
              "from tests.core.test_bulk_import import _odd_importer\n"
              "b.import_file = _odd_importer(b.import_file)\n"
              "from emendo.core.cli import main\n"
              "sys.exit(main(sys.argv[1:]))\n")
    env = {k: v for k, v in os.environ.items() if k != THRESHOLD_ENV}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
    proc = subprocess.run([sys.executable, "-c", script, "import",
                           str(tmp_path / "p.emendo"), *files], capture_output=True, text=True,
                          timeout=300, env=env)
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr.strip().splitlines() == [
        "emendo: odd-recursion-137.txt is nested too deeply to import"]
    assert len(proc.stdout.splitlines()) == 249
