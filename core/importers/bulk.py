"""Bulk import on every core: worker processes parse and encode, the main process stores.

Parsing a cable and encoding its row (spans, search fields, compressed source) is pure
Python and most of an import's time, so chunks of files go to a process pool; each worker
returns compact row tuples (:func:`~emendo.core.projectfile.import_row`) or, for a file it
refused, its one-line message.  The main process inserts the rows in input order as the
chunks arrive, inside the one transaction of :meth:`Project.import_rows` (one undo step),
so storing overlaps with parsing.  Each file stays all-or-nothing.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TypeVar

from emendo.core.errors import ImportFailedError
from emendo.core.importers import import_file, paused_gc, split_text
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
           "prepare_rows", "prepare_text_rows", "text_rows", "use_workers", "worker_count"]

# Files per task: big enough that pickling and scheduling are noise, small enough that
# the main process starts storing early and both workers finish together.
CHUNK_FILES = 100

_T = TypeVar("_T")
# A file's rows (one per document it holds), or the message of a file that was refused.
Prepared = list[ImportRow] | str


def prepare_rows(paths: Sequence[str | Path]) -> list[Prepared]:
    """Read, parse and encode files (run in a worker): rows or an error message each."""
    out: list[Prepared] = []
    with paused_gc():  # the rows are kept, none is cyclic garbage
        for path in paths:
            try:
                out.append([import_row(doc) for doc in import_file(Path(path))])
            except ImportFailedError as exc:
                out.append(str(exc))
    return out


def prepare_text_rows(items: Sequence[tuple[str, str]]) -> list[Prepared]:
    """Parse and encode ``(text, name)`` pairs (run in a worker): rows or a message each."""
    out: list[Prepared] = []
    with paused_gc():
        for text, name in items:
            try:
                out.append([import_row(doc) for doc in split_text(text, name)])
            except ImportFailedError as exc:
                out.append(str(exc))
    return out


def file_rows(paths: Sequence[Path], on_error: Callable[[Path, ImportFailedError], None], *,
              workers: int | None = None, chunk: int = CHUNK_FILES) -> Iterator[ImportRow]:
    """Rows of the files that import, in order; a refused file goes to ``on_error``."""
    return _rows(prepare_rows, [str(p) for p in paths],
                 lambda i, msg: on_error(paths[i], ImportFailedError(msg)), workers, chunk)


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
            chunk: int) -> Iterator[ImportRow]:
    """Flatten chunk results, sending each refused file's message to ``on_error``."""
    for c, prepared in enumerate(results):
        for j, item in enumerate(prepared):
            if isinstance(item, str):
                on_error(c * chunk + j, item)
            else:
                yield from item
