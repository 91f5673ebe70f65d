from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from trends.models import Edition, Family, Trend


def home(request: HttpRequest) -> HttpResponse:
    # The front door says what the service is for and shows the trends it assesses, so a
    # council officer arriving from an email link knows they are in the right place.
    trends = list(Trend.objects.all())
    edition = Edition.objects.filter(status=Edition.Status.PUBLISHED).order_by("-year").first()
    return render(
        request,
        "assessment/home.html",
        {
            "edition": edition,
            "digital_trends": [t for t in trends if t.family == Family.DIGITAL],
            "technology_trends": [t for t in trends if t.family == Family.TECHNOLOGY],
        },
    )
