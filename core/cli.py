"""The headless command line: import, list, show, search, check, export, undo, restore.

No Qt is imported here (the PDF writer, which needs Qt, is passed in by the launcher).
Errors are one line on stderr and a non-zero exit code; nothing is changed on error.
"""
from __future__ import annotations

import argparse
import json
import os
import socket
import sqlite3
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing
from itertools import chain
from pathlib import Path
from typing import Any

from emendo.core import __version__
from emendo.core.errors import (
    DamagedProjectError,
    EmendoError,
    ImportFailedError,
    NothingToUndoError,
)
from emendo.core.project import Project
from emendo.core.projectfile import Change

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_UNSOUND = 3

PdfWriter = Callable[[str, Path], None]


class UsageError(EmendoError):
    """The command line's words are off."""


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors instead of usage dumps."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{message} (see 'emendo {self.prog.split()[-1]} --help')"
                         if " " in self.prog else f"{message} (see 'emendo --help')")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every headless subcommand."""
    parser = _Parser(
        prog="emendo", description="Emendo: transcriptions of archival documents.",
        epilog="With no arguments, emendo opens the window on the sample project; "
               "'emendo open FILE' opens a project in the window.")
    parser.add_argument("--version", action="version", version=f"emendo {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    # Every subcommand takes --author: the editor's name for the history and the editions
    # (the project's setting when not given; never the operating system's login).
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--author", metavar="NAME", default=None,
                        help="the editor's name for the changes and editions of this run "
                             "(default: the project's editor setting)")

    def _sub(name: str, **kwargs: Any) -> argparse.ArgumentParser:
        return sub.add_parser(name, parents=[common], **kwargs)

    def _break_lock(p: argparse.ArgumentParser) -> None:
        p.add_argument("--break-lock", action="store_true",
                       help="take over a lock left by Emendo on another computer (a project "
                            "copied while open, a renamed machine); says whose it was")

    p = _sub("import", help="import text or TEI files (creates the project)")
    p.add_argument("project")
    p.add_argument("files", nargs="+")
    p.add_argument("--progress", action="store_true",
                   help="progress lines on stderr for a long import even when it is not a "
                        "terminal (a volume file of many documents, many files)")
    _break_lock(p)

    p = _sub("list", help="list the documents: id, date, title")
    p.add_argument("project")

    p = _sub("show", help="show one document's record")
    p.add_argument("project")
    p.add_argument("doc", help="document id or title")
    p.add_argument("--json", action="store_true", help="print the record as JSON")

    p = _sub("search", help="ranked full-text search with snippets")
    p.add_argument("project")
    p.add_argument("query")
    p.add_argument("--limit", type=int, default=20)

    p = _sub("check", help="check integrity and consistency (exit 0 when sound)")
    p.add_argument("project")

    p = _sub("export", help="export editions")
    p.add_argument("project")
    p.add_argument("docs", nargs="*", help="document ids or titles (default: all)")
    p.add_argument("--format", required=True,
                   choices=("tei", "html", "md", "txt", "pdf", "docx"))
    p.add_argument("--out", required=True,
                   help="a file for one document (or for several as one PDF: *.pdf), "
                        "else a folder")
    reading = p.add_mutually_exclusive_group()
    reading.add_argument("--reading", dest="reading", action="store_const", const="reading")
    reading.add_argument("--diplomatic", dest="reading", action="store_const",
                         const="diplomatic")
    p.set_defaults(reading="diplomatic")
    p.add_argument("--keep-namespaces", action="store_true",
                   help="TEI: write back the attributes of other namespaces that imported "
                        "TEI had (frus:); tei_all does not allow them")

    p = _sub("history", help="the operation log (one document or all)")
    p.add_argument("project")
    p.add_argument("doc", nargs="?")

    for name, text in (("undo", "undo the last change"), ("redo", "redo the last undone change")):
        p = _sub(name, help=text)
        p.add_argument("project")
        _break_lock(p)

    p = _sub("restore", help="replace the project with a backup (newest by default)")
    p.add_argument("project")
    p.add_argument("backup", nargs="?")
    p.add_argument("--list", action="store_true", help="list the backups instead")
    _break_lock(p)
    return parser


def main(argv: Sequence[str] | None = None, pdf_writer: PdfWriter | None = None) -> int:
    """Run one subcommand; returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        args = build_parser().parse_args(argv)
        if not args.command:
            raise UsageError("no command given (see 'emendo --help')")
        _author(args)  # a blank --author is refused before anything is opened
        return COMMANDS[args.command](args, pdf_writer)
    except UsageError as exc:
        _err(str(exc))
        return EXIT_USAGE
    except EmendoError as exc:
        _err(str(exc))
        return EXIT_ERROR
    except sqlite3.Error as exc:
        _err(f"database error: {exc}")
        return EXIT_ERROR
    except OSError as exc:
        _err(f"{exc.strerror or exc}: {exc.filename}" if exc.filename else str(exc))
        return EXIT_ERROR
    except KeyboardInterrupt:
        _err("interrupted")
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # a bug: still one line, unless debugging
        if os.environ.get("EMENDO_DEBUG"):
            raise
        _err(f"internal error: {type(exc).__name__}: {exc}")
        return 70


