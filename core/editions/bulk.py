"""Exporting many documents of a project: rendered and written by one process per core.

Rendering an edition is pure Python and lxml, so for many documents the ids go in chunks to
worker processes; each opens the project read-only once, loads, renders and writes its
documents, and returns the files it wrote (or the message of the first failure).  The main
process only plans the file names, writes the HTML index and reports progress in order.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

from emendo.core.editions import (
    EditionContext,
    Revisions,
    check_format,
    for_document,
    plan_targets,
    render_bytes,
    volume,
    write_index,
)
from emendo.core.errors import ExportError
from emendo.core.workers import map_chunks, paused_gc, use_workers, worker_count

__all__ = ["EXPORT_CHUNK", "export_project"]

# Documents per task: the progress moves in steps this big, and both workers end together.
EXPORT_CHUNK = 25

_Job = tuple[str, int, str, str, str, "EditionContext | None"]  # project, id, target, fmt...
_open: dict[str, object] = {}  # a worker's read-only project, opened at its first chunk


def _project(path: str):  # noqa: ANN202 (Project, imported lazily in the worker)
    from emendo.core.project import Project

    project = _open.get(path)
    if project is None:
        project = _open[path] = Project.open(path, readonly=True)
    return project


def _write_file(target: str, data: bytes) -> None:
    """Write a new file (or replace one) without Python's buffered file object."""
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0),
                 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


def _write_chunk(jobs: list[_Job]) -> tuple[int, str | None]:
    """Render and write documents (run in a worker): how many were written, or the error."""
    done = 0
    # Rendering makes no cyclic garbage (measured: none in any format), and a collection
    # in a forked worker would walk, and so copy, every object it inherited.
    with paused_gc():
        try:
            loaded = _project(jobs[0][0]).documents_for_export(  # type: ignore[attr-defined]
                [job[1] for job in jobs])
        except Exception as e:  # a named EmendoError: one line, never a traceback
            return done, f"The documents could not be read: {e}"
        for (doc, encoded), (_path, doc_id, target, fmt, reading, context) in zip(loaded, jobs):
            try:
                _write_file(target, render_bytes(doc, fmt, reading, context, encoded))
            except OSError as e:
                return done, f"Could not write the edition to {target}: {e.strerror or e}."
            except Exception as e:  # a bug in a writer: one line, never a traceback
                return done, f"Document {doc_id} could not be exported: {e}"
            done += 1
    return done, None


def export_project(project_path: str | Path, doc_ids: Sequence[int] | None, fmt: str,
                   out: Path, reading: str = "diplomatic",
                   context: EditionContext | None = None,
                   progress: Callable[[int, int], None] | None = None,
                   workers: int | None = None, chunk: int = EXPORT_CHUNK,
                   revisions: Revisions | None = None) -> list[Path]:
    """Write the editions of a project's documents (all when ``doc_ids`` is None).

    The same files as :func:`~emendo.core.editions.write_editions` writes (``revisions``
    as there); a PDF volume (several documents in one file) goes through that function.
    """
    from emendo.core.project import Project

    check_format(fmt)
    if reading not in ("diplomatic", "reading"):
        raise ExportError(f"Unknown reading {reading!r}: use diplomatic or reading.")
    out = Path(out)
    path = str(Path(project_path))
    with Project.open(path, readonly=True) as project:
        summaries = {s.id: s for s in project.list_documents()}
    ids = list(summaries) if doc_ids is None else list(doc_ids)
    missing = [i for i in ids if i not in summaries]
    if missing:
        raise ExportError(f"No document {missing[0]} in {Path(path).name}.")
    if not ids:
        raise ExportError("Nothing to export: no documents given.")
    entries = [summaries[i] for i in ids]
    if volume(fmt, len(ids), out):
        raise ExportError("A PDF volume of several documents is written by write_editions.")
    try:
        targets, single = plan_targets(entries, fmt, out)
    except OSError as e:
        raise ExportError(f"Could not write the edition to {out}: {e.strerror or e}.") from e
    jobs: list[_Job] = [(path, i, str(t), fmt, reading, for_document(context, revisions, i))
                        for i, t in zip(ids, targets)]
    n = workers or worker_count()
    parallel = use_workers(len(jobs), n)
    written = 0
    try:
        for done, error in map_chunks(_write_chunk, jobs, chunk=chunk, workers=n,
                                      parallel=parallel):
            written += done
            if error is not None:
                raise ExportError(error)
            if progress is not None:
                progress(written, len(jobs))
    finally:
        for project in _open.values():  # the in-process run's own read-only project
            project.close()  # type: ignore[attr-defined]
        _open.clear()
    paths = list(targets)
    if fmt == "html" and not single:
        try:
            paths.append(write_index(list(zip(entries, targets)), out, context))
        except OSError as e:
            raise ExportError(f"Could not write the edition to {out}: {e.strerror or e}.") \
                from e
    return paths

