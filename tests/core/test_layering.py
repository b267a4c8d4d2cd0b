"""core/ stays Qt-free, and the headless command line never loads Qt."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_no_pyside_import_under_core():
    offenders = []
    for path in (ROOT / "core").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(n.split(".")[0] in ("PySide6", "shiboken6", "PyQt5", "PyQt6") for n in names):
                offenders.append(str(path.relative_to(ROOT)))
            if any(n.startswith("emendo.gui") for n in names):
                offenders.append(str(path.relative_to(ROOT)) + " (imports emendo.gui)")
    assert offenders == []


def test_headless_cli_does_not_load_qt(tmp_path):
    code = (
        "import sys\n"
        "from emendo.gui.launcher import main\n"
        f"rc = main(['list', {str(tmp_path / 'none.emendo')!r}])\n"
        "print('QT' if any(m.startswith('PySide6') for m in sys.modules) else 'NOQT', rc)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "NOQT 1"
    assert "does not exist" in out.stderr and "Traceback" not in out.stderr
