"""Measures the sector-wide analytics as the number of organisations grows.

Run with `.venv/bin/python benchmarks/analytics.py [--organisations 4000]`. For the number of
organisations given (800 by default, at most 4,000: every council, and other public bodies)
and its half, quarter and eighth, each organisation with submitted 2023 and 2024 assessments of
the full questionnaire, it fills a throwaway database named for the run (emptied before each
size) with the shipped content and `seed_demo --organisations N --editions 2` (the data the
demo shows, plus its four named councils), works out the 2024 edition's statistics as the
background worker does after a submission, then times, for the 2024 edition, loading queries
included:

- a report's context (`report_context`: the page's, and each document's, contents, its peer
  comparison included), for one of the named councils;
- the admins' sector overview (`sector_overview`), which is never cached;
- the sector CSV's rows (`sector_frame`);
- the open data, built afresh (`build_open_data`), as when its short cache is empty;
- the worker's refresh of the edition's statistics (`statistics.refresh`): every submitted
  answer scored and every plan ranked, the work no page does any more.

It prints, for each, the median wall time of a few rounds with the CPU time (`process_time`)
of the same rounds beside it, and the queries one round makes; how long seeding took; and the
growth of each CPU time on the size before, against the sizes' ratio (2×): CPU time, because
a machine busy with something else makes wall times wander, and could make 800 organisations
look faster than 400. A cost that grows no faster than the data keeps the ratio at or below
2×, with a little room for noise; the pages' costs should barely grow at all.

Goals: at 400 organisations (about every council in the UK) the overview and seeding as
before; at 4,000, the overview within 0.5 s and a report's context within 0.2 s; and at every
size the same number of queries for each measure.
"""

import argparse
import gc
import itertools
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import override_settings  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_test_environment,
    teardown_test_environment,
)

from assessment.demo import MAX_PEERS  # noqa: E402
from assessment.models import Assessment  # noqa: E402
from assessment.reporting import statistics as edition_statistics  # noqa: E402
from assessment.reporting.open_data import build_open_data  # noqa: E402
from assessment.reporting.report import report_context  # noqa: E402
from assessment.reporting.sector import sector_frame, sector_overview  # noqa: E402
from benchmarks.throwaway import throwaway_database  # noqa: E402
from trends.models import Edition  # noqa: E402

ROUNDS = 7
REFRESH_ROUNDS = 3  # seconds each at 4,000 organisations
MEASURES = {
    "context": "a report's context",
    "sector": "the sector overview",
    "csv": "the sector CSV's rows",
    "open data": "the open data, built afresh",
    "refresh": "the worker's refresh",
}
# Goals in seconds of wall time, at a size measured: 400 is about every council in the UK;
# 4,000 every public body too.
GOALS = {
    400: {"sector": 0.3},
    4000: {"sector": 0.5, "context": 0.2},
}
# Seeding 400 organisations × 2 editions, as `seed_demo` runs for `make run` (the demo sign-ins'
# password hashing included).
SEED_GOAL = (400, 20)
# Each CPU time at most this many times the previous size's, when the sizes double: no worse
# than linear, with room for noise.
GROWTH_GOAL = 2.2


def measure(call: Callable[[], object], rounds: int) -> tuple[float, float, int]:
    """The median wall time of `call` over the rounds, the CPU time per round over the same
    rounds, and the queries one round makes."""
    with CaptureQueriesContext(connection) as queries:
        call()  # warm, and counted
    gc.collect()  # not the seeding's garbage
    samples = []
    cpu_start = time.process_time()
    for _ in range(rounds):
        start = time.perf_counter()
        call()
        samples.append(time.perf_counter() - start)
    cpu = (time.process_time() - cpu_start) / rounds
    return statistics.median(samples), cpu, len(queries)


