"""PDF editions: the HTML edition laid out by WeasyPrint (Qt-free, so the command line and
the export workers write PDFs too).

What a reader expects of a PDF comes from the page itself: the title, the editor as
author, the summary as subject, keywords and the language from its ``meta`` elements and
``lang``; the creation date from the time of writing; a bookmark for each document (its
``h1``) and each part (``h2``); internal links for the notes both ways; a running head with
the document's title and page numbers (resources/edition-print.css); fonts embedded as
subsets; ligatures turned off so that extracted text reads "office", never "oﬃce".
"""
from __future__ import annotations

import os
import tempfile
from datetime import datetime, timezone
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from emendo.core.errors import ExportError

if TYPE_CHECKING:
    from emendo.core.editions import EditionContext
    from emendo.core.model import Document


@lru_cache(maxsize=1)
def print_stylesheet() -> str:
    """The page rules of PDF editions (resources/edition-print.css)."""
    return resources.files("emendo.resources").joinpath("edition-print.css").read_text("utf-8")


def _stamped(html: str) -> str:
    """The page with its creation date (metadata of this writing, not of the page).

    The page is Emendo's own, serialised by lxml: its first ``</head>`` is the head's end
    (a title holding those characters is escaped), so the element goes in before it.
    """
    when = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    return html.replace("</head>", f'<meta name="dcterms.created" content="{when}"></head>', 1)


def pdf_from_html(html: str) -> bytes:
    """The PDF of an edition page (as :func:`~emendo.core.editions.html.render_html` makes)."""
    try:
        import weasyprint
        from weasyprint.text.fonts import FontConfiguration
    except (ImportError, OSError) as e:  # OSError: Pango is missing from the system
        raise ExportError(f"PDF editions need WeasyPrint and Pango: {e}") from e
    fonts = FontConfiguration()
    css = weasyprint.CSS(string=print_stylesheet(), font_config=fonts)
    try:
        return weasyprint.HTML(string=_stamped(html)).write_pdf(
            stylesheets=[css], font_config=fonts, pdf_tags=True)
    except Exception as e:  # a layout failure in the library: one line, never a traceback
        raise ExportError(f"The PDF could not be laid out: {type(e).__name__}: {e}") from e


def write_pdf(html: str, path: Path) -> None:
    """Write an edition page as a PDF file (replaced whole: written beside it, then moved)."""
    data = pdf_from_html(html)
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=".emendo-", suffix=".pdf", dir=path.parent or ".")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except OSError:
        Path(tmp).unlink(missing_ok=True)
        raise


def render_pdf(doc: Document, reading: str = "diplomatic",
               context: EditionContext | None = None) -> bytes:
    """The PDF edition of one document."""
    from emendo.core.editions.html import render_html

    return pdf_from_html(render_html(doc, reading, context))


def render_volume(docs: list[Document], reading: str, context: EditionContext | None,
                  title: str) -> bytes:
    """One PDF holding the editions of several documents, a bookmark for each."""
    from emendo.core.editions.html import render_page

    return pdf_from_html(render_page(docs, reading, context, title))
