"""The `emendo` console script: the window's smoke start, and PDF export without a screen."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"


def run_emendo(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    code = "import sys; from emendo.gui.launcher import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run([sys.executable, "-c", code, *map(str, args)], capture_output=True,
                          text=True, timeout=180, env=env)


def test_open_smoke_starts_and_exits_zero(tmp_path):
    project = tmp_path / "p.emendo"
    assert run_emendo("import", project, *sorted((DATA / "corpus").glob("00*.txt"))
                      ).returncode == 0
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "EMENDO_CONFIG_DIR": str(tmp_path)}
    proc = run_emendo("open", project, "--smoke", env=env)
    assert proc.returncode == 0, proc.stderr
    assert "smoke check passed" in proc.stdout


def test_pdf_export_needs_no_display(tmp_path):
    project = tmp_path / "p.emendo"
    cyrillic = next((DATA / "corpus").glob("025_*.txt"))
    assert run_emendo("import", project, cyrillic).returncode == 0
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY",
                                                            "WAYLAND_DISPLAY")}
    out = tmp_path / "out.pdf"
    proc = run_emendo("export", project, "1", "--format", "pdf", "--out", out, env=env)
    assert proc.returncode == 0, proc.stderr
    assert out.read_bytes().startswith(b"%PDF")


def test_headless_errors_through_the_script(tmp_path):
    proc = run_emendo("show", tmp_path / "missing.emendo", "1")
    assert proc.returncode == 1
    assert proc.stderr.strip().startswith("emendo: ") and "Traceback" not in proc.stderr


def test_window_without_a_display_says_so_in_one_line(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY",
                                                            "WAYLAND_DISPLAY")}
    env["EMENDO_DATA_DIR"] = str(tmp_path)
    proc = run_emendo(env=env)
    assert proc.returncode == 1
    assert proc.stderr.strip().startswith("emendo: no display")
    assert len(proc.stderr.strip().splitlines()) == 1
