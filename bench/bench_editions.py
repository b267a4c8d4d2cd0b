"""Editions benchmark: TEI export of 10,000 generated cables against bare lxml, in one run.

Setup (not timed): ``EMENDO_BENCH_DOCS`` (default 10,000) generated cables are parsed with
``parse_text`` into project-free Documents.

Timed, side by side, on the same documents:

* **Emendo TEI** -- ``render(doc, "tei")`` for every document: exactly the string
  ``write_editions`` writes to each file (the edition tree, header, body writer, xenoData
  record and serialisation), without disk I/O.
* **bare lxml** -- the bare limit: the element trees Emendo produced for those documents are
  flattened beforehand (not timed) into lists of ``(tag, attrib, text, tail, depth,
  nsmap)`` entries; the timed part rebuilds each tree from its list with ``etree.Element`` /
  ``SubElement`` and serialises it with the same ``etree.tostring`` call (same namespace
  map, pretty printing, XML declaration prefix).  So only lxml's construction +
  serialisation is timed, none of the edition logic.
* For reference, **serialise only**: ``etree.tostring`` of the pre-built trees (no
  construction at all) -- a floor no writer that builds trees can reach.

Each figure is the best of several runs over a subset (``EMENDO_BENCH_SUBSET``, default
2,000 documents) scaled to per-document figures and to 10,000 documents; set
``EMENDO_BENCH_SUBSET=10000`` to time the whole set.  Target: Emendo within 2x of bare lxml.
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cables import cable  # noqa: E402
from timing import best_of  # noqa: E402
from lxml import etree  # noqa: E402

from emendo.core.editions import render  # noqa: E402
from emendo.core.editions.tei import XML_DECL, _NSMAP, build_tei  # noqa: E402
from emendo.core.importers import parse_text  # noqa: E402

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
    t0 = time.perf_counter()
    docs = [parse_text(cable(i), f"cable-{i:05d}.txt") for i in range(N)]
    for i, d in enumerate(docs):
        d.id = i + 1
    setup = time.perf_counter() - t0
    sub = docs[:SUBSET]
    trees = [build_tei(d) for d in sub]
    flats = [flatten(t) for t in trees]
    # the bare path must give the same output, else it is not the same work
    for d, f in zip(sub[:50], flats[:50]):
        assert rebuild_and_serialise(f) == render(d, "tei"), "bare rebuild differs from Emendo"
    nodes = sum(len(f) for f in flats) / len(flats)
    size = sum(len(render(d, "tei")) for d in sub[:200]) / min(200, len(sub))

    def ours() -> None:
        for d in sub:
            render(d, "tei")

    def bare() -> None:
        for f in flats:
            rebuild_and_serialise(f)

    def serialise_only() -> None:
        for t in trees:
            XML_DECL + etree.tostring(t, encoding="unicode", pretty_print=True)

    t_ours = best_of(ours, REPEAT)
    t_bare = best_of(bare, REPEAT)
    t_ser = best_of(serialise_only, REPEAT)
    per = {k: v / len(sub) for k, v in (("ours", t_ours), ("bare", t_bare), ("ser", t_ser))}
    ratio = per["ours"] / per["bare"]
    print(f"Editions benchmark: {N:,} generated cables parsed in {setup:.1f} s (not timed); "
          f"timed on {len(sub):,} of them, best of {REPEAT}, scaled to {N:,}.")
    print(f"  average TEI: {size / 1000:.1f} kB, {nodes:.0f} elements per document")
    print(f"  {'':44} {'per doc':>10} {'10,000 docs':>12} {'ratio':>7}")
    rows = [("Emendo TEI export (render, no disk I/O)", per["ours"], ratio),
            ("bare lxml: rebuild from flat list + tostring", per["bare"], 1.0),
            ("(serialise pre-built trees only)", per["ser"], per["ours"] / per["ser"])]
    for label, p, r in rows:
        print(f"  {label:44} {p * 1e3:8.3f} ms {p * 10000:10.2f} s {r:6.2f}x")
    verdict = "met" if ratio <= TARGET else "NOT met"
    print(f"  target: Emendo within {TARGET:.0f}x of bare lxml -> {ratio:.2f}x, {verdict}")


if __name__ == "__main__":
    main()