def _say_taken_over(project: Project) -> None:
    """Say whose lock ``--break-lock`` took over, if it took one."""
    if project.took_over:
        host, pid, since = project.took_over
        _err(f"warning: took over the lock of process {pid} on {host} (since {since})")


def _err(message: str) -> None:
    line = " ".join(str(message).split())
    print(f"emendo: {line}", file=sys.stderr)


def _out(line: str) -> None:
    sys.stdout.write(line + "\n")


# --- commands --------------------------------------------------------------------------------

def cmd_import(args: argparse.Namespace, _pdf: PdfWriter | None) -> int:
    """`emendo import`: parse files (each all-or-nothing) and store them as one step."""
    from emendo.core.importers import bulk, paused_gc

    failures: list[str] = []

    def report(_path: Path, exc: ImportFailedError) -> None:
        _err(str(exc))
        failures.append(str(exc))

    paths = [Path(name) for name in args.files]
    titles: list[str] = []
    # Few files are parsed in this process, many on every core; either way through the
    # same path, where each file is all-or-nothing and one odd file never sinks the batch.
    # Progress on a terminal (or when asked): a script reads one line for each error.
    show = args.progress or sys.stderr.isatty()
    rows = bulk.file_rows(paths, report, progress=_volume_progress if show else None,
                          files_done=_files_progress if show else None)
    with paused_gc():  # the main process unpickles many small rows too
        change, warning = _import_bulk(args.project, rows, titles,
                                       _author(args), bulk=bulk.use_workers(len(paths)),
                                       take_over=args.break_lock)
    failed = len(failures)
    if change is not None:
        for doc_id, title in zip(change.doc_ids, titles):
            _out(f"{doc_id}\t{_one_line(title)}")
        if not failed:
            # Warnings only when nothing failed, so an error stays the one line printed.
            from emendo.core.safety import risky_location

            for note in (risky_location(Path(args.project)), warning):
                if note:
                    _err(f"warning: {note}")
    return EXIT_ERROR if failed else EXIT_OK


# Progress lines on stderr only for imports long enough to wait for: a volume file of at
# least this many documents, a batch of at least this many files; one line per tenth.
PROGRESS_MIN = 20


def _tenth(done: int, total: int) -> bool:
    """Whether ``done`` is the first count of a new tenth of ``total`` (or the last)."""
    return done == total or done * 10 // total != (done - 1) * 10 // total


def _volume_progress(name: str, done: int, total: int) -> None:
    if total >= PROGRESS_MIN and _tenth(done, total):
        _err(f"{name}: {done} of {total} documents read")


def _files_progress(done: int, total: int) -> None:
    if total >= PROGRESS_MIN and _tenth(done, total):
        _err(f"{done} of {total} files imported")


def _import_bulk(project_path: str, rows: Iterator[tuple[Any, ...]], titles: list[str],
                 author: str | None, bulk: bool = True,
                 take_over: bool = False) -> tuple[Change | None, str | None]:
    """Store rows (from worker processes) as they come; the project is opened for the first."""
    def noted() -> Iterator[tuple[Any, ...]]:
        for row in rows:
            titles.append(row[0])  # IMPORT_COLUMNS starts with the title
            yield row

    with closing(rows):  # stops the workers if storing fails
        first = next(rows, None)
        if first is None:  # every file refused: the project is not even created
            return None, None
        titles.append(first[0])
        try:
            with Project.open(project_path, author=author, take_over=take_over) as project:
                _say_taken_over(project)
                change = project.import_rows(chain((first,), noted()), bulk=bulk)
                return change, project.backup_warning
        except Exception:
            # As in-process, every refused file is reported before the project's error.
            for _ in rows:
                pass
            raise


