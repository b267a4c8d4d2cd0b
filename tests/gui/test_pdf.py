"""PDF edition through Qt: a file is written, text in Cyrillic and Chinese is embedded."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))
from _edition_docs import DATA, model_cable  # noqa: E402

from emendo.core.editions import render, write_editions  # noqa: E402
from emendo.core.model import Document  # noqa: E402

pytest.importorskip("PySide6.QtGui")
from emendo.gui.pdf import write_pdf  # noqa: E402


def _doc(pattern: str) -> Document:
    f = next(DATA.glob(pattern))
    raw = f.read_text("utf-8")
    return Document(title=raw.splitlines()[0], text=raw, source_text=raw, id=3)


@pytest.mark.parametrize("make", [model_cable, lambda: _doc("025_*.txt"),
                                  lambda: _doc("027_*.txt")])
def test_write_pdf(tmp_path: Path, make):
    out = tmp_path / "edition.pdf"
    write_editions([make()], "pdf", out, pdf_writer=write_pdf)
    data = out.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 2000
    if shutil.which("pdffonts"):
        fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True).stdout
        assert "DejaVu" in fonts or "WenQuanYi" in fonts
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True,
                              text=True).stdout
        d = make()
        probe = next(w for w in d.text.split() if len(w) > 3)[:4]
        assert probe in text


def test_write_pdf_directly(tmp_path: Path):
    out = tmp_path / "x.pdf"
    write_pdf(render(model_cable(), "html"), out)
    assert out.stat().st_size > 0
