"""Every change to an answer, a target or an action's tracking leaves one history row: who,
when, and the old and new values. Leads see it on the pages; admins read it, never edit it."""

from datetime import date

import pytest
from django.urls import reverse

from assessment import workflow
from assessment.models import (
    ActionChange,
    ActionTracking,
    AnswerChange,
    AssessmentEvent,
    TargetChange,
    TrendTarget,
)
from assessment.workflow import (
    AnswerInput,
    TrackingInput,
    save_answers,
    set_targets,
    submit_assessment,
    update_tracking,
)
from tests.pages import links
from trends.models import Trend

pytestmark = pytest.mark.django_db


def targets_url(council) -> str:
    return reverse("assessment:targets", args=[council.assessment.pk])


def track_url(council, key="data-01") -> str:
    return reverse("assessment:track_action", args=[council.assessment.pk, key])


def every_target(**levels) -> dict[str, str]:
    """The targets form as posted: each trend's default target unless `levels` names another."""
    return {
        f"target-{t.slug}": levels.get(t.slug.replace("-", "_"), str(t.default_target))
        for t in Trend.objects.all()
    }


def answer_all(council, response="1") -> None:
    save_answers(
        assessment=council.assessment,
        inputs=[
            AnswerInput(q, response, "", "", 0) for q in council.assessment.edition.questions.all()
        ],
        user=council.officer,
    )


def question(council, key):
    return council.assessment.edition.questions.get(key=key)


# Targets --------------------------------------------------------------------------------------


def test_changing_a_target_records_who_and_the_old_and_new_level(client, council):
    client.force_login(council.lead)

    response = client.post(targets_url(council), every_target(cyber="4"), follow=True)

    change = TargetChange.objects.get()
    assert (change.organisation, change.trend.slug, change.old_level, change.new_level) == (
        council.organisation,
        "cyber",
        3,
        4,
    )
    assert change.changed_by == council.lead
    assert "Targets saved. The action plan now follows them." in response.text


def test_each_later_change_starts_from_the_level_before_it(client, council):
    client.force_login(council.lead)
    client.post(targets_url(council), every_target(cyber="4"))
    client.post(targets_url(council), every_target(cyber="2", ai="1"))

    history = [
        (c.trend.slug, c.old_level, c.new_level)
        for c in TargetChange.objects.order_by("pk").select_related("trend")
    ]
    assert history == [("cyber", 3, 4), ("ai", 2, 1), ("cyber", 4, 2)]  # AI starts at 2
    assert TrendTarget.objects.get(trend__slug="cyber").level == 2


def test_saving_targets_unchanged_records_nothing(client, council):
    client.force_login(council.lead)
    client.post(targets_url(council), every_target(cyber="4"))

    response = client.post(targets_url(council), every_target(cyber="4"), follow=True)

    assert TargetChange.objects.count() == 1
    assert "No targets changed, so there was nothing to save." in response.text


def test_the_default_target_saved_as_it_is_is_no_change(council):
    changed = set_targets(
        organisation=council.organisation,
        targets={t: t.default_target for t in Trend.objects.all()},
        user=council.lead,
    )

    assert changed == 0
    assert not TargetChange.objects.exists()
    assert not TrendTarget.objects.exists()


def test_everyone_who_reads_the_targets_sees_who_changed_them(client, council):
    set_targets(
        organisation=council.organisation,
        targets={Trend.objects.get(slug="cyber"): 4},
        user=council.officer,
    )
    client.force_login(council.viewer)

    page = client.get(targets_url(council))

    assert "Changes to targets, newest first" in page.text
    assert "Olu Officer" in page.text
    assert "Established (75) → Leading (100)" in page.text


# Action tracking ------------------------------------------------------------------------------


def tracking_post(**fields) -> dict[str, str]:
    return {
        "owner": "",
        "due_date_0": "",
        "due_date_1": "",
        "due_date_2": "",
        "status": "not_started",
    } | fields


