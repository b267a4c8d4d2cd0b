"""Editions benchmark: exporting a 10,000-cable project to TEI against bare lxml, in one run.

Setup (not timed): ``EMENDO_BENCH_DOCS`` (default 10,000) generated cables are imported into
a project, as ``emendo import`` does.

Timed, side by side, on all the documents (best of ``EMENDO_BENCH_REPEAT`` runs):

* **Emendo, exporting the project** -- ``emendo export PROJECT --format tei --out DIR`` in a
  process of its own (start-up included): every document loaded from the project, rendered
  (edition tree, header, body, xenoData record, serialisation) and written to its file, by
  one worker process per core (:func:`~emendo.core.editions.bulk.export_project`).
* **bare lxml** -- the bare limit: the element trees Emendo produces for those documents,
  indented as Emendo writes them, are flattened beforehand (not timed) into lists of
  ``(tag, attrib, text, tail, depth, nsmap)``;
  the timed part rebuilds each tree with ``etree.Element`` / ``SubElement``, serialises it
  with the same ``etree.tostring`` call and writes it to a file as the export does, in one
  process.  So lxml's construction and serialisation and the same files are timed, none of
  the edition logic (and no loading from the project).
* For reference, on ``EMENDO_BENCH_SUBSET`` documents (default 2,000): **one process** --
  ``render(doc, "tei")`` of documents already in memory (the edition logic on one core, no
  loading or writing), and **serialise only**: ``etree.tostring`` of pre-built trees, a floor
  no writer that builds trees can reach.

Target: exporting the project within 2x of bare lxml.

Then the import of one FRUS-style volume file (``EMENDO_BENCH_VOLUME`` document divisions,
default 1,000; :mod:`frus_volume`): Emendo reading it into its documents
(:func:`~emendo.core.importers.import_file`: parse, body and header mapped, one document per
division, languages) against lxml parsing the same file. Target: within 5x of lxml.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cables import cable  # noqa: E402
from frus_volume import volume  # noqa: E402
from lxml import etree  # noqa: E402
from timing import best_of  # noqa: E402

from emendo.core.cli import edition_context  # noqa: E402
from emendo.core.editions import document_revisions, for_document, render  # noqa: E402
from emendo.core.editions.bulk import _write_file  # noqa: E402
from emendo.core.editions.tei import _NSMAP, XML_DECL, build_tei, indent  # noqa: E402
from emendo.core.importers.bulk import text_rows  # noqa: E402
from emendo.core.project import Project  # noqa: E402
from emendo.core.workers import (
    paused_gc,  # noqa: E402
    worker_count,  # noqa: E402
)

N = int(os.environ.get("EMENDO_BENCH_DOCS", "10000"))
SUBSET = min(N, int(os.environ.get("EMENDO_BENCH_SUBSET", "2000")))
REPEAT = int(os.environ.get("EMENDO_BENCH_REPEAT", "3"))
TARGET = 2.0
VOLUME_DOCS = int(os.environ.get("EMENDO_BENCH_VOLUME", "1000"))
VOLUME_TARGET = 5.0


def flatten(root: etree._Element) -> list[tuple]:
    """A tree as a flat, pre-order list of (tag, attrib, text, tail, depth, nsmap), where
    nsmap is None unless the element declares a namespace of its own (xenoData's record)."""
    out = []

    def visit(e: etree._Element, depth: int, parent_ns: dict) -> None:
        ns = e.nsmap
        out.append((e.tag, dict(e.attrib), e.text, e.tail, depth,
                    ns if ns != parent_ns else None))
        for c in e:
            visit(c, depth + 1, ns)

    visit(root, 0, {})
    return out


def rebuild_and_serialise(flat: list[tuple]) -> str:
    """The bare limit for one document: lxml construction + serialisation only."""
    tag, attrib, text, tail, _, _ = flat[0]
    root = etree.Element(tag, attrib, nsmap=_NSMAP)
    root.text = text
    stack = [root]
    sub = etree.SubElement
    for tag, attrib, text, tail, depth, nsmap in flat[1:]:
        del stack[depth:]
        e = sub(stack[-1], tag, attrib, nsmap) if nsmap else sub(stack[-1], tag, attrib)
        if text is not None:
            e.text = text
        if tail is not None:
            e.tail = tail
        stack.append(e)
    return XML_DECL + etree.tostring(root, encoding="unicode") + "\n"


def indented(root: etree._Element) -> etree._Element:
    """A tree with Emendo's indentation in its text and tails (so the bare side has it)."""
    indent(root)
    return root


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        run(Path(tmp))
        volume_import(Path(tmp))


def volume_import(tmp: Path) -> None:
    """A FRUS-style volume file read into its documents, against lxml parsing it."""
    from emendo.core.importers import import_file

    path = tmp / "volume.xml"
    path.write_text(volume(VOLUME_DOCS), encoding="utf-8")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    root = etree.parse(str(path), parser).getroot()
    elements = sum(1 for _ in root.iter())
    docs = import_file(path)
    assert len(docs) == VOLUME_DOCS, f"{len(docs)} documents for {VOLUME_DOCS} divisions"
    t_lxml = best_of(lambda: etree.parse(str(path), parser), REPEAT)
    with paused_gc():  # as `emendo import` reads a file
        t_emendo = best_of(lambda: import_file(path), REPEAT)
    ratio = t_emendo / t_lxml
    print(f"Volume import: one FRUS-style file of {VOLUME_DOCS:,} documents, "
          f"{path.stat().st_size / 1e6:.1f} MB, {elements:,} elements; best of {REPEAT} runs")
    print(f"  {'':62} {'time':>9} {'ratio':>6}")
    print(f"  {'Emendo: import_file (documents, spans, notes, header, language)':62} "
          f"{t_emendo * 1e3:6.0f} ms {ratio:5.2f}x")
    print(f"  {'lxml: parse the file':62} {t_lxml * 1e3:6.0f} ms  1.00x")
    verdict = "met" if ratio <= VOLUME_TARGET else "NOT met"
    print(f"  target: importing the volume within {VOLUME_TARGET:.0f}x of lxml parsing it -> "
          f"{ratio:.2f}x, {verdict}")


def run(tmp: Path) -> None:
    """Import the cables, then time the export against the bare limit."""
    t0 = time.perf_counter()
    path = tmp / "bench.emendo"
    with paused_gc(), Project.open(path) as project:
        project.import_rows(text_rows([(cable(i), f"cable-{i:05d}.txt") for i in range(N)],
                                      lambda _i, msg: None), bulk=True)
    setup = time.perf_counter() - t0
    runs = iter(range(10**6))

    def export() -> None:
        out = tmp / f"out-{next(runs)}"
        done = subprocess.run([sys.executable, "-m", "emendo.core.cli", "export", str(path),
                               "--format", "tei", "--out", str(out)],
                              capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr

    # The command a researcher runs, in a process of its own, on the whole project.
    t_export = best_of(export, REPEAT)
    with Project.open(path, readonly=True) as project:
        ids = [d.id for d in project.list_documents()]
        loaded = project.documents_for_export(ids)  # (document, spans as stored)
        base = edition_context(project)  # as `emendo export` gives the headers
        revisions = document_revisions(project.history())
    docs = [d for d, _ in loaded]
    contexts = {d.id: for_document(base, revisions, d.id) for d in docs}
    # the trees as Emendo writes them, indented (white space where it means nothing)
    flats = [flatten(indented(build_tei(d, contexts[d.id]))) for d in docs]
    sub, sub_flats = loaded[:SUBSET], flats[:SUBSET]
    trees = [indented(build_tei(d, contexts[d.id])) for d, _ in sub]
    # the bare path must give the same output, else it is not the same work
    written = {int(f.name.split("-")[0]): f for f in (tmp / "out-0").iterdir()}
    assert len(written) == len(docs)
    step = max(1, len(docs) // 50)
    for (d, enc), f in zip(loaded[::step], flats[::step]):
        edition = render(d, "tei", context=contexts[d.id], encoded_spans=enc)
        assert edition == render(d, "tei", context=contexts[d.id]), "stored spans differ"
        assert rebuild_and_serialise(f) == edition, "bare rebuild differs from Emendo"
        assert written[d.id].read_text(encoding="utf-8") == edition, \
            "exported file differs from the edition"
    nodes = sum(len(f) for f in flats) / len(flats)
    size = sum(len(render(d, "tei", context=contexts[d.id])) for d in docs[:200]) / min(
        200, len(docs))
    bare_runs = iter(range(10**6))

    def bare() -> None:
        # The same files, written the same way, with lxml doing all the XML work.
        out = tmp / f"bare-{next(bare_runs)}"
        out.mkdir()
        for d, f in zip(docs, flats):
            _write_file(str(out / f"{d.id}.xml"), rebuild_and_serialise(f).encode())

    def one_process() -> None:
        for d, enc in sub:
            render(d, "tei", context=contexts[d.id], encoded_spans=enc)

    def bare_in_memory() -> None:
        for f in sub_flats:
            rebuild_and_serialise(f)

    def serialise_only() -> None:
        for t in trees:
            XML_DECL + etree.tostring(t, encoding="unicode") + "\n"

    t_bare = best_of(bare, REPEAT)
    with paused_gc():  # as in the export's workers
        t_one = best_of(one_process, REPEAT)
    t_mem = best_of(bare_in_memory, REPEAT)
    t_ser = best_of(serialise_only, REPEAT)
    n, k = len(docs), len(sub)
    ratio = t_export / t_bare
    print(f"Editions benchmark: {n:,} generated cables imported in {setup:.1f} s (not timed); "
          f"best of {REPEAT} runs; the one-core figures on {k:,} of them.")
    print(f"  average TEI: {size / 1000:.1f} kB, {nodes:.0f} elements per document")
    print(f"  {'':62} {'per doc':>9} {'ratio':>6}")
    rows = [(f"Emendo: `emendo export` of the project ({worker_count()} workers)",
             t_export / n, f"{ratio:5.2f}x"),
            ("bare lxml: rebuild, tostring, write the file (1 process)", t_bare / n, "1.00x"),
            ("one core: Emendo render, documents in memory", t_one / k,
             f"{t_one / t_mem:5.2f}x"),
            ("one core: bare lxml rebuild + tostring, no file", t_mem / k, "1.00x"),
            ("(serialise pre-built trees only)", t_ser / k, "")]
    for label, p, r in rows:
        print(f"  {label:62} {p * 1e3:6.3f} ms {r:>6}")
    verdict = "met" if ratio <= TARGET else "NOT met"
    print(f"  target: exporting the project within {TARGET:.0f}x of bare lxml -> {ratio:.2f}x, "
          f"{verdict} (on one core, without files: {t_one / t_mem:.2f}x)")
    formats(path, tmp, ids, t_export / n)


def formats(path: Path, tmp: Path, ids: list[int], tei_per_doc: float) -> None:
    """Every format's `emendo export` of the project, in documents per second, against TEI.

    HTML, Markdown and text export the whole project; DOCX and PDF (python-docx and
    WeasyPrint's page layout, far slower per document) the first ``EMENDO_BENCH_PAGED``
    documents (default 500), which gives the same rate: an export costs the same per
    document whatever the project's size.
    """
    paged = ids[:int(os.environ.get("EMENDO_BENCH_PAGED", "500"))]
    print(f"  every format, `emendo export` in a process of its own ({worker_count()} workers):")
    print(f"  {'format':8} {'documents':>10} {'time':>9} {'docs/s':>8} {'vs TEI':>7}")
    print(f"  {'tei':8} {len(ids):>10,} {tei_per_doc * len(ids):8.1f}s "
          f"{1 / tei_per_doc:8.0f} {'1.00x':>7}")
    for fmt in ("html", "md", "txt", "docx", "pdf"):
        chosen = ids if fmt in ("html", "md", "txt") else paged
        named = [] if chosen is ids else [str(i) for i in chosen]
        out = tmp / f"fmt-{fmt}"
        t = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "emendo.core.cli", "export", str(path),
                               *named, "--format", fmt, "--out", str(out)],
                              capture_output=True, text=True, check=False)
        elapsed = time.perf_counter() - t
        assert done.returncode == 0, done.stderr
        files = sum(1 for f in out.iterdir() if f.suffix == f".{fmt}" and f.name != "index.html")
        assert files == len(chosen), f"{fmt}: {files} files for {len(chosen)} documents"
        per_doc = elapsed / len(chosen)
        print(f"  {fmt:8} {len(chosen):>10,} {elapsed:8.1f}s {1 / per_doc:8.0f} "
              f"{per_doc / tei_per_doc:6.1f}x")


if __name__ == "__main__":
    main()
