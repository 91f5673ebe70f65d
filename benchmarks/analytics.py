"""Measures the sector-wide analytics as the number of organisations grows.

Run with `.venv/bin/python benchmarks/analytics.py`. For 100, 200, 400 and 800 fictional
organisations, each with submitted 2023 and 2024 assessments of the full questionnaire, it
fills a throwaway test database (emptied before each size) with the shipped content and
`seed_demo --organisations N --editions 2` (the data the demo shows, plus its four named
councils), then times, for the 2024 edition and loading queries included:

- one organisation's peer comparison in its chosen group (`compare_with_peers`, with the
  scores it compares), as every report page and PDF made afresh computes it: every submitted
  answer of the edition is scored to find the peers' quartiles;
- the admins' sector overview (`sector_overview`).

Each has its own goal at 400 organisations (about every council in the UK). Until December
2026 a third measure timed every organisation's peer figures at once, with a goal of 0.3 s
for it and the overview together; that code served nothing but this script and was removed,
so the report's own comparison is measured instead.

It prints the median wall time of a few rounds with the CPU time of the same rounds beside it
(the machine is shared: a wall time well above its CPU time was waiting, not working), the
queries each took, how long seeding took, and the ratio of each size's time to the previous
size's against the ratio of the sizes: a cost that grows no faster than the data keeps the
ratio at or below the sizes' (2×), with a little room for noise.
"""

import gc
import itertools
import os
import statistics
import sys
import time
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

from assessment.models import Assessment  # noqa: E402
from assessment.reporting.peers import compare_with_peers  # noqa: E402
from assessment.reporting.scores import result_for  # noqa: E402
from assessment.reporting.sector import sector_overview  # noqa: E402
from trends.models import Edition  # noqa: E402

SIZES = (100, 200, 400, 800)
ROUNDS = 7
GOAL_SIZE = 400  # about every council in the UK
# A report's comparison is part of making the report: well under the page's budget.
PEERS_GOAL_SECONDS = 0.15
SECTOR_GOAL_SECONDS = 0.3
# Each at most this many times the previous size's time, when the sizes double: no worse than
# linear, with room for noise.
GROWTH_GOAL = 2.2
# Seeding 400 organisations × 2 editions, as `seed_demo` runs for `make run` (the demo sign-ins'
# password hashing included).
SEED_GOAL_SECONDS = 20
MEASURES = {"peers": "a report's peer comparison", "sector": "the sector overview"}


def peer_figures(assessment: Assessment) -> None:
    compare_with_peers(assessment, result_for(assessment), assessment.organisation.peer_group)


def measure(call) -> tuple[float, float, int]:
    """The median wall time of `call` over ROUNDS rounds, the CPU time per round over the same
    rounds, and the queries one round makes."""
    with CaptureQueriesContext(connection) as queries:
        call()  # warm, and counted
    gc.collect()  # not the seeding's garbage
    samples = []
    cpu_start = time.process_time()
    for _ in range(ROUNDS):
        start = time.perf_counter()
        call()
        samples.append(time.perf_counter() - start)
    cpu = (time.process_time() - cpu_start) / ROUNDS
    return statistics.median(samples), cpu, len(queries)


def measure_size(size: int) -> dict[str, float]:
    # Emptied first: seeding is idempotent, so what an earlier size left would not be seeded
    # again (and an in-memory SQLite test database outlives its "destruction").
    call_command("flush", interactive=False, verbosity=0)
    call_command("load_content", verbosity=0)
    start = time.perf_counter()
    with override_settings(DEBUG=True), open(os.devnull, "w") as quiet:
        call_command("seed_demo", organisations=size, editions=2, stdout=quiet)
    seeding = time.perf_counter() - start
    reset_queries()  # seeding's log of queries is full: counting needs it empty
    edition = Edition.objects.get(slug="digital-trends-2024")
    submitted = edition.assessments.filter(status=Assessment.Status.SUBMITTED).count()
    # A named council's report, as its lead would read it: seeded submitted, with its peers.
    assessment = Assessment.objects.select_related("organisation", "edition").get(
        organisation__slug="northshire", edition=edition
    )
    figures: dict[str, float] = {"submitted": submitted, "seeding": seeding}
    calls = {"peers": lambda: peer_figures(assessment), "sector": lambda: sector_overview(edition)}
    for name, call in calls.items():
        figures[name], figures[f"{name} cpu"], figures[f"{name} queries"] = measure(call)
    return figures


def main() -> int:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        figures = {size: measure_size(size) for size in SIZES}
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()

    print(
        f"{'organisations':>13}{'2024 submitted':>15}{'seed (s)':>10}{'peers (s)':>11}"
        f"{'cpu':>7}{'queries':>8}{'sector (s)':>12}{'cpu':>7}{'queries':>8}"
        "   growth on the size before (×2): peers, sector"
    )
    for size, f in figures.items():
        growth = ""
        previous = figures.get(size // 2)
        if previous:
            growth = "   " + ", ".join(f"{f[name] / previous[name]:.2f}×" for name in MEASURES)
        print(
            f"{size:>13}{f['submitted']:>15}{f['seeding']:>10.2f}{f['peers']:>11.3f}"
            f"{f['peers cpu']:>7.3f}{f['peers queries']:>8}{f['sector']:>12.3f}"
            f"{f['sector cpu']:>7.3f}{f['sector queries']:>8}{growth}"
        )

    at_goal = figures[GOAL_SIZE]
    results = [
        (f"{MEASURES['peers']}, {GOAL_SIZE} (s)", at_goal["peers"], PEERS_GOAL_SECONDS, ".3f"),
        (f"{MEASURES['sector']}, {GOAL_SIZE} (s)", at_goal["sector"], SECTOR_GOAL_SECONDS, ".3f"),
        (f"seeding {GOAL_SIZE} × 2 editions (s)", at_goal["seeding"], SEED_GOAL_SECONDS, ".2f"),
    ]
    for before, after in itertools.pairwise(SIZES):
        goal = GROWTH_GOAL * (after / before) / 2
        for name, label in MEASURES.items():
            ratio = figures[after][name] / figures[before][name]
            results.append((f"{label}, {before} → {after} (×)", ratio, goal, ".2f"))
    print(f"\n{'goal':<44}{'measured':>10}{'goal':>8}")
    missed = False
    for name, value, goal, style in results:
        missed |= value > goal
        print(
            f"{name:<44}{value:>10{style}}{f'≤{goal:g}':>8} {'ok' if value <= goal else 'MISSED'}"
        )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
