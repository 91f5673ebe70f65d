"""Open data, for anyone: anonymised figures for each published edition (docs/open-data.md)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render

from assessment.reporting import open_data


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
