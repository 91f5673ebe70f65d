"""The sector overview and the sector-wide data download: for admins only.

Thin views: access is decided in `assessment.access`, the figures and the rows in
`assessment.reporting.sector`.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from assessment import tasks
from assessment.access import SignedInRequest, require_staff
from assessment.reporting.charts.box_plots import box_plots
from assessment.reporting.exports import attachment, csv_bytes, neutralise_formulas
from assessment.reporting.open_data import published_editions
from assessment.reporting.sector import sector_filename, sector_frame, sector_overview
from trends.models import Edition


@login_required
def sector(request: SignedInRequest) -> HttpResponse:
    require_staff(request.user)
    editions = list(published_editions())
    edition = _chosen_edition(request, editions)
    overview = sector_overview(edition) if edition is not None else None
    if overview is not None and overview.behind:
        tasks.refresh_statistics_soon(overview.edition)  # made after a change no one asked it for
    return render(
        request,
        "assessment/sector.html",
        {
            "editions": editions,
            "edition": edition,
            "overview": overview,
            # No submitted assessment, no spread: the page says so instead of drawing nothing.
            "box_plots": box_plots(overview.distributions)
            if overview is not None and overview.distributions
            else None,
        },
    )


@never_cache  # names and scores of every organisation: no shared or browser cache keeps them
@login_required
def sector_export(request: SignedInRequest) -> HttpResponse:
    require_staff(request.user)
    edition = _chosen_edition(request, list(published_editions()))
    if edition is None:
        raise Http404("No edition has been published yet.")
    leave_out_names = request.GET.get("leave_out_names") == "yes"
    frame = neutralise_formulas(sector_frame(edition, leave_out_names=leave_out_names))
    return attachment(
        csv_bytes(frame),
        "text/csv; charset=utf-8",
        sector_filename(edition, leave_out_names=leave_out_names),
    )


def _chosen_edition(request: SignedInRequest, editions: list[Edition]) -> Edition | None:
    """The edition named by ?edition=slug (404 if it is not published or retired); otherwise
    the newest published one, or the newest retired one when none is published."""
    slug = request.GET.get("edition")
    if slug:
        chosen = next((e for e in editions if e.slug == slug), None)
        if chosen is None:
            raise Http404("There is no published or retired edition with that name.")
        return chosen
    newest_first = [e for e in editions if e.status == Edition.Status.PUBLISHED] or editions
    return newest_first[0] if newest_first else None
