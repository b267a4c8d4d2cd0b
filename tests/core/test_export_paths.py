"""Exports cannot escape their folder, and hostile text never becomes markup."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html

from emendo.core.editions import FORMATS, write_editions
from emendo.core.errors import ExportError
from emendo.core.model import Document, Span
from emendo.core.project import Project

TEXT_FORMATS = [f for f in FORMATS if f != "pdf"]
RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$", re.I)

HOSTILE_TITLES = [
    "../../escaped", "../../../../../../tmp/evil", "/etc/passwd", "a/b/c", "a\\b\\..\\..\\c",
    "nul\x00byte", "\x00", "CON", "con.txt", "NUL", "aux.tar.gz", "COM1", "LPT9", "PRN ",
    "..", ".", "", "   ", "trailing dot.", "name:with*wild?chars|<>\"", "~/home",
    "x" * 400, "Ж" * 300, "..\\..\\windows", "%2e%2e%2fencoded", "-rf", "index",
]


def hostile_docs() -> list[Document]:
    docs = []
    for i, title in enumerate(HOSTILE_TITLES):
        text = f"Body of a cable {i}."
        docs.append(Document(title=title, text=text, source_text=text, id=i + 1))
    # Ids are integers in a project; a hostile caller may still pass something else.
    docs.append(Document(title="odd id", text="t", source_text="t", id="../../id"))  # type: ignore[arg-type]
    docs.append(Document(title="odd id 2", text="t", source_text="t", id="CON"))  # type: ignore[arg-type]
    return docs


def listing(root: Path) -> set[Path]:
    return {p for p in root.rglob("*")}


def assert_safe_name(name: str) -> None:
    assert "\x00" not in name and "/" not in name and "\\" not in name
    assert name not in (".", "..") and not name.startswith(".")
    assert not RESERVED.match(name.split(".")[0]), name
    assert not name.endswith((".", " ")), name
    assert len(name.encode("utf-8")) <= 255, name
    assert not re.search(r'[<>:"|?*\x00-\x1f]', name), name


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
def test_hostile_titles_stay_inside_the_folder(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / "chosen" / "editions"
    outside_before = listing(tmp_path)
    written = write_editions(hostile_docs(), fmt, out)
    root = out.resolve()
    assert len(written) >= len(hostile_docs())
    for path in written:
        assert path.resolve().parent == root, path
        assert_safe_name(path.name)
        assert path.is_file()
    names = [p.name.lower() for p in written]
    assert len(names) == len(set(names)), "two documents overwrote each other"
    created_outside = {p for p in listing(tmp_path) - outside_before
                       if root not in p.resolve().parents and p.resolve() != root}
    assert created_outside <= {tmp_path / "chosen"}, created_outside


@pytest.mark.parametrize("title", ["../../escaped", "/etc/passwd", "CON", "nul\x00byte"])
def test_single_document_goes_where_the_user_said(tmp_path: Path, title: str) -> None:
    """One document to a named file: the title never redirects it."""
    target = tmp_path / "out" / "edition.html"
    doc = Document(title=title, text="x", source_text="x", id=1)
    written = write_editions([doc], "html", target)
    assert written == [target] and target.is_file()
    assert listing(tmp_path) == {tmp_path / "out", target}


def test_export_through_the_command_line(tmp_path: Path) -> None:
    project = tmp_path / "p.emendo"
    docs = [d for d in hostile_docs() if isinstance(d.id, int)]
    for d in docs:
        d.id = None
    with Project.open(project, author="t") as p:
        p.import_documents(docs)
    out = tmp_path / "export here"
    before = listing(tmp_path)
    for fmt in TEXT_FORMATS:
        proc = subprocess.run([sys.executable, "-m", "emendo.core.cli", "export", str(project),
                               "--format", fmt, "--out", str(out)],
                              capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr
        for line in proc.stdout.splitlines():
            assert Path(line).resolve().parent == out.resolve(), line
    new = listing(tmp_path) - before
    assert all(p == out or out in p.parents or p.name.startswith(".emendo-backups")
               or ".emendo-backups" in p.parts for p in new), new


# --- hostile text ------------------------------------------------------------------------------

HOSTILE_TEXT = (
    "Intro <script>alert('x')</script> and <img src=x onerror=alert(1)> then "
    "]]> and <![CDATA[ cdata ]]> and &lt;already escaped&gt; &amp; &#x41; and "
    "\"quotes\" 'single' <!-- comment --> <?pi target?> ctl\x01\x02\x0b\x0c\x1b\x7f end "
    "<a href=\"javascript:alert(2)\">link</a> <style>*{}</style> {{template}} $x ${y}"
)


def hostile_doc() -> Document:
    text = HOSTILE_TEXT
    spans = []
    i = text.index("<script>")
    spans.append(Span("unclear", i, i + len("<script>alert('x')</script>"), {"cert": "low"}))
    j = text.index("<img")
    spans.append(Span("sic", j, j + 4, {"corr": "</corr><evil onerror=\"x\"/>]]>"}))
    k = text.index("&lt;")
    spans.append(Span("person", k, k + 4, {"name": "<b>bold</b>", "note": "a\x00b<i>"}))
    spans.append(Span("priority", None, None, {"value": "<script>p</script>"}))
    spans.append(Span("citation", None, None, {"value": "]]><x/>"}))
    return Document(title="<script>t</script> & ]]> \x01", text=text, source_text=text,
                    spans=spans, id=1)


def _all_text(tree: etree._Element) -> str:
    return "".join(tree.itertext())


@pytest.mark.parametrize("reading", ["diplomatic", "reading"])
def test_html_escapes_hostile_text(tmp_path: Path, reading: str) -> None:
    out = tmp_path / "e.html"
    write_editions([hostile_doc()], "html", out, reading=reading)
    source = out.read_text(encoding="utf-8")
    tree = lxml_html.fromstring(source)
    # Only the edition's own elements: no script from the text, no event handlers, no links.
    assert not [e for e in tree.iter("script") if "alert" in (e.text or "")]
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        for attr, value in el.attrib.items():
            assert not attr.lower().startswith("on"), (el.tag, attr)
            assert "javascript:" not in value.lower()
    assert not tree.xpath("//img|//evil|//b[text()='bold']|//a[contains(@href,'alert')]")
    text = _all_text(tree)
    assert "<script>alert('x')</script>" in text
    # Shown as typed, not decoded a second time (a note reference may sit between).
    assert "&lt;" in text and "already escaped&gt; &amp; &#x41;" in text
    assert "\x00" not in source and "\x01" not in source


def test_tei_is_well_formed_and_escapes_hostile_text(tmp_path: Path) -> None:
    out = tmp_path / "e.xml"
    write_editions([hostile_doc()], "tei", out)
    data = out.read_bytes()
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, load_dtd=False))
    ns = {"t": "http://www.tei-c.org/ns/1.0"}
    body = root.find(".//t:text", ns)
    assert body is not None
    text = _all_text(body)
    assert "<script>alert('x')</script>" in text and "]]>" in text
    assert "&lt;" in text and "already escaped&gt; &amp; &#x41;" in text
    assert not root.xpath("//script|//img|//evil|//t:evil", namespaces=ns)
    assert b"<!ENTITY" not in data and b"<!DOCTYPE" not in data
    sic = root.xpath("//t:corr", namespaces=ns)
    assert sic and "</corr><evil" in "".join(sic[0].itertext())


def test_markdown_does_not_smuggle_html(tmp_path: Path) -> None:
    """A Markdown edition rendered by a Markdown tool still shows the text, not markup."""
    markdown = pytest.importorskip("markdown")
    out = tmp_path / "e.md"
    write_editions([hostile_doc()], "md", out)
    rendered = markdown.markdown(out.read_text(encoding="utf-8"))
    tree = lxml_html.fromstring(f"<div>{rendered}</div>")
    assert not tree.xpath("//script|//img|//style|//a[contains(@href,'javascript')]")


def test_text_edition_keeps_the_words(tmp_path: Path) -> None:
    out = tmp_path / "e.txt"
    write_editions([hostile_doc()], "txt", out)
    assert "<script>alert('x')</script>" in out.read_text(encoding="utf-8")


def test_no_file_written_outside_even_with_symlinked_name(tmp_path: Path) -> None:
    """A pre-existing symlink in the chosen folder named like an edition is not followed out."""
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    doc = Document(title="victim", text="overwrite?", source_text="overwrite?", id=1)
    other = Document(title="other", text="x", source_text="x", id=2)
    from emendo.core.editions import safe_name

    (out / (safe_name(doc, 0) + ".txt")).symlink_to(victim)
    try:
        write_editions([doc, other], "txt", out)
    except Exception as exc:  # refusing is a fine answer too
        assert "outside" in str(exc) or "Refusing" in str(exc), exc
    assert victim.read_text(encoding="utf-8") == "precious"


def test_a_symlink_named_index_html_is_not_followed(tmp_path: Path) -> None:
    """The HTML index is written by Emendo too: a link in its place is refused."""
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "victim.html"
    victim.write_text("precious", encoding="utf-8")
    (out / "index.html").symlink_to(victim)
    docs = [Document(title=t, text="x", source_text="x", id=i)
            for i, t in enumerate(("one", "two"), 1)]
    with pytest.raises(ExportError, match="index.html"):
        write_editions(docs, "html", out)
    assert victim.read_text(encoding="utf-8") == "precious"
    assert not (out / "1-one.html").exists(), "nothing is written once refused"


def test_a_single_edition_is_not_written_through_a_link(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    link = tmp_path / "edition.txt"
    link.symlink_to(victim)
    doc = Document(title="one", text="x", source_text="x", id=1)
    with pytest.raises(ExportError, match="link"):
        write_editions([doc], "txt", link)
    assert victim.read_text(encoding="utf-8") == "precious"
