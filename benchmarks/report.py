"""Measures the maturity report: its documents, made in the background, and its page.

Run with `.venv/bin/python benchmarks/report.py`. It builds a uniquely named throwaway database
(a temporary SQLite file, or `test_<name>_bench_<pid>` on PostgreSQL) with the shipped content
and the demo councils, starts a real worker process (`manage.py db_worker`) on it, and uses
Northshire's complete, submitted assessment. It prints, from one run, wall and CPU time:

- click to file for the first download after submitting, the first after a target change, and
  a repeat download, with the ratio of each first to the repeat (goal ≤ 3×). A person clicks
  "download" after the confirmation page, by which time the worker has made the file: how long
  the worker took after each change is printed too (what a reader who clicks at once waits);
- the worker's CPU time per change (read from /proc), and how many renders another council's
  submission causes straight away (goal: none);
- a warm render of the board summary (goal ≤ 0.7 s) and of the full pack (goal ≤ 2.7 s, the
  figure before this work), with their page counts;
- the report page against a bare view rendering the same base template, cached (goal ≤ 2×)
  and cold.
"""

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.shortcuts import render  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import path, reverse  # noqa: E402

from assessment.models import Assessment, ReportDocument  # noqa: E402
from assessment.reporting import pdf  # noqa: E402
from assessment.reporting.report import report_context, report_fingerprint  # noqa: E402
from assessment.workflow import reopen_assessment, submit_assessment  # noqa: E402
from benchmarks.throwaway import throwaway_database  # noqa: E402
from config.urls import urlpatterns as project_urls  # noqa: E402
from tests.reports import database_url  # noqa: E402
from trends.models import Trend  # noqa: E402

RENDER_ROUNDS = 3
DOWNLOAD_ROUNDS = 20
PAGE_ROUNDS = 100
WORKER_PATIENCE = 180  # seconds to wait for the worker to make a report
GOALS = {
    "first after submit × repeat": 3.0,
    "first after target × repeat": 3.0,
    "renders from a peer's submission": 0,
    "board summary warm (s)": 0.7,
    "full pack warm (s)": 2.7,
    "page × bare, cached": 2.0,
}


def bare(request):
    return render(request, "base.html")


urlpatterns = [path("__bare__/", bare), *project_urls]


