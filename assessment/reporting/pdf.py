"""The report as PDFs for the board: the only module that imports WeasyPrint.

Two documents from one stylesheet: the board summary (two to four pages) and the full pack
(everything, with the appendix of answers). They are made in the background
(`reporting.documents`), never inside a request; the worker loads WeasyPrint as it starts
(`warm_up`), so the first render pays nothing extra.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.template.loader import render_to_string

if TYPE_CHECKING:
    from weasyprint.urls import URLFetcher

FULL_PACK = "reports/report_pdf.html"
BOARD_SUMMARY = "reports/board_pdf.html"
STYLESHEET = Path(settings.BASE_DIR) / "static" / "css" / "report-pdf.css"


def render_pdf(context: dict[str, Any], template: str = FULL_PACK) -> bytes:
    return render_pdf_with_pages(context, template)[0]


def render_pdf_with_pages(context: dict[str, Any], template: str = FULL_PACK) -> tuple[bytes, int]:
    """The PDF and its number of pages."""
    from weasyprint import CSS, HTML  # ~0.5 s to import: loaded by the worker as it starts

    html = render_to_string(template, context)
    fetcher = _no_fetching()
    document = HTML(string=html, url_fetcher=fetcher).render(
        stylesheets=[CSS(filename=STYLESHEET, url_fetcher=fetcher)], pdf_variant="pdf/ua-1"
    )
    return document.write_pdf(pdf_variant="pdf/ua-1"), len(document.pages)


def warm_up() -> None:
    """Load WeasyPrint, its fonts and the stylesheet once, as a worker starts, so that the
    first report it makes is no slower than the rest."""
    from weasyprint import CSS, HTML

    fetcher = _no_fetching()
    HTML(string="<p>Ready.</p>", url_fetcher=fetcher).write_pdf(
        stylesheets=[CSS(filename=STYLESHEET, url_fetcher=fetcher)]
    )


@functools.cache
def _no_fetching() -> URLFetcher:
    """A URL fetcher that refuses every URL: the report embeds all it shows (the charts are
    inline SVG), so a render must never reach a file or the network, whatever an answer says.
    Made once: WeasyPrint's default builds a new TLS context per document, 40 ms a PDF."""
    import ssl

    from weasyprint.urls import URLFetcher

    return URLFetcher(ssl_context=ssl.create_default_context(), allowed_protocols=())
