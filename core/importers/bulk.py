"""Bulk import on every core: worker processes parse and encode, the main process stores.

Parsing a cable and encoding its row (spans, search fields, compressed source) is pure
Python and most of an import's time, so chunks of files go to a process pool; each worker
returns compact row tuples (:func:`~emendo.core.projectfile.import_row`) or, for a file it
refused, its one-line message.  The main process inserts the rows in input order as the
chunks arrive, inside the one transaction of :meth:`Project.import_rows` (one undo step),
so storing overlaps with parsing.  Each file stays all-or-nothing and isolated: whatever
goes wrong with one file (the importer's own refusal, or a bug it trips — a RecursionError,
a KeyError — or text SQLite cannot store) refuses that file alone, and the batch goes on.
"""
from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TypeVar

from emendo.core.errors import ImportFailedError
from emendo.core.importers import import_file, paused_gc, split_text
from emendo.core.model import Document
from emendo.core.projectfile import ImportRow, import_row
from emendo.core.workers import (
    BULK_MIN_FILES,
    THRESHOLD_ENV,
    bulk_threshold,
    map_chunks,
    use_workers,
    worker_count,
)

__all__ = ["BULK_MIN_FILES", "CHUNK_FILES", "THRESHOLD_ENV", "bulk_threshold", "file_rows",
           "prepare_rows", "prepare_text_rows", "refusal", "text_rows", "use_workers",
           "worker_count"]

# Files per task: big enough that pickling and scheduling are noise, small enough that
# the main process starts storing early and both workers finish together.
CHUNK_FILES = 100

_T = TypeVar("_T")
# A file's rows (one per document it holds), or the message of a file that was refused.
Prepared = list[ImportRow] | str


def _storable(rows: list[ImportRow], name: str) -> list[ImportRow]:
    """The rows, once every text in them is known to encode as UTF-8 (as SQLite stores it).

    A lone surrogate would otherwise fail only inside the batch's one insert and take every
    other file of the batch with it.
    """
    for row in rows:
        for value in row:
            if isinstance(value, str):
                try:
                    value.encode("utf-8")
                except UnicodeEncodeError as exc:
                    raise ImportFailedError(refusal(name, exc)) from None
    return rows


def refusal(name: str, exc: BaseException) -> str:
    """The one-line message for a file that an importer failed on in an unexpected way."""
    if isinstance(exc, ImportFailedError):
        return str(exc)
    if isinstance(exc, RecursionError):
        return f"{name} is nested too deeply to import"
    if isinstance(exc, UnicodeEncodeError):  # a lone surrogate, which no UTF-8 file holds
        return f"{name} holds a character that cannot be stored (a lone surrogate)"
    if isinstance(exc, MemoryError):
        return f"{name} is too large to import (out of memory)"
    detail = " ".join(str(exc).split())[:80]
    return f"{name} could not be imported ({type(exc).__name__}{': ' + detail if detail else ''})"


def _prepare(parse: Callable[[], list[Document]], name: str) -> Prepared:
    """One file's rows, or its one-line message: nothing one file does escapes it."""
    try:
        return _storable([import_row(doc) for doc in parse()], name)
    except (Exception, RecursionError, MemoryError) as exc:
        # Only KeyboardInterrupt and SystemExit stop the batch.
        return refusal(name, exc)


# progress(file name, documents read, documents in the file) as a volume file is read
DocProgress = Callable[[str, int, int], None]
# progress(files done, files in all) as the files of a batch are stored
FileProgress = Callable[[int, int], None]


def prepare_rows(paths: Sequence[str | Path],
                 progress: DocProgress | None = None) -> list[Prepared]:
    """Read, parse and encode files (run in a worker): rows or an error message each."""
    with paused_gc():  # the rows are kept, none is cyclic garbage
        return [_prepare(_reader(Path(path), progress), Path(path).name or str(path))
                for path in paths]


def _reader(path: Path, progress: DocProgress | None) -> Callable[[], list[Document]]:
    """``import_file`` of one path, telling ``progress`` about its documents if given."""
    if progress is None:
        return functools.partial(import_file, path)
    return functools.partial(import_file, path, functools.partial(progress, path.name))


def prepare_text_rows(items: Sequence[tuple[str, str]]) -> list[Prepared]:
    """Parse and encode ``(text, name)`` pairs (run in a worker): rows or a message each."""
    with paused_gc():
        return [_prepare(functools.partial(split_text, text, name), name or "text")
                for text, name in items]


def file_rows(paths: Sequence[Path], on_error: Callable[[Path, ImportFailedError], None], *,
              workers: int | None = None, chunk: int = CHUNK_FILES,
              progress: DocProgress | None = None,
              files_done: FileProgress | None = None) -> Iterator[ImportRow]:
    """Rows of the files that import, in order; a refused file goes to ``on_error``.

    ``files_done(done, total)`` follows the files as their rows are stored; ``progress``
    the documents of each volume file as it is read, when the files are read in this
    process (worker processes report nothing, so the output is the same either way).
    """
    items = [str(p) for p in paths]
    parallel = use_workers(len(items), workers or worker_count())
    fn = functools.partial(prepare_rows, progress=progress) if progress is not None and \
        not parallel else prepare_rows
    return _unpack(map_chunks(fn, items, chunk=chunk, workers=workers, parallel=parallel),
                   lambda i, msg: on_error(paths[i], ImportFailedError(msg)), chunk,
                   files_done, len(items))


def text_rows(items: Sequence[tuple[str, str]], on_error: Callable[[int, str], None], *,
              workers: int | None = None, chunk: int = CHUNK_FILES) -> Iterator[ImportRow]:
    """Rows of ``(text, name)`` pairs, in order; a refused one goes to ``on_error(index)``."""
    return _rows(prepare_text_rows, list(items), on_error, workers, chunk)


def _rows(fn: Callable[[list[_T]], list[Prepared]], items: list[_T],
          on_error: Callable[[int, str], None], workers: int | None,
          chunk: int) -> Iterator[ImportRow]:
    """Run ``fn`` over chunks of ``items`` (in a pool when worth it); yield rows in order."""
    parallel = use_workers(len(items), workers or worker_count())
    yield from _unpack(map_chunks(fn, items, chunk=chunk, workers=workers, parallel=parallel),
                       on_error, chunk)


def _unpack(results: Iterator[list[Prepared]], on_error: Callable[[int, str], None],
            chunk: int, files_done: FileProgress | None = None,
            total: int = 0) -> Iterator[ImportRow]:
    """Flatten chunk results, sending each refused file's message to ``on_error``."""
    for c, prepared in enumerate(results):
        for j, item in enumerate(prepared):
            if isinstance(item, str):
                on_error(c * chunk + j, item)
            else:
                yield from item
            if files_done is not None:
                files_done(c * chunk + j + 1, total)
