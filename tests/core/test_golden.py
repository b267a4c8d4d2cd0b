"""Golden editions of the model cable (000) as the importer reads it: TEI, HTML, Markdown, text.

Regenerate after an intended change with ``EMENDO_UPDATE_GOLDEN=1 pytest tests/core/test_golden.py``
and review the diff before committing.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from _edition_docs import imported_model_cable

from emendo.core.editions import EditionContext, render

REFERENCE = Path(__file__).resolve().parents[1] / "reference"
CTX = EditionContext(transcriber="Emendo test", revisions=[("2024-05-01", "Emendo test",
                                                            "Golden file")])
CASES = [("tei", "diplomatic", "000_model_cable.tei.xml"),
         ("html", "diplomatic", "000_model_cable.html"),
         ("md", "diplomatic", "000_model_cable.md"),
         ("md", "reading", "000_model_cable.reading.md"),
         ("txt", "diplomatic", "000_model_cable.txt"),
         ("txt", "reading", "000_model_cable.reading.txt")]


@pytest.mark.parametrize("fmt,reading,name", CASES)
def test_golden(fmt: str, reading: str, name: str):
    got = render(imported_model_cable(), fmt, reading, CTX)
    path = REFERENCE / name
    if os.environ.get("EMENDO_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(got, encoding="utf-8")
    # A missing reference is a failure, never written here and compared with itself.
    assert path.exists(), f"{name} missing: run with EMENDO_UPDATE_GOLDEN=1 and review it"
    assert got == path.read_text(encoding="utf-8"), f"{name} differs: review, then regenerate"