def test_tracking_an_action_records_every_field_old_and_new_and_who(client, council):
    answer_all(council)
    client.force_login(council.lead)

    client.post(
        track_url(council),
        tracking_post(
            owner="Head of Data",
            due_date_0="31",
            due_date_1="3",
            due_date_2="2027",
            status="in_progress",
        ),
    )
    client.post(
        track_url(council),
        tracking_post(owner="Head of Data", status="wont_do", reason="No budget."),
    )

    first, second = ActionChange.objects.order_by("pk")
    assert (first.old_owner, first.old_due_date, first.old_status, first.old_reason) == (
        "",
        None,
        "not_started",
        "",
    )
    assert (first.new_owner, first.new_due_date, first.new_status, first.new_reason) == (
        "Head of Data",
        date(2027, 3, 31),
        "in_progress",
        "",
    )
    assert second.differences() == [
        ("Due date", "31 Mar 2027", "None"),
        ("Status", "In progress", "Won't do"),
        ("Reason", "None", "No budget."),
    ]
    assert {first.changed_by, second.changed_by} == {council.lead}
    assert first.tracking == second.tracking == ActionTracking.objects.get()


def test_saving_tracking_unchanged_records_nothing(client, council):
    answer_all(council)
    client.force_login(council.lead)
    post = tracking_post(owner="Head of Data", status="in_progress")
    client.post(track_url(council), post)
    saved_at = ActionTracking.objects.get().updated_at

    response = client.post(track_url(council), post, follow=True)

    assert ActionChange.objects.count() == 1
    assert ActionTracking.objects.get().updated_at == saved_at
    assert "no changes to save" in response.text


def test_saving_an_untracked_action_as_not_started_records_nothing(client, council):
    answer_all(council)
    client.force_login(council.lead)

    client.post(track_url(council), tracking_post())

    assert not ActionTracking.objects.exists()
    assert not ActionChange.objects.exists()


def test_tracking_and_its_history_are_saved_together_or_not_at_all(council, monkeypatch):
    answer_all(council)

    def fail(**kwargs):
        raise RuntimeError("the history could not be written")

    monkeypatch.setattr(workflow.ActionChange.objects, "create", fail)
    with pytest.raises(RuntimeError):
        update_tracking(
            assessment=council.assessment,
            question=question(council, "data-01"),
            tracking=TrackingInput("Head of Data", None, "in_progress", ""),
            user=council.lead,
        )

    assert not ActionTracking.objects.exists()


def test_the_tracking_page_lists_earlier_changes_with_who_and_when(client, council):
    answer_all(council)
    update_tracking(
        assessment=council.assessment,
        question=question(council, "data-01"),
        tracking=TrackingInput("Head of Data", None, "in_progress", ""),
        user=council.lead,
    )
    client.force_login(council.lead)

    page = client.get(track_url(council))

    assert "History, newest first" in page.text
    assert "<li>Owner: None → Head of Data</li>" in page.text
    assert "<li>Status: Not started → In progress</li>" in page.text
    assert '<td class="govuk-table__cell">lead</td>' in page.text


def test_an_action_nobody_has_updated_says_so(client, council):
    answer_all(council)
    client.force_login(council.lead)

    page = client.get(track_url(council))

    assert "Nobody has updated this action yet." in page.text


def test_the_tracking_page_query_count_does_not_grow_with_its_history(
    client, council, django_assert_max_num_queries
):
    answer_all(council)
    data01 = question(council, "data-01")
    client.force_login(council.lead)
    update_tracking(
        assessment=council.assessment,
        question=data01,
        tracking=TrackingInput("Ann", None, "in_progress", ""),
        user=council.lead,
    )
    with django_assert_max_num_queries(30) as before:
        client.get(track_url(council))
    for n in range(10):
        update_tracking(
            assessment=council.assessment,
            question=data01,
            tracking=TrackingInput(f"Owner {n}", None, "in_progress", ""),
            user=council.officer,
        )

    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get(track_url(council))


