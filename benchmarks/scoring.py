"""Measures the scoring engine against a plain loop that only adds up the answers' levels.

Run with `.venv/bin/python benchmarks/scoring.py`. It needs no database and no Django: it
reads the 2024 edition as shipped from fixtures/ (its trends with their default targets, its
questions with their weights, the dependencies) and makes 400 seeded random assessments of
it, then times `score_assessment` on one
assessment and on all 400, interleaving each run of the 400 with a run of the bare loop so
that machine noise hits both equally. Building the `Answer` objects is not timed: the reports
load them once and hand them over. The ratio to the bare loop, not the milliseconds, is the
figure to compare between machines; it is what the model (weights, "not applicable", "don't
know", the indexes, the ranked action plan) costs over the raw arithmetic.
"""

import json
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assessment.scoring import (
    TECHNOLOGY,
    TOP_LEVEL,
    Answer,
    Questionnaire,
    QuestionSpec,
    TrendSpec,
    score_assessment,
)

ASSESSMENTS = 400
SEED = 2024
SINGLE_ROUNDS = 3000  # one assessment each, cycling through the 400
BATCH_ROUNDS = 21  # all 400 each, interleaved with the bare loop
# Under this many seconds to score all 400, about one assessment from every council in the UK,
# as a comparison across all of them would. Measured at 0.12 s on the 2-core development
# machine once each action was built once and the indexes used fmean (0.19 s before); 0.15 s
# with the 79-question edition and foundations first as a rule of sequence.
# The ratio to the bare loop has no goal: it says what the model costs, not whether that is
# too much.
BATCH_GOAL = 0.2

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
EDITION = FIXTURES / "editions" / "digital-trends-2024.json"

Assessment = tuple[tuple[Answer, ...], dict[str, int] | None]


def build_questionnaire() -> Questionnaire:
    """The shipped 2024 edition, as `reporting.scores.questionnaire_for` would build it."""
    content = json.loads((FIXTURES / "trends.json").read_text())
    trends = tuple(
        TrendSpec(
            row["fields"]["slug"],
            row["fields"]["title"],
            row["fields"]["family"],
            row["fields"]["number"],
            default_target=row["fields"].get("default_target", 3),
        )
        for row in content
        if row["model"] == "trends.trend"
    )
    links = [
        (row["fields"]["foundation"][0], row["fields"]["dependent"][0], row["fields"]["kind"])
        for row in content
        if row["model"] == "trends.trenddependency"
    ]
    dependencies = tuple((f, d) for f, d, _ in links)
    prerequisites = tuple((f, d) for f, d, kind in links if kind == "prerequisite")
    questions = tuple(
        QuestionSpec(
            key=row["fields"]["key"],
            trend=row["fields"]["trend"][0],
            order=row["fields"]["order"],
            statement=row["fields"]["statement"],
            action=row["fields"]["action"],
            citation=row["fields"]["citation"],
            weight=float(row["fields"]["weight"]),
        )
        for row in json.loads(EDITION.read_text())
        if row["model"] == "trends.question"
    )
    return Questionnaire(trends, questions, dependencies, prerequisites)


def build_assessment(rng: random.Random, questionnaire: Questionnaire) -> Assessment:
    # Each council sits somewhere on the scale, its technology a little ahead of or behind its
    # digital work, so scores, balance findings and action plans vary between them.
    maturity = rng.uniform(0.5, 3.5)
    lean = rng.gauss(0.3, 0.6)
    technology = {t.slug for t in questionnaire.trends if t.family == TECHNOLOGY}
    answers = []
    for q in questionnaire.questions:
        draw = rng.random()
        if draw < 0.08:
            continue  # not answered yet
        evidence = rng.random() < 0.3
        if draw < 0.13:
            answers.append(Answer(q.key, not_applicable=True, has_evidence=evidence))
        elif draw < 0.20:
            answers.append(Answer(q.key, dont_know=True))
        else:
            mean = maturity + lean if q.trend in technology else maturity
            level = min(TOP_LEVEL, max(0, round(rng.gauss(mean, 1))))
            answers.append(Answer(q.key, level=level, has_evidence=evidence))
    rng.shuffle(answers)  # forms save answers in any order
    targets = None
    if rng.random() < 0.25:
        chosen = rng.sample([t.slug for t in questionnaire.trends], rng.randint(1, 3))
        targets = {slug: rng.choice((2, 4)) for slug in chosen}
    return tuple(answers), targets


def score_all(questionnaire: Questionnaire, assessments: Sequence[Assessment]) -> None:
    for answers, targets in assessments:
        score_assessment(questionnaire, answers, targets=targets)


def sum_levels(assessments: Sequence[Assessment]) -> None:
    for answers, _targets in assessments:
        total = 0
        for answer in answers:
            if answer.level is not None:
                total += answer.level


def seconds(run: Callable[[], None]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def main() -> int:
    rng = random.Random(SEED)
    questionnaire = build_questionnaire()
    assessments = [build_assessment(rng, questionnaire) for _ in range(ASSESSMENTS)]

    def engine() -> None:
        score_all(questionnaire, assessments)

    def bare() -> None:
        sum_levels(assessments)

    engine()  # warm: every code path taken once before timing
    bare()

    single = []
    for i in range(SINGLE_ROUNDS):
        answers, targets = assessments[i % ASSESSMENTS]
        start = time.perf_counter()
        score_assessment(questionnaire, answers, targets=targets)
        single.append(time.perf_counter() - start)
    batch: list[float] = []
    loop: list[float] = []
    cpu = 0.0
    for _ in range(BATCH_ROUNDS):
        cpu_start = time.process_time()
        batch.append(seconds(engine))
        cpu += time.process_time() - cpu_start
        loop.append(seconds(bare))

    one_ms = statistics.median(single) * 1000
    batch_s, loop_s = statistics.median(batch), statistics.median(loop)
    missed = batch_s >= BATCH_GOAL
    print(
        f"The 2024 edition: {len(questionnaire.questions)} questions, "
        f"{len(questionnaire.dependencies)} dependencies "
        f"({len(questionnaire.prerequisites)} of them prerequisites)"
    )
    print(f"{'measure':<24}{'median':>12}{'goal':>10}")
    print(f"{'one assessment':<24}{f'{one_ms:.3f} ms':>12}")
    print(
        f"{f'{ASSESSMENTS} assessments':<24}{f'{batch_s:.3f} s':>12}"
        f"{f'<{BATCH_GOAL:g} s':>10} {'MISSED' if missed else 'ok'}"
        f"   (CPU {cpu / BATCH_ROUNDS:.3f} s a round: a wall time well above it was waiting)"
    )
    print(f"{f'{ASSESSMENTS} × sum of levels':<24}{f'{loop_s * 1000:.3f} ms':>12}")
    print(f"{'engine × sum of levels':<24}{f'{batch_s / loop_s:.0f}×':>12}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
