"""A table of bad inputs, each run through the command line as a subprocess.

Every case states its expected outcome: the exit code, the one-line message on stderr (never
a traceback) and what happens to a project that already holds work: its documents are
unchanged (a refused import), or it gains exactly the new documents (a sane import), or —
when the project file itself is the bad input — its bytes are untouched.
"""
from __future__ import annotations

import codecs
import hashlib
import os
import re
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from emendo.core import store
from emendo.core.crash_worker import make_cable
from emendo.core.project import Project

MODEL_CABLE = (Path(__file__).resolve().parent.parent / "data"
               / "000_prc-moscow-1965-04-17_signs-false-anti-imperialism.txt")
OK, FAIL = 0, 1


def cli(*args: str | Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run ``python -m emendo.core.cli`` like a user would."""
    env = {**os.environ, "EMENDO_AUTHOR": "tester"}
    env.pop("EMENDO_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "emendo.core.cli", *map(str, args)],
                          capture_output=True, text=True, timeout=timeout, env=env)


def rows_digest(path: Path, ids: list[int] | None = None) -> str:
    """A hash of the documents table's rows (only ``ids`` when given)."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = con.execute("SELECT * FROM documents ORDER BY id").fetchall()
    finally:
        con.close()
    if ids is not None:
        rows = [r for r in rows if r[0] in ids]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def doc_count(path: Path) -> int:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return con.execute("SELECT count(*) FROM documents").fetchone()[0]
    finally:
        con.close()


def sound(path: Path) -> bool:
    """``emendo check`` (read-only) and Project.check() (for writing) both find it sound."""
    proc = cli("check", path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    with Project.open(path, author="tester") as p:
        problems = p.check()
    assert problems == []
    return True


def make_project(path: Path) -> None:
    """A project holding a researcher's work: an imported cable with an edit and a mark."""
    with Project.open(path, author="tester") as p:
        doc_id = p.import_documents([make_cable("base.1.0")]).doc_ids[0]
        p.edit_text(doc_id, 0, 0, "Corrected: ", merge=False)
        p.add_span(doc_id, "person", 11, 19, {"note": "kept"})


# --- the input files ---------------------------------------------------------------------

def write(name: str, data: bytes | str) -> Callable[[Path], Path]:
    def make(tmp: Path) -> Path:
        f = tmp / name
        f.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return f
    return make


def big_single_line(tmp: Path) -> Path:
    f = tmp / "one-line.txt"
    f.write_text("Telegram " + "word " * (5 * 1024 * 1024 // 5), encoding="utf-8")
    return f


def fifty_mb(tmp: Path) -> Path:
    f = tmp / "fifty.txt"
    line = "The Soviet press reported that the embassy comrades met on April 16th.\n"
    with open(f, "w", encoding="utf-8") as fh:
        fh.write("Telegram of fifty megabytes\n")
        fh.write(line * (50 * 1024 * 1024 // len(line) + 1))
    return f


def sparse_huge(tmp: Path) -> Path:
    f = tmp / "huge.txt"
    with open(f, "wb") as fh:
        fh.truncate(200 * 1024 * 1024)  # sparse: costs no disk, refused by size first
    return f


def two_pages(tmp: Path) -> Path:
    """Two archive pages copied into one file, the second with its own chrome and record."""
    f = tmp / "two-pages.txt"
    page = MODEL_CABLE.read_text(encoding="utf-8")
    f.write_text(page + "\n" + page.replace("April 17, 1965", "April 18, 1965"), encoding="utf-8")
    return f


def directory(tmp: Path) -> Path:
    d = tmp / "a folder.txt"
    d.mkdir()
    return d


def unreadable(tmp: Path) -> Path:
    f = write("secret.txt", "Telegram\n\nNobody may read this.\n")(tmp)
    f.chmod(0)
    if os.access(f, os.R_OK):
        pytest.skip("running as a user who can read a chmod 000 file (root)")
    return f


def odd_path(tmp: Path) -> Path:
    d = tmp / "архив документов 文件"
    d.mkdir()
    f = d / "телеграмма № 5 — 电报.txt"
    f.write_text("Телеграмма из Москвы\n\nТекст телеграммы. 中文电报。\n", encoding="utf-8")
    return f


XXE = ('<?xml version="1.0"?>\n<!DOCTYPE TEI [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
       '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>X'
       '</title></titleStmt></fileDesc></teiHeader><text><body><p>&xxe;</p></body></text>'
       '</TEI>\n')
BOMB = ('<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
                  for i in range(1, 10))
        + ']>\n<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>&lol9;</p></body>'
        '</text></TEI>\n')
TEI_HEAD = ('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt>'
            '<title>{title}</title></titleStmt></fileDesc></teiHeader>')
WRONG_DECL = ('<?xml version="1.0" encoding="ISO-8859-1"?>\n' + TEI_HEAD.format(
    title="Café télégramme") + '<text><body><p>Résumé — intact</p></body></text></TEI>\n')
RTL = "برقية من القاهرة\n\nנוסח המברק: שלום. النص العربي هنا.\n"
COMBINING = "Cafe\u0301 te\u0301le\u0301gramme\n\nZ\u0327 a\u0308 o\u0302\u0323 text.\n"
EMOJI = "Telegram 📜\n\nFlags 🇵🇱🇨🇳, family 👨‍👩‍👧, skin 👍🏽 and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢.\n"


@dataclass
class Case:
    """One bad input and what must happen to it."""

    name: str
    make: Callable[[Path], Path]
    rc: int
    message: str | None = None  # a regex the stderr line must match (None: no stderr)
    text: str | None = None  # for sane imports: text the new document must contain
    new_docs: int = 0


IMPORT_CASES = [
    Case("empty", write("empty.txt", b""), FAIL, r"empty"),
    Case("whitespace only", write("blank.txt", " \n\t\n"), FAIL, r"no text"),
    Case("binary", write("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40),
         FAIL, r"binary|not valid"),
    Case("control characters", write("ctl.txt", "\x01\x02\x03\x04\x05\x06\x07" * 50),
         FAIL, r"binary"),
    Case("invalid UTF-8", write("latin1.txt", "Télégramme à Genève\n".encode("latin-1")),
         FAIL, r"not valid UTF-8"),
    Case("NUL bytes", write("nul.txt", b"Telegram\n\nText\x00with NUL\n"), FAIL, r"NUL"),
    Case("5 MB single line", big_single_line, OK, text="word word", new_docs=1),
    Case("50 MB file", fifty_mb, OK, text="April 16th", new_docs=1),
    Case("beyond the size limit", sparse_huge, FAIL, r"too large"),
    Case("XML external entity", write("xxe.xml", XXE), FAIL, r"entit"),
    Case("entity bomb", write("bomb.xml", BOMB), FAIL, r"entit"),
    Case("malformed XML", write("bad.xml", "<TEI><text><body><p>open</body></TEI>"),
         FAIL, r"not well-formed"),
    Case("XML that is not TEI", write("other.xml", "<html><body>hi</body></html>"),
         FAIL, r"not TEI"),
    Case("TEI without a body", write("nobody.xml", TEI_HEAD.format(title="No body") + "</TEI>"),
         FAIL, r"without a text"),
    Case("wrong encoding declaration", write("decl.xml", WRONG_DECL), OK,
         text="Résumé — intact", new_docs=1),
    Case("UTF-8 BOM", write("bom.txt", codecs.BOM_UTF8 + b"Telegram with BOM\n\nBody.\n"),
         OK, text="Telegram with BOM", new_docs=1),
    Case("UTF-16 with BOM", write("utf16.txt", "Telegram UTF-16\n\nТекст.\n".encode("utf-16")),
         OK, text="Текст.", new_docs=1),
    Case("CRLF newlines", write("crlf.txt", b"Telegram CRLF\r\n\r\nLine one.\r\nLine two.\r\n"),
         OK, text="Line one.\nLine two.", new_docs=1),
    Case("mixed newlines", write("mixed.txt", b"Telegram mixed\r\n\nOne.\rTwo.\nThree.\r\n"),
         OK, text="One.\nTwo.\nThree.", new_docs=1),
    Case("right-to-left text", write("rtl.txt", RTL), OK, text="נוסח המברק", new_docs=1),
    Case("combining characters", write("comb.txt", COMBINING), OK, text="te\u0301le\u0301gramme",
         new_docs=1),
    Case("emoji", write("emoji.txt", EMOJI), OK, text="👨‍👩‍👧, skin 👍🏽", new_docs=1),
    Case("two archive pages in one file", two_pages, OK, text="Soviet press", new_docs=2),
    Case("a directory instead of a file", directory, FAIL, r"folder"),
    Case("a file that does not exist", lambda tmp: tmp / "missing.txt", FAIL, r"does not exist"),
    Case("an unreadable file", unreadable, FAIL, r"permission denied|cannot be read"),
    Case("spaces and non-Latin characters in the path", odd_path, OK,
         text="Текст телеграммы. 中文电报。", new_docs=1),
]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    path = tmp_path / "work.emendo"
    make_project(path)
    return path


def assert_one_clear_line(proc: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, f"expected one line on stderr, got: {proc.stderr!r}"
    assert "internal error" not in lines[0], lines[0]
    return lines[0]


@pytest.mark.parametrize("case", IMPORT_CASES, ids=[c.name for c in IMPORT_CASES])
def test_bad_input_file(case: Case, project: Path, tmp_path: Path) -> None:
    """Import the bad file into a project that already holds work."""
    before = rows_digest(project)
    ids_before = [1]
    src = case.make(tmp_path)
    proc = cli("import", project, src)
    assert proc.returncode == case.rc, (proc.returncode, proc.stderr)
    if case.message is None:
        assert "Traceback" not in proc.stderr
        assert proc.stderr.strip() == "", proc.stderr
    else:
        line = assert_one_clear_line(proc)
        assert re.search(case.message, line, re.I), line
    assert rows_digest(project, ids_before) == before, "work already saved was changed"
    assert doc_count(project) == 1 + case.new_docs
    if case.text is not None:
        with Project.open(project, readonly=True) as p:
            text = p.document(2).text
        assert case.text in text
        assert "\r" not in text and not text.startswith("\ufeff")
        assert "root:" not in text
    assert sound(project)


def test_entities_never_expanded_into_a_project(project: Path, tmp_path: Path) -> None:
    """Whatever the verdict on XXE and the bomb, no file contents or expansion reach the file."""
    for make in (write("xxe.xml", XXE), write("bomb.xml", BOMB)):
        cli("import", project, make(tmp_path))
    with Project.open(project, readonly=True) as p:
        texts = " ".join(p.document(d.id).text + p.document(d.id).source_text
                         for d in p.list_documents())
    assert "root:x:0" not in texts and "lollollol" not in texts


# --- the project file itself is the bad input ----------------------------------------------

def not_sqlite(tmp: Path) -> Path:
    f = tmp / "notes.emendo"
    f.write_bytes(b"These are my notes, not a project.\n" * 10)
    return f


def random_binary(tmp: Path) -> Path:
    f = tmp / "noise.emendo"
    f.write_bytes(bytes((i * 7919) % 256 for i in range(8192)))
    return f


def other_sqlite(tmp: Path) -> Path:
    f = tmp / "other.emendo"
    con = sqlite3.connect(f)
    con.execute("CREATE TABLE t (x)")
    con.execute("INSERT INTO t VALUES (1)")
    con.commit()
    con.close()
    return f


def truncated(tmp: Path) -> Path:
    f = tmp / "truncated.emendo"
    make_project(f)
    data = f.read_bytes()
    f.write_bytes(data[: len(data) // 2])
    return f


def header_only(tmp: Path) -> Path:
    f = tmp / "stub.emendo"
    make_project(f)
    f.write_bytes(f.read_bytes()[:60])
    return f


def newer(tmp: Path) -> Path:
    f = tmp / "newer.emendo"
    make_project(f)
    con = sqlite3.connect(f)
    con.execute(f"PRAGMA user_version = {store.FORMAT_VERSION + 1}")
    con.commit()
    con.close()
    return f


def damaged(tmp: Path) -> Path:
    f = tmp / "damaged.emendo"
    make_project(f)
    data = bytearray(f.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    # Scribble over the second page (a b-tree page of the schema's tables), keep the header.
    data[page + 8: page * 2] = b"\xa5" * (page - 8)
    f.write_bytes(bytes(data))
    return f


def folder_project(tmp: Path) -> Path:
    d = tmp / "folder.emendo"
    d.mkdir()
    return d


def tampered(name: str, *statements: str) -> Callable[[Path], Path]:
    """A project holding work, then changed behind Emendo's back by SQL."""
    def make(tmp: Path) -> Path:
        f = tmp / f"{name}.emendo"
        make_project(f)
        con = sqlite3.connect(f)
        for sql in statements:
            con.execute(sql)
        con.commit()
        con.close()
        return f
    return make


RECURSIVE = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
# (name, make, message on stderr, damage: `check` exits 3)
FILE_CASES = [
    ("a file that is not a project", not_sqlite, r"not an Emendo project", False),
    ("not SQLite at all", random_binary, r"not an Emendo project|not an SQLite", False),
    ("another application's SQLite file", other_sqlite, r"another application", False),
    ("a truncated project", truncated, r"truncated", True),
    ("a project cut inside its header", header_only, r"truncated", False),
    ("a project from a newer version", newer, r"newer", False),
    ("a damaged project", damaged, r"damaged|malformed|corrupt", True),
    ("a folder named like a project", folder_project, r"folder", False),
    ("a planted trigger that empties the project",
     tampered("trigger", "CREATE TRIGGER wipe AFTER INSERT ON lock BEGIN "
              "DELETE FROM documents; END"), r"unexpected schema: trigger 'wipe'", True),
    ("a planted trigger that never ends",
     tampered("hang", "CREATE TRIGGER hang AFTER INSERT ON lock BEGIN SELECT "
              f"(SELECT count(*) FROM ({RECURSIVE}SELECT x FROM c)); END"),
     r"unexpected schema: trigger 'hang'", True),
    ("a recursive view", tampered("view", f"CREATE VIEW endless AS {RECURSIVE}SELECT x FROM c"),
     r"unexpected schema: view 'endless'", True),
    ("an extra column", tampered("column", "ALTER TABLE documents ADD COLUMN x TEXT"),
     r"table 'documents' differs .*extra column x", True),
    ("an index dropped", tampered("index", "DROP INDEX oplog_doc"),
     r"index 'oplog_doc' is missing", True),
    ("a BLOB title", tampered("blob", "UPDATE documents SET title = X'00FF'"),
     r"title is not text", True),
    ("garbage in the operation log", tampered("oplog", "UPDATE oplog SET before = 'x{'"),
     r"before is not a JSON object", True),
    ("an undone flag that is not 0 or 1", tampered("undone", "UPDATE oplog SET undone = 7"),
     r"undone is neither 0 nor 1", True),
    ("user_version 0", tampered("version0", "PRAGMA user_version = 0"),
     r"format version 0", True),
]


def _bytes_of(path: Path) -> bytes | None:
    return path.read_bytes() if path.is_file() else None


@pytest.mark.parametrize("name,make,message,damage", FILE_CASES,
                         ids=[c[0] for c in FILE_CASES])
@pytest.mark.parametrize("command", ["import", "list", "check"])
def test_bad_project_file(name: str, make: Callable[[Path], Path], message: str,
                          damage: bool, command: str, tmp_path: Path) -> None:
    """A bad project file is refused with a clear line and left byte-for-byte untouched."""
    path = make(tmp_path)
    before = _bytes_of(path)
    src = write("fine.txt", "Telegram\n\nA perfectly good file.\n")(tmp_path)
    args = ("import", path, src) if command == "import" else (command, path)
    proc = cli(*args)
    assert proc.returncode != 0
    if command == "check" and damage:
        assert proc.returncode == 3, proc.stderr
    line = assert_one_clear_line(proc)
    assert re.search(message, line, re.I), line
    assert _bytes_of(path) == before, "the refused file was modified"
    for suffix in ("-journal", "-wal", "-shm"):
        assert not Path(str(path) + suffix).exists()


def test_project_locked_by_a_live_process(project: Path, tmp_path: Path) -> None:
    """A second process is told where and since when the project is open; both stay sound."""
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys; from emendo.core.project import Project\n"
         "p = Project.open(sys.argv[1], author='holder'); print('open', flush=True)\n"
         "sys.stdin.read(); p.import_documents([]); p.close()", str(project)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        before = rows_digest(project)
        src = write("fine.txt", "Telegram\n\nA perfectly good file.\n")(tmp_path)
        proc = cli("import", project, src)
        assert proc.returncode == FAIL
        line = assert_one_clear_line(proc)
        assert str(holder.pid) in line and "since" in line, line
        assert rows_digest(project) == before
        # Reading is still allowed while the other process writes.
        listing = cli("list", project)
        assert listing.returncode == 0 and listing.stderr == ""
        assert cli("restore", project).returncode == FAIL  # never under a live writer
    finally:
        holder.communicate("", timeout=60)
    assert holder.returncode == 0
    assert sound(project)
    again = cli("import", project, tmp_path / "fine.txt")
    assert again.returncode == OK, again.stderr
    assert doc_count(project) == 2


def test_model_cable_imports_cleanly_as_control(project: Path) -> None:
    """The harness itself is sane: a good file imports with exit 0 and no stderr."""
    proc = cli("import", project, MODEL_CABLE)
    assert proc.returncode == OK and proc.stderr == ""
    assert doc_count(project) == 2


def test_partial_batch_keeps_the_good_files(project: Path, tmp_path: Path) -> None:
    """Each file is all-or-nothing: a bad file in a batch is reported, the good ones import."""
    good = write("good.txt", "Telegram good\n\nFine.\n")(tmp_path)
    bad = write("bad.txt", b"\x00\x01\x02")(tmp_path)
    proc = cli("import", project, good, bad)
    assert proc.returncode == FAIL
    assert_one_clear_line(proc)
    assert doc_count(project) == 2


def test_cli_check_passes_on_a_sound_project(project: Path) -> None:
    proc = cli("check", project)
    assert proc.returncode == 0, proc.stderr


def test_document_id_at_the_largest_sqlite_integer(project: Path, tmp_path: Path) -> None:
    """A document numbered 2**63-1: an import is refused by name, lookups beyond it too."""
    top = 2**63 - 1
    con = sqlite3.connect(project)
    con.execute("INSERT INTO documents (id, title, text) VALUES (?, 'Top', 'The top text.')",
                (top,))
    con.commit()
    con.close()
    assert sound(project)
    before = rows_digest(project)
    src = write("fine.txt", "Telegram\n\nA perfectly good file.\n")(tmp_path)
    proc = cli("import", project, src)
    assert proc.returncode == FAIL
    assert re.search(r"no document id is left", assert_one_clear_line(proc)), proc.stderr
    assert rows_digest(project) == before
    assert cli("show", project, str(top)).returncode == OK
    for ref in (str(top + 1), "9" * 40, "²"):
        proc = cli("show", project, ref)
        assert proc.returncode == FAIL
        assert re.search(r"no document", assert_one_clear_line(proc))
    proc = cli("search", project, "text", "--limit", "9" * 30)
    assert proc.returncode == OK and proc.stderr == "", proc.stderr
    assert sound(project)


# --- a refused write changes no byte -----------------------------------------------------

def _holder(project: Path) -> subprocess.Popen[str]:
    """Another live process with the project open for writing (idle until told to close)."""
    proc = subprocess.Popen(
        [sys.executable, "-c",
         "import sys; from emendo.core.project import Project\n"
         "p = Project.open(sys.argv[1], author='holder'); p.checkpoint()\n"
         "print('open', flush=True); sys.stdin.read(); p.close()", str(project)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "open"
    return proc


def _foreign_lock(project: Path) -> None:
    con = sqlite3.connect(project)
    con.execute("INSERT OR REPLACE INTO lock (id, host, pid, since, token) "
                "VALUES (1, 'elsewhere', 77, '2026-11-30T09:15:00.000+00:00', '')")
    con.commit()
    con.close()


def _all_undone(project: Path) -> None:
    while cli("undo", project).returncode == OK:
        pass


REFUSED_WRITES = [
    # (name, prepare the project, command, message)
    ("import while another process writes", _holder, ("import", "{fine}"), r"open in another"),
    ("undo while another process writes", _holder, ("undo",), r"open in another"),
    ("import under another computer's lock", _foreign_lock, ("import", "{fine}"),
     r"elsewhere.*--break-lock"),
    ("restore under another computer's lock", _foreign_lock, ("restore",), r"--break-lock"),
    ("redo with nothing undone", None, ("redo",), r"nothing to redo"),
    ("undo with nothing left", _all_undone, ("undo",), r"nothing to undo"),
    ("import of bad files only", None, ("import", "{bad}"), r"NUL"),
]


def _header_journal_mode(data: bytes) -> tuple[int, int]:
    return data[18], data[19]  # 1, 1: rollback journal; 2, 2: write-ahead log


@pytest.mark.parametrize("name,prepare,command,message", REFUSED_WRITES,
                         ids=[c[0] for c in REFUSED_WRITES])
def test_a_refused_write_changes_no_byte(name: str, prepare: Callable[[Path], object] | None,
                                         command: tuple[str, ...], message: str,
                                         project: Path, tmp_path: Path) -> None:
    fine = write("fine.txt", "Telegram\n\nA perfectly good file.\n")(tmp_path)
    bad = write("bad.txt", b"Telegram\x00\n")(tmp_path)
    held = prepare(project) if prepare else None
    try:
        before = project.read_bytes()
        sidecars = {s: Path(str(project) + s).exists() for s in ("-wal", "-shm", "-journal")}
        args = [a.format(fine=fine, bad=bad) for a in command[1:]]
        proc = cli(command[0], project, *args)
        assert proc.returncode == FAIL, proc.stderr
        assert re.search(message, assert_one_clear_line(proc)), proc.stderr
        after = project.read_bytes()
        assert _header_journal_mode(after) == _header_journal_mode(before)
        assert after == before, "a refused write changed the file"
        assert {s: Path(str(project) + s).exists() for s in sidecars} == sidecars
    finally:
        if isinstance(held, subprocess.Popen):
            held.communicate("", timeout=60)
    if prepare is _foreign_lock:  # the other computer has let go by now
        con = sqlite3.connect(project)
        con.execute("DELETE FROM lock")
        con.commit()
        con.close()
    assert sound(project)
