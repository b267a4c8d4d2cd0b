"""`emendo import` / `emendo export` with TEI: volumes, progress, namespaces, the editor."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from lxml import etree

from emendo.core.cli import main

DATA = Path(__file__).resolve().parent.parent / "data"
VOLUME = DATA / "tei" / "frus_style_volume.xml"
TEI_NS = "http://www.tei-c.org/ns/1.0"
FRUS_NS = "http://history.state.gov/frus/ns/1.0"
NS = {"t": TEI_NS}
ENV = {k: v for k, v in os.environ.items() if k != "EMENDO_AUTHOR"}


def emendo(*args: object) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "emendo.core.cli", *map(str, args)],
                          capture_output=True, text=True, timeout=120, env=ENV)


def volume(tmp_path: Path, n: int) -> Path:
    """A FRUS-style volume file of ``n`` short document divisions."""
    divs = "".join(
        f'<div type="document" xml:id="d{i}" n="{i}" frus:doc-dateTime-min='
        f'"1957-03-{i % 28 + 1:02d}T10:00:00-05:00"><head>{i}. Telegram {i}<note n="1" '
        f'xml:id="d{i}fn1" type="source">Source: file {i}.</note></head><p>Text of '
        f'telegram {i}.</p></div>' for i in range(1, n + 1))
    path = tmp_path / f"vol{n}.xml"
    path.write_text(f'<TEI xmlns="{TEI_NS}" xmlns:frus="{FRUS_NS}"><teiHeader><fileDesc>'
                    '<titleStmt><title>V</title></titleStmt></fileDesc></teiHeader><text>'
                    f'<body>{divs}</body></text></TEI>', encoding="utf-8")
    return path


def test_a_volume_imports_as_its_documents_with_progress_lines(tmp_path):
    proc = emendo("import", tmp_path / "p.emendo", volume(tmp_path, 30), "--progress")
    assert proc.returncode == 0, proc.stderr
    assert len(proc.stdout.splitlines()) == 30
    assert proc.stdout.splitlines()[1] == "2\t2. Telegram 2"
    lines = proc.stderr.splitlines()
    assert lines[0] == "emendo: vol30.xml: 3 of 30 documents read"
    assert lines[-1] == "emendo: vol30.xml: 30 of 30 documents read"
    assert len(lines) == 10


def test_no_progress_off_a_terminal_unless_asked(tmp_path):
    proc = emendo("import", tmp_path / "p.emendo", volume(tmp_path, 30))
    assert proc.returncode == 0 and proc.stderr == ""


def test_small_imports_print_no_progress(tmp_path):
    proc = emendo("import", tmp_path / "p.emendo", VOLUME, volume(tmp_path, 5), "--progress")
    assert proc.returncode == 0 and proc.stderr == ""
    assert len(proc.stdout.splitlines()) == 8


def test_many_files_print_progress_per_tenth(tmp_path, capsys):
    files = []
    for i in range(25):
        f = tmp_path / f"note{i}.txt"
        f.write_text(f"Note {i}\n\nA short note.\n", encoding="utf-8")
        files.append(str(f))
    assert main(["import", str(tmp_path / "p.emendo"), *files, "--progress"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "emendo: 3 of 25 files imported"
    assert err[-1] == "emendo: 25 of 25 files imported" and len(err) == 10


def test_export_keeps_frus_attributes_only_when_asked(tmp_path):
    path = tmp_path / "p.emendo"
    assert emendo("import", path, VOLUME).returncode == 0
    plain, kept = tmp_path / "plain.xml", tmp_path / "kept.xml"
    assert emendo("export", path, "1", "--format", "tei", "--out", plain).returncode == 0
    proc = emendo("export", path, "1", "--format", "tei", "--keep-namespaces", "--out", kept)
    assert proc.returncode == 0, proc.stderr
    # (Emendo's record still holds them, as text: a later export may want them)
    assert not [k for e in etree.parse(str(plain)).iter() for k in e.attrib
                if k.startswith(f"{{{FRUS_NS}}}")]
    div = etree.parse(str(kept)).find(".//t:div[@type='document']", NS)
    assert div.get(f"{{{FRUS_NS}}}doc-dateTime-min") == "1957-03-02T10:00:00-05:00"
    proc = emendo("export", path, "1", "--format", "html", "--keep-namespaces",
                  "--out", tmp_path / "x.html")
    assert proc.returncode == 2
    assert proc.stderr.strip() == "emendo: --keep-namespaces is for --format tei"


def _change_authors(xml_path: Path) -> list[str]:
    """The names the revision changes point at (their @who resolved in the header)."""
    root = etree.parse(str(xml_path)).getroot()
    names = []
    for ch in root.iterfind(".//t:revisionDesc/t:change", NS):
        who = ch.get("who")
        assert who and who.startswith("#")
        target = root.xpath(f"//*[@xml:id='{who[1:]}']")
        assert len(target) == 1
        names.append(target[0].text)
    return names


def test_change_who_points_at_the_author_given(tmp_path):
    path, out = tmp_path / "p.emendo", tmp_path / "e.xml"
    assert emendo("import", path, VOLUME, "--author", "Ada Byron").returncode == 0
    assert emendo("export", path, "2", "--format", "tei", "--out", out).returncode == 0
    assert _change_authors(out) == ["Ada Byron"]


def test_change_who_points_at_the_projects_editor(tmp_path):
    from emendo.core.project import Project

    path, out = tmp_path / "p.emendo", tmp_path / "e.xml"
    with Project.open(path) as p:
        p.set_editor_name("Grace  Hopper")
    assert emendo("import", path, VOLUME).returncode == 0
    assert emendo("export", path, "3", "--format", "tei", "--out", out).returncode == 0
    assert _change_authors(out) == ["Grace Hopper"]
    names = etree.parse(str(out)).getroot().xpath(
        "//t:respStmt[t:resp='edited by']/t:name/text()", namespaces=NS)
    assert names == ["Grace Hopper"]
