"""Tests of the project file and its operations (core/project.py, core/store.py)."""
from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from emendo.core import store
from emendo.core.errors import (
    DamagedProjectError,
    InvalidEditError,
    NewerVersionError,
    NotAProjectError,
    NothingToUndoError,
    ProjectInUseError,
)
from emendo.core.importers import import_path
from emendo.core.model import Document, Span
from emendo.core.project import Project

DATA = Path(__file__).resolve().parent.parent / "data"


def make_doc(text: str = "The forein press in Izvestia said Dongand more.") -> Document:
    doc = Document(title="Cable", text=text, source_text=text)
    i = text.find("Izvestia")
    doc.spans = [Span("priority", None, None, {"value": "Urgent"})]
    if i >= 0:
        doc.spans.insert(0, Span("org", i, i + 8, {}))
    return doc


@pytest.fixture
def project(tmp_path):
    p = Project.open(tmp_path / "p.emendo")
    yield p
    p.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_project_has_identity(tmp_path):
    with Project.open(tmp_path / "a.emendo") as p:
        assert p.db.execute("PRAGMA application_id").fetchone()[0] == store.APPLICATION_ID
        assert p.db.execute("PRAGMA user_version").fetchone()[0] == store.FORMAT_VERSION
        assert p.check() == []


def test_import_and_load_roundtrip(project):
    ch = project.import_documents([make_doc()])
    doc = project.document(ch.doc_ids[0])
    assert doc.title == "Cable"
    assert [s.kind for s in doc.spans] == ["org", "priority"]
    assert doc.span_text(doc.spans[0]) == "Izvestia"
    assert project.list_documents()[0].title == "Cable"


def test_typing_moves_spans_and_merges(project):
    doc_id = project.import_documents([make_doc()]).doc_ids[0]
    text = project.document(doc_id).text
    pos = text.index("forein") + 5
    project.edit_text(doc_id, pos, 0, "g")
    doc = project.document(doc_id)
    assert "foreign" in doc.text
    assert doc.span_text(doc.spans[0]) == "Izvestia"
    p2 = doc.text.index("Dongand") + 4
    project.edit_text(doc_id, p2, 0, " ")
    project.edit_text(doc_id, p2 + 1, 0, "x")
    project.edit_text(doc_id, p2 + 1, 1, "")  # backspace merges too
    assert "Dong and" in project.document(doc_id).text
    project.undo()
    assert "Dongand" in project.document(doc_id).text
    assert "foreign" in project.document(doc_id).text
    project.undo()
    assert project.document(doc_id).text == make_doc().text
    assert project.document(doc_id).imported_text is None
    project.redo()
    project.redo()
    assert "foreign press" in project.document(doc_id).text
    assert "Dong and" in project.document(doc_id).text
    with pytest.raises(NothingToUndoError):
        project.redo()


def test_a_name_that_is_its_text_follows_a_typed_fix(project):
    text = "Distribution: Peng Zhen, Chen Yi, Dongand, Kang Sheng"
    doc = Document(title="List", text=text, source_text=text)
    at = {w: text.index(w) for w in ("Peng Zhen", "Chen Yi", "Dongand", "Kang Sheng")}
    doc.spans = [Span("recipient", at["Peng Zhen"], at["Peng Zhen"] + 9, {"name": "Peng Zhen"}),
                 Span("recipient", at["Chen Yi"], at["Chen Yi"] + 7, {"name": "Ch'en I"}),
                 Span("recipient", at["Dongand"], at["Dongand"] + 7, {"name": "Dongand"}),
                 Span("recipient", at["Kang Sheng"], at["Kang Sheng"] + 10, {})]
    doc_id = project.import_documents([doc]).doc_ids[0]

    def names() -> list:
        return [s.attrs.get("name") for s in sorted(project.document(doc_id).spans,
                                                    key=lambda s: s.start)]

    before = names()
    # Typed one key at a time (merged into one step), inside the name: it follows.
    pos = project.document(doc_id).text.index("Dongand") + 4
    project.edit_text(doc_id, pos, 0, " ")
    project.edit_text(doc_id, pos + 1, 0, "x")
    project.edit_text(doc_id, pos + 1, 1, "")
    assert names() == ["Peng Zhen", "Ch'en I", "Dong and", None]
    # A name that says something else than its text (a romanisation) stays as it is.
    pos = project.document(doc_id).text.index("Chen Yi") + 7
    project.edit_text(doc_id, pos - 2, 2, "Yee", merge=False)
    assert names() == ["Peng Zhen", "Ch'en I", "Dong and", None]
    # A fix by Correct… follows too; undo puts every name back, redo again.
    start = project.document(doc_id).text.index("Peng Zhen")
    project.correct(doc_id, start, start + 9, "Peng Chen")
    assert names() == ["Peng Chen", "Ch'en I", "Dong and", None]
    after = names()
    for _ in range(3):
        project.undo()
    assert names() == before and project.document(doc_id).text == text
    for _ in range(3):
        project.redo()
    assert names() == after
    assert project.check() == []


