"""The executive summary says what the data says, and nothing when it has nothing to say."""

import pytest

from assessment.models import ActionTracking
from assessment.reporting.peers import compare_with_peers
from assessment.reporting.progress import progress
from assessment.reporting.scores import plan_with_tracking, result_for
from assessment.reporting.summary import NO_OWNER, board_summary
from assessment.workflow import AnswerInput, save_answers
from tests.factories import make_submitted_assessment as submitted

pytestmark = pytest.mark.django_db


def answer(council, levels: dict[str, str], evidence: str = "") -> None:
    """Every question of each trend named at one response (the rest unanswered)."""
    questions = council.assessment.edition.questions.select_related("trend")
    save_answers(
        assessment=council.assessment,
        inputs=[
            AnswerInput(q, levels[q.trend.slug], "", evidence, 0)
            for q in questions
            if q.trend.slug in levels
        ],
        user=council.officer,
    )


def summary_of(council):
    assessment = council.assessment
    result = result_for(assessment)
    peers = compare_with_peers(assessment, result, assessment.organisation.peer_group)
    return board_summary(
        result, peers, progress(assessment, result), plan_with_tracking(assessment, result)
    )


def test_masking_strong_technology_and_weak_digital_lead_the_key_messages(council):
    # Every technology trend Established (75), every digital trend Emerging (25).
    answer(
        council,
        {"ai": "3", "data": "3", "cyber": "3", "geospatial": "3", "infrastructure-cloud": "3"}
        | {"public-good": "1", "reimagining-services": "1", "community-resilience": "1"}
        | {"leadership": "1", "skills-capacity": "dont_know"},
    )

    summary = summary_of(council)
    messages = {m.title: m.text for m in summary.messages}

    assert next(iter(messages)) == "Digital against technology"
    assert "mask" in messages["Digital against technology"]
    # "Don't know" counts as level 0, so skills is the weakest; ties in the report's order.
    assert messages["Strongest and weakest"] == (
        "Strongest: Artificial intelligence (75, Established) and Harnessing data (75, "
        "Established). Weakest: Skills and capacity (0, Not started) and Technology for public "
        "good (25, Emerging)."
    )
    skills = council.assessment.edition.questions.filter(trend__slug="skills-capacity").count()
    total = council.assessment.edition.questions.count()
    assert messages["Evidence"] == (
        f"0 of {total} answers give evidence; {skills} are “Don't know”, facts to establish "
        "before acting on them."
    )
    # No earlier assessment and no peers: nothing is said about either.
    assert "Since last time" not in messages
    assert "Against your peers" not in messages


def test_the_top_now_actions_and_the_owners_come_from_the_plan_and_its_tracking(council):
    answer(council, {"ai": "0", "data": "1", "cyber": "2"}, evidence="Board paper.")
    plan = result_for(council.assessment).actions
    first = council.assessment.edition.questions.get(key=plan[0].question.key)
    ActionTracking.objects.create(assessment=council.assessment, question=first, owner="Ann")

    summary = summary_of(council)

    assert [a.rank for a, _ in summary.now] == [1, 2, 3, 4, 5]
    assert summary.now[0][1].owner == "Ann"
    assert summary.now_total == 5
    assert summary.now_unowned == 5  # Ann has no due date yet
    assert summary.actions == len(plan)
    assert summary.owners[0].owner == "Ann" and summary.owners[0].now == 1
    assert summary.owners[-1].owner == NO_OWNER
    assert summary.owners[-1].actions == len(plan) - 1
    assert [t.trend.slug for t in summary.targets][:1] == ["public-good"]


def test_the_peer_position_is_said_once_there_are_enough_peers(council, settings):
    settings.PEER_MINIMUM = 3
    for level in "012":
        submitted(council.assessment.edition, {"ai": level, "public-good": level})
    answer(council, {"ai": "4", "public-good": "0"})

    messages = {m.title: m.text for m in summary_of(council).messages}

    assert messages["Against your peers"] == (
        "Against 3 district councils that have submitted: Digital index: below the middle "
        "half; Technology index: above the middle half; above the middle half in 1 trend and "
        "below it in 1."
    )
