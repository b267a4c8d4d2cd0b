"""Annotated editions: TEI P5, HTML, Markdown, plain text, PDF and DOCX."""
from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from emendo.core.errors import ExportError
from emendo.core.model import Document

FORMATS: tuple[str, ...] = ("tei", "html", "md", "txt", "pdf", "docx")
EXTENSIONS: dict[str, str] = {"tei": ".xml", "html": ".html", "md": ".md", "txt": ".txt",
                              "pdf": ".pdf", "docx": ".docx"}
BINARY: frozenset[str] = frozenset({"pdf", "docx"})


@dataclass
class EditionContext:
    """Who made the edition and its history (goes into headers)."""

    transcriber: str = ""
    editor: str = ""
    revisions: list[tuple[str, str, str]] = field(default_factory=list)  # (when ISO, who, what)
    project_title: str = ""
    # TEI: write back the attributes of other namespaces (frus:) that tei_all refuses
    keep_namespaces: bool = False


Revisions = dict[int, list[tuple[str, str, str]]]


def document_revisions(entries: Iterable[Any]) -> Revisions:
    """Each document's own changes (when, who, what) from operation-log entries.

    An entry names its document, or (an import or deletion of several) lists them; a
    document's edition lists only what changed it, not what changed the others.
    """
    out: Revisions = {}
    for e in entries:
        if e.doc_id is not None:
            ids: Iterable[Any] = (e.doc_id,)
        else:
            ids = (e.after.get("documents") or e.before.get("documents") or {}).keys()
        for i in ids:
            out.setdefault(int(i), []).append((e.time, e.author, e.label))
    return out


def for_document(context: EditionContext | None, revisions: Revisions | None,
                 doc_id: int | None) -> EditionContext | None:
    """The context of one document's edition: its own revisions when they are given."""
    if context is None or revisions is None:
        return context
    return replace(context, revisions=revisions.get(doc_id or 0, []))


def render(doc: Document, fmt: str, reading: str = "diplomatic",
           context: EditionContext | None = None, encoded_spans: str | None = None) -> str:
    """One document's edition in a text format (every format but pdf and docx).

    ``encoded_spans``: the document's spans as its project stores them, when at hand (the
    TEI record carries them so; they are encoded afresh otherwise).
    """
    if reading not in ("diplomatic", "reading"):
        raise ExportError(f"Unknown reading {reading!r}: use diplomatic or reading.")
    if fmt == "tei":
        from emendo.core.editions.tei import XML_DECL, render_tei
        return XML_DECL + render_tei(doc, context, encoded_spans)
    if fmt == "html":
        from emendo.core.editions.html import render_html
        return render_html(doc, reading, context)
    if fmt == "md":
        from emendo.core.editions.markdown import render_markdown
        return render_markdown(doc, reading, context)
    if fmt == "txt":
        from emendo.core.editions.text import render_text
        return render_text(doc, reading, context)
    if fmt in BINARY:
        raise ExportError(f"{fmt.upper()} is binary: use render_bytes or write_editions.")
    raise ExportError(f"Unknown format {fmt!r}: use one of {', '.join(FORMATS)}.")


def render_bytes(doc: Document, fmt: str, reading: str = "diplomatic",
                 context: EditionContext | None = None,
                 encoded_spans: str | None = None) -> bytes:
    """One document's edition as the bytes of its file, in any format."""
    if reading not in ("diplomatic", "reading"):
        raise ExportError(f"Unknown reading {reading!r}: use diplomatic or reading.")
    if fmt == "pdf":
        from emendo.core.editions.pdf import render_pdf
        return render_pdf(doc, reading, context)
    if fmt == "docx":
        from emendo.core.editions.docx import render_docx
        return render_docx(doc, reading, context)
    return render(doc, fmt, reading, context, encoded_spans).encode("utf-8")


_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$", re.I)
_UNSAFE = re.compile(r"[^\w\-]+")
_PLAIN_NAME = re.compile(r"^[\w\-]+\.[a-z]+$")


class _Named(Protocol):
    id: int | None
    title: str


def safe_name(doc: _Named, index: int) -> str:
    """A file stem from id and title that cannot leave its folder on any platform."""
    title = unicodedata.normalize("NFC", doc.title or "")
    slug = _UNSAFE.sub("-", title).strip("-_.")[:60].strip("-_.")
    ident = str(doc.id) if isinstance(doc.id, int) else str(index + 1)
    stem = f"{ident}-{slug}" if slug else ident
    if _RESERVED.match(stem.split(".")[0]):
        stem = "_" + stem
    return stem or f"document-{index + 1}"