def test_the_title_follows_a_fix_typed_in_its_text(project):
    text = "Cable on the Sovet press\n\nBody."
    doc = Document(title="Cable on the Sovet press", text=text, source_text=text)
    doc.spans = [Span("title", 0, 24, {"value": "Cable on the Sovet press"})]
    doc_id = project.import_documents([doc]).doc_ids[0]
    change = project.edit_text(doc_id, text.index("Sovet") + 3, 0, "i")
    assert change.documents  # the list of documents shows titles: it is told
    project.edit_text(doc_id, 0, 5, "Telegram")  # not merged (a replacement)
    stored = project.document(doc_id)
    assert stored.title == "Telegram on the Soviet press" == stored.field_value("title")
    assert [r.title for r in project.list_documents()] == ["Telegram on the Soviet press"]
    project.edit_text(doc_id, len("Telegram on the Soviet press"), 0, "!")  # after it: no
    assert project.document(doc_id).title == "Telegram on the Soviet press"
    project.undo()
    project.undo()
    assert project.document(doc_id).title == "Cable on the Soviet press"
    project.undo()
    assert project.document(doc_id).title == "Cable on the Sovet press"
    project.redo()
    project.redo()
    assert project.document(doc_id).title == "Telegram on the Soviet press"
    # A title set by hand (not the text) does not follow the text.
    project.set_field(doc_id, "title", "Report on the press")
    project.edit_text(doc_id, 0, 8, "Cable", merge=False)
    assert project.document(doc_id).title == "Report on the press"


def test_typing_in_the_title_merges_and_undoes_as_one_step(project):
    text = "Cable on the press\n\nBody."
    doc = Document(title="Cable on the press", text=text, source_text=text)
    doc.spans = [Span("title", 0, 18, {"value": "Cable on the press"})]
    doc_id = project.import_documents([doc]).doc_ids[0]
    for i, ch in enumerate("Soviet "):
        project.edit_text(doc_id, 13 + i, 0, ch)
    assert project.document(doc_id).title == "Cable on the Soviet press"
    project.undo()
    assert project.document(doc_id).title == "Cable on the press"
    assert project.document(doc_id).text == text
    project.redo()
    assert project.document(doc_id).title == "Cable on the Soviet press"


def test_undo_survives_reopen(tmp_path):
    path = tmp_path / "p.emendo"
    with Project.open(path) as p:
        doc_id = p.import_documents([make_doc()]).doc_ids[0]
        i = p.document(doc_id).text.index("Izvestia")
        p.add_span(doc_id, "unclear", i, i + 8, {"reason": "faded"})
    with Project.open(path) as p:
        assert p.undo_label().startswith("Mark unclear")
        p.undo()
        assert [s.kind for s in p.document(doc_id).spans] == ["org", "priority"]
        p.undo()
        assert p.count_documents() == 0
        p.redo()
        assert p.document(doc_id).title == "Cable"


def test_correction_sic_and_revert(project):
    doc_id = project.import_documents([make_doc()]).doc_ids[0]
    text = project.document(doc_id).text
    i = text.index("forein")
    project.correct(doc_id, i, i + 6, "foreign", kind="sic", reason="typo in original")
    doc = project.document(doc_id)
    sic = doc.first("sic")
    assert sic.attrs["corr"] == "foreign" and doc.span_text(sic) == "forein"
    j = doc.text.index("Dongand")
    ch = project.correct(doc_id, j, j + 7, "Dong and", kind="fix", reason="OCR")
    assert project.history(doc_id)[-1].reason == "OCR"
    project.revert(ch.entry_id)
    assert "Dongand" in project.document(doc_id).text


