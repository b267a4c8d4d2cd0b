"""The headless command line: output shapes, JSON keys, exit codes, one-line errors."""
from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent.parent / "data"
CORPUS = DATA / "corpus"
MODEL = next(CORPUS.glob("000_*.txt"), None) if CORPUS.exists() else None


def emendo(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "emendo.core.cli", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd, timeout=120)


def one_line_error(proc: subprocess.CompletedProcess) -> str:
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("emendo: ")
    return lines[0]


@pytest.fixture
def project(tmp_path):
    path = tmp_path / "cables.emendo"
    proc = emendo("import", path, *sorted(CORPUS.glob("*.txt")))
    assert proc.returncode == 0, proc.stderr
    return path


def test_import_prints_id_and_title(tmp_path):
    path = tmp_path / "p.emendo"
    proc = emendo("import", path, MODEL)
    assert proc.returncode == 0, proc.stderr
    doc_id, title = proc.stdout.strip().split("\t")
    assert doc_id == "1" and title.startswith("Cable from the Chinese Embassy")


def test_list_and_show_json_keys(project):
    listing = emendo("list", project).stdout.strip().splitlines()
    assert len(listing) == len(list(CORPUS.glob("*.txt")))
    assert listing[0].split("\t")[1] == "1965-04-17"
    proc = emendo("show", project, "1", "--json")
    assert proc.returncode == 0, proc.stderr
    rec = json.loads(proc.stdout)
    for key in ("id", "title", "date", "text", "source_text", "priority", "stamps",
                "handwritten", "distribution", "citation", "translator", "spans",
                "corrections"):
        assert key in rec
    for key in ("title", "date", "priority", "citation", "translator"):
        assert rec[key] is None or isinstance(rec[key], str)
    assert rec["date"] == "1965-04-17" and rec["priority"] == "Urgent"
    assert rec["citation"] == "PRC FMA 109-03654-02, 20-22"
    assert rec["translator"] == "David Cowhig"
    assert rec["stamps"][0]["text"] == "Foreign Ministry Soviet and East Europe Department"
    assert rec["handwritten"][0]["text"] == "487"
    names = [r["name"] for r in rec["distribution"]]
    assert "Peng Zhen" in names and "Zhu Muzhi" in names and "Archive" in names
    for span in rec["spans"]:
        assert isinstance(span["start"], (int, type(None)))
        if span["start"] is not None:
            assert rec["text"][span["start"]:span["end"]] == span["text"]
    assert rec["source_text"] == MODEL.read_text(encoding="utf-8")
    assert "Skip to content" not in rec["text"]


def test_show_by_title_prefix(project):
    # The corpus holds several ciphered telegrams: the prefix names one of them.
    proc = emendo("show", project, "Ciphered telegram, Roshchin")
    assert proc.returncode == 0, proc.stderr
    assert "title: Ciphered telegram, Roshchin" in proc.stdout


def test_search_ranked_with_snippets(project):
    proc = emendo("search", project, "Kosygin")
    assert proc.returncode == 0
    rows = [ln.split("\t") for ln in proc.stdout.strip().splitlines()]
    assert rows and all(len(r) == 4 for r in rows)
    assert any("[Kosygin]" in r[3] for r in rows)


def test_check_sound_project(project):
    proc = emendo("check", project)
    assert proc.returncode == 0 and proc.stdout.startswith("ok")


def test_corrections_in_json(project):
    from emendo.core.project import Project

    with Project.open(project) as p:
        doc = p.document(1)
        i = doc.text.index("forein")
        p.correct(1, i, i + 6, "foreign", kind="fix", reason="typo")
        j = p.document(1).text.index("Dongand")
        p.correct(1, j, j + 7, "Dong and", kind="sic")
    rec = json.loads(emendo("show", project, "1", "--json").stdout)
    kinds = {(c["kind"], c["original"], c["corrected"]) for c in rec["corrections"]}
    assert ("sic", "Dongand", "Dong and") in kinds
    fix = next(c for c in rec["corrections"] if c["kind"] == "fix")
    assert (fix["original"], fix["corrected"]) == ("forein", "foreign")
    assert fix.get("reason") == "typo"
    assert isinstance(fix["start"], int)