def timed(call, rounds: int) -> tuple[float, float]:
    """Median wall and CPU seconds of `rounds` calls."""
    walls, cpus = [], []
    for _ in range(rounds):
        wall, cpu = time.perf_counter(), time.process_time()
        call()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def process_cpu(pid: int) -> float:
    """A process's CPU seconds so far (user + system), as Linux counts them."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def versions(assessment: Assessment) -> dict[str, int]:
    return dict(ReportDocument.objects.filter(assessment=assessment).values_list("kind", "version"))


def wait_for_documents(assessment: Assessment, client: Client) -> float:
    """Seconds until every document of the assessment downloads as a file, polling."""
    started = time.perf_counter()
    urls = [
        reverse("assessment:report_document", args=[assessment.pk, kind])
        for kind in ReportDocument.Kind.values
    ]
    while time.perf_counter() - started < WORKER_PATIENCE:
        if all("Content-Disposition" in client.get(url) for url in urls):
            return time.perf_counter() - started
        time.sleep(0.05)
    raise SystemExit("The worker made no documents: is it running?")


def main() -> int:
    setup_test_environment()
    name = throwaway_database("report")
    old_name = connection.creation.create_test_db(verbosity=0)
    worker = None
    figures: dict[str, tuple[float, float | None]] = {}
    notes = []
    try:
        call_command("load_content", verbosity=0)
        with override_settings(DEBUG=True), open(os.devnull, "w") as quiet:
            call_command("seed_demo", organisations=40, editions=2, verbosity=0, stdout=quiet)
        ReportDocument.objects.all().delete()  # measured from nothing made
        worker = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--no-reload",
                "--no-startup-delay",
                "--interval",
                "0.05",
                "--verbosity",
                "0",
            ],
            cwd=ROOT,
            env=os.environ | {"DATABASE_URL": database_url(name), "DEBUG": "true"},
        )
        assessment = Assessment.objects.select_related("organisation", "edition").get(
            organisation__slug="northshire", edition__slug="digital-trends-2024"
        )
        lead = User.objects.get(username="northshire-lead")
        with override_settings(ROOT_URLCONF=__name__, DEBUG=False):
            client = Client()
            client.force_login(lead)
            url = reverse("assessment:report_document", args=[assessment.pk, "board-summary"])

            wait_for_documents(assessment, client)  # as seeded; the worker has started
            # Resubmitting: the worker makes the documents, then the lead downloads.
            reopen_assessment(assessment=assessment, user=lead, reason="Benchmark.")
            wait_for_documents(assessment, client)  # the reopened draft's
            cpu_before = process_cpu(worker.pid)
            submit_assessment(assessment=assessment, user=lead)
            ready = wait_for_documents(assessment, client)
            notes.append(f"documents ready {ready:.2f} s after submitting")
            figures["worker CPU per change (s)"] = (process_cpu(worker.pid) - cpu_before, None)
            after_submit = timed(lambda: client.get(url), 1)

            # A target changes: the same again.
            ai = Trend.objects.get(slug="ai")
            client.post(
                reverse("assessment:targets", args=[assessment.pk]),
                {f"target-{t.slug}": "3" for t in Trend.objects.all()} | {f"target-{ai.slug}": "4"},
            )
            ready = wait_for_documents(assessment, client)
            notes.append(f"documents ready {ready:.2f} s after a target change")
            after_target = timed(lambda: client.get(url), 1)
            repeat = timed(lambda: client.get(url), DOWNLOAD_ROUNDS)
            figures["first after submit (s)"] = after_submit
            figures["first after target (s)"] = after_target
            figures["repeat download (s)"] = repeat
            figures["first after submit × repeat"] = (after_submit[0] / repeat[0], None)
            figures["first after target × repeat"] = (after_target[0] / repeat[0], None)

            # Another council submits: nothing of Northshire's is made again straight away.
            before = versions(assessment)
            peer = (
                Assessment.objects.filter(status=Assessment.Status.SUBMITTED)
                .exclude(organisation=assessment.organisation)
                .earliest("pk")
            )
            reopen_assessment(assessment=peer, user=lead, reason="Benchmark.")
            submit_assessment(assessment=peer, user=lead)
            started = time.perf_counter()  # until the worker has made the peer's own documents
            current = report_fingerprint(peer)
            while set(peer.documents.values_list("fingerprint", flat=True)) != {current}:
                if time.perf_counter() - started > WORKER_PATIENCE:
                    raise SystemExit("The worker made no documents: is it running?")
                time.sleep(0.05)
            renders = sum(v != before.get(k) for k, v in versions(assessment).items())
            figures["renders from a peer's submission"] = (renders, None)
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=60)

    try:
        with override_settings(ROOT_URLCONF=__name__, DEBUG=False):
            context = report_context(assessment)
            pages = {}
            for label, template in (
                ("board summary", pdf.BOARD_SUMMARY),
                ("full pack", pdf.FULL_PACK),
            ):
                pages[label] = pdf.render_pdf_with_pages(context, template)[1]  # warm
                figures[f"{label} warm (s)"] = timed(
                    lambda t=template: pdf.render_pdf(context, t), RENDER_ROUNDS
                )
            notes.append(
                f"board summary {pages['board summary']} pages, full pack "
                f"{pages['full pack']} pages"
            )

            client = Client()
            client.force_login(lead)
            report_url = reverse("assessment:report", args=[assessment.pk])
            urls = {"bare": "/__bare__/", "report": report_url}
            for page_url in urls.values():
                assert client.get(page_url).status_code == 200
            samples: dict[str, list[float]] = {n: [] for n in urls}
            for _ in range(PAGE_ROUNDS):  # interleaved, so noise hits both alike
                for label, page_url in urls.items():
                    start = time.perf_counter()
                    client.get(page_url)
                    samples[label].append(time.perf_counter() - start)
            bare_s = statistics.median(samples["bare"])
            figures["page × bare, cached"] = (statistics.median(samples["report"]) / bare_s, None)

            def cold():
                cache.clear()
                client.get(report_url)

            cold_s = timed(cold, PAGE_ROUNDS // 4)
            figures["page × bare, cold"] = (cold_s[0] / bare_s, None)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    print(f"{'measure':<36}{'wall':>10}{'cpu':>10}{'goal':>8}")
    missed = False
    for label, (wall, cpu) in figures.items():
        goal = GOALS.get(label)
        ok = goal is None or wall <= goal
        missed |= not ok
        verdict = "" if goal is None else ("ok" if ok else "MISSED")
        cpu_text = "" if cpu is None else f"{cpu:.3f}"
        goal_text = "" if goal is None else f"≤{goal:g}"
        print(f"{label:<36}{wall:>10.3f}{cpu_text:>10}{goal_text:>8} {verdict}")
    print(f"({'; '.join(notes)}; bare view {bare_s * 1000:.2f} ms)")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
