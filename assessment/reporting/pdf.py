"""The report as a PDF for the board: the only module that imports WeasyPrint.

It imports it only when a PDF is made, so that pages never pay for loading it, and a PDF is
made again only when something it shows has changed (`report.report_fingerprint`).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string

from assessment.models import Assessment
from assessment.reporting.exports import export_filename
from assessment.reporting.report import report_context, report_fingerprint

if TYPE_CHECKING:
    from weasyprint.urls import URLFetcher


def pdf_filename(assessment: Assessment) -> str:
    return export_filename(assessment, None, "pdf")


def report_pdf(assessment: Assessment) -> bytes:
    """The PDF, from the cache when nothing it shows has changed since it was made."""
    key = f"report-pdf:{assessment.pk}:{report_fingerprint(assessment)}"
    pdf = cache.get(key)
    if pdf is None:
        pdf = render_pdf(report_context(assessment))
        cache.set(key, pdf, timeout=settings.REPORT_CACHE_SECONDS)
    return pdf


def render_pdf(context: dict[str, Any]) -> bytes:
    from weasyprint import CSS, HTML  # ~0.5 s to import: only when a PDF is actually made

    html = render_to_string("reports/report_pdf.html", context)
    stylesheet = Path(settings.BASE_DIR) / "static" / "css" / "report-pdf.css"
    fetcher = _no_fetching()
    return HTML(string=html, url_fetcher=fetcher).write_pdf(
        stylesheets=[CSS(filename=stylesheet, url_fetcher=fetcher)], pdf_variant="pdf/ua-1"
    )


@functools.cache
def _no_fetching() -> URLFetcher:
    """A URL fetcher that refuses every URL: the report embeds all it shows (the charts are
    inline SVG), so a render must never reach a file or the network, whatever an answer says.
    Made once: WeasyPrint's default builds a new TLS context per document, 40 ms a PDF."""
    import ssl

    from weasyprint.urls import URLFetcher

    return URLFetcher(ssl_context=ssl.create_default_context(), allowed_protocols=())
