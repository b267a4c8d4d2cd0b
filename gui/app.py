"""Start-up: the QApplication, the main window, and the sample project on first run."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication

from emendo.gui.dialogs import Dialogs
from emendo.gui.settings import Settings, data_dir

if TYPE_CHECKING:
    from emendo.gui.main_window import MainWindow


def version() -> str:
    """The installed version of Emendo."""
    try:
        from importlib.metadata import version as _v

        return _v("emendo")
    except Exception:  # not installed (running from a checkout)
        return "0.1.0"


def ensure_app(argv: list[str] | None = None) -> QApplication:
    """The running QApplication, created (high-DPI aware, named) when there is none."""
    app = QApplication.instance()
    if app is None:
        # Fractional scale factors as the platform reports them: crisp text on 150% screens.
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(argv if argv is not None else sys.argv[:1])
    QCoreApplication.setOrganizationName("Emendo")
    QCoreApplication.setApplicationName("Emendo")
    QCoreApplication.setApplicationVersion(version())
    QGuiApplication.setDesktopFileName("emendo")
    from emendo.gui.actions import icon

    if app.windowIcon().isNull():  # type: ignore[union-attr]
        app.setWindowIcon(icon("emendo"))  # type: ignore[union-attr]
    return app  # type: ignore[return-value]


def open_window(path: str | Path | None, dialogs: Dialogs | None = None,
                settings: Settings | None = None) -> MainWindow:
    """The main window on a project, shown but without starting the event loop."""
    from emendo.gui.main_window import MainWindow
    from emendo.gui.opening import open_project

    ensure_app()
    settings = settings or Settings()
    window = MainWindow(None, settings, dialogs)
    if path is not None:
        project = open_project(Path(path), window.dialogs)
        if project is not None:
            window.set_project(project)
    window.show()
    return window


def default_project(settings: Settings) -> Path | None:
    """The project to show when none is named: the sample (first run), else the last one."""
    last = settings.last_project()
    if last and Path(last).exists():
        return Path(last)
    try:
        from emendo.core.sample import ensure_sample_project
    except ImportError:
        return None
    return ensure_sample_project(data_dir())


def run(path: str | Path | None = None) -> int:
    """Open the window (on ``path``, or the sample project) and run until it closes."""
    app = ensure_app()
    settings = Settings()
    if path is None:
        path = default_project(settings)
    window = open_window(path, settings=settings)
    window.raise_()
    del window  # the application keeps it alive until it closes
    return app.exec()


__all__ = ["open_window", "run", "ensure_app", "version", "QIcon"]
