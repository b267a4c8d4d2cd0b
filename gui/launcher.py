"""The ``emendo`` command: the window for ``emendo`` and ``emendo open``, else headless CLI.

Headless subcommands never import Qt; Qt is loaded only for the window or a PDF export.
"""
from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from emendo.core import cli
from emendo.core.errors import EmendoError


def _write_pdf(html: str, path: Path) -> None:
    import os

    # A PDF needs fonts, not a screen: on a server or over ssh there is no display.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from emendo.gui.pdf import write_pdf  # Qt only when a PDF is really wanted

    write_pdf(html, path)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``emendo`` console script."""
    args = list(sys.argv[1:] if argv is None else argv)
    smoke = "--smoke" in args
    args = [a for a in args if a != "--smoke"]
    # A lone existing file is a project opened from the desktop (renamed ones included).
    if not args or args[0] == "open" or (len(args) == 1 and Path(args[0]).is_file()):
        if args and args[0] == "open":
            if len(args) != 2:
                print("emendo: usage: emendo open FILE", file=sys.stderr)
                return cli.EXIT_USAGE
            path: Path | None = Path(args[1])
        else:
            path = Path(args[0]) if args else None
        return _run_window(path, smoke)
    return cli.main(args, pdf_writer=_write_pdf)


def _no_display() -> bool:
    """True on Linux with no screen to show a window on (Qt would abort with a dump)."""
    import os

    return (sys.platform.startswith("linux") and not os.environ.get("QT_QPA_PLATFORM")
            and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"))


def _run_window(path: Path | None, smoke: bool) -> int:
    if _no_display():
        print("emendo: no display to open the window on (set DISPLAY, or use the "
              "command-line subcommands: emendo --help)", file=sys.stderr)
        return cli.EXIT_ERROR
    try:
        if path is None:
            from emendo.core.sample import ensure_sample_project

            path = ensure_sample_project()
        from emendo.gui.app import open_window, run
    except EmendoError as exc:
        print(f"emendo: {exc}", file=sys.stderr)
        return cli.EXIT_ERROR
    except ImportError as exc:
        print(f"emendo: the window cannot start: {exc}", file=sys.stderr)
        return cli.EXIT_ERROR
    if smoke:
        return _smoke(open_window, path)
    return run(path)


def _smoke(open_window, path: Path) -> int:  # noqa: ANN001 (Qt types stay lazy)
    """Start the window, let the event loop turn briefly, close it: the bundle check."""
    import time

    from PySide6.QtWidgets import QApplication

    window = open_window(path)
    window.show()
    app = QApplication.instance()
    deadline = time.monotonic() + 1.0
    while time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.02)
    ok = window.isVisible()
    window.close()
    app.processEvents()
    print(f"emendo: smoke check {'passed' if ok else 'failed'}: {path}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
