"""Scores, targets, the action plan and its tracking, through the database and the pages."""

import html
import itertools

import pytest
from django.urls import reverse

from assessment.models import ActionTracking, Assessment, Snapshot, TrendTarget
from assessment.reporting.scores import questionnaire_for, result_for
from assessment.workflow import (
    AnswerInput,
    reopen_assessment,
    save_answers,
    set_targets,
    submit_assessment,
)
from tests.pages import texts
from trends.models import Question, Trend, TrendDependency

pytestmark = pytest.mark.django_db


def answer_all(council, response="1") -> None:
    questions = council.assessment.edition.questions.all()
    save_answers(
        assessment=council.assessment,
        inputs=[AnswerInput(q, response, "", "", 0) for q in questions],
        user=council.officer,
    )


def test_the_loaded_questionnaire_is_the_edition(council):
    questionnaire = questionnaire_for(council.assessment.edition)

    assert len(questionnaire.trends) == 10
    assert len(questionnaire.questions) == council.assessment.edition.questions.count()
    assert ("data", "ai") in questionnaire.dependencies
    paces = {t.slug: t.default_target for t in questionnaire.trends}
    assert paces == dict(Trend.objects.values_list("slug", "default_target"))


def test_every_question_below_target_becomes_an_action(council):
    answer_all(council, "1")

    result = result_for(council.assessment)

    assert len(result.actions) == council.assessment.edition.questions.count()
    # Each aims at its trend's own default target: the pace the content sets.
    assert all(a.current == 1 and a.target == a.trend.default_target for a in result.actions)
    assert result.trend("ai").score == 25.0


def test_a_lower_target_shrinks_the_plan(council):
    answer_all(council, "2")
    questions = council.assessment.edition.questions
    at_pace = questions.exclude(trend__default_target__lte=2)  # those aiming above level 2
    before = result_for(council.assessment)
    set_targets(
        organisation=council.organisation,
        targets={Trend.objects.get(slug="data"): 2},
        user=council.lead,
    )

    result = result_for(council.assessment)

    assert len(before.actions) == at_pace.count()
    assert not [a for a in result.actions if a.trend.slug == "data"]
    assert len(result.actions) == at_pace.exclude(trend__slug="data").count()


def test_submitting_stores_a_snapshot_that_admin_edits_do_not_change(council):
    answer_all(council, "1")
    submit_assessment(assessment=council.assessment, user=council.lead)
    Question.objects.filter(edition=council.assessment.edition, key="ai-01").update(
        statement="Edited after submission.", weight=5
    )

    result = result_for(council.assessment)

    ai01 = next(a for a in result.actions if a.question.key == "ai-01")
    assert ai01.question.statement != "Edited after submission."
    assert ai01.weight == 1
    assert Snapshot.objects.filter(assessment=council.assessment).count() == 1


def test_targets_changed_after_submission_still_reshape_the_plan(council):
    answer_all(council, "2")
    submit_assessment(assessment=council.assessment, user=council.lead)
    set_targets(
        organisation=council.organisation,
        targets={t: 2 for t in Trend.objects.all()},
        user=council.lead,
    )

    assert result_for(council.assessment).actions == ()


def test_reopening_and_resubmitting_makes_a_new_snapshot_and_keeps_tracking(council):
    answer_all(council, "1")
    submit_assessment(assessment=council.assessment, user=council.lead)
    question = council.assessment.edition.questions.get(key="data-01")
    ActionTracking.objects.create(
        assessment=council.assessment, question=question, owner="Head of Data", status="in_progress"
    )

    reopen_assessment(assessment=council.assessment, user=council.lead, reason="New evidence.")
    save_answers(
        assessment=council.assessment,
        inputs=[AnswerInput(question, "2", "", "", 1)],
        user=council.officer,
    )
    submit_assessment(assessment=council.assessment, user=council.lead)

    assert council.assessment.snapshots.count() == 2
    action = next(a for a in result_for(council.assessment).actions if a.question.key == "data-01")
    assert action.current == 2
    tracking = ActionTracking.objects.get(assessment=council.assessment, question=question)
    assert (tracking.owner, tracking.status) == ("Head of Data", "in_progress")