def check_format(fmt: str) -> None:
    """Refuse an unknown format with the list of known ones."""
    if fmt not in FORMATS:
        raise ExportError(f"Unknown format {fmt!r}: use one of {', '.join(FORMATS)}.")


def plan_targets(docs: Sequence[_Named], fmt: str, out: Path) -> tuple[list[Path], bool]:
    """The file each document goes to, and whether ``out`` is that one file (one document).

    Folders are created; names are unique (case-insensitively) and stay inside ``out``.
    Raises OSError when a folder cannot be made.
    """
    single = (len(docs) == 1 or volume(fmt, len(docs), out)) and not out.is_dir()
    if single:
        if out.is_symlink():  # a dangling link too: writing would create its target
            raise ExportError(f"Refusing to write through the link {out}.")
        if out.parent and not out.parent.exists():
            out.parent.mkdir(parents=True)
        return [out], True
    out.mkdir(parents=True, exist_ok=True)
    # A link already in the folder, named like an edition, must not be followed out of it.
    with os.scandir(out) as entries:
        links = {e.name for e in entries if e.is_symlink()}
    # Nor a link named like the index that an HTML export writes beside the editions.
    if fmt == "html" and len(docs) > 1 and "index.html" in links:
        raise ExportError(f"Refusing to write outside {out}: 'index.html' is a link.")
    used: set[str] = set()
    targets = []
    for i, d in enumerate(docs):
        stem = safe_name(d, i)
        name = stem + EXTENSIONS[fmt]
        k = 2
        while name.lower() in used or name.lower() == "index.html":
            name = f"{stem}-{k}{EXTENSIONS[fmt]}"
            k += 1
        used.add(name.lower())
        # safe_name keeps word characters and dashes only, so a name is one plain file name
        # in ``out``; checked all the same, without a filesystem call per file.
        if not _PLAIN_NAME.match(name) or name in links:
            raise ExportError(f"Refusing to write outside {out}: {name!r}.")
        targets.append(out / name)
    return targets, False


def volume(fmt: str, count: int, out: Path) -> bool:
    """Whether several documents go into one PDF (``out`` names a .pdf file, not a folder)."""
    return fmt == "pdf" and count > 1 and out.suffix.lower() == ".pdf" and not out.is_dir()


def write_index(entries: list[tuple[_Named, Path]], out: Path,
                context: EditionContext | None) -> Path:
    """index.html linking the HTML editions written in ``out`` (title and date each)."""
    from emendo.core.editions.html import render_index

    index = out / "index.html"
    index.write_text(render_index(entries, context), encoding="utf-8")  # type: ignore[arg-type]
    return index


def write_editions(docs: Sequence[Document], fmt: str, out: Path, reading: str = "diplomatic",
                   context: EditionContext | None = None,
                   progress: Callable[[int, int], None] | None = None,
                   pdf_writer: Callable[[str, Path], None] | None = None,
                   revisions: Revisions | None = None) -> list[Path]:
    """Write editions: one file for one document, else a folder (with index.html for html).

    ``revisions`` (:func:`document_revisions`) gives each edition its own document's
    changes; without it every edition carries ``context.revisions``. Several documents
    as pdf to a file named ``*.pdf`` make one volume. ``pdf_writer`` (page, path) replaces
    the PDF writer of :mod:`emendo.core.editions.pdf`.
    """
    check_format(fmt)
    out = Path(out)
    docs = list(docs)
    if not docs:
        raise ExportError("Nothing to export: no documents given.")
    try:
        targets, single = plan_targets(docs, fmt, out)
        if single and len(docs) > 1:  # a PDF volume: one file, a bookmark per document
            from emendo.core.editions.pdf import render_volume

            title = context.project_title if context and context.project_title else \
                "Editions"
            _write_bytes(out, render_volume(docs, reading, context, title))
            if progress is not None:
                progress(len(docs), len(docs))
            return [out]
        written: list[Path] = []
        n = len(docs)
        for i, (d, target) in enumerate(zip(docs, targets)):
            ctx = for_document(context, revisions, d.id)
            if fmt == "pdf" and pdf_writer is not None:
                from emendo.core.editions.html import render_html
                pdf_writer(render_html(d, reading, ctx), target)
            elif fmt in BINARY:
                _write_bytes(target, render_bytes(d, fmt, reading, ctx))
            else:
                target.write_text(render(d, fmt, reading, ctx), encoding="utf-8")
            written.append(target)
            if progress is not None:
                progress(i + 1, n)
        if fmt == "html" and not single:
            written.append(write_index(list(zip(docs, targets)), out, context))
        return written
    except OSError as e:
        raise ExportError(f"Could not write the edition to {out}: {e.strerror or e}.") from e


def _write_bytes(target: Path, data: bytes) -> None:
    target.write_bytes(data)
