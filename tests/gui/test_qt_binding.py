"""The installed Qt binding keeps Python's reference counts straight.

PySide6-Essentials 6.12.0 on Python 3.11 returned None from void methods without taking
a reference; the interpreter aborted after a few thousand calls.  pyproject.toml excludes
that release; this test fails loudly if another release does the same.
"""
from __future__ import annotations

import sys


def test_void_calls_do_not_leak_none_references(qapp):
    from PySide6.QtWidgets import QPlainTextEdit

    editor = QPlainTextEdit()
    before = sys.getrefcount(None)
    for _ in range(500):
        editor.setPlainText("x")
        editor.setReadOnly(False)
    drift = sys.getrefcount(None) - before
    assert abs(drift) < 50, f"None's reference count drifted by {drift}"