# Pages ----------------------------------------------------------------------------------------


def plan_url(council) -> str:
    return reverse("assessment:action_plan", args=[council.assessment.pk])


def test_the_plan_page_shows_scores_and_ranked_actions(client, council):
    answer_all(council, "1")
    client.force_login(council.viewer)

    page = client.get(plan_url(council))

    assert "Draft: these scores use the answers given so far." in page.text
    assert "Now: the next three months" in page.text
    first = page.context["horizons"][0][1][0][0]
    assert first.rank == 1
    assert f'id="action-{first.question.key}"' in page.text
    assert "Update<span" not in page.text  # viewers read only


def test_each_action_says_its_level_now_and_its_target_with_their_scores(client, council):
    answer_all(council, "1")
    data = council.assessment.edition.questions.filter(trend__slug="data").order_by("order")
    unknown, known = data[0], data[1]
    save_answers(
        assessment=council.assessment,
        inputs=[AnswerInput(unknown, "dont_know", "", "", 1)],
        user=council.officer,
    )
    client.force_login(council.viewer)

    page = client.get(plan_url(council)).text

    def level_cell(question) -> str:
        return texts(page, f"#action-{question.key} td")[2]

    # The scale the scores are on: level 1 is 25 out of 100, Harnessing data's target 75.
    assert level_cell(known).endswith("Emerging (25) → Established (75)")
    assert level_cell(unknown).endswith("Don't know → Established (75)")
    assert " 1 → 3" not in page


def test_the_masking_caution_appears_when_technology_leads(client, council):
    questions = council.assessment.edition.questions.select_related("trend")
    save_answers(
        assessment=council.assessment,
        inputs=[
            AnswerInput(q, "4" if q.trend.family == "technology" else "1", "", "", 0)
            for q in questions
        ],
        user=council.officer,
    )
    client.force_login(council.officer)

    page = client.get(plan_url(council))
    report = client.get(reverse("assessment:report", args=[council.assessment.pk]))

    evidence = page.context["result"].balance
    for text in (page.text, report.text):
        assert "Good IT management may be masking digital immaturity" in text
        # Its evidence, each practice with its level: Leading technology, Emerging digital.
        assert "The strongest technology practices:" in text
        assert "The weakest digital ways of working:" in text
        for practice in (*evidence.strong_technology, *evidence.weak_digital):
            assert f"{html.escape(practice.question.statement)} ({practice.label})" in text
        assert "Between actions of equal priority, the action plan puts digital ways" in text
    assert [p.label for p in evidence.strong_technology] == ["Leading"] * 3
    assert [p.label for p in evidence.weak_digital] == ["Emerging"] * 3


def test_technology_ahead_but_not_established_is_both_need_work_not_masking(client, council):
    questions = council.assessment.edition.questions.select_related("trend")
    save_answers(
        assessment=council.assessment,
        inputs=[
            AnswerInput(q, "2" if q.trend.family == "technology" else "0", "", "", 0)
            for q in questions
        ],
        user=council.officer,
    )
    client.force_login(council.officer)

    page = client.get(plan_url(council)).text

    assert "both need work" in page and "masking digital immaturity" not in page
    assert "The strongest technology practices:" not in page


def test_an_action_that_waits_for_a_prerequisite_says_what_for(client, council):
    TrendDependency.objects.filter(foundation__slug="data", dependent__slug="ai").update(
        kind=TrendDependency.Kind.PREREQUISITE
    )
    answer_all(council, "1")
    client.force_login(council.lead)

    page = client.get(plan_url(council)).text
    result = result_for(council.assessment)

    ai = [a for a in result.actions if a.trend.slug == "ai"]
    data = [a for a in result.actions if a.trend.slug == "data"]
    assert ai and data and min(a.rank for a in ai) > max(a.rank for a in data)
    assert all([t.title for t in a.after] == ["Harnessing data"] for a in ai)
    assert "After: Harnessing data (a foundation of this trend, below target)." in page