def measure_size(size: int) -> dict[str, float]:
    # Emptied first: seeding is idempotent, so what an earlier size left would not be seeded
    # again.
    call_command("flush", interactive=False, verbosity=0)
    call_command("load_content", verbosity=0)
    start = time.perf_counter()
    with override_settings(DEBUG=True), open(os.devnull, "w") as quiet:
        call_command("seed_demo", organisations=size, editions=2, stdout=quiet)
    seeding = time.perf_counter() - start
    reset_queries()  # seeding's log of queries is full: counting needs it empty
    edition = Edition.objects.get(slug="digital-trends-2024")
    edition_statistics.refresh(edition)  # as the worker does after the last submission
    submitted = edition.assessments.filter(status=Assessment.Status.SUBMITTED).count()
    # A named council's report, as its lead would read it: seeded submitted, with its peers.
    pk = Assessment.objects.get(organisation__slug="northshire", edition=edition).pk

    def context() -> None:
        report_context(Assessment.objects.select_related("organisation", "edition").get(pk=pk))

    figures: dict[str, float] = {"submitted": submitted, "seeding": seeding}
    calls = {
        "context": (context, ROUNDS),
        "sector": (lambda: sector_overview(edition), ROUNDS),
        "csv": (lambda: sector_frame(edition, leave_out_names=False), ROUNDS),
        "open data": (lambda: build_open_data(edition), ROUNDS),
        "refresh": (lambda: edition_statistics.refresh(edition), REFRESH_ROUNDS),
    }
    for name, (call, rounds) in calls.items():
        figures[name], figures[f"{name} cpu"], figures[f"{name} queries"] = measure(call, rounds)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--organisations",
        type=int,
        default=800,
        help=f"the largest size measured, 8 to {MAX_PEERS}; its half, quarter and eighth too",
    )
    largest = parser.parse_args().organisations
    if not 8 <= largest <= MAX_PEERS:
        parser.error(f"--organisations must be between 8 and {MAX_PEERS}")
    sizes = [largest // 8, largest // 4, largest // 2, largest]

    setup_test_environment()
    throwaway_database("analytics")
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        figures = {size: measure_size(size) for size in sizes}
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()

    print(f"on {connection.vendor}; median wall time (s) | CPU time (s) | queries")
    print(f"{'organisations':>13}{'submitted':>10}{'seed (s)':>9}", end="")
    for name in MEASURES:
        print(f"{name:>24}", end="")
    print()
    for size, f in figures.items():
        print(f"{size:>13}{f['submitted']:>10}{f['seeding']:>9.1f}", end="")
        for name in MEASURES:
            cell = f"{f[name]:.3f} | {f[f'{name} cpu']:.3f} | {f[f'{name} queries']}"
            print(f"{cell:>24}", end="")
        print()
    print("\ngrowth of CPU time on the size before (the sizes double):")
    for before, after in itertools.pairwise(sizes):
        growth = ", ".join(
            f"{name} {figures[after][f'{name} cpu'] / figures[before][f'{name} cpu']:.2f}×"
            for name in MEASURES
        )
        print(f"  {before} → {after}: {growth}")

    results = []
    for size, goals in GOALS.items():
        for name, goal in goals.items():
            if size in figures:
                results.append((f"{MEASURES[name]}, {size} (s)", figures[size][name], goal, ".3f"))
    seed_size, seed_goal = SEED_GOAL
    if seed_size in figures:
        results.append(
            (
                f"seeding {seed_size} × 2 editions (s)",
                figures[seed_size]["seeding"],
                seed_goal,
                ".2f",
            )
        )
    for before, after in itertools.pairwise(sizes):
        goal = GROWTH_GOAL * (after / before) / 2
        for name, label in MEASURES.items():
            ratio = figures[after][f"{name} cpu"] / figures[before][f"{name} cpu"]
            results.append((f"{label}, CPU, {before} → {after} (×)", ratio, goal, ".2f"))
    for name, label in MEASURES.items():
        counts = {figures[size][f"{name} queries"] for size in sizes}
        results.append((f"{label}: queries vary by", max(counts) - min(counts), 0, "d"))
    print(f"\n{'goal':<52}{'measured':>10}{'goal':>8}")
    missed = False
    for name, value, goal, style in results:
        missed |= value > goal
        print(
            f"{name:<52}{value:>10{style}}{f'≤{goal:g}':>8} {'ok' if value <= goal else 'MISSED'}"
        )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
