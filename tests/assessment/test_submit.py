"""Checking answers, submitting (lead only, complete only), and reopening with a reason."""

import pytest
from django.urls import reverse

from assessment.models import Answer, AssessmentEvent
from assessment.workflow import AnswerInput, save_answers

pytestmark = pytest.mark.django_db


def answer_all(council, *, skip: tuple[str, ...] = ()) -> None:
    questions = council.assessment.edition.questions.exclude(key__in=skip)
    save_answers(
        assessment=council.assessment,
        inputs=[AnswerInput(q, "2", "", "", 0) for q in questions],
        user=council.officer,
    )


def submit(client, council):
    return client.post(reverse("assessment:submit", args=[council.assessment.pk]))


def test_submitting_is_refused_with_a_list_of_what_is_missing(client, council):
    answer_all(council, skip=("ai-03", "cyber-04"))
    client.force_login(council.lead)

    response = submit(client, council)

    assert "The assessment cannot be submitted yet" in response.text
    assert response.context["error"] == "2 questions still need an answer."
    assert "2 questions still need an answer." in response.text
    missing = [q.key for q in response.context["missing"]]
    assert missing == ["ai-03", "cyber-04"]
    assert "/sections/ai/#question-ai-03" in response.text
    council.assessment.refresh_from_db()
    assert not council.assessment.is_submitted


def test_a_complete_assessment_is_submitted_and_becomes_read_only(client, council):
    answer_all(council)
    client.force_login(council.lead)

    response = submit(client, council)

    assert response["Location"] == reverse("assessment:task_list", args=[council.assessment.pk])
    council.assessment.refresh_from_db()
    assert council.assessment.is_submitted
    assert council.assessment.submitted_at is not None
    event = council.assessment.events.get(kind=AssessmentEvent.Kind.SUBMITTED)
    assert event.by == council.lead
    page = client.get(reverse("assessment:task_list", args=[council.assessment.pk]))
    assert "The answers are read-only" in page.text


def test_submitting_twice_is_harmless(client, council):
    answer_all(council)
    client.force_login(council.lead)

    submit(client, council)
    second = submit(client, council)

    assert second.status_code == 302
    assert council.assessment.events.filter(kind=AssessmentEvent.Kind.SUBMITTED).count() == 1


def test_not_applicable_and_dont_know_count_as_answered(client, council):
    answer_all(council, skip=("ai-01", "ai-02"))
    save_answers(
        assessment=council.assessment,
        inputs=[
            AnswerInput(
                council.assessment.edition.questions.get(key="ai-01"),
                "na",
                "We do not use AI at all.",
                "",
                0,
            ),
            AnswerInput(
                council.assessment.edition.questions.get(key="ai-02"), "dont_know", "", "", 0
            ),
        ],
        user=council.officer,
    )
    client.force_login(council.lead)

    submit(client, council)

    council.assessment.refresh_from_db()
    assert council.assessment.is_submitted


def test_only_the_lead_sees_the_submit_button(client, council):
    answer_all(council)
    url = reverse("assessment:check_answers", args=[council.assessment.pk])

    client.force_login(council.officer)
    officer_page = client.get(url)
    client.force_login(council.lead)
    lead_page = client.get(url)

    assert "Submit the assessment</button>" not in officer_page.text
    assert "Submit the assessment</button>" in lead_page.text


def test_the_lead_reopens_with_a_reason_that_is_recorded(client, council):
    answer_all(council)
    client.force_login(council.lead)
    submit(client, council)
    url = reverse("assessment:reopen", args=[council.assessment.pk])

    refused = client.post(url, {"reason": ""})
    response = client.post(url, {"reason": "The cyber answers missed the new SOC contract."})

    assert "Enter why you are reopening the assessment" in refused.text
    assert response.status_code == 302
    council.assessment.refresh_from_db()
    assert not council.assessment.is_submitted
    event = council.assessment.events.get(kind=AssessmentEvent.Kind.REOPENED)
    assert (event.by, event.reason) == (
        council.lead,
        "The cyber answers missed the new SOC contract.",
    )
    # Officers can change answers again.
    client.force_login(council.officer)
    ai1 = council.assessment.edition.questions.get(key="ai-01")
    client.post(
        reverse("assessment:section", args=[council.assessment.pk, "ai"]),
        {f"q{ai1.pk}-response": "4", f"q{ai1.pk}-version": "1"},
    )
    assert Answer.objects.get(assessment=council.assessment, question=ai1).response == "4"


def test_an_over_long_reopen_reason_is_refused(client, council):
    answer_all(council)
    client.force_login(council.lead)
    submit(client, council)

    response = client.post(
        reverse("assessment:reopen", args=[council.assessment.pk]), {"reason": "x" * 501}
    )

    assert "The reason must be 500 characters or fewer" in response.text
    council.assessment.refresh_from_db()
    assert council.assessment.is_submitted


def test_check_answers_query_count_is_fixed(client, council, django_assert_max_num_queries):
    client.force_login(council.lead)
    with django_assert_max_num_queries(12) as before:
        client.get(reverse("assessment:check_answers", args=[council.assessment.pk]))
    answer_all(council)

    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get(reverse("assessment:check_answers", args=[council.assessment.pk]))


def test_the_lead_starts_the_assessment_once_even_if_they_click_twice(client, council, content):
    council.assessment.delete()
    client.force_login(council.lead)
    url = reverse("assessment:start", args=[content.slug])

    first = client.post(url)
    second = client.post(url)

    assert first["Location"] == second["Location"]
    assert council.organisation.assessments.count() == 1


def test_the_dashboard_tells_each_role_what_to_do_next(client, council):
    client.force_login(council.officer)
    assert "Continue the assessment" in client.get(reverse("assessment:dashboard")).text
    client.force_login(council.viewer)
    assert "Follow its progress" in client.get(reverse("assessment:dashboard")).text
    answer_all(council)
    client.force_login(council.lead)
    assert "Check the answers and submit" in client.get(reverse("assessment:dashboard")).text


def test_the_dashboard_offers_the_lead_to_start_a_published_edition(client, council):
    council.assessment.delete()
    client.force_login(council.lead)

    page = client.get(reverse("assessment:dashboard"))

    assert "Start the Digital Trends 2024 assessment" in page.text
    assert "Ashdown District Council has not started an assessment yet." in page.text


def test_an_empty_reopen_post_asks_for_a_reason(client, council):
    answer_all(council)
    client.force_login(council.lead)
    submit(client, council)

    response = client.post(reverse("assessment:reopen", args=[council.assessment.pk]))

    assert "Enter why you are reopening the assessment" in response.text
    council.assessment.refresh_from_db()
    assert council.assessment.is_submitted