# Answers --------------------------------------------------------------------------------------


def test_an_answer_change_records_its_reason_and_evidence_old_and_new(council):
    geo = question(council, "geospatial-01")
    save_answers(
        assessment=council.assessment,
        inputs=[AnswerInput(geo, "na", "The county runs our GIS.", "Contract 12.", 0)],
        user=council.officer,
    )
    save_answers(
        assessment=council.assessment,
        inputs=[AnswerInput(geo, "2", "", "GIS strategy.", 1)],
        user=council.lead,
    )

    latest = AnswerChange.objects.first()
    assert latest is not None
    assert (latest.changed_by, latest.version) == (council.lead, 2)
    assert (latest.old_response, latest.new_response) == ("na", "2")
    assert (latest.old_reason, latest.new_reason) == ("The county runs our GIS.", "")
    assert (latest.old_evidence, latest.new_evidence) == ("Contract 12.", "GIS strategy.")


# Admin ----------------------------------------------------------------------------------------


@pytest.fixture
def history(council, other_council):
    """Changes of every kind by both councils, so filters have something to leave out."""
    for c in (council, other_council):
        answer_all(c)
        set_targets(
            organisation=c.organisation, targets={Trend.objects.get(slug="ai"): 4}, user=c.lead
        )
        update_tracking(
            assessment=c.assessment,
            question=c.assessment.edition.questions.get(key="data-01"),
            tracking=TrackingInput("Head of Data", None, "in_progress", ""),
            user=c.lead,
        )
    submit_assessment(assessment=council.assessment, user=council.lead)


HISTORY_PAGES = ["answerchange", "targetchange", "actionchange", "assessmentevent"]
# Who made the changes in `history`: officers answer; leads set targets, track and submit.
WHO = {
    "answerchange": "Olu Officer",
    "targetchange": "lead",
    "actionchange": "lead",
    "assessmentevent": "lead",
}


@pytest.mark.parametrize("model", HISTORY_PAGES)
def test_admins_see_who_changed_what_in_every_history_list(
    admin_client, council, history, model, django_assert_max_num_queries
):
    with django_assert_max_num_queries(15):
        page = admin_client.get(reverse(f"admin:assessment_{model}_changelist"))

    assert page.status_code == 200
    assert "Ashdown District Council" in page.text and "Brackley Borough Council" in page.text
    assert f'<td class="field-who">{WHO[model]}</td>' in page.text


def test_history_lists_say_what_changed(admin_client, council, history):
    targets = admin_client.get(reverse("admin:assessment_targetchange_changelist")).text
    actions = admin_client.get(reverse("admin:assessment_actionchange_changelist")).text
    answers = admin_client.get(reverse("admin:assessment_answerchange_changelist")).text

    assert "Target: Developing → Leading" in targets  # AI starts at 2 Developing
    assert "<div>Owner: None → Head of Data</div><div>Status: Not started → In progress</div>" in (
        actions
    )
    assert "<div>Answer: No answer → Emerging</div>" in answers
    assert "Olu Officer" in answers


@pytest.mark.parametrize("model", HISTORY_PAGES)
def test_history_list_query_counts_do_not_grow_with_rows(
    admin_client, council, other_council, model, django_assert_max_num_queries
):
    answer_all(council)
    submit_assessment(assessment=council.assessment, user=council.lead)
    with django_assert_max_num_queries(15) as few:
        admin_client.get(reverse(f"admin:assessment_{model}_changelist"))
    answer_all(other_council, "2")
    for level, trend in enumerate(Trend.objects.all()[:4]):
        set_targets(
            organisation=other_council.organisation, targets={trend: level}, user=other_council.lead
        )
    for key in ("data-01", "data-02", "ai-01"):
        update_tracking(
            assessment=other_council.assessment,
            question=other_council.assessment.edition.questions.get(key=key),
            tracking=TrackingInput("Ann", None, "done", ""),
            user=other_council.lead,
        )
    submit_assessment(assessment=other_council.assessment, user=other_council.lead)

    with django_assert_max_num_queries(len(few.captured_queries)):
        admin_client.get(reverse(f"admin:assessment_{model}_changelist"))