def cmd_list(args: argparse.Namespace, _pdf: PdfWriter | None) -> int:
    """`emendo list`: id, date and title of every document."""
    with _open_ro(args.project) as project:
        for d in project.list_documents():
            _out(f"{d.id}\t{d.date or ''}\t{_one_line(d.title)}")
    return EXIT_OK


def cmd_show(args: argparse.Namespace, _pdf: PdfWriter | None) -> int:
    """`emendo show`: one document's record, as lines or JSON."""
    from emendo.core.record import document_record

    with _open_ro(args.project) as project:
        doc = project.find_document(args.doc)
        reasons = [(e.before["text"][1], e.after["text"][1], e.reason)
                   for e in project.history(doc.id)
                   if e.op == "correct" and e.reason and "text" in e.after]
    record = document_record(doc, reasons)
    if args.json:
        _out(json.dumps(record, ensure_ascii=False, indent=2))
        return EXIT_OK
    for key in ("id", "title", "date", "language", "doctype", "priority", "classification",
                "origin", "refno", "addressee", "citation", "translator", "signature"):
        if record.get(key):
            _out(f"{key}: {record[key]}")
    for stamp in record["stamps"]:
        _out("stamp: " + " | ".join(str(stamp[k]) for k in ("text", "number", "date")
                                    if stamp.get(k)))
    for note in record["handwritten"]:
        _out(f"handwritten: {note['text']}")
    if record["distribution"]:
        _out("distribution: " + "; ".join(r["name"] for r in record["distribution"]))
    _out(f"marks: {len(record['spans'])}, corrections: {len(record['corrections'])}")
    return EXIT_OK


def cmd_search(args: argparse.Namespace, _pdf: PdfWriter | None) -> int:
    """`emendo search`: ranked hits with the field they are in."""
    with _open_ro(args.project) as project:
        hits = project.search(args.query, limit=args.limit)
    for hit in hits:
        _out(f"{hit.doc_id}\t{_one_line(hit.title)}\t{hit.field}\t{hit.snippet}")
    return EXIT_OK


def cmd_check(args: argparse.Namespace, _pdf: PdfWriter | None) -> int:
    """`emendo check`: integrity and consistency; exit 3 on any damage."""
    try:
        with _open_ro(args.project, allow_damage=True) as project:
            problems = project.damage or project.check()
            count = project.count_documents() if not problems else 0
    except DamagedProjectError as exc:  # damaged past opening: still damage found
        problems = [str(exc)]
    if problems:
        # The details go to stdout, one a line; the verdict is the one line on stderr.
        for p in problems:
            _out(" ".join(p.split()))
        _err(f"{args.project} is not sound: {len(problems)} problem"
             f"{'s' if len(problems) > 1 else ''} ({' '.join(problems[0].split())[:120]})")
        return EXIT_UNSOUND
    _out(f"ok: {count} documents, the file is sound")
    return EXIT_OK


def cmd_export(args: argparse.Namespace, _pdf: PdfWriter | None) -> int:
    """`emendo export`: editions of the named documents (default all)."""
    from emendo.core.editions import document_revisions, volume, write_editions
    from emendo.core.editions.bulk import export_project

    with _open_ro(args.project) as project:
        ids = [project.find_document(r).id for r in args.docs] if args.docs else None
        one_pdf = volume(args.format, len(ids) if ids else project.count_documents(),
                         Path(args.out))
        if ids is None and (one_pdf or not project.count_documents()):
            ids = [d.id for d in project.list_documents()]
        context = edition_context(project, _author(args))
        if args.keep_namespaces:
            if args.format != "tei":
                raise UsageError("--keep-namespaces is for --format tei")
            context.keep_namespaces = True
        revisions = document_revisions(project.history())
        docs = [project.document(i) for i in ids or ()] if one_pdf else []
    if ids == []:
        raise EmendoError("the project has no documents to export")
    if one_pdf:  # one file, a bookmark per document
        paths = write_editions(docs, args.format, Path(args.out), reading=args.reading,
                               context=context, revisions=revisions)
    else:
        # Many documents are rendered and written in one process per core.
        paths = export_project(args.project, ids, args.format, Path(args.out),
                               reading=args.reading, context=context, revisions=revisions)
    for path in paths:
        _out(str(path))
    return EXIT_OK


