"""The checks of a project file that trust nothing in it: schema, stored types, the log."""
from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from emendo.core import integrity, store
from emendo.core.crash_worker import make_cable
from emendo.core.errors import DamagedProjectError
from emendo.core.project import Project

RECURSIVE = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "


def _project(path: Path) -> Path:
    with Project.open(path, author="tester") as p:
        doc_id = p.import_documents([make_cable("integrity.1")]).doc_ids[0]
        p.edit_text(doc_id, 0, 0, "Seen: ", merge=False)
        p.add_span(doc_id, "person", 6, 14, {})
        p.set_field(doc_id, "refno", "No. 5")
        p.set_language(doc_id, "ru")
    return path


def _sql(path: Path, *statements: str) -> None:
    con = sqlite3.connect(path)
    for sql in statements:
        con.execute(sql)
    con.commit()
    con.close()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return _project(tmp_path / "p.emendo")


def test_a_fresh_project_has_exactly_emendos_schema(project: Path) -> None:
    con = sqlite3.connect(project)
    try:
        assert integrity.schema_problems(con, store.FORMAT_VERSION) == []
        assert integrity.type_problems(con) == []
    finally:
        con.close()
    with Project.open(project, readonly=True) as p:
        assert p.check() == []


SCHEMA_CHANGES = [
    ("CREATE TRIGGER t AFTER INSERT ON lock BEGIN DELETE FROM documents; END",
     "trigger 't' on lock is not Emendo's"),
    (f"CREATE VIEW v AS {RECURSIVE}SELECT x FROM c", "view 'v' is not Emendo's"),
    ("CREATE TABLE notes (x)", "table 'notes' is not Emendo's"),
    ("CREATE INDEX extra ON documents(title)", "index 'extra' on documents is not Emendo's"),
    ("ALTER TABLE oplog ADD COLUMN x INTEGER", "table 'oplog' differs from Emendo's "
                                               "(extra column x)"),
    ("ALTER TABLE documents DROP COLUMN created", "missing column created"),
    ("DROP INDEX oplog_doc", "index 'oplog_doc' is missing"),
    ("DROP TRIGGER documents_ad", "trigger 'documents_ad' is missing"),
    ("DROP TABLE settings", "table 'settings' is missing"),
]


@pytest.mark.parametrize("sql,finding", SCHEMA_CHANGES, ids=[s[1] for s in SCHEMA_CHANGES])
def test_every_schema_difference_is_found(project: Path, sql: str, finding: str) -> None:
    _sql(project, sql)
    before = project.read_bytes()
    with pytest.raises(DamagedProjectError, match="unexpected schema"):
        Project.open(project, author="tester")
    assert project.read_bytes() == before, "a refused open wrote to the file"
    with Project.open(project, readonly=True) as p:  # read-only, with the reason
        assert any(finding in d for d in p.damage), p.damage
        assert any(finding in d for d in p.check())


def test_a_changed_trigger_is_found(project: Path) -> None:
    """Same name, other body: the FTS trigger now also empties the log."""
    _sql(project, "DROP TRIGGER documents_ai",
         "CREATE TRIGGER documents_ai AFTER INSERT ON documents BEGIN "
         "INSERT INTO documents_fts(rowid, title, text, fields_text) "
         "VALUES (new.id, new.title, new.text, new.fields_text); DELETE FROM oplog; END")
    with Project.open(project, readonly=True) as p:
        assert p.damage == ["unexpected schema: trigger 'documents_ai' differs from Emendo's"]


def test_a_check_constraint_added_by_rewriting_the_schema_is_found(project: Path) -> None:
    con = sqlite3.connect(project)
    con.execute("PRAGMA writable_schema = ON")
    con.execute("UPDATE sqlite_master SET sql = replace(sql, 'value TEXT', "
                "'value TEXT CHECK (length(value) < 3)') WHERE name = 'settings'")
    con.commit()
    con.close()
    with Project.open(project, readonly=True) as p:
        assert any("table 'settings' differs" in d for d in p.damage), p.damage


