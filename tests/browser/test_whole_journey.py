"""The whole story in Chromium, as its people live it, with axe on every page it passes.

An officer completes every section (one by keyboard alone), signs out and back in and finds the
answers; the lead checks, submits, sets a target, assigns an action, reads the report and
downloads the PDF, whose text is read back; another council's lead tries every URL of the
assessment and gets 404 each time; an admin copies the edition, edits a question and publishes
the copy.
"""

import re
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from assessment.models import ActionTracking, Answer, Assessment, TrendTarget
from tests.browser.conftest import assert_accessible, sign_in, tab_to
from tests.factories import PASSWORD
from tests.reports import pdf_text, run_queued_tasks
from trends.models import Edition, Question, Trend

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KEYBOARD_SECTION = "cyber"  # the section the officer completes by keyboard alone


def url(live_server, name: str, *args) -> str:
    return f"{live_server.url}{reverse(name, args=args)}"


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in").first).to_be_visible()


def answer_by_keyboard(page: Page, questions: list[Question]) -> None:
    for number, question in enumerate(questions, start=1):
        tab_to(page, page.locator(f"#id_q{question.pk}-response_1"), limit=120)
        page.keyboard.press("Space")
        for _ in range(number % 4 + 1):
            page.keyboard.press("ArrowDown")
        tab_to(page, page.locator(f"#id_q{question.pk}-evidence"))
        page.keyboard.type(f"Keyboard evidence {number}.")
    tab_to(page, page.get_by_role("button", name=re.compile("^Save and (continue|check)")))
    page.keyboard.press("Enter")


def answer_by_pointer(page: Page, questions: list[Question], trend: Trend) -> None:
    for number, question in enumerate(questions):
        if trend.slug == "geospatial" and number == 0:
            page.locator(f"#id_q{question.pk}-response_6").check()  # Not applicable
            page.locator(f"#id_q{question.pk}-not_applicable_reason").fill(
                "The county runs the shared GIS service."
            )
            continue
        page.locator(f"#id_q{question.pk}-response_{(number % 5) + 1}").check()
        if number % 3 == 0:
            page.locator(f"#id_q{question.pk}-evidence").fill(f"{trend.title} evidence {number}.")
    page.get_by_role("button", name=re.compile("^Save and (continue|check)")).click()


