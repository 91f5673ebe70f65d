"""Peer benchmarks, progress and the sector overview (assessment/benchmarks.py).

Hand-computed quartiles on small fixtures, the anonymity threshold at its edge, the pandas
scores held to the scoring engine's, and the fast all-organisations figures held to the
plain definition.
"""

import math

import numpy as np
import pandas as pd
import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from assessment import benchmarks
from assessment.models import Answer, Assessment, PeerGroup
from assessment.results import result_for
from assessment.scoring import Answer as EngineAnswer
from assessment.scoring import Questionnaire, QuestionSpec, TrendSpec, score_assessment
from tests.factories import make_edition, make_question
from tests.factories import make_submitted_assessment as submitted
from trends.models import Trend

pytestmark = pytest.mark.django_db


def figure(benchmark, key):
    return next(f for f in benchmark.figures if f.key == key)


# Peer benchmarks -----------------------------------------------------------------------------


def test_quartiles_of_six_peers_by_hand(council):
    # AI scores of the peers: 0, 25, 25, 50, 75 and 100. Linear quartiles of six values sit
    # at positions 1.25, 2.5 and 3.75 of the sorted list: 25, 25 + 0.5 × 25 = 37.5 and
    # 50 + 0.75 × 25 = 68.75.
    for level in "011234":
        submitted(council.assessment.edition, {"ai": level})

    benchmark = benchmarks.peer_benchmark(
        council.assessment, result_for(council.assessment), PeerGroup.KIND
    )

    ai = figure(benchmark, "ai")
    assert benchmark.enough and benchmark.peers == 6
    assert (ai.peers, ai.lower_quartile, ai.median, ai.upper_quartile) == (6, 25, 37.5, 68.75)
    assert ai.score is None and ai.position == ""  # Ashdown has not answered yet


def test_four_peers_show_nothing_and_five_show_figures(council, settings):
    settings.PEER_MINIMUM = 5
    for level in "1234":
        submitted(council.assessment.edition, {"ai": level, "cyber": level})

    four = benchmarks.peer_benchmark(
        council.assessment, result_for(council.assessment), PeerGroup.KIND
    )
    assert not four.enough and four.peers == 4
    assert all(f.median is None and f.lower_quartile is None for f in four.figures)

    submitted(council.assessment.edition, {"ai": "0", "cyber": "0"})
    five = benchmarks.peer_benchmark(
        council.assessment, result_for(council.assessment), PeerGroup.KIND
    )
    assert five.enough
    # 0, 25, 50, 75, 100: quartiles at positions 1, 2 and 3.
    assert (figure(five, "ai").lower_quartile, figure(five, "ai").median) == (25, 50)
    assert figure(five, "cyber").upper_quartile == 75
    # A trend nobody answered has no figures, however many peers there are.
    assert figure(five, "geospatial").median is None


def test_peers_are_only_the_chosen_group_and_never_the_organisation_itself(council, settings):
    settings.PEER_MINIMUM = 3
    edition = council.assessment.edition
    for level in "444":
        submitted(edition, {"ai": level}, kind="county")  # another type: not a district's peer
    for level in "000":
        submitted(edition, {"ai": level})  # districts, like Ashdown
    council.assessment.answers.all().delete()
    Answer.objects.bulk_create(
        Answer(assessment=council.assessment, question=q, response="4")
        for q in edition.questions.filter(trend__slug="ai")
    )
    Assessment.objects.filter(pk=council.assessment.pk).update(
        status=Assessment.Status.SUBMITTED, submitted_at=timezone.now()
    )
    council.assessment.refresh_from_db()

    by_kind = benchmarks.peer_benchmark(
        council.assessment, result_for(council.assessment), PeerGroup.KIND
    )
    everyone = benchmarks.peer_benchmark(
        council.assessment, result_for(council.assessment), PeerGroup.ALL
    )

    # Ashdown's own 100 is not among its peers' figures: three districts at 0.
    assert by_kind.peers == 3 and figure(by_kind, "ai").median == 0
    assert figure(by_kind, "ai").score == 100
    assert figure(by_kind, "ai").position == "Above the middle half"
    assert everyone.peers == 6 and figure(everyone, "ai").median == 50


@given(
    values=st.lists(
        st.one_of(st.none(), st.floats(min_value=0, max_value=100, allow_nan=False)),
        min_size=1,
        max_size=12,
    ),
    minimum=st.integers(min_value=1, max_value=6),
)
@settings(max_examples=300, deadline=None)
def test_each_members_figures_are_the_quartiles_of_the_others(values, minimum):
    array = np.array([np.nan if v is None else v for v in values], dtype=float)

    figures = benchmarks._leave_one_out(array, minimum)

    for i in range(len(array)):
        others = np.delete(array, i)
        others = others[~np.isnan(others)]
        row = figures.iloc[i]
        assert row["peers"] == len(others)
        if len(others) >= minimum and len(array) - 1 >= minimum:
            expected = np.quantile(others, benchmarks.QUARTILES)
            got = [row["lower_quartile"], row["median"], row["upper_quartile"]]
            assert np.allclose(got, expected), (i, others, got, expected)
        else:
            assert row[["lower_quartile", "median", "upper_quartile"]].isna().all()