def test_the_overall_figure_says_it_averages_two_different_things(client, council):
    answer_all(council, "2")
    client.force_login(council.viewer)

    for name in ("assessment:action_plan", "assessment:report"):
        page = client.get(reverse(name, args=[council.assessment.pk])).text
        assert "It averages two different things, so read the digital and technology" in page


def test_the_plan_page_query_count_does_not_grow_with_answers_or_tracking(
    client, council, django_assert_max_num_queries
):
    client.force_login(council.lead)
    with django_assert_max_num_queries(20) as before:
        client.get(plan_url(council))
    answer_all(council, "0")
    for q in council.assessment.edition.questions.all()[:20]:
        ActionTracking.objects.create(assessment=council.assessment, question=q, owner="Ann")

    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get(plan_url(council))


def test_the_lead_sets_targets(client, council):
    client.force_login(council.lead)
    data = {f"target-{t.slug}": "3" for t in Trend.objects.all()} | {"target-cyber": "4"}

    response = client.post(reverse("assessment:targets", args=[council.assessment.pk]), data)

    assert response["Location"] == plan_url(council)
    assert (
        TrendTarget.objects.get(organisation=council.organisation, trend__slug="cyber").level == 4
    )


def test_the_targets_read_on_the_scale_of_the_scores(client, council):
    client.force_login(council.viewer)

    page = client.get(reverse("assessment:targets", args=[council.assessment.pk])).text

    targets = dict(zip(texts(page, "tbody th"), texts(page, "tbody td"), strict=True))
    assert targets["Artificial intelligence"] == "Developing (50)"
    assert targets["Cyber protection"] == "Established (75)"


@pytest.mark.parametrize("value", ["5", "-1", "x", ""])
def test_a_target_off_the_scale_is_refused(client, council, value):
    client.force_login(council.lead)
    data = {f"target-{t.slug}": "3" for t in Trend.objects.all()} | {"target-ai": value}

    response = client.post(reverse("assessment:targets", args=[council.assessment.pk]), data)

    assert response.status_code == 200
    assert "Artificial intelligence" in response.text and "govuk-error-summary" in response.text
    assert not TrendTarget.objects.exists()


def track_url(council, key="data-01") -> str:
    return reverse("assessment:track_action", args=[council.assessment.pk, key])


def test_the_lead_tracks_an_action(client, council):
    answer_all(council, "1")
    client.force_login(council.lead)

    response = client.post(
        track_url(council),
        {
            "owner": "Head of Data",
            "due_date_0": "31",
            "due_date_1": "3",
            "due_date_2": "2027",
            "status": "in_progress",
        },
    )

    assert response["Location"] == plan_url(council) + "#action-data-01"
    tracking = ActionTracking.objects.get()
    assert (tracking.owner, str(tracking.due_date), tracking.status, tracking.updated_by) == (
        "Head of Data",
        "2027-03-31",
        "in_progress",
        council.lead,
    )


@pytest.mark.parametrize(
    ("post", "message"),
    [
        ({"status": "wont_do"}, "Enter why the council won&#x27;t do this action"),
        ({"status": "finished"}, "Select a status from the list"),
        (
            {"status": "done", "due_date_0": "31", "due_date_1": "2", "due_date_2": "2027"},
            "Due date must be a real date, like 31 3 2027",
        ),
        (
            {"status": "done", "due_date_0": "1", "due_date_1": "1", "due_date_2": "99999"},
            "Due date must be",
        ),
        ({"status": "done", "owner": "x" * 101}, "Owner must be 100 characters or fewer"),
    ],
)
def test_bad_tracking_is_refused_and_nothing_saved(client, council, post, message):
    answer_all(council, "1")
    client.force_login(council.lead)

    response = client.post(track_url(council), post)

    assert response.status_code == 200
    assert message in response.text
    assert not ActionTracking.objects.exists()


