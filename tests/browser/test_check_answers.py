"""The check answers page in Chromium: axe in each state, what is seen first, and a refused
submit that a reload does not post again."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from assessment.models import Answer
from assessment.workflow import AnswerInput, save_answers
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def answer_all(council, *, skip: tuple[str, ...] = ()) -> None:
    save_answers(
        assessment=council.assessment,
        inputs=[
            AnswerInput(q, "2", "", "", 0)
            for q in council.assessment.edition.questions.exclude(key__in=skip)
        ],
        user=council.officer,
    )


def check_answers_url(live_server, council) -> str:
    return f"{live_server.url}{reverse('assessment:check_answers', args=[council.assessment.pk])}"


def test_an_incomplete_assessment_says_what_is_left_before_its_answers(
    page: Page, live_server, council
):
    answer_all(council, skip=("ai-03", "cyber-04"))
    sign_in(page, live_server.url, "lead", PASSWORD)

    page.goto(check_answers_url(live_server, council))

    # How far it has got and what is left are seen first, without scrolling.
    expect(page.locator("#progress")).to_have_text(
        "You have answered 78 of 80 questions. 8 of 10 sections are complete."
    )
    expect(page.locator("#progress")).to_be_in_viewport()
    expect(page.get_by_role("link", name="Cyber protection", exact=True)).to_be_in_viewport()
    expect(page.get_by_role("button", name="Submit the assessment")).to_have_count(0)
    assert_accessible(page)


def test_a_stale_submit_comes_back_to_check_answers_and_a_reload_posts_nothing(
    page: Page, live_server, council
):
    answer_all(council)
    sign_in(page, live_server.url, "lead", PASSWORD)
    page.goto(check_answers_url(live_server, council))
    # Meanwhile, in another tab, an officer clears an answer.
    Answer.objects.filter(assessment=council.assessment, question__key="ai-03").update(response="")

    page.get_by_role("button", name="Submit the assessment").click()

    expect(page).to_have_url(check_answers_url(live_server, council))
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "The assessment cannot be submitted yet: 1 question still needs an answer."
    )
    expect(page.get_by_role("link", name="Artificial intelligence", exact=True)).to_be_visible()
    assert_accessible(page)
    with page.expect_response(check_answers_url(live_server, council)) as reloaded:
        page.reload()
    assert reloaded.value.request.method == "GET"
    expect(page.locator(".govuk-notification-banner")).to_have_count(0)


def test_a_complete_assessment_lists_its_answers_with_statements_at_half_width(
    page: Page, live_server, council
):
    answer_all(council)
    sign_in(page, live_server.url, "lead", PASSWORD)

    page.goto(check_answers_url(live_server, council))

    key = page.locator(".govuk-summary-list__key").first
    key_box = key.bounding_box()
    list_box = page.locator(".govuk-summary-list").first.bounding_box()
    assert key_box is not None and list_box is not None
    # Half the list (GOV.UK's default key is 30%), and its padding.
    assert 0.5 <= key_box["width"] / list_box["width"] <= 0.55
    assert key.evaluate("element => getComputedStyle(element).fontWeight") == "400"
    expect(page.get_by_role("button", name="Submit the assessment")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Submit the assessment").click()
    page.goto(check_answers_url(live_server, council))

    expect(page.get_by_role("heading", level=1)).to_have_text("Answers")
    expect(page.get_by_role("link", name="Change answers for Cyber protection")).to_have_count(0)
    assert_accessible(page)  # read-only, once submitted
