"""The reason box of a section's questions in Chromium: a GOV.UK conditional reveal under "Not
applicable", opened by keyboard with JavaScript, and open for good without it."""

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from assessment.models import Answer
from tests.browser.conftest import assert_accessible, sign_in, tab_to
from tests.factories import PASSWORD
from trends.models import Question

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = "The county council runs the shared GIS service for us."


def section_url(live_server, council, trend: str) -> str:
    return f"{live_server.url}{reverse('assessment:section', args=[council.assessment.pk, trend])}"


def questions_of(council, trend: str) -> list[Question]:
    return list(council.assessment.edition.questions.filter(trend__slug=trend).order_by("order"))


def saved(council, question: Question) -> tuple[str, str]:
    answer = Answer.objects.get(assessment=council.assessment, question=question)
    return answer.response, answer.not_applicable_reason


def test_not_applicable_reveals_the_reason_and_it_is_answered_by_keyboard(
    page: Page, live_server, council
):
    questions = questions_of(council, "geospatial")
    first = questions[0]
    sign_in(page, live_server.url, "officer", PASSWORD)
    page.goto(section_url(live_server, council, "geospatial"))
    reason = page.locator(f"#id_q{first.pk}-not_applicable_reason")
    not_applicable = page.locator(f"#id_q{first.pk}-response_6")

    # Only the evidence boxes show until Not applicable is chosen.
    expect(reason).to_be_hidden()
    expect(page.locator("textarea:visible")).to_have_count(len(questions))
    expect(not_applicable).to_have_attribute("aria-expanded", "false")

    # Tab into the radios (focus lands on the first), Space chooses it, and the arrow keys
    # move the choice past the "or" to Not applicable.
    tab_to(page, page.locator(f"#id_q{first.pk}-response_1"))
    page.keyboard.press("Space")
    for _ in range(5):
        page.keyboard.press("ArrowDown")
    expect(not_applicable).to_be_checked()
    expect(not_applicable).to_have_attribute("aria-expanded", "true")
    expect(reason).to_be_visible()
    assert_accessible(page)  # the revealed state

    # Moving on to Don't know closes it again, and back opens it.
    page.keyboard.press("ArrowDown")
    expect(reason).to_be_hidden()
    page.keyboard.press("ArrowUp")
    expect(reason).to_be_visible()

    # The reason is the next thing Tab reaches after the radios.
    page.keyboard.press("Tab")
    expect(reason).to_be_focused()
    page.keyboard.type(REASON)
    tab_to(page, page.get_by_role("button", name="Save and return to task list"))
    page.keyboard.press("Enter")

    expect(page.get_by_text("Geospatial technologies: 1 answer saved.")).to_be_visible()
    assert saved(council, first) == ("na", REASON)


def test_a_reason_left_under_another_answer_stays_open_with_its_error(
    page: Page, live_server, council
):
    first = questions_of(council, "geospatial")[0]
    sign_in(page, live_server.url, "officer", PASSWORD)
    page.goto(section_url(live_server, council, "geospatial"))
    reason = page.locator(f"#id_q{first.pk}-not_applicable_reason")
    page.locator(f"#id_q{first.pk}-response_6").check()
    reason.fill(REASON)
    page.locator(f"#id_q{first.pk}-response_3").check()  # the box closes, its text kept
    expect(reason).to_be_hidden()
    page.get_by_role("button", name="Save and return to task list").click()

    # Refused, and the box it is about is open, though Not applicable is not chosen.
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    summary.get_by_role(
        "link", name="Question 1: Select Not applicable for this question, or delete the reason"
    ).click()
    expect(reason).to_be_focused()
    expect(reason).to_have_value(REASON)
    assert_accessible(page)

    reason.fill("")
    page.get_by_role("button", name="Save and return to task list").click()
    expect(page.get_by_text("Geospatial technologies: 1 answer saved.")).to_be_visible()
    assert saved(council, first) == ("2", "")


def test_without_javascript_every_reason_box_is_open_and_a_reason_saves(
    browser: Browser, live_server, council
):
    questions = questions_of(council, "geospatial")
    first = questions[0]
    context = browser.new_context(locale="en-GB", java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in(page, live_server.url, "officer", PASSWORD)
        page.goto(section_url(live_server, council, "geospatial"))

        # GOV.UK Frontend's script never ran: nothing is hidden, and every box can be used.
        assert not page.evaluate("document.body.classList.contains('govuk-frontend-supported')")
        reasons = page.locator(".govuk-radios__conditional textarea")
        expect(reasons).to_have_count(len(questions))
        for box in reasons.all():
            expect(box).to_be_visible()

        page.locator(f"#id_q{first.pk}-response_6").check()
        page.locator(f"#id_q{first.pk}-not_applicable_reason").fill(REASON)
        page.get_by_role("button", name="Save and return to task list").click()

        expect(page.get_by_text("Geospatial technologies: 1 answer saved.")).to_be_visible()
        assert saved(council, first) == ("na", REASON)
    finally:
        context.close()