def test_only_actions_in_the_plan_can_be_tracked(client, council):
    answer_all(council, "4")  # everything at or above target: no actions
    client.force_login(council.lead)

    assert client.get(track_url(council)).status_code == 404


@pytest.mark.parametrize(
    ("who", "plan", "track"),
    [("officer", 200, 403), ("viewer", 200, 403), ("lead", 200, 200)],
)
def test_who_reads_and_who_tracks(client, council, who, plan, track):
    answer_all(council, "1")
    client.force_login(getattr(council, who))

    assert client.get(plan_url(council)).status_code == plan
    assert client.get(track_url(council)).status_code == track
    assert client.post(
        reverse("assessment:targets", args=[council.assessment.pk]), {}
    ).status_code == (200 if who == "lead" else 403)


def test_another_council_gets_404_for_plan_targets_and_tracking(client, council, other_council):
    client.force_login(other_council.lead)

    for url in [
        plan_url(council),
        track_url(council),
        reverse("assessment:targets", args=[council.assessment.pk]),
    ]:
        assert client.get(url).status_code == 404, url


def test_submitted_plans_are_still_tracked_by_the_lead(client, council):
    answer_all(council, "1")
    submit_assessment(assessment=council.assessment, user=council.lead)
    client.force_login(council.lead)

    response = client.post(track_url(council), {"status": "done"})

    assert response.status_code == 302
    assert Assessment.objects.get(pk=council.assessment.pk).is_submitted


def test_the_balance_margin_comes_from_settings(council, settings):
    questions = council.assessment.edition.questions.select_related("trend")
    save_answers(
        assessment=council.assessment,
        inputs=[
            AnswerInput(q, "3" if q.trend.family == "technology" else "2", "", "", 0)
            for q in questions
        ],
        user=council.officer,
    )  # technology 75, digital 50: 25 points apart

    settings.BALANCE_MARGIN = 30
    assert result_for(council.assessment).balance.finding == "balanced"
    settings.BALANCE_MARGIN = 20
    assert result_for(council.assessment).balance.finding == "masking"


def test_a_target_for_a_trend_outside_the_edition_is_ignored(client, council):
    newer = Trend.objects.create(
        family="technology",
        number=6,
        title="Quantum computing",
        slug="quantum",
        nutshell="n",
        overview="o",
        risks="r",
        early_benefits="e",
        citation="c",
    )
    set_targets(organisation=council.organisation, targets={newer: 4}, user=council.lead)
    answer_all(council, "1")
    submit_assessment(assessment=council.assessment, user=council.lead)
    client.force_login(council.lead)

    assert client.get(plan_url(council)).status_code == 200
    assert (
        len(result_for(council.assessment).actions) == council.assessment.edition.questions.count()
    )


def test_with_the_shipped_dependencies_now_leads_with_the_most_urgent_free_action(council):
    # Varied answers to the shipped edition: only its prerequisites hold actions back, so the
    # plan opens with the highest-priority action that waits for nothing, and no trend's
    # actions fill Now just because other trends depend on it.
    questions = council.assessment.edition.questions.order_by("trend__number", "order")
    save_answers(
        assessment=council.assessment,
        inputs=[AnswerInput(q, str(n % 4), "", "", 0) for n, q in enumerate(questions)],
        user=council.officer,
    )

    actions = result_for(council.assessment).actions
    now = [a for a in actions if a.horizon == "Now"]

    assert actions[0].priority == max(a.priority for a in actions if not a.after)
    assert len({a.trend.slug for a in now}) > 1
    assert all(a.priority >= b.priority for a, b in itertools.pairwise(now) if not b.after)