def test_undo_and_history(project):
    from emendo.core.project import Project

    with Project.open(project) as p:
        p.set_field(1, "priority", "Flash")
    proc = emendo("undo", project)
    assert proc.returncode == 0 and "Undo" in proc.stdout
    rec = json.loads(emendo("show", project, "1", "--json").stdout)
    assert rec["priority"] == "Urgent"
    assert "(undone)" in emendo("history", project).stdout


@pytest.mark.parametrize("args,needle", [
    (("show", "{p}", "999"), "no document 999"),
    (("list", "{missing}"), "does not exist"),
    (("frobnicate",), "invalid choice"),
    (("search",), "required"),
])
def test_errors_are_one_line(project, tmp_path, args, needle):
    args = [a.format(p=project, missing=tmp_path / "missing.emendo") for a in args]
    assert needle in one_line_error(emendo(*args))


def test_failed_file_changes_nothing(project, tmp_path):
    before = hashlib.sha256(project.read_bytes()).hexdigest()
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\x00\x00garbage\x00")
    line = one_line_error(emendo("import", project, bad))
    assert "bad.txt" in line
    assert hashlib.sha256(project.read_bytes()).hexdigest() == before


def test_import_into_non_project_refused(tmp_path):
    target = tmp_path / "notes.txt"
    target.write_text("my notes")
    line = one_line_error(emendo("import", target, MODEL))
    assert "not an Emendo project" in line
    assert target.read_text() == "my notes"


def test_restore_from_backup(project):
    from emendo.core import backup
    from emendo.core.project import Project

    with Project.open(project) as p:
        backup.snapshot(p.db, project, reason="manual")
        p.delete_documents([1])
    proc = emendo("restore", project)
    assert proc.returncode == 0, proc.stderr
    assert emendo("list", project).stdout.startswith("1\t")


def test_import_into_sync_folder_warns(tmp_path):
    folder = tmp_path / "Dropbox" / "research"
    folder.mkdir(parents=True)
    proc = emendo("import", folder / "p.emendo", MODEL)
    assert proc.returncode == 0
    assert proc.stdout.startswith("1\t")
    assert "warning:" in proc.stderr and "Dropbox" in proc.stderr


def test_author_names_the_editor_in_history_and_editions(tmp_path):
    path = tmp_path / "p.emendo"
    env_free = ["import", path, MODEL, "--author", "Ada Byron"]
    proc = subprocess.run([sys.executable, "-m", "emendo.core.cli", *map(str, env_free)],
                          capture_output=True, text=True, timeout=120,
                          env={k: v for k, v in __import__("os").environ.items()
                               if k != "EMENDO_AUTHOR"})
    assert proc.returncode == 0, proc.stderr
    history = emendo("history", path).stdout
    assert "\tAda Byron\t" in history
    out = tmp_path / "e.xml"
    assert emendo("export", path, "1", "--format", "tei", "--out", out,
                  "--author", "Ada Byron").returncode == 0
    assert "Ada Byron" in out.read_text(encoding="utf-8")
    proc = emendo("history", path, "--author", "  ")
    assert one_line_error(proc) == "emendo: --author needs a name"


def test_no_author_means_no_login_name(tmp_path):
    import getpass
    import os

    path = tmp_path / "p.emendo"
    env = {k: v for k, v in os.environ.items() if k != "EMENDO_AUTHOR"}
    proc = subprocess.run([sys.executable, "-m", "emendo.core.cli", "import", str(path),
                           str(MODEL)], capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == 0, proc.stderr
    entry = emendo("history", path).stdout.splitlines()[0].split("\t")
    assert entry[2] == ""
    assert getpass.getuser() not in entry[2:3]
