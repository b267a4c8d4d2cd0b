"""PDF editions for the window: core's writer (WeasyPrint, no Qt), kept under this name for
the launcher and the export dialog, which pass it to core as the PDF writer.
"""
from __future__ import annotations

from emendo.core.editions.pdf import write_pdf

__all__ = ["write_pdf"]
