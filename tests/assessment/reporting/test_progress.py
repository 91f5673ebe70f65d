"""Progress since the previous submitted assessment (assessment/reporting/progress.py): only on
enough comparable ground, and labelled as the measure it is."""

import pytest

from assessment.models import Answer, Assessment
from assessment.reporting.numbers import whole
from assessment.reporting.progress import Change, progress
from assessment.reporting.scores import result_for
from tests.factories import continue_from_an_earlier_edition
from tests.factories import make_submitted_assessment as submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def last_year(council):
    """A 2019 edition, submitted by Ashdown, whose AI and data questions this year continues:
    AI's questions all weigh 1 and its first half (at least three) continue 2019's (answered
    1); data's first question continues one (answered 2). Everything this year is answered 3."""
    edition = council.assessment.edition
    older, _ = continue_from_an_earlier_edition(edition, "ai")
    continue_from_an_earlier_edition(edition, "data", count=1)
    before = submitted(older, {"ai": "1", "data": "2"})
    Assessment.objects.filter(pk=council.assessment.pk).update(organisation=before.organisation)
    council.assessment.refresh_from_db()
    Answer.objects.bulk_create(
        Answer(assessment=council.assessment, question=q, response="3")
        for q in edition.questions.filter(trend__slug__in=["ai", "data"])
    )
    return before


def test_a_trend_with_enough_questions_asked_both_years_is_compared_on_them(council, last_year):
    total = council.assessment.edition.questions.filter(trend__slug="ai").count()
    linked = max(3, (total + 1) // 2)

    report = progress(council.assessment, result_for(council.assessment))

    assert report.previous is not None and report.previous.pk == last_year.pk
    ai = {c.key: c for c in report.changes}["ai"]
    # On the questions asked both years: 3 now against 1 then, 75 against 25.
    assert (ai.linked, ai.now, ai.before, ai.delta) == (linked, 75, 25, 50)
    assert ai.weight_share == pytest.approx(linked / total)  # every AI question weighs 1
    share = int(100 * linked / total)  # rounded down, as the report says it
    assert ai.how == f"On the {linked} questions asked both years ({share}% of the trend's weight)"
    assert ai.change_text == "Up 50"


def test_one_question_asked_both_years_is_not_enough_to_compare(council, last_year):
    report = progress(council.assessment, result_for(council.assessment))

    data = {c.key: c for c in report.changes}["data"]
    assert data.linked == 1 and not data.comparable
    assert (data.now, data.before, data.change_text) == (None, None, "–")
    assert data.how == "Not comparable: only 1 question was asked both years; 3 are needed"


def test_a_trend_nothing_continues_says_so(council, last_year):
    Answer.objects.bulk_create(
        Answer(assessment=council.assessment, question=q, response="2")
        for q in council.assessment.edition.questions.filter(trend__slug="cyber")
    )

    changes = {
        c.key: c for c in progress(council.assessment, result_for(council.assessment)).changes
    }

    assert changes["cyber"].how == "Not comparable: no question asked then is asked again"
    assert changes["skills-capacity"].how == "Not comparable: the trend has no score now"
    assert not changes["cyber"].comparable and not changes["skills-capacity"].comparable


def test_the_change_is_the_difference_of_the_figures_as_shown():
    # 62.5 shows as 63 and 75 as 75: "Up 12", though the unrounded change is 12.5.
    change = Change("ai", "AI", 75.0, 62.5, linked=3, weight_share=0.6, scored_now=True)

    assert (whole(change.before), whole(change.now), change.change_text) == (63, 75, "Up 12")


def test_a_share_just_under_half_never_reads_as_half():
    change = Change("ai", "AI", None, None, linked=3, weight_share=0.4999, scored_now=True)

    assert "carry 49% of the trend's weight" in change.how


def test_questions_asked_both_years_must_carry_half_the_trends_weight(council, last_year):
    # Make AI's other questions weigh far more: three continued questions, a small share.
    edition = council.assessment.edition
    ai_questions = edition.questions.filter(trend__slug="ai")
    continued = ai_questions.filter(continues__edition__slug="trends-2019")
    ai_questions.exclude(pk__in=continued).update(weight=5)

    ai = {c.key: c for c in progress(council.assessment, result_for(council.assessment)).changes}[
        "ai"
    ]

    assert ai.linked == continued.count() and not ai.comparable
    assert ai.how.startswith(f"Not comparable: the {ai.linked} questions asked both years carry ")
    assert ai.how.endswith("of the trend's weight; at least half is needed")


def test_no_progress_without_an_earlier_submitted_assessment(council):
    report = progress(council.assessment, result_for(council.assessment))

    assert report.previous is None and report.changes == ()
