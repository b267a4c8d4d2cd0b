r"""Importers: a file on disk becomes a :class:`~emendo.core.model.Document`.

Decoding is strict (UTF-8 with or without BOM, UTF-16 with BOM); anything else is refused
with :class:`~emendo.core.errors.ImportFailedError` and a one-line message.

Newlines: ``Document.source_text`` is the file's text exactly as decoded (its CRLF/CR line
ends kept, a BOM dropped because it is an encoding mark, not text), so the original can
always be reproduced; ``Document.text`` and every span offset use ``\\n`` line ends.
"""
from __future__ import annotations

import codecs
from collections.abc import Callable
from pathlib import Path

from emendo.core.errors import ImportFailedError
from emendo.core.language import detect_language
from emendo.core.model import Document
from emendo.core.workers import paused_gc

MAX_FILE_BYTES = 64 * 1024 * 1024  # a transcription this big is a mistake, not a document

__all__ = ["read_raw", "read_source", "normalise_newlines", "parse_text", "split_text",
           "parse_file", "import_file", "import_path", "import_paths", "paused_gc",
           "decode_bytes", "with_language"]


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR become LF."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode_bytes(data: bytes, name: str = "file") -> str:
    """Text of a file's bytes (BOM removed, newlines untouched), or ImportFailedError."""
    if not data:
        raise ImportFailedError(f"{name} is empty")
    if data.startswith(codecs.BOM_UTF8):
        encoding, body = "utf-8", data[len(codecs.BOM_UTF8):]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding, body = "utf-16", data
    else:
        encoding, body = "utf-8", data
    if encoding == "utf-8" and b"\x00" in body:
        raise ImportFailedError(f"{name} is binary data (it contains NUL bytes), not text")
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ImportFailedError(
            f"{name} is not valid {encoding.upper()} text (bad byte at offset {exc.start})"
        ) from None
    if text.startswith("\ufeff"):  # the utf-16 codec keeps a doubled BOM
        text = text[1:]
    if "\x00" in text:
        raise ImportFailedError(f"{name} is binary data (it contains NUL characters), not text")
    if not text.strip():
        raise ImportFailedError(f"{name} holds no text (only white space)")
    # Control characters other than tab/newline/form feed mark binary data.
    sample = text[:4096]
    bad = sum(1 for c in sample if ord(c) < 32 and c not in "\t\n\r\f\v")
    if bad > max(2, len(sample) // 100):
        raise ImportFailedError(f"{name} looks like binary data, not text")
    return text


def read_raw(path: Path) -> str:
    """A file's decoded text exactly as written (newlines untouched), or ImportFailedError."""
    path = Path(path)
    label = path.name or str(path)
    if path.is_dir():
        raise ImportFailedError(f"{path} is a folder, not a file")
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ImportFailedError(f"{label} is too large to import ({size} bytes)")
        data = path.read_bytes()
    except FileNotFoundError:
        raise ImportFailedError(f"{path} does not exist") from None
    except PermissionError:
        raise ImportFailedError(f"{path} cannot be read (permission denied)") from None
    except IsADirectoryError:
        raise ImportFailedError(f"{path} is a folder, not a file") from None
    except OSError as exc:
        raise ImportFailedError(f"{path} cannot be read ({exc.strerror or exc})") from None
    return decode_bytes(data, label)


def read_source(path: Path) -> str:
    """A file's text with newlines normalised to LF, or ImportFailedError."""
    return normalise_newlines(read_raw(path))


def parse_text(raw: str, name: str = "") -> Document:
    """A Document from text (its language detected): the Wilson Center parser for archive
    pages, else plain text.

    ``raw`` may have any line ends; ``source_text`` keeps them, ``text`` uses LF.
    """
    from emendo.core.importers.wilson import _MARKERS as _WILSON_MARKERS
    from emendo.core.importers.wilson import looks_like_wilson, parse_wilson

    if raw.startswith("\ufeff"):
        raw = raw[1:]
    head = normalise_newlines(raw[:3000])
    layout = detect_layout(raw)
    if layout in ("frus", "us-cable"):
        from emendo.core.importers.us import parse_cable, parse_frus

        return with_language((parse_frus if layout == "frus" else parse_cable)(raw, name))
    # A marker in the head settles it (the first test looks_like_wilson makes, on a prefix of
    # the same text) without building the head-and-tail string.
    if any(m in head for m in _WILSON_MARKERS) or looks_like_wilson(
            head + "\n" + normalise_newlines(raw[-6000:])):
        return with_language(parse_wilson(raw, name))
    from emendo.core.importers.plaintext import parse_plaintext

    return with_language(parse_plaintext(raw, name))


def detect_layout(raw: str) -> str:
    """The page layout a text follows: 'frus', 'us-cable', 'wilson' or 'plain'."""
    from emendo.core.importers.us import looks_like_cable, looks_like_frus
    from emendo.core.importers.wilson import _MARKERS as _WILSON_MARKERS

    head = normalise_newlines(raw[:6000])
    if any(m in head for m in _WILSON_MARKERS):
        return "wilson"
    if looks_like_frus(head + "\n" + normalise_newlines(raw[-6000:])):
        return "frus"
    if looks_like_cable(head):
        return "us-cable"
    return "other"


def split_text(raw: str, name: str = "") -> list[Document]:
    """Every document a text file holds, in order (one, unless pages were concatenated)."""
    from emendo.core.importers.pages import split_pages

    pages = split_pages(raw)
    if len(pages) == 1:
        return [parse_text(raw, name)]
    docs = [parse_text(page, name) for page in pages]
    for k, doc in enumerate(docs, 1):
        doc.meta["page"] = k  # its place in the file: each page is its own document
        doc.meta["pages"] = len(docs)
    return docs


def parse_file(raw: str, name: str,
               progress: Callable[[int, int], None] | None = None) -> list[Document]:
    """Every document in a file's decoded text: TEI for ``.xml`` names, else text.

    ``progress(done, total)`` is called as the documents of a TEI volume are read; it may
    raise (ImportCancelledError) to stop.
    """
    if name.lower().endswith(".xml"):
        from emendo.core.importers.tei import parse_tei_documents  # lazy: lxml when needed

        return [with_language(d) for d in parse_tei_documents(raw, name, progress)]
    return split_text(raw, name)


def import_file(path: Path,
                progress: Callable[[int, int], None] | None = None) -> list[Document]:
    """Read and parse one file: every document it holds, in order (a TEI volume holds many).

    All-or-nothing: a file that cannot be read as a whole raises ImportFailedError.
    """
    path = Path(path)
    return parse_file(read_raw(path), path.name, progress)


def import_path(path: Path) -> Document:
    """Read and parse a file that holds one document (ImportFailedError if it holds more)."""
    docs = import_file(path)
    if len(docs) != 1:
        raise ImportFailedError(f"{Path(path).name} holds {len(docs)} documents; "
                                "import it as a whole (import_file)")
    return docs[0]


def with_language(doc: Document) -> Document:
    """The document with its language detected from its text, unless the source gave one."""
    if doc.language is None:
        doc.language = detect_language(doc.text)
    return doc


def import_paths(paths: list[Path],
                 on_error: Callable[[Path, ImportFailedError], None]) -> list[Document]:
    """Parse many files (each all-or-nothing); failures go to ``on_error``."""
    docs: list[Document] = []
    with paused_gc():
        for path in paths:
            try:
                docs.extend(import_file(path))
            except ImportFailedError as exc:
                on_error(path, exc)
    return docs
