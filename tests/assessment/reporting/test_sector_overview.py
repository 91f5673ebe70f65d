"""The sector overview's figures (assessment/reporting/sector.py), by hand."""

import pytest

from assessment.reporting import statistics
from assessment.reporting.scores import result_for
from assessment.reporting.sector import sector_overview
from assessment.scoring import Horizon
from tests.factories import make_submitted_assessment as submitted

pytestmark = pytest.mark.django_db


# The sector ----------------------------------------------------------------------------------


def test_sector_overview_by_hand(council):
    edition = council.assessment.edition
    for level in "0124":
        submitted(edition, {"ai": level, "data": "4"})

    overview = sector_overview(edition)

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
    # AI's answers of "0" are the largest gaps to its target (2, the pace the content sets for
    # an exploratory trend) in the two plans that have them: the commonest Now actions are AI
    # ones.
    assert overview.top_now and overview.top_now[0][0].startswith("ai-")
    assert overview.top_now[0][2] >= 2


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
        assert {key for key, _, _ in sector_overview(edition).top_now} == own, margin
        now[margin] = own

    assert now[15] != now[90]  # the margin matters here, so the test can tell


DIGITAL_TRENDS = ["public-good", "reimagining-services", "community-resilience"]
DIGITAL_TRENDS += ["leadership", "skills-capacity"]
