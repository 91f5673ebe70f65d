"""The sector overview's figures (assessment/reporting/sector.py), by hand."""

import pytest

from assessment.reporting import statistics
from assessment.reporting.scores import result_for
from assessment.reporting.sector import sector_overview
from assessment.scoring import Horizon
from tests.factories import make_submitted_assessment as submitted
from trends.models import Question

pytestmark = pytest.mark.django_db


# The sector ----------------------------------------------------------------------------------


def test_sector_overview_by_hand(council):
    edition = council.assessment.edition
    for level in "0124":
        submitted(edition, {"ai": level, "data": "4"})

    overview = sector_overview(edition)

    assert (overview.started, overview.submitted) == (5, 4)  # Ashdown has started only
    ai = next(d for d in overview.distributions if d.key == "ai")
    # 0, 25, 50, 100: quartiles at positions 0.75, 1.5 and 2.25, so 18.75, 37.5 and 62.5,
    # written whole as the report writes scores (rounded half up), so the chart reads the same.
    assert (ai.minimum, ai.lower_quartile, ai.median, ai.upper_quartile, ai.maximum) == (
        0,
        19,
        38,
        63,
        100,
    )
    assert overview.weakest[0].key == "ai"
    # AI's answers of "0" are the largest gaps to its target (2, the pace the content sets for
    # an exploratory trend) in the two plans that have them: the commonest Now actions are AI
    # ones, named by their action and trend.
    first = overview.top_now[0]
    question = edition.questions.get(key=first.key)
    assert first.key.startswith("ai-") and first.count == 2
    assert (first.action, first.trend) == (question.action, "Artificial intelligence")


def test_the_weakest_trends_are_chosen_on_their_medians_before_rounding(council):
    # Data scores 0, 25, 50 and 100: a median of 37.5. AI the same, but for one answer a level
    # higher on a question weighing 1 against the others' 5 each (41 in all): 25 + 25 / 41 for
    # the second council, a median of 37.8. Both are written 38; data is the weaker.
    edition = council.assessment.edition
    ai = list(edition.questions.filter(trend__slug="ai").order_by("order"))
    Question.objects.filter(pk__in=[q.pk for q in ai[1:]]).update(weight=5)
    for level in "0124":
        assessment = submitted(edition, {"ai": level, "data": level})
        if level == "1":
            assessment.answers.filter(question=ai[0]).update(response="2")
    statistics.refresh(edition)

    overview = sector_overview(edition)

    assert [(d.key, d.median) for d in overview.weakest[:2]] == [("data", 38), ("ai", 38)]


def test_the_commonest_now_actions_rank_as_each_organisations_own_plan(council, settings):
    # Strong technology but for data, digital trends at Developing: masking at a 15-point
    # margin, which puts digital actions first among equals; not at 90. The tally follows
    # the service's margin, as the organisation's own plan does.
    edition = council.assessment.edition
    levels = {slug: "2" for slug in DIGITAL_TRENDS}
    levels |= {"ai": "4", "data": "1", "cyber": "4", "geospatial": "4", "infrastructure-cloud": "4"}
    assessment = submitted(edition, levels)
    now = {}
    for margin in (15, 90):
        settings.BALANCE_MARGIN = margin
        own = {a.question.key for a in result_for(assessment).horizon(Horizon.NOW)}
        # A new margin leaves the stored statistics behind, until they are worked out again.
        assert sector_overview(edition).behind == (margin == 90)
        statistics.refresh(edition)
        assert {a.key for a in sector_overview(edition).top_now} == own, margin
        now[margin] = own

    assert now[15] != now[90]  # the margin matters here, so the test can tell


DIGITAL_TRENDS = ["public-good", "reimagining-services", "community-resilience"]
DIGITAL_TRENDS += ["leadership", "skills-capacity"]
