"""Exporting many documents in worker processes writes exactly what the serial export writes."""
from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
from pathlib import Path

import pytest

from emendo.core.editions import EditionContext, write_editions
from emendo.core.editions.bulk import export_project
from emendo.core.errors import ExportError
from emendo.core.importers import import_path
from emendo.core.project import Project
from emendo.core.workers import THRESHOLD_ENV

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"
CONTEXT = EditionContext(transcriber="A. Reader", editor="B. Editor",
                         revisions=[("2026-11-29T10:00:00", "A. Reader", "Import")],
                         project_title="Cables")


@pytest.fixture(autouse=True)
def _pool_for_small_batches(monkeypatch):
    """The pool even for a handful of documents (the default threshold is 200)."""
    monkeypatch.setenv(THRESHOLD_ENV, "1")


@pytest.fixture()
def project_path(tmp_path) -> Path:
    path = tmp_path / "p.emendo"
    with Project.open(path) as p:
        files = sorted(CORPUS.glob("*.txt"))
        p.import_documents([import_path(f) for f in files * 2])  # twice: same titles too
    return path


def _files(folder: Path) -> dict[str, bytes]:
    return {f.name: f.read_bytes() for f in sorted(folder.iterdir())}


@pytest.mark.parametrize("fmt", ["tei", "html", "md", "txt"])
@pytest.mark.parametrize("reading", ["diplomatic", "reading"])
def test_parallel_export_writes_what_the_serial_one_writes(project_path, tmp_path, fmt,
                                                           reading):
    with Project.open(project_path, readonly=True) as p:
        docs = [p.document(d.id) for d in p.list_documents()]
    serial = write_editions(docs, fmt, tmp_path / "serial", reading, CONTEXT)
    steps: list[tuple[int, int]] = []
    parallel = export_project(project_path, None, fmt, tmp_path / "parallel", reading,
                              CONTEXT, progress=lambda d, n: steps.append((d, n)),
                              workers=2, chunk=3)
    assert [p.name for p in parallel] == [p.name for p in serial]
    assert _files(tmp_path / "parallel") == _files(tmp_path / "serial")
    assert steps[-1] == (len(docs), len(docs)) and steps == sorted(steps)
    assert multiprocessing.active_children() == []


def test_a_selection_and_a_single_file(project_path, tmp_path):
    with Project.open(project_path, readonly=True) as p:
        doc = p.document(3)
        wanted = write_editions([doc], "tei", tmp_path / "one-serial.xml")
    got = export_project(project_path, [3], "tei", tmp_path / "one.xml", workers=2)
    assert got == [tmp_path / "one.xml"]
    assert got[0].read_bytes() == wanted[0].read_bytes()
    some = export_project(project_path, [5, 1, 2], "md", tmp_path / "some", workers=2, chunk=1)
    assert [p.name.split("-")[0] for p in some] == ["5", "1", "2"]


def test_unknown_document_and_format_are_refused_before_writing(project_path, tmp_path):
    with pytest.raises(ExportError, match="No document 999"):
        export_project(project_path, [1, 999], "tei", tmp_path / "out")
    with pytest.raises(ExportError, match="Unknown format"):
        export_project(project_path, None, "odt", tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_a_failed_write_is_one_error_and_stops_the_workers(project_path, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    with Project.open(project_path, readonly=True) as p:
        first = p.list_documents()[4]
    from emendo.core.editions import safe_name

    (out / (safe_name(first, 4) + ".xml")).mkdir()  # a folder where a file must go
    with pytest.raises(ExportError) as err:
        export_project(project_path, None, "tei", out, workers=2, chunk=2)
    assert "\n" not in str(err.value) and "Could not write" in str(err.value)
    assert multiprocessing.active_children() == []


def test_cli_exports_many_documents_in_workers(project_path, tmp_path):
    env = dict(os.environ, **{THRESHOLD_ENV: "1"})
    run = subprocess.run([sys.executable, "-m", "emendo.core.cli", "export", str(project_path),
                          "--format", "tei", "--out", str(tmp_path / "cli")],
                         capture_output=True, text=True, timeout=120, env=env, check=False)
    assert run.returncode == 0, run.stderr
    written = run.stdout.splitlines()
    with Project.open(project_path, readonly=True) as p:
        assert len(written) == p.count_documents()
    assert all(Path(w).read_text(encoding="utf-8").startswith("<?xml") for w in written)


def test_each_edition_lists_its_own_document_changes(tmp_path):
    from emendo.core.editions import document_revisions

    path = tmp_path / "p.emendo"
    files = sorted(CORPUS.glob("*.txt"))[:3]
    with Project.open(path) as p:
        ids = p.import_documents([import_path(f) for f in files]).doc_ids
        p.set_field(ids[0], "priority", "Flash")
        p.set_field(ids[1], "classification", "Secret")
        revisions = document_revisions(p.history())
    assert [len(revisions[i]) for i in ids] == [2, 2, 1]  # the import, and its own change
    out = export_project(path, None, "tei", tmp_path / "out", "diplomatic", CONTEXT,
                         revisions=revisions, workers=1)

    def changes(f: Path) -> str:
        text = f.read_text(encoding="utf-8")
        return text[text.index("<revisionDesc>"):text.index("</revisionDesc>")]

    desc = {int(f.name.split("-")[0]): changes(f) for f in out}
    assert "priority" in desc[ids[0]] and "classification" not in desc[ids[0]]
    assert "classification" in desc[ids[1]] and "priority" not in desc[ids[1]]
    assert [d.count("<change") for d in (desc[i] for i in ids)] == [2, 2, 1]
