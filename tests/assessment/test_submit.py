"""Checking answers, submitting (lead only, complete only), and reopening with a reason."""

import pytest
from django.urls import reverse

from assessment.models import Answer, AssessmentEvent
from assessment.workflow import AnswerInput, save_answers
from tests.pages import attribute_values, links, texts
from trends.models import Trend

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


def check_answers_url(council) -> str:
    return reverse("assessment:check_answers", args=[council.assessment.pk])


def section_url(council, slug: str) -> str:
    return reverse("assessment:section", args=[council.assessment.pk, slug])


def submit_buttons(html: str) -> list[str]:
    return texts(html, "main form button")


def test_a_complete_assessment_shows_its_answers_by_section_and_the_submit_button(client, council):
    answer_all(council)
    client.force_login(council.lead)

    html = client.get(check_answers_url(council)).text

    trends = list(Trend.objects.filter(questions__edition=council.assessment.edition).distinct())
    assert texts(html, "#progress") == ["You have answered all 80 questions."]
    assert texts(html, ".govuk-summary-card__title") == [t.title for t in trends]
    assert texts(html, ".govuk-summary-card__actions a") == [
        f"Change answers for {t.title}" for t in trends
    ]
    assert attribute_values(html, ".govuk-summary-card__actions a", "href") == [
        section_url(council, t.slug) for t in trends
    ]
    # Each row is a question, numbered as on its section's page, and its answer.
    ai = council.assessment.edition.questions.filter(trend__slug="ai").order_by("order")
    assert texts(html, "#section-ai .govuk-summary-list__key") == [
        f"{number}. {question.statement}" for number, question in enumerate(ai, start=1)
    ]
    assert len(texts(html, ".govuk-summary-list__key")) == 80
    assert set(texts(html, ".govuk-summary-list__value")) == {"Developing"}
    assert submit_buttons(html) == ["Submit the assessment"]
    assert attribute_values(html, "main form", "action") == [
        reverse("assessment:submit", args=[council.assessment.pk])
    ]
    assert texts(html, ".govuk-error-summary") == []


def test_an_incomplete_assessment_shows_how_far_it_has_got_and_the_sections_to_finish(
    client, council
):
    answer_all(council, skip=("ai-03", "cyber-04", "cyber-06"))
    client.force_login(council.lead)

    html = client.get(check_answers_url(council)).text

    assert texts(html, "#progress") == [
        "You have answered 77 of 80 questions. 8 of 10 sections are complete."
    ]
    assert texts(html, "#unfinished-sections li") == [
        "Artificial intelligence: 1 question left",
        "Cyber protection: 2 questions left",
    ]
    assert links(html, "#unfinished-sections") == {
        "Artificial intelligence": section_url(council, "ai"),
        "Cyber protection": section_url(council, "cyber"),
    }
    assert submit_buttons(html) == []
    assert "Submit the assessment" not in texts(html, "main h2")  # nor its declaration
    assert texts(html, ".govuk-error-summary") == []
    # The answers so far are still there to check, each section with its own Change link.
    assert len(texts(html, ".govuk-summary-card__actions a")) == 10
    assert texts(html, ".govuk-summary-list__value").count("Not answered yet") == 3


def test_an_assessment_with_nothing_answered_lists_every_section_to_finish(client, council):
    client.force_login(council.officer)

    html = client.get(check_answers_url(council)).text

    assert texts(html, "#progress") == [
        "You have answered 0 of 80 questions. 0 of 10 sections are complete."
    ]
    assert len(texts(html, "#unfinished-sections li")) == 10
    assert "Local and national leadership: 10 questions left" in texts(
        html, "#unfinished-sections li"
    )
    assert submit_buttons(html) == []


def test_submitting_an_incomplete_assessment_goes_back_to_check_answers_saying_why(client, council):
    answer_all(council, skip=("ai-03", "cyber-04"))
    client.force_login(council.lead)

    response = submit(client, council)  # from a tab opened before an answer was cleared

    # Post/Redirect/Get: reloading the page it lands on must not post the form again.
    assert response.status_code == 302
    assert response["Location"] == check_answers_url(council)
    html = client.get(response["Location"]).text
    assert texts(html, ".govuk-notification-banner__heading") == [
        "The assessment cannot be submitted yet: 2 questions still need an answer."
    ]
    assert links(html, "#unfinished-sections") == {
        "Artificial intelligence": section_url(council, "ai"),
        "Cyber protection": section_url(council, "cyber"),
    }
    assert texts(html, ".govuk-error-summary") == []
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
    url = check_answers_url(council)

    client.force_login(council.officer)
    officer_page = client.get(url)
    client.force_login(council.lead)
    lead_page = client.get(url)

    assert submit_buttons(officer_page.text) == []
    assert "Your lead can now submit the assessment." in texts(officer_page.text, "p")
    assert submit_buttons(lead_page.text) == ["Submit the assessment"]


def test_a_submitted_assessment_shows_its_answers_read_only(client, council):
    answer_all(council)
    client.force_login(council.lead)
    submit(client, council)

    html = client.get(check_answers_url(council)).text

    assert texts(html, "h1") == ["Answers"]
    assert len(texts(html, ".govuk-summary-card__title")) == 10
    assert texts(html, ".govuk-summary-card__actions a") == []
    assert texts(html, "#progress, #unfinished-sections") == []
    assert submit_buttons(html) == []
    assert "reopen the assessment" in texts(html, ".govuk-inset-text")[0]


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


def test_check_answers_makes_the_same_queries_however_far_the_assessment_has_got(
    client, council, django_assert_num_queries
):
    # The session, the user, the assessment with the reader's role, the section counts
    # (three), the answers and the questions: however many are answered.
    queries = 8
    client.force_login(council.lead)
    with django_assert_num_queries(queries):
        client.get(check_answers_url(council))  # nothing answered
    answer_all(council, skip=("ai-03",))
    with django_assert_num_queries(queries):
        client.get(check_answers_url(council))
    answer_all(council)
    with django_assert_num_queries(queries):
        client.get(check_answers_url(council))
    submit(client, council)
    with django_assert_num_queries(queries):
        client.get(check_answers_url(council))  # read-only


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