def test_history_is_filtered_by_organisation_and_by_who(
    admin_client, council, other_council, history
):
    url = reverse("admin:assessment_answerchange_changelist")

    mine = admin_client.get(
        url, {"answer__assessment__organisation__id__exact": council.organisation.pk}
    )
    by_lead = admin_client.get(
        reverse("admin:assessment_actionchange_changelist"),
        {"changed_by__id__exact": other_council.lead.pk},
    )

    assert {c.answer.assessment.organisation for c in mine.context["cl"].result_list} == {
        council.organisation
    }
    assert [c.changed_by for c in by_lead.context["cl"].result_list] == [other_council.lead]


def test_history_is_searchable_by_question_key(admin_client, council, history):
    page = admin_client.get(reverse("admin:assessment_answerchange_changelist"), {"q": "cyber-03"})

    assert {c.answer.question.key for c in page.context["cl"].result_list} == {"cyber-03"}


def test_an_assessment_links_to_its_own_history(admin_client, council, history):
    page = admin_client.get(
        reverse("admin:assessment_assessment_change", args=[council.assessment.pk])
    )
    history_links = links(page.text)

    answers = admin_client.get(history_links["Changes to its answers"])
    actions = admin_client.get(history_links["Changes to its action plan"])

    assert {c.answer.assessment for c in answers.context["cl"].result_list} == {council.assessment}
    assert answers.context["cl"].result_count == council.assessment.edition.questions.count()
    assert [c.tracking.assessment for c in actions.context["cl"].result_list] == [
        council.assessment
    ]


def test_an_organisation_page_shows_its_target_changes(admin_client, council, history):
    page = admin_client.get(
        reverse("admin:assessment_organisation_change", args=[council.organisation.pk])
    )

    assert "Changes to targets (newest first)" in page.text
    assert "Artificial intelligence" in page.text


@pytest.mark.parametrize(
    ("model", "rows"),
    [
        ("answerchange", AnswerChange.objects),
        ("targetchange", TargetChange.objects),
        ("actionchange", ActionChange.objects),
        ("assessmentevent", AssessmentEvent.objects),
    ],
)
def test_history_can_never_be_added_edited_or_deleted_in_admin(
    admin_client, council, history, model, rows
):
    row = rows.first()
    before = list(rows.order_by("pk").values())
    change_url = reverse(f"admin:assessment_{model}_change", args=[row.pk])

    view = admin_client.get(change_url)
    edit = admin_client.post(change_url, {"new_level": "0", "new_owner": "Mallory", "reason": "x"})
    delete = admin_client.post(
        reverse(f"admin:assessment_{model}_delete", args=[row.pk]), {"post": "yes"}
    )
    add = admin_client.get(reverse(f"admin:assessment_{model}_add"))
    changelist = admin_client.get(reverse(f"admin:assessment_{model}_changelist"))
    bulk = admin_client.post(
        reverse(f"admin:assessment_{model}_changelist"),
        {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"},
    )

    assert view.status_code == 200 and 'name="_save"' not in view.text
    assert edit.status_code == 403
    assert delete.status_code == 403
    assert add.status_code == 403
    assert "delete_selected" not in changelist.text
    assert bulk.status_code == 200  # the action is unknown: nothing to do
    assert list(rows.order_by("pk").values()) == before


def test_history_inlines_offer_no_way_to_change_or_delete(admin_client, council, history):
    organisation = admin_client.get(
        reverse("admin:assessment_organisation_change", args=[council.organisation.pk])
    )
    assessment = admin_client.get(
        reverse("admin:assessment_assessment_change", args=[council.assessment.pk])
    )

    assert "target_changes-0-DELETE" not in organisation.text
    assert 'name="target_changes-0-new_level"' not in organisation.text
    assert "events-0-DELETE" not in assessment.text