def edition_context(project: Project,  # noqa: ANN201 (type from an optional module)
                    author: str | None = None):
    """What `emendo export` puts in every header: transcriber, editor, project title (each
    document's own revisions come from :func:`document_revisions`).
    """
    from emendo.core.editions import EditionContext

    return EditionContext(transcriber=project.setting("transcriber"),
                          editor=author or project.editor_name,
                          project_title=project.setting("title", project.path.stem))


def cmd_history(args: argparse.Namespace, _pdf: PdfWriter | None) -> int:
    """`emendo history`: the operation log of the project or one document."""
    with _open_ro(args.project) as project:
        doc_id = project.find_document(args.doc).id if args.doc else None
        for e in project.history(doc_id, include_undone=True):
            state = " (undone)" if e.undone else ""
            reason = f" — {e.reason}" if e.reason else ""
            _out(f"{e.id}\t{e.time}\t{e.author}\t{e.label}{reason}{state}")
    return EXIT_OK


def cmd_undo(args: argparse.Namespace, _pdf: PdfWriter | None) -> int:
    """`emendo undo` and `emendo redo`: the same steps as the window's."""
    # Nothing to take back is found before the project is opened for writing, so a
    # refused undo leaves the file as it was, byte for byte (no lock row, no log mode).
    with _open_ro(args.project) as project:
        label = project.undo_label() if args.command == "undo" else project.redo_label()
    if label is None:
        raise NothingToUndoError(f"nothing to {args.command}")
    with Project.open(args.project, create=False, author=_author(args),
                      take_over=args.break_lock) as project:
        _say_taken_over(project)
        change = project.undo() if args.command == "undo" else project.redo()
    _out(change.label)
    return EXIT_OK


def cmd_restore(args: argparse.Namespace, _pdf: PdfWriter | None) -> int:
    """`emendo restore`: replace the project with a backup (or list them)."""
    from emendo.core import backup, store

    path = Path(args.project)
    if args.list:
        for b in backup.list_backups(path):
            _out(str(b))
        return EXIT_OK
    if path.exists() and path.stat().st_size:
        # Refuse while another process has it open: restoring under it would lose work.
        db = store.connect(path, readonly=True)
        try:
            holder = store.lock_holder(db)
        except sqlite3.Error:
            holder = None
        finally:
            db.close()
        if holder and store.lock_is_live(*holder):
            foreign = holder[0] != socket.gethostname()
            if not (foreign and args.break_lock):
                hint = ("; if it is no longer open there, take the lock over with "
                        "--break-lock") if foreign else ""
                raise EmendoError(f"{path.name} is open in another Emendo (process "
                                  f"{holder[1]} on {holder[0]}, since {holder[2]}); close it "
                                  f"first{hint}")
            _err(f"warning: took over the lock of process {holder[1]} on {holder[0]} "
                 f"(since {holder[2]})")
    chosen = backup.restore(path, Path(args.backup) if args.backup else None)
    _out(f"restored {path} from {chosen}")
    return EXIT_OK


COMMANDS: dict[str, Callable[[argparse.Namespace, PdfWriter | None], int]] = {
    "import": cmd_import, "list": cmd_list, "show": cmd_show, "search": cmd_search,
    "check": cmd_check, "export": cmd_export, "history": cmd_history, "undo": cmd_undo,
    "redo": cmd_undo, "restore": cmd_restore,
}


def _open_ro(path: str, allow_damage: bool = False) -> Project:
    """A project opened for reading; a damaged one is refused unless checking it."""
    if not Path(path).exists():
        raise EmendoError(f"{path} does not exist")
    project = Project.open(path, readonly=True, create=False)
    if project.damage and not allow_damage:
        project.close()
        raise DamagedProjectError(f"{path} is damaged ({project.damage[0]}); run "
                                  "'emendo check' or restore a backup")
    return project


def _author(args: argparse.Namespace) -> str | None:
    """The --author given on the command line (one line, trimmed), or None."""
    name = getattr(args, "author", None)
    if name is None:
        return None
    name = " ".join(str(name).split())
    if not name:
        raise UsageError("--author needs a name")
    return name


def _one_line(s: str) -> str:
    return " ".join(s.split())


if __name__ == "__main__":
    sys.exit(main())
