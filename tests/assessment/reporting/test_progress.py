"""Progress since the previous submitted assessment (assessment/reporting/progress.py)."""

import pytest

from assessment.models import Answer, Assessment
from assessment.reporting.progress import progress
from assessment.reporting.scores import result_for
from tests.factories import make_edition, make_question
from tests.factories import make_submitted_assessment as submitted
from trends.models import Trend

pytestmark = pytest.mark.django_db


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

    report = progress(council.assessment, result_for(council.assessment))

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
    report = progress(council.assessment, result_for(council.assessment))

    assert report.previous is None and report.changes == ()
