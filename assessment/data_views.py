"""Data to download: an organisation's own answers, scores and plan, and the public open data.

Thin views, as in `assessment.views`: access is decided in `assessment.access`, the data is
built in `assessment.exports` and `assessment.open_data`.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache

from assessment import exports, open_data
from assessment.access import get_assessment
from assessment.models import Assessment
from assessment.responses import attachment


def _exportable(request: HttpRequest, pk: int) -> Assessment:
    assessment, access = get_assessment(request.user, pk)
    if not access.can_export:
        raise PermissionDenied("You cannot download this assessment's data.")
    return assessment


# never_cache: the files can be OFFICIAL-SENSITIVE, so no shared or browser cache keeps them.
@never_cache
@login_required
def export_csv(request: HttpRequest, pk: int, dataset: str) -> HttpResponse:
    assessment = _exportable(request, pk)
    if dataset not in exports.DATASETS:
        raise Http404("There is no such dataset.")
    return attachment(
        exports.csv_bytes(exports.dataset_frame(assessment, dataset)),
        "text/csv; charset=utf-8",
        exports.export_filename(assessment, dataset, "csv"),
    )


@never_cache
@login_required
def export_workbook(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _exportable(request, pk)
    return attachment(
        exports.workbook_bytes(exports.workbook_frames(assessment)),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        exports.export_filename(assessment, None, "xlsx"),
    )


def open_data_index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "assessment/open_data_index.html",
        {
            "editions": list(open_data.published_editions()),
            "minimum": settings.PEER_MINIMUM,
            "licence": open_data.LICENCE,
        },
    )


def open_data_edition(request: HttpRequest, edition_slug: str) -> JsonResponse:
    # A draft edition is unpublished content: as unknown as one that does not exist.
    edition = get_object_or_404(open_data.published_editions(), slug=edition_slug)
    response = JsonResponse(open_data.edition_open_data(edition), json_dumps_params={"indent": 2})
    # Anyone may keep it as long as the server does: a new submission shows within minutes.
    response["Cache-Control"] = f"public, max-age={open_data.CACHE_SECONDS}"
    # Open data: any web page may fetch it.
    response["Access-Control-Allow-Origin"] = "*"
    return response
