"""The text of an edition's body in each format, as its readers' tools see it.

Each function takes what a writer produced and returns the text of the transcription part
only (not the record block, the legend or the notes, which may repeat words of the text and
so hide a character missing from it).
"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from lxml import etree
from lxml import html as lhtml

from emendo.core.editions import render
from emendo.core.model import Document

DATA = Path(__file__).resolve().parents[1] / "data"
CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"

TEI = "{http://www.tei-c.org/ns/1.0}"


def tei_body(doc: Document, reading: str = "diplomatic") -> str:
    root = etree.fromstring(render(doc, "tei").encode("utf-8"))
    return "".join(root.find(f"{TEI}text").itertext())


def html_body(page: str) -> str:
    tree = lhtml.fromstring(page.encode("utf-8"))
    parts = tree.xpath("//section[contains(@class, 'text')]/div[@class='transcription']")
    assert parts, "no transcription section in the page"
    return "".join(p.text_content() for p in parts)


def _between_headings(rendered_html: str) -> str:
    """The text after the h2 'Text (…)' and before the footnotes, in rendered Markdown."""
    tree = lhtml.fromstring(f"<div>{rendered_html}</div>")
    out: list[str] = []
    started = False
    for e in tree.iterchildren():
        if e.tag == "h2" and e.text_content().startswith("Text ("):
            started = True
            continue
        if not started:
            continue
        cls = e.get("class") or ""
        if "footnote" in cls or e.tag == "hr":
            break
        out.append(e.text_content())
    assert started, "no 'Text (…)' heading in the rendered Markdown"
    return "\n".join(out)


def md_renderers() -> dict[str, object]:
    """Markdown renderers: CommonMark and GFM (cmark-gfm), markdown-it with footnotes,
    Python-Markdown with footnotes."""
    import cmarkgfm
    import markdown
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin

    mdit = MarkdownIt("commonmark").use(footnote_plugin)
    gfm_opts = cmarkgfm.cmark.Options.CMARK_OPT_FOOTNOTES | cmarkgfm.cmark.Options.CMARK_OPT_UNSAFE
    return {
        "commonmark": lambda s: cmarkgfm.markdown_to_html(s, options=cmarkgfm.cmark.Options.CMARK_OPT_UNSAFE),
        "gfm": lambda s: cmarkgfm.github_flavored_markdown_to_html(s, options=gfm_opts),
        "markdown-it": mdit.render,
        "python-markdown": lambda s: markdown.markdown(s, extensions=["footnotes"]),
    }


def md_body(source: str, renderer) -> str:
    return _between_headings(renderer(source))


def txt_body(text: str, reading: str) -> str:
    head = f"Text ({reading})\n" + "-" * len(f"Text ({reading})") + "\n"
    i = text.index(head) + len(head)
    j = text.rfind("\nNotes\n-----\n")
    return text[i:j if j > i else len(text)]


def pdf_text(path: Path, raw: bool = False) -> str:
    """The PDF's text as pdftotext extracts it (``raw``: in the order the content is drawn).

    pdftotext's default layout analysis guesses columns from the words' places; on a few
    random letters around a boxed mark it reads them out of order (a test of pdftotext, not
    of the edition), so generated documents are read in drawing order.
    """
    mode = ["-raw"] if raw else []
    return subprocess.run(["pdftotext", *mode, "-enc", "UTF-8", str(path), "-"],
                          capture_output=True, text=True, check=True).stdout


def pdf_body(path: Path, reading: str, raw: bool = False) -> str:
    text = pdf_text(path, raw)
    lines = text.split("\n")
    label = f"Text ({reading})"
    # headings are set in capitals by the stylesheet
    start = next(i for i, line in enumerate(lines) if line.strip().casefold() == label.casefold())
    stop = len(lines)
    # the edition's "Notes" heading, not a line "NOTES" of the document's own text: its
    # first note ends with the link back to the reference (↩)
    for i in range(len(lines) - 1, start, -1):
        after = next((x for x in lines[i + 1:] if x.strip()), "")
        if lines[i].strip().casefold() == "notes" and after.rstrip().endswith("↩"):
            stop = i
            break
    return "\n".join(lines[start + 1:stop])


def docx_body(path: Path, reading: str) -> str:
    """The paragraphs between the 'Text (…)' heading and the end (footnotes are apart)."""
    import docx

    d = docx.Document(str(path))
    out: list[str] = []
    started = False
    for p in d.paragraphs:
        if p.style.name.startswith("Heading") and p.text == f"Text ({reading})":
            started = True
            continue
        if started:
            out.append(p.text)
    assert started, "no 'Text (…)' heading in the DOCX"
    return "\n".join(out)


HAVE_PDFTOTEXT = shutil.which("pdftotext") is not None


def _files() -> list[Path]:
    found: dict[str, Path] = {}
    roots = [CORPUS, DATA, DATA / "corpus"]
    for root in roots:
        if root.exists():
            for f in sorted(root.iterdir()):
                if f.suffix in (".txt", ".xml") and f.name not in found:
                    found[f.name] = f
    return list(found.values())


def all_documents() -> list[tuple[str, Document]]:
    """Every corpus and test-data document, and the hand-built ones, with a name each."""
    from _edition_docs import hostile_doc, model_cable

    from emendo.core.importers import import_file

    out = [("model_cable", model_cable()), ("hostile", hostile_doc())]
    for f in _files():
        for i, d in enumerate(import_file(f)):
            d.id = len(out) + 1
            out.append((f"{f.name}#{i}", d))
    return out