def test_an_index_added_within_the_format_may_be_missing(project: Path) -> None:
    """A project of an earlier build of format 3 lacks the undo index; opening adds it."""
    _sql(project, "DROP INDEX oplog_undone")
    with Project.open(project, readonly=True) as p:
        assert p.damage == [] and p.check() == []
    with Project.open(project, author="tester") as p:
        assert p.check() == []
    con = sqlite3.connect(project)
    assert con.execute("SELECT 1 FROM sqlite_master WHERE name = 'oplog_undone'").fetchone()
    con.close()


def test_an_older_format_with_a_planted_trigger_is_not_migrated(tmp_path: Path) -> None:
    path = _project(tmp_path / "old.emendo")
    _sql(path, "PRAGMA user_version = 2",
         "CREATE TRIGGER t AFTER UPDATE ON documents BEGIN DELETE FROM oplog; END")
    before = path.read_bytes()
    with pytest.raises(DamagedProjectError, match="trigger 't'"):
        Project.open(path, author="tester")
    assert path.read_bytes() == before


# --- stored values ----------------------------------------------------------------------

DAMAGE = [
    ("UPDATE documents SET title = X'00FF'", "title is not text"),
    ("UPDATE documents SET text = X'41'", "text is not text"),
    ("UPDATE documents SET spans = X'0102'", "spans is not text"),
    ("UPDATE documents SET meta = '[1]'", "meta is not a JSON object"),
    ("UPDATE documents SET meta = '" + "[" * 5000 + "'", "meta is not a JSON object"),
    ("UPDATE documents SET source_z = 'text'", "source_z is not blob or null"),
    ("UPDATE oplog SET before = 'garbage{'", "before is not a JSON object"),
    ("UPDATE oplog SET after = '[]'", "after is not a JSON object"),
    ("UPDATE oplog SET undone = 2", "undone is neither 0 nor 1"),
    ("UPDATE oplog SET op = X'01'", "op is not text"),
    ("INSERT INTO settings VALUES (X'01', 'x')", "key is not text"),
]


@pytest.mark.parametrize("sql,finding", DAMAGE, ids=[d[1] for d in DAMAGE])
def test_stored_values_of_the_wrong_type_are_damage(project: Path, sql: str,
                                                    finding: str) -> None:
    _sql(project, sql)
    before = project.read_bytes()
    with pytest.raises(DamagedProjectError):
        Project.open(project, author="tester")
    assert project.read_bytes() == before
    with Project.open(project, readonly=True) as p:
        assert any(finding in d for d in p.damage), p.damage
        found = p.check()
    assert any(finding in d for d in found), found


def _full_check(path: Path) -> list[str]:
    """Project.check() on a file whose quick checks pass (so it opens for writing too)."""
    with Project.open(path, readonly=True) as p:
        assert p.damage == []
        return p.check()


DECODED = [
    # spans that are JSON but not Emendo's columns
    ("UPDATE documents SET spans = '{\"k\": 5}'", "document 1: "),
    ("UPDATE documents SET spans = '{\"k\":[\"person\"],\"t\":[3],\"s\":[0],\"l\":[1]}'",
     "document 1: "),
    ("UPDATE documents SET spans = '{\"k\":[\"person\"],\"t\":[0],\"s\":[0],\"l\":[99999]}'",
     "outside the text"),
    ("UPDATE documents SET date = 'spring of 1965'", "date is not an ISO 8601 date"),
    ("UPDATE documents SET modified = 'yesterday'", "modified is not an ISO 8601 date-time"),
    ("UPDATE oplog SET time = 'yesterday'", "time yesterday is not an ISO 8601"),
    ("UPDATE oplog SET before = '{\"doc\": \"one\"}' WHERE op = 'mark'", "names no document"),
    ("UPDATE oplog SET before = '{\"doc\": 1, \"text\": 5}' WHERE op = 'edit'",
     "text change is not [position, text]"),
    ("UPDATE oplog SET after = '{\"documents\": [1]}' WHERE op = 'import'",
     "documents are not an object"),
    ("UPDATE oplog SET after = '{\"doc\": 1, \"spans\": {\"x\": 1}}' WHERE op = 'mark'",
     "spans are not an object of span ids"),
    ("UPDATE oplog SET undone = 1 WHERE op = 'import'", "is undone but entry"),
    ("UPDATE oplog SET undone = 1", "is neither a snapshot nor absent"),
    ("UPDATE documents SET date = '1965-13-45'", "date is not an ISO 8601 date"),
    ("UPDATE oplog SET after = '{\"doc\": 1, \"cols\": {\"meta\": [1]}}' "
     "WHERE op = 'language'", "meta column is not an object"),
]


