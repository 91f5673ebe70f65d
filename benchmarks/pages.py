"""Measures our pages against a bare Django view that renders the same base template.

- home: the public home page, against the bare view for an anonymous visitor;
- section: the largest section of the questionnaire (nine questions, each with seven radios,
  two character counts and a hidden version, some answered), the page officers load most,
  against the bare view for the same signed-in officer.

Run with `.venv/bin/python benchmarks/pages.py`. It builds a throwaway test database with the
shipped content, then times each page through the full middleware stack with Django's test
client, interleaving the pages so that machine noise hits them equally, and prints medians and
the ratio to the bare view. The ratio, not the milliseconds, is the figure to compare between
machines.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.shortcuts import render  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import path, reverse  # noqa: E402

from assessment.models import Assessment  # noqa: E402
from benchmarks.throwaway import throwaway_database  # noqa: E402
from config.urls import urlpatterns as project_urls  # noqa: E402

User = get_user_model()

ROUNDS = 300
# At most this many times the bare view. The home page runs two queries and renders the ten
# trends' summaries; measured at 3.3× on the 2-core development machine (0.9 ms bare). The
# section page runs 11 queries and draws about 80 form controls; measured at 6.1× (2.9 ms
# bare, signed in) once its questions were drawn by our own template, 19.6× when
# crispy-forms-gds drew them.
GOALS = {"home": 4.0, "section": 8.0}


def bare(request):
    return render(request, "base.html")


urlpatterns = [path("__bare__/", bare), *project_urls]


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def main() -> int:
    setup_test_environment()
    throwaway_database("pages")
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        call_command("load_content", verbosity=0)
        with override_settings(DEBUG=True), open(os.devnull, "w") as quiet:
            call_command("seed_demo", verbosity=0, stdout=quiet)
        officer = User.objects.get(username="ashdown-officer")
        assessment = Assessment.objects.get(
            organisation__memberships__user=officer, edition__slug="digital-trends-2024"
        )
        largest = max(
            assessment.edition.trends(),
            key=lambda t: assessment.edition.questions.filter(trend=t).count(),
        )
        with override_settings(ROOT_URLCONF=__name__, DEBUG=False):
            visitor, signed_in = Client(), Client()
            # force_login: signing in is not what is measured, and django-axes refuses a
            # login() that comes with no request.
            signed_in.force_login(officer)
            pages = {
                "bare": (visitor, "/__bare__/"),
                "home": (visitor, "/"),
                "bare signed in": (signed_in, "/__bare__/"),
                "section": (
                    signed_in,
                    reverse("assessment:section", args=[assessment.pk, largest.slug]),
                ),
            }
            for client, url in pages.values():  # warm: templates compiled, connections open
                assert client.get(url).status_code == 200
            timings: dict[str, list[float]] = {name: [] for name in pages}
            for _ in range(ROUNDS):
                for name, (client, url) in pages.items():
                    start = time.perf_counter()
                    client.get(url)
                    timings[name].append(time.perf_counter() - start)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    baseline = {"home": "bare", "section": "bare signed in"}
    print(f"{'page':<16}{'median ms':>12}{'× bare':>10}{'goal':>8}")
    failed = False
    for name, goal in GOALS.items():
        bare_ms = median_ms(timings[baseline[name]])
        ratio = median_ms(timings[name]) / bare_ms
        failed |= ratio > goal
        mark = "ok" if ratio <= goal else "MISSED"
        print(f"{baseline[name]:<16}{bare_ms:>12.2f}{1:>10.2f}{'':>8}")
        print(f"{name:<16}{median_ms(timings[name]):>12.2f}{ratio:>10.2f}{f'≤{goal:g}':>8} {mark}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