def test_set_field_and_priorities(project):
    doc_id = project.import_documents([make_doc()]).doc_ids[0]
    project.set_field(doc_id, "priority", "Very Urgent")
    project.set_field(doc_id, "title", "New title")
    doc = project.document(doc_id)
    assert doc.field_value("priority") == "Very Urgent"
    assert doc.title == "New title"
    assert project.priorities() == ["Very Urgent"]
    project.undo()
    assert project.document(doc_id).title == "Cable"


def test_search_ranked_with_snippets(project):
    project.import_documents([make_doc(), make_doc("Nothing about the press here at all.")])
    hits = project.search("Izvestia")
    assert len(hits) == 1 and "[Izvestia]" in hits[0].snippet
    assert project.search("Urgent")[0].field == "Priority"
    assert project.search('"unbalanced') == []


def test_bad_edit_rejected_and_nothing_changed(project):
    doc_id = project.import_documents([make_doc()]).doc_ids[0]
    with pytest.raises(InvalidEditError):
        project.edit_text(doc_id, 10_000, 0, "x")
    with pytest.raises(InvalidEditError):
        project.add_span(doc_id, "nonsense", 0, 3)
    assert len(project.history()) == 1


def test_second_process_gets_in_use(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "p.emendo"
    with Project.open(path):
        code = ("from emendo.core.project import Project\n"
                "from emendo.core.errors import ProjectInUseError\n"
                f"try:\n    Project.open({str(path)!r})\nexcept ProjectInUseError as e:\n"
                "    print('IN USE', e)\n")
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert "IN USE" in out.stdout and "process" in out.stdout


def test_stale_lock_cleared(tmp_path):
    path = tmp_path / "p.emendo"
    Project.open(path).close()
    conn = sqlite3.connect(path)
    import socket

    conn.execute("INSERT INTO lock (id, host, pid, since, token) VALUES (1, ?, 999999, 'x', '')",
                 (socket.gethostname(),))
    conn.commit()
    conn.close()
    with Project.open(path) as p:
        assert store.lock_holder(p.db)[1] != 999999


def test_lock_from_other_host_refused(tmp_path):
    path = tmp_path / "p.emendo"
    Project.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO lock (id, host, pid, since) VALUES (1, 'elsewhere', 1, 'then')")
    conn.commit()
    conn.close()
    with pytest.raises(ProjectInUseError, match="elsewhere"):
        Project.open(path)


@pytest.mark.parametrize("content,error", [
    (b"hello, not a database", NotAProjectError),
    (b"\x00\xff" * 500, NotAProjectError),
])
def test_foreign_files_refused_untouched(tmp_path, content, error):
    path = tmp_path / "x.emendo"
    path.write_bytes(content)
    before = digest(path)
    with pytest.raises(error):
        Project.open(path)
    assert digest(path) == before


def test_other_sqlite_refused_untouched(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    before = digest(path)
    with pytest.raises(NotAProjectError):
        Project.open(path)
    assert digest(path) == before


def test_truncated_refused_untouched(tmp_path):
    path = tmp_path / "p.emendo"
    with Project.open(path) as p:
        p.import_documents([make_doc("x " * 20000)])
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    before = digest(path)
    with pytest.raises(DamagedProjectError):
        Project.open(path)
    assert digest(path) == before


def test_newer_version_refused_untouched(tmp_path):
    path = tmp_path / "p.emendo"
    Project.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {store.FORMAT_VERSION + 1}")
    conn.commit()
    conn.close()
    before = digest(path)
    with pytest.raises(NewerVersionError):
        Project.open(path)
    assert digest(path) == before


def test_version1_file_migrates(tmp_path):
    src = DATA / "project-v1.emendo"
    path = tmp_path / "old.emendo"
    shutil.copy(src, path)
    with Project.open(path) as p:
        assert p.db.execute("PRAGMA user_version").fetchone()[0] == store.FORMAT_VERSION
        docs = p.list_documents()
        assert docs and docs[0].title
        doc = p.document(docs[0].id)
        assert any(s.kind == "illegible" for s in doc.spans)
        assert p.search("Izvestia")
        assert p.check() == []
    from emendo.core.backup import list_backups

    assert list_backups(path), "a snapshot is taken before migrating"


def test_damaged_file_opens_read_only_and_stays_untouched(tmp_path):
    path = tmp_path / "p.emendo"
    with Project.open(path) as p:
        p.import_documents([make_doc(f"cable {i} " + "word " * 2000) for i in range(20)])
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    for offset in range(page * 5, page * 5 + 200):  # scribble over an interior page
        data[offset] = 0x5A
    path.write_bytes(bytes(data))
    before = digest(path)
    with pytest.raises(DamagedProjectError):
        Project.open(path)
    with Project.open(path, readonly=True) as p:
        assert p.damage, "quick_check's findings are reported"
        assert p.readonly
    assert digest(path) == before


def test_closed_project_is_one_file_and_open_one_logs_ahead(tmp_path):
    path = tmp_path / "p.emendo"
    with Project.open(path) as p:
        p.import_documents([make_doc()])
        assert p.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert sorted(f.name for f in tmp_path.iterdir() if f.name.startswith("p.emendo")) == \
        ["p.emendo"]
    assert path.read_bytes()[18:20] == b"\x01\x01", "header back in rollback-journal mode"


def test_crash_with_pending_log_recovers_and_restore_ignores_stale_log(tmp_path):
    import subprocess
    import sys

    from emendo.core import backup

    path = tmp_path / "p.emendo"
    with Project.open(path) as p:
        p.import_documents([make_doc()])
        backup.snapshot(p.db, path, reason="manual")
    code = ("import os\nfrom emendo.core.project import Project\n"
            f"p = Project.open({str(path)!r})\n"
            "p.set_field(1, 'priority', 'Flash')\n"
            "os._exit(0)\n")  # dies without closing: the change sits in the log
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
    assert path.with_name("p.emendo-wal").exists()
    with Project.open(path, readonly=True) as p:
        assert p.document(1).field_value("priority") == "Flash"
    backup.restore(path)
    assert not path.with_name("p.emendo-wal").exists()
    with Project.open(path) as p:
        assert p.document(1).field_value("priority") == "Urgent"
        assert p.check() == []
    kept = [b for b in backup.list_backups(path) if "before-restore" in b.name][0]
    with Project.open(kept, readonly=True) as p:
        assert p.document(1).field_value("priority") == "Flash", "the restore kept it"


def test_reads_of_a_damaged_file_raise_named_errors(tmp_path):
    path = tmp_path / "p.emendo"
    with Project.open(path) as p:
        p.import_documents([make_doc(f"cable {i} " + "word " * 2000) for i in range(20)])
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    for n in range(3, len(data) // page):  # scribble over every interior page
        data[n * page: n * page + 64] = b"\x5a" * 64
    path.write_bytes(bytes(data))
    with Project.open(path, readonly=True) as p:
        assert p.damage
        docs = p.list_documents()  # what can be read, never a raw sqlite3 error
        assert all(d.title.startswith("cable ") for d in docs), [d.title for d in docs]
        outcomes = []
        for name, call in (("search", lambda: p.search("cable")), ("history", p.history),
                           ("priorities", p.priorities)):
            try:
                result = call()
            except DamagedProjectError as exc:  # named, one line, says which file
                message = str(exc)
                assert message and "\n" not in message and path.name in message, (name, message)
                outcomes.append("damaged")
            else:
                assert isinstance(result, list), (name, result)
                outcomes.append("read")
        # Scribbled interior pages cannot all read cleanly: something must say damaged.
        assert "damaged" in outcomes or not docs, outcomes


def test_checkpoint_folds_the_log_in(tmp_path):
    path = tmp_path / "p.emendo"
    with Project.open(path) as p:
        doc_id = p.import_documents([make_doc()]).doc_ids[0]
        for i in range(30):
            p.edit_text(doc_id, i, 0, "x")
        p.checkpoint()
        log, frames, done = p.db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        assert log == 0 and frames == done  # nothing left to fold in
        assert p.check() == []


def test_background_checkpoint_while_typing_goes_on(tmp_path):
    path = tmp_path / "p.emendo"
    with Project.open(path) as p:
        doc_id = p.import_documents([make_doc()]).doc_ids[0]
        for i in range(20):
            p.edit_text(doc_id, i, 0, "x")
        p.checkpoint(background=True)
        for _ in range(20):  # commits go on while the checkpoint runs
            p.edit_text(doc_id, 0, 0, "y")
        p._checkpointer.join()
        assert p.document(doc_id).text.startswith("y" * 20)
    assert sorted(f.name for f in tmp_path.iterdir() if f.name.startswith("p.emendo")) == \
        ["p.emendo"]
    with Project.open(path, readonly=True) as p:
        assert p.check() == []


def test_version2_file_migrates_and_keeps_every_source(tmp_path):
    path = tmp_path / "old.emendo"
    shutil.copy(DATA / "project-v2.emendo", path)
    cable = (DATA / "000_prc-moscow-1965-04-17_signs-false-anti-imperialism.txt").read_text(
        encoding="utf-8")
    with Project.open(path) as p:
        assert p.db.execute("PRAGMA user_version").fetchone()[0] == store.FORMAT_VERSION
        assert p.check() == []
        first, note = p.document(1), p.document(2)
        assert first.source_text == cable  # stored by format 2 as zlib, read by this one
        assert "foreign" in first.text and "forein" in first.baseline_text
        assert any(s.kind == "unclear" and first.text[s.start:s.end] == "Izvestia"
                   for s in first.spans)
        assert note.source_text.startswith("A plain note\r\n") and "short" in note.text
        # The steps written by format 2 undo and redo.
        assert p.undo_label() == "Replace “plain” with “short”"
        p.undo()
        assert "plain" in p.document(2).text
        p.undo()
        assert not any(s.kind == "unclear" for s in p.document(1).spans)
        p.redo()
        p.redo()
        assert p.check() == []
        # A document written by this format is stored against its transcription.
        p.import_documents([import_path(DATA / "025_ru-sobor-1918-09-04_protokol-1-cyrillic.txt")])
        raw = p.db.execute("SELECT source_z FROM documents WHERE id = 3").fetchone()[0]
        assert raw[:1] == b"L"
    from emendo.core.backup import list_backups

    assert list_backups(path), "a snapshot is taken before migrating"


def test_an_existing_project_gets_the_undo_index_when_opened_for_writing(tmp_path):
    path = tmp_path / "p.emendo"
    with Project.open(path) as p:
        doc_id = p.import_documents([make_doc()]).doc_ids[0]
        p.edit_text(doc_id, 0, 0, "A ", merge=False)
        p.undo()
    conn = sqlite3.connect(path)
    conn.execute("DROP INDEX oplog_undone")  # as in a file written before it existed
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with Project.open(path, readonly=True) as p:  # read-only: works, writes nothing
        assert p.redo_label() == "Type “A”" and p.undo_label().startswith("Import")
    assert path.read_bytes() == before
    with Project.open(path) as p:
        plan = p.db.execute("EXPLAIN QUERY PLAN SELECT label FROM oplog WHERE undone = 1 "
                            "ORDER BY id LIMIT 1").fetchall()
        assert "oplog_undone" in str(plan)
        assert p.redo_label() == "Type “A”"


def test_keystrokes_committed_together_join_the_typing_step(project):
    doc_id = project.import_documents([make_doc()]).doc_ids[0]
    pos = project.document(doc_id).text.index("press")
    project.edit_text(doc_id, pos, 0, "S", typed=True)
    project.edit_text(doc_id, pos + 1, 0, "oviet ", typed=True)  # several keys at once
    assert project.undo_label() == "Type “Soviet”"
    project.edit_text(doc_id, pos, 0, "the ")  # a paste: a step of its own
    project.undo()
    assert "Soviet press" in project.document(doc_id).text
    assert "the Soviet" not in project.document(doc_id).text
    project.undo()  # the two commits of typing: one step
    assert project.document(doc_id).text == make_doc().text


def test_search_in_a_long_text_finds_its_own_snippet(project, monkeypatch):
    """Beyond the limit FTS5's snippet() is not asked (it reads the whole text)."""
    from emendo.core import projectfile

    monkeypatch.setattr(projectfile, "SNIPPET_TEXT_LIMIT", 500)
    filler = "The delegation met again and nothing else was reported that day. " * 40
    long_text = "Cable of many pages\n\n" + filler + "Then Kosygin spoke in Hanoi. " + filler
    project.import_documents([Document(title="Long cable", text=long_text),
                              Document(title="Short cable", text="Kosygin in Hanoi.")])
    hits = {h.title: h for h in project.search("kosygin")}
    long_hit, short_hit = hits["Long cable"], hits["Short cable"]
    assert "[Kosygin] spoke in Hanoi" in long_hit.snippet and long_hit.field == "text"
    assert long_hit.snippet.startswith("…") and len(long_hit.snippet) < 250
    assert "[Kosygin]" in short_hit.snippet  # FTS5's own snippet
    assert project.search("cable")[0].snippet.count("[") >= 1  # a title hit
    titled = project.search("pages")
    assert titled and "[pages]" in titled[0].snippet