@pytest.mark.parametrize("sql,finding", DECODED, ids=[d[1] for d in DECODED])
def test_check_decodes_everything_and_never_crashes(project: Path, sql: str,
                                                    finding: str) -> None:
    _sql(project, sql)
    found = _full_check(project)
    assert any(finding in d for d in found), found
    proc = subprocess.run([sys.executable, "-m", "emendo.core.cli", "check", str(project)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 3, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr


def test_undo_of_a_damaged_entry_is_a_named_error(project: Path) -> None:
    _sql(project, "UPDATE oplog SET before = '{\"doc\": 1, \"text\": [0]}' "
                  "WHERE id = (SELECT max(id) FROM oplog)")
    with Project.open(project, author="tester") as p:
        with pytest.raises(DamagedProjectError, match="cannot be applied"):
            p.undo()
        with pytest.raises(DamagedProjectError, match="operation log"):
            p.history()
    proc = subprocess.run([sys.executable, "-m", "emendo.core.cli", "undo", str(project)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1 and "internal error" not in proc.stderr, proc.stderr


# --- the time limit on statements -------------------------------------------------------

@pytest.fixture
def short_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store.GuardedConnection, "limit", 0.5)


def test_a_statement_that_never_ends_is_stopped(project: Path, short_limit: None) -> None:
    _sql(project, f"CREATE VIEW endless AS {RECURSIVE}SELECT x FROM c")
    with Project.open(project, readonly=True) as p:
        with pytest.raises(sqlite3.OperationalError, match="interrupted") as caught:
            p.db.execute("SELECT count(*) FROM endless").fetchone()
        assert store.interrupted(caught.value)
        # The connection goes on working after the stop.
        assert p.count_documents() == 1


def test_the_limit_counts_time_inside_sqlite_only(tmp_path: Path, short_limit: None) -> None:
    """Rows handed slowly to executemany, and many quick statements, are never stopped."""
    db = store.connect(tmp_path / "plain.sqlite")
    db.execute("CREATE TABLE t (x)")

    def slow() -> Iterator[tuple[int]]:
        for i in range(6):
            time.sleep(0.15)
            yield (i,)

    # Each statement runs long enough (20,000 rows counted) for the handler to look.
    work = ("(SELECT count(*) FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL "
            "SELECT x + 1 FROM c WHERE x < 20000) SELECT x FROM c))")
    db.conn.executemany(f"INSERT INTO t VALUES (? + {work})", slow())
    start = time.monotonic()
    runs = 0
    while time.monotonic() - start < 1.5:
        db.execute(f"SELECT {work}").fetchone()
        runs += 1
    assert db.execute("SELECT count(*) FROM t").fetchone()[0] == 6 and runs > 1
    db.close()


def test_a_stopped_read_is_a_named_error(project: Path, short_limit: None,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    with Project.open(project, readonly=True) as p:
        def endless() -> None:
            p.db.execute(f"{RECURSIVE}SELECT count(*) FROM c").fetchone()
        monkeypatch.setattr(p, "_row", lambda *_a: endless())
        with pytest.raises(DamagedProjectError, match="ran longer than 0.5 s"):
            p.find_document("1")


def test_a_document_with_damaged_marks_is_not_changed(project: Path) -> None:
    _sql(project, "UPDATE documents SET spans = "
                  "'{\"k\":[\"person\"],\"t\":[0],\"s\":[0],\"l\":[1],\"a\":[5]}'")
    with Project.open(project, author="tester") as p:
        with pytest.raises(DamagedProjectError, match="cannot be changed: span 1"):
            p.edit_text(1, 0, 0, "x")
        with pytest.raises(DamagedProjectError, match="cannot be changed"):
            p.undo()


# --- no command ends in an internal error ------------------------------------------------

def _worked_project(path: Path) -> Path:
    with Project.open(path, author="tester") as p:
        p.import_documents([make_cable("fuzz.1"), make_cable("fuzz.2")])
        p.edit_text(1, 0, 0, "X", merge=False)
        p.add_span(1, "person", 3, 9, {"note": "n"})
        p.correct(1, 0, 1, "Y", kind="fix", reason="typo")
        p.set_field(2, "date", "1965-04-17")
        p.undo()
    return path


STORED_DAMAGE = [
    "UPDATE documents SET spans = '{\"k\": 5}' WHERE id = 1",
    "UPDATE documents SET spans = '{\"k\":[\"person\"],\"t\":[7],\"s\":[0],\"l\":[1]}'",
    "UPDATE documents SET spans = '{\"k\":[\"person\"],\"t\":[0],\"s\":[0],\"l\":[1],"
    "\"a\":[5]}' WHERE id = 1",
    "UPDATE documents SET spans = '[{\"kind\": 5}]' WHERE id = 1",
    "UPDATE documents SET source_z = X'00112233' WHERE id = 1",
    "UPDATE documents SET title = X'00FF'",
    "UPDATE oplog SET before = '{\"doc\": 1, \"text\": 5}'",
    "UPDATE oplog SET after = '{\"doc\": 1, \"spans\": {\"1\": {\"kind\": 5}}}'",
    "UPDATE oplog SET after = '{\"documents\": {\"1\": {\"id\": \"x\"}}}' WHERE op = 'import'",
    "UPDATE oplog SET undone = 1",
    "UPDATE oplog SET before = '{\"doc\": 1, \"text\": [999999, \"x\"]}', "
    "after = '{\"doc\": 1, \"text\": [999999, \"y\"]}'",
    "DELETE FROM documents_fts_data",
]
COMMANDS = [["list"], ["show", "1", "--json"], ["show", "2"], ["search", "Telegram"],
            ["history"], ["history", "1"], ["undo"], ["redo"],
            ["export", "--format", "tei", "--out", "{out}"],
            ["export", "--format", "html", "--out", "{out}"],
            ["export", "1", "--format", "txt", "--out", "{out}/one.txt"],
            ["import", "{src}"], ["check"]]


@pytest.mark.parametrize("sql", STORED_DAMAGE)
def test_no_command_ends_in_an_internal_error(tmp_path: Path, sql: str,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    """Every command on a damaged project: a named error or a result, never exit 70."""
    from emendo.core import cli

    good = _worked_project(tmp_path / "good.emendo")
    src = tmp_path / "in.txt"
    src.write_text("Telegram\n\nHello.\n", encoding="utf-8")
    for n, command in enumerate(COMMANDS):
        path = tmp_path / f"damaged{n}.emendo"
        path.write_bytes(good.read_bytes())
        _sql(path, sql)
        args = [a.format(out=tmp_path / f"out{n}", src=src) for a in command]
        rc = cli.main([args[0], str(path), *args[1:]])
        err = capsys.readouterr().err
        assert rc != 70 and "internal error" not in err, (command, err)
        if command[0] == "check":
            assert rc == 3, err
        elif rc:
            assert len(err.strip().splitlines()) == 1, (command, err)