def test_the_whole_journey(
    page: Page, live_server, council, other_council, django_user_model, tmp_path
):
    assessment = council.assessment
    edition = assessment.edition
    trends = list(edition.trends())

    # The officer completes every section, one of them by keyboard alone. ---------------------
    sign_in(page, live_server.url, "officer", PASSWORD)
    assert_accessible(page)  # the dashboard
    page.get_by_role("link", name=re.compile("Continue the assessment")).click()
    assert_accessible(page)  # the task list
    page.get_by_role("link", name=trends[0].title, exact=True).click()
    for trend in trends:
        expect(page.get_by_role("heading", level=1)).to_have_text(trend.title)
        assert_accessible(page)
        questions = list(edition.questions.filter(trend=trend).order_by("order", "key"))
        if trend.slug == KEYBOARD_SECTION:
            answer_by_keyboard(page, questions)
        else:
            answer_by_pointer(page, questions, trend)
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers")
    assert Answer.objects.filter(assessment=assessment).count() == edition.questions.count()

    # Signs out and back in, and finds the answers as left. -----------------------------------
    sign_out(page)
    assert_accessible(page)  # the sign-in page again
    sign_in(page, live_server.url, "officer", PASSWORD)
    page.goto(url(live_server, "assessment:section", assessment.pk, KEYBOARD_SECTION))
    first = edition.questions.filter(trend__slug=KEYBOARD_SECTION).order_by("order", "key")[0]
    expect(page.locator(f"#id_q{first.pk}-evidence")).to_have_value("Keyboard evidence 1.")
    expect(page.locator(f"#id_q{first.pk}-response_3")).to_be_checked()  # 1 + 1 arrow presses
    sign_out(page)

    # The lead checks the answers and submits. ------------------------------------------------
    sign_in(page, live_server.url, "lead", PASSWORD)
    page.goto(url(live_server, "assessment:check_answers", assessment.pk))
    assert_accessible(page)
    page.get_by_role("button", name="Submit the assessment").click()
    expect(page.get_by_text("Assessment submitted. It is now read-only.")).to_be_visible()
    assert_accessible(page)

    # Sets a target, and assigns an action. ---------------------------------------------------
    page.goto(url(live_server, "assessment:targets", assessment.pk))
    assert_accessible(page)
    page.get_by_label("Cyber protection").select_option("4")
    page.get_by_role("button", name="Save targets").click()
    expect(page.get_by_text("Targets saved.")).to_be_visible()
    assert_accessible(page)  # the action plan
    assert (
        TrendTarget.objects.get(organisation=council.organisation, trend__slug="cyber").level == 4
    )
    page.get_by_role("link", name=re.compile("Update action 1")).first.click()
    assert_accessible(page)
    page.get_by_label("Owner (optional)").fill("Head of Digital")
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("3")
    page.get_by_label("Year").fill("2027")
    page.get_by_role("radio", name="In progress").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Head of Digital").first).to_be_visible()
    tracking = ActionTracking.objects.get(assessment=assessment)
    assert tracking.owner == "Head of Digital"
    assert tracking.due_date is not None and tracking.due_date.isoformat() == "2027-03-31"

    # Reads the report and downloads the PDF, whose text says what the report says. -----------
    page.goto(url(live_server, "assessment:report", assessment.pk))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Digital maturity report")
    assert_accessible(page)
    page.get_by_role("link", name="Full report with every answer (PDF)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Preparing your full report")
    with page.expect_download(timeout=60_000) as download:
        run_queued_tasks()  # what the worker does; the page notices and downloads the file
    text = " ".join(pdf_text(Path(download.value.path()).read_bytes(), tmp_path).split())
    assert "Ashdown District Council" in text and "Page 1 of" in text
    assert "Keyboard evidence 1." in text and "The county runs the shared GIS service." in text
    assert "Head of Digital" in text
    for trend in trends:
        assert trend.title in text
    sign_out(page)

    # Another council's lead gets 404 from every URL of this assessment. ----------------------
    sign_in(page, live_server.url, "other-lead", PASSWORD)
    key = first.key
    pages = [
        ("assessment:task_list", []),
        ("assessment:section", [KEYBOARD_SECTION]),
        ("assessment:check_answers", []),
        ("assessment:reopen", []),
        ("assessment:answer_history", [key]),
        ("assessment:targets", []),
        ("assessment:action_plan", []),
        ("assessment:track_action", [key]),
        ("assessment:report", []),
        ("assessment:peer_group", []),
        ("assessment:report_document", ["full-report"]),
        ("assessment:export_xlsx", []),
        ("assessment:export_csv", ["answers"]),
    ]
    forms = [  # posted as the other lead's browser would, with its own CSRF token
        ("assessment:section", [KEYBOARD_SECTION]),
        ("assessment:submit", []),
        ("assessment:reopen", []),
        ("assessment:targets", []),
        ("assessment:track_action", [key]),
        ("assessment:peer_group", []),
    ]
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    for name, args in pages:
        response = page.request.get(url(live_server, name, assessment.pk, *args))
        assert response.status == 404, (name, response.status)
    for name, args in forms:
        response = page.request.post(
            url(live_server, name, assessment.pk, *args),
            form={"csrfmiddlewaretoken": token, "reason": "Mine now.", "group": "all"},
        )
        assert response.status == 404, (name, "POST", response.status)
    page.goto(url(live_server, "assessment:report", assessment.pk))
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    page.problems.clear()  # type: ignore[attr-defined]  # the 404 is the point
    assert_accessible(page)
    sign_out(page)

    # An admin copies the edition, edits a question of the copy and publishes it. -------------
    django_user_model.objects.create_superuser("curator", "curator@example.gov.uk", PASSWORD)
    sign_in(page, live_server.url, "curator", PASSWORD)
    page.goto(url(live_server, "admin:trends_edition_changelist"))
    assert_accessible(page)
    page.locator(f'input[name="_selected_action"][value="{edition.pk}"]').check()
    page.locator('select[name="action"]').select_option("create_draft_copy")
    page.locator('button[name="index"]').click()
    expect(page.get_by_text(re.compile("It is a draft: edit it, then publish it."))).to_be_visible()
    draft = Edition.objects.get(based_on=edition)
    question = draft.questions.get(key=first.key)
    page.goto(url(live_server, "admin:trends_question_change", question.pk))
    assert_accessible(page)
    page.get_by_label("Statement").fill("We test our incident response plan with partners yearly.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text(re.compile("was changed successfully"))).to_be_visible()
    page.goto(url(live_server, "admin:trends_edition_changelist"))
    page.locator(f'input[name="_selected_action"][value="{draft.pk}"]').check()
    page.locator('select[name="action"]').select_option("publish")
    page.locator('button[name="index"]').click()
    expect(page.get_by_text(f"Published “{draft.title}”.")).to_be_visible()
    assert_accessible(page)

    draft.refresh_from_db()
    assert draft.status == Edition.Status.PUBLISHED
    assert draft.questions.get(key=first.key).statement.startswith("We test our incident")
    # The council's submitted answers still mean what they meant.
    assert Question.objects.get(pk=first.pk).statement == first.statement
    assert Assessment.objects.get(pk=assessment.pk).is_submitted
