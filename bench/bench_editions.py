"""Editions benchmark: exporting a 10,000-cable project to TEI against bare lxml, in one run.

Setup (not timed): ``EMENDO_BENCH_DOCS`` (default 10,000) generated cables are imported into
a project, as ``emendo import`` does.

Timed, side by side, on the same documents (a subset of ``EMENDO_BENCH_SUBSET``, default
2,000, scaled to 10,000; best of ``EMENDO_BENCH_REPEAT`` runs):

* **Emendo, exporting the project** -- :func:`export_project`, what ``emendo export PROJECT
  --format tei --out DIR`` runs: every document loaded from the project, rendered (edition
  tree, header, body, xenoData record, serialisation) and written to its file, by one worker
  process per core.
* **bare lxml** -- the bare limit: the element trees Emendo produces for those documents are
  flattened beforehand (not timed) into lists of ``(tag, attrib, text, tail, depth, nsmap)``;
  the timed part rebuilds each tree with ``etree.Element`` / ``SubElement`` and serialises it
  with the same ``etree.tostring`` call, in one process, without loading or writing anything.
  So only lxml's construction and serialisation are timed, none of the edition logic.
* For reference: **one process** -- ``render(doc, "tei")`` of documents already in memory
  (the edition logic on one core, no loading or writing), and **serialise only**:
  ``etree.tostring`` of pre-built trees, a floor no writer that builds trees can reach.

Target: exporting the project within 2x of bare lxml.
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cables import cable  # noqa: E402
from timing import best_of  # noqa: E402
from lxml import etree  # noqa: E402

from emendo.core.editions import render  # noqa: E402
from emendo.core.editions.bulk import export_project  # noqa: E402
from emendo.core.editions.tei import XML_DECL, _NSMAP, build_tei  # noqa: E402
from emendo.core.workers import paused_gc  # noqa: E402
from emendo.core.importers.bulk import text_rows  # noqa: E402
from emendo.core.project import Project  # noqa: E402
from emendo.core.workers import worker_count  # noqa: E402

N = int(os.environ.get("EMENDO_BENCH_DOCS", "10000"))
SUBSET = min(N, int(os.environ.get("EMENDO_BENCH_SUBSET", "2000")))
REPEAT = int(os.environ.get("EMENDO_BENCH_REPEAT", "3"))
TARGET = 2.0


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
    return XML_DECL + etree.tostring(root, encoding="unicode", pretty_print=True)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        run(Path(tmp))


def run(tmp: Path) -> None:
    """Import the cables, then time the export against the bare limit."""
    t0 = time.perf_counter()
    path = tmp / "bench.emendo"
    with paused_gc(), Project.open(path) as project:
        project.import_rows(text_rows([(cable(i), f"cable-{i:05d}.txt") for i in range(N)],
                                      lambda _i, msg: None), bulk=True)
    with Project.open(path, readonly=True) as project:
        ids = [d.id for d in project.list_documents()][:SUBSET]
    setup = time.perf_counter() - t0
    runs = iter(range(10**6))

    def export() -> None:
        export_project(path, ids, "tei", tmp / f"out-{next(runs)}")

    # First, while this process holds no documents: as `emendo export` runs.
    t_export = best_of(export, REPEAT)
    with Project.open(path, readonly=True) as project:
        sub = [project.document(i) for i in ids]
    trees = [build_tei(d) for d in sub]
    flats = [flatten(t) for t in trees]
    # the bare path must give the same output, else it is not the same work
    for d, f in zip(sub[:50], flats[:50]):
        assert rebuild_and_serialise(f) == render(d, "tei"), "bare rebuild differs from Emendo"
    nodes = sum(len(f) for f in flats) / len(flats)
    size = sum(len(render(d, "tei")) for d in sub[:200]) / min(200, len(sub))
    def one_process() -> None:
        for d in sub:
            render(d, "tei")

    def bare() -> None:
        for f in flats:
            rebuild_and_serialise(f)

    def serialise_only() -> None:
        for t in trees:
            XML_DECL + etree.tostring(t, encoding="unicode", pretty_print=True)

    written = sorted((tmp / "out-0").iterdir(), key=lambda p: int(p.name.split("-")[0]))
    for d, f in zip(sub[:50], written[:50]):
        assert f.read_text(encoding="utf-8") == render(d, "tei"), "export differs from render"
    t_one = best_of(one_process, REPEAT)
    t_bare = best_of(bare, REPEAT)
    t_ser = best_of(serialise_only, REPEAT)
    per = {k: v / len(sub) for k, v in (("export", t_export), ("one", t_one),
                                        ("bare", t_bare), ("ser", t_ser))}
    ratio = per["export"] / per["bare"]
    print(f"Editions benchmark: {N:,} generated cables imported in {setup:.1f} s (not timed); "
          f"timed on {len(sub):,} of them, best of {REPEAT}, scaled to {N:,}.")
    print(f"  average TEI: {size / 1000:.1f} kB, {nodes:.0f} elements per document")
    print(f"  {'':58} {'per doc':>10} {'10,000 docs':>12} {'ratio':>7}")
    rows = [(f"Emendo: export the project ({worker_count()} workers; load, render, write)",
             per["export"], ratio),
            ("bare lxml: rebuild from flat list + tostring (1 process)", per["bare"], 1.0),
            ("(Emendo render on one process, documents in memory)", per["one"],
             per["one"] / per["bare"]),
            ("(serialise pre-built trees only)", per["ser"], per["export"] / per["ser"])]
    for label, p, r in rows:
        print(f"  {label:58} {p * 1e3:8.3f} ms {p * 10000:10.2f} s {r:6.2f}x")
    verdict = "met" if ratio <= TARGET else "NOT met"
    print(f"  target: exporting within {TARGET:.0f}x of bare lxml -> {ratio:.2f}x, {verdict}")


if __name__ == "__main__":
    main()
