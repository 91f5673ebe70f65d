"""Measures the maturity report: the PDF warm and cached, and the page against a bare view.

Run with `.venv/bin/python benchmarks/report.py`. It builds a throwaway test database with the
shipped content and the demo councils, then uses Northshire's complete, submitted assessment
(every question answered, with its plan). It prints, from one run:

- the warm render time of the full PDF (WeasyPrint already imported, cache bypassed);
- the time of a cached download (the same PDF again, through the view);
- the ratio of the HTML report page to a bare Django view rendering the same base template,
  as users meet it (its body cached until the report changes), and, for information, the
  page built from scratch.
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

from django.contrib.auth.models import User  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.shortcuts import render  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import path, reverse  # noqa: E402

from assessment.models import Assessment  # noqa: E402
from assessment.reporting.pdf import render_pdf  # noqa: E402
from assessment.reporting.report import report_context  # noqa: E402
from config.urls import urlpatterns as project_urls  # noqa: E402

PDF_ROUNDS = 5
CACHED_ROUNDS = 50
PAGE_ROUNDS = 100
GOALS = {"pdf warm (s)": 0.5, "pdf cached (s)": 0.030, "page × bare": 3.0}


def bare(request):
    return render(request, "base.html")


urlpatterns = [path("__bare__/", bare), *project_urls]


def median_of(samples: list[float]) -> float:
    return statistics.median(samples)


def timed(call, rounds: int) -> float:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        call()
        samples.append(time.perf_counter() - start)
    return median_of(samples)


def main() -> int:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        call_command("load_content", verbosity=0)
        with override_settings(DEBUG=True), open(os.devnull, "w") as quiet:
            call_command("seed_demo", verbosity=0, stdout=quiet)
        assessment = Assessment.objects.get(
            organisation__slug="northshire", edition__slug="digital-trends-2024"
        )
        with override_settings(ROOT_URLCONF=__name__, DEBUG=False):
            client = Client()
            # force_login: signing in is not what is measured, and django-axes refuses a
            # login() that comes with no request.
            client.force_login(User.objects.get(username="northshire-lead"))
            context = report_context(assessment)
            render_pdf(context)  # warm: WeasyPrint imported, fonts loaded
            figures = {"pdf warm (s)": timed(lambda: render_pdf(context), PDF_ROUNDS)}

            pdf_url = reverse("assessment:report_pdf", args=[assessment.pk])
            assert client.get(pdf_url).status_code == 200  # fills the cache
            figures["pdf cached (s)"] = timed(lambda: client.get(pdf_url), CACHED_ROUNDS)

            report_url = reverse("assessment:report", args=[assessment.pk])
            pages = {"bare": "/__bare__/", "report": report_url}
            for url in pages.values():
                assert client.get(url).status_code == 200
            samples: dict[str, list[float]] = {name: [] for name in pages}
            for _ in range(PAGE_ROUNDS):  # interleaved, so noise hits both alike
                for name, url in pages.items():
                    start = time.perf_counter()
                    client.get(url)
                    samples[name].append(time.perf_counter() - start)
            figures["page × bare"] = median_of(samples["report"]) / median_of(samples["bare"])

            def uncached():
                cache.clear()
                client.get(report_url)

            uncached_ms = timed(uncached, PAGE_ROUNDS // 4) * 1000
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    print(f"{'measure':<18}{'median':>10}{'goal':>10}")
    missed = False
    for name, value in figures.items():
        goal = GOALS[name]
        ok = value <= goal
        missed |= not ok
        print(f"{name:<18}{value:>10.3f}{f'≤{goal:g}':>10} {'ok' if ok else 'MISSED'}")
    print(
        f"(bare view {median_of(samples['bare']) * 1000:.2f} ms, report page "
        f"{median_of(samples['report']) * 1000:.2f} ms, built from scratch {uncached_ms:.1f} ms)"
    )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
