"""PDF editions: the HTML edition laid out by QTextDocument and printed by QPdfWriter."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMarginsF, QSizeF
from PySide6.QtGui import QFont, QGuiApplication, QPageLayout, QPageSize, QPdfWriter, QTextDocument

from emendo.core.errors import ExportError

# Latin, Cyrillic first; Chinese from WenQuanYi when DejaVu lacks a glyph.
FONT_FAMILIES: list[str] = ["DejaVu Sans", "WenQuanYi Micro Hei", "Noto Sans CJK SC",
                            "Noto Sans", "sans-serif"]
_APP: list[QGuiApplication] = []


def _ensure_app() -> None:
    # QTextDocument needs a GUI application for fonts; keep the one we make alive
    if QGuiApplication.instance() is None:
        _APP.append(QGuiApplication(["emendo-pdf"]))


def write_pdf(html: str, path: Path) -> None:
    """Write an HTML edition as an A4 PDF (fonts covering Latin, Cyrillic and Chinese)."""
    _ensure_app()
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(18, 18, 18, 18), QPageLayout.Unit.Millimeter)
    # text is vector either way; at 96 dpi the layout units match QTextDocument's own
    writer.setResolution(96)
    writer.setTitle("Emendo edition")
    writer.setCreator("Emendo")
    doc = QTextDocument()
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setPointSizeF(10.5)
    doc.setDefaultFont(font)
    # QTextDocument's CSS subset ignores the web stylesheet's fonts; point it at ours
    doc.setDefaultStyleSheet("body { font-family: 'DejaVu Sans', 'WenQuanYi Micro Hei'; }")
    doc.setHtml(html)
    layout = writer.pageLayout()
    rect = layout.paintRectPixels(writer.resolution())
    doc.setPageSize(QSizeF(rect.width(), rect.height()))
    doc.print_(writer)
    del writer  # flushes and closes the file
    if not Path(path).exists() or Path(path).stat().st_size == 0:
        raise ExportError(f"Could not write the PDF to {path}.")