def test_all_peer_benchmarks_match_each_organisations_report(council, settings):
    settings.PEER_MINIMUM = 3
    edition = council.assessment.edition
    regions = ["North West", "North West", "South East", "South East", "North West"]
    for n, region in enumerate(regions * 2):
        submitted(edition, {"ai": str(n % 5), "data": str((n * 3) % 5)}, region=region)
    scores = benchmarks.score_frame(
        benchmarks.submitted_answers(edition), benchmarks.trend_families()
    )

    everything = benchmarks.all_peer_benchmarks(scores, benchmarks.organisations(), 3)

    for assessment in Assessment.objects.filter(status=Assessment.Status.SUBMITTED)[:4]:
        for group in PeerGroup.values:
            one = benchmarks.peer_benchmark(assessment, result_for(assessment), group)
            for key in ("ai", "data", "digital", "technology"):
                row = everything.loc[(assessment.pk, group, key)]
                mine = figure(one, key)
                assert row["peers"] == mine.peers
                assert _same(row["median"], mine.median), (group, key)
                assert _same(row["lower_quartile"], mine.lower_quartile), (group, key)


def _same(a, b) -> bool:
    if b is None:
        return bool(pd.isna(a))
    return math.isclose(a, b)


# Scores: pandas and the engine agree ---------------------------------------------------------

RESPONSES = ["0", "1", "2", "3", "4", "na", "dont_know"]


@given(
    data=st.data(),
    shape=st.lists(st.integers(min_value=1, max_value=4), min_size=2, max_size=5),
)
@settings(max_examples=150, deadline=None)
def test_pandas_scores_are_the_engines(data, shape):
    trends = tuple(
        TrendSpec(f"t{n}", f"Trend {n}", ("digital", "technology")[n % 2], n)
        for n in range(len(shape))
    )
    questions = tuple(
        QuestionSpec(f"t{n}-{k}", f"t{n}", k, "", "", "", data.draw(st.integers(1, 5)))
        for n, count in enumerate(shape)
        for k in range(count)
    )
    questionnaire = Questionnaire(trends, questions)
    rows, engine_answers = [], []
    for assessment in range(3):
        for q in questions:
            response = data.draw(st.sampled_from([*RESPONSES, None]))
            if response is None:
                continue  # unanswered
            rows.append((assessment, assessment, q.key, q.key, q.trend, q.weight, response))
            if assessment == 0:
                engine_answers.append(
                    EngineAnswer(
                        q.key,
                        level=int(response) if response.isdigit() else None,
                        not_applicable=response == "na",
                        dont_know=response == "dont_know",
                    )
                )
    frame = benchmarks._answer_frame(rows)
    if not len(frame[frame["assessment"] == 0]):
        return

    scores = benchmarks.score_frame(frame, {t.slug: t.family for t in trends}).loc[0]
    result = score_assessment(questionnaire, engine_answers)

    for trend in result.trends:
        got = scores.get(trend.trend.slug, np.nan)
        assert _same(got, trend.score), trend.trend.slug
    assert _same(scores["digital"], result.digital_index)
    assert _same(scores["technology"], result.technology_index)
    assert _same(scores["overall"], result.overall)


# Progress over time --------------------------------------------------------------------------


def test_progress_through_lineage_and_by_trend(council):
    older = make_edition(year=2019, slug="trends-2019", title="Trends 2019", status="retired")
    ai, data = Trend.objects.get(slug="ai"), Trend.objects.get(slug="data")
    old_ai = make_question(older, ai, key="old-ai", weight=1)
    make_question(older, data, key="old-data", weight=1)
    edition = council.assessment.edition
    continuing = edition.questions.filter(trend=ai).order_by("order").first()
    continuing.continues = old_ai
    continuing.save()
    before = submitted(older, {"ai": "1", "data": "2"})
    council.assessment.organisation = before.organisation
    Assessment.objects.filter(pk=council.assessment.pk).update(organisation=before.organisation)
    council.assessment.refresh_from_db()
    Answer.objects.bulk_create(
        Answer(assessment=council.assessment, question=q, response="3")
        for q in edition.questions.filter(trend__slug__in=["ai", "data"])
    )

    report = benchmarks.progress(council.assessment, result_for(council.assessment))

    assert report.previous is not None and report.previous.pk == before.pk
    changes = {c.key: c for c in report.changes}
    # AI: the one question that continues, 3 now against 1 then: 75 against 25.
    assert (changes["ai"].method, changes["ai"].linked) == ("lineage", 1)
    assert (changes["ai"].now, changes["ai"].before, changes["ai"].delta) == (75, 25, 50)
    assert changes["ai"].how == "Question by question: 1 question continues"
    # Data: no lineage, so the trend's whole score: 75 now against 50 then.
    assert (changes["data"].method, changes["data"].delta) == ("trend", 25)
    assert changes["data"].how == "By trend score: no question continues"
    assert changes["cyber"].method == "" and changes["cyber"].delta is None


def test_no_progress_without_an_earlier_submitted_assessment(council):
    report = benchmarks.progress(council.assessment, result_for(council.assessment))

    assert report.previous is None and report.changes == ()


# The sector ----------------------------------------------------------------------------------


def test_sector_overview_by_hand(council):
    edition = council.assessment.edition
    for level in "0124":
        submitted(edition, {"ai": level, "data": "4"})

    overview = benchmarks.sector_overview(edition)

    assert (overview.started, overview.submitted) == (5, 4)  # Ashdown has started only
    ai = next(d for d in overview.distributions if d.key == "ai")
    # 0, 25, 50, 100: quartiles at positions 0.75, 1.5 and 2.25.
    assert (ai.minimum, ai.lower_quartile, ai.median, ai.upper_quartile, ai.maximum) == (
        0,
        18.75,
        37.5,
        62.5,
        100,
    )
    assert overview.weakest[0].key == "ai"
    # Every AI answer below target 3 puts AI questions first in each plan: "0" (gap 3) beats
    # every other; the commonest Now actions are AI ones.
    assert overview.top_now and overview.top_now[0][0].startswith("ai-")
    assert overview.top_now[0][2] >= 3
