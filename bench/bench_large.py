"""Large documents: does each cost grow at most linearly with the document?

Three documents, each in a project of its own (set up, not timed):

* **1,000 marks** -- the reference: a paragraph of 2,000 words, every other one marked;
* **200,000 marks** -- the same shape, 200 times larger;
* **60 MB** -- 60 MB of cable text in lines, without marks.

Timed for each (best of ``EMENDO_BENCH_REPEAT`` runs, default 3): opening the project,
opening the document as the window does (text and marks, no source file), a keystroke
through core (``edit_text`` as typing does, merged into the typing step), a search whose
word is in the document, and ``emendo export PROJECT 1 --format F`` for every format in a
process of its own (start-up included), stopped after ``EMENDO_BENCH_EXPORT_TIMEOUT``
seconds (default 300). Each figure is shown with its growth against the 1,000-mark
document's, divided by the growth in size: ``1.0x`` is linear growth, more is worse.  A
keystroke and a search should not grow at all: for them the plain growth is shown.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import best_of  # noqa: E402

from emendo.core.model import Document, Span  # noqa: E402
from emendo.core.project import Project  # noqa: E402

REPEAT = int(os.environ.get("EMENDO_BENCH_REPEAT", "3"))
EXPORT_TIMEOUT = float(os.environ.get("EMENDO_BENCH_EXPORT_TIMEOUT", "300"))
FORMATS = ("tei", "html", "md", "txt", "docx", "pdf")
KINDS = ("person", "unclear", "illegible", "place", "underline", "supplied")
LINE = "The Soviet press reported that the embassy comrades met on April 16th.\n"


def marked(n: int) -> Document:
    """A paragraph of 2n words with every other one marked (n marks)."""
    words = [f"word{i}" for i in range(2 * n)]
    text = "Marks report\n\nembassy " + " ".join(words) + "\n"
    spans, pos = [], len("Marks report\n\nembassy ")
    for i, w in enumerate(words):
        if i % 2 == 0:
            spans.append(Span(KINDS[(i // 2) % len(KINDS)], pos, pos + len(w), {}))
        pos += len(w) + 1
    doc = Document(title=f"{n:,} marks", text=text, spans=spans, source_text=text)
    doc.assign_ids()
    return doc


def sixty_mb() -> Document:
    """60 MB of cable lines, no marks."""
    text = "Telegram of sixty megabytes\n\n" + LINE * (60 * 1024 * 1024 // len(LINE))
    return Document(title="Sixty megabytes", text=text, source_text=text)


def export_time(path: Path, fmt: str, out: Path) -> float | None:
    """`emendo export` of the document in a process of its own, or None when stopped."""
    start = time.perf_counter()
    try:
        done = subprocess.run([sys.executable, "-m", "emendo.core.cli", "export", str(path),
                               "1", "--format", fmt, "--out", str(out / f"doc.{fmt}")],
                              capture_output=True, text=True, timeout=EXPORT_TIMEOUT,
                              check=False)
    except subprocess.TimeoutExpired:
        return None
    assert done.returncode == 0, done.stderr
    return time.perf_counter() - start


def measure(tmp: Path, name: str, doc: Document) -> dict[str, float | None]:
    """Every timed figure of one document."""
    path = tmp / f"{name}.emendo"
    with Project.open(path, author="bench") as project:
        project.import_documents([doc])
    figures: dict[str, float | None] = {}

    def open_project() -> None:
        Project.open(path, author="bench").close()

    figures["open project"] = best_of(open_project, REPEAT)
    with Project.open(path, author="bench") as project:
        figures["open document"] = best_of(lambda: project.document(1, source=False), REPEAT)
        offsets = iter(range(10**6))
        project.edit_text(1, 20, 0, "x")  # the document is then the one being written

        def keystroke() -> None:
            project.edit_text(1, 21 + next(offsets), 0, "y", typed=True)

        figures["keystroke"] = best_of(keystroke, REPEAT)
        figures["search"] = best_of(lambda: project.search("embassy"), REPEAT)
    out = tmp / f"{name}-out"
    out.mkdir()
    for fmt in FORMATS:
        figures[f"export {fmt}"] = export_time(path, fmt, out)
    return figures


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        run(Path(tmp))


def run(tmp: Path) -> None:
    """Measure the three documents and print the table."""
    docs: list[tuple[str, Callable[[], Document]]] = [
        ("1k", lambda: marked(1000)), ("200k", lambda: marked(200_000)), ("60mb", sixty_mb)]
    sizes: dict[str, tuple[int, int]] = {}
    results: dict[str, dict[str, float | None]] = {}
    for name, make in docs:
        doc = make()
        sizes[name] = (len(doc.text), len(doc.spans))
        results[name] = measure(tmp, name, doc)
    base_chars, base_marks = sizes["1k"]
    # Growth in size: marks for the marked document, characters for the 60 MB one.
    growth = {"1k": 1.0, "200k": sizes["200k"][1] / base_marks,
              "60mb": sizes["60mb"][0] / base_chars}
    print("Large documents: each cost against the 1,000-mark document's "
          f"(best of {REPEAT}; growth divided by growth in size: 1.0x is linear)")
    for name in ("1k", "200k", "60mb"):
        chars, marks = sizes[name]
        print(f"  {name:5} {chars:>12,} characters {marks:>8,} marks, "
              f"{growth[name]:,.0f}x the reference")
    print(f"  {'':16} {'1k':>9} {'200k':>9} {'vs size':>8} {'60mb':>9} {'vs size':>8}")
    flat = ("keystroke", "search", "open project")
    for key in results["1k"]:
        base = results["1k"][key]
        cells = [_seconds(base)]
        for name in ("200k", "60mb"):
            t = results[name][key]
            cells.append(_seconds(t))
            if t is None or not base:
                cells.append("   stopped" if t is None else "")
            elif key in flat:
                cells.append(f"{t / base:7.0f}x")  # should not grow at all
            else:
                cells.append(f"{t / base / growth[name]:7.2f}x")
        print(f"  {key:16} " + " ".join(f"{c:>9}" for c in cells))
    print(f"  ({', '.join(flat)}: plain growth, their cost should not depend on size; "
          f"'stopped': over {EXPORT_TIMEOUT:.0f} s)")


def _seconds(t: float | None) -> str:
    if t is None:
        return "-"
    return f"{t * 1e3:.1f}ms" if t < 1 else f"{t:.2f}s"


if __name__ == "__main__":
    main()
