"""The officer's journey in Chromium: by keyboard alone, over several visits, to submission.

axe runs on every page the journey passes through, each with zero violations.
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from assessment.models import Answer, Assessment
from assessment.workflow import AnswerInput, save_answers
from tests.browser.conftest import assert_accessible, sign_in, tab_to
from tests.factories import PASSWORD, continue_from_an_earlier_edition
from tests.factories import make_submitted_assessment as submitted
from tests.reports import run_queued_tasks

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def url(live_server, name: str, *args) -> str:
    return f"{live_server.url}{reverse(name, args=args)}"


def test_an_officer_completes_a_section_with_the_keyboard_alone(page: Page, live_server, council):
    sign_in(page, live_server.url, "officer", PASSWORD)
    page.goto(url(live_server, "assessment:task_list", council.assessment.pk))

    tab_to(page, page.get_by_role("link", name="Geospatial technologies"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Geospatial technologies")

    questions = list(council.assessment.edition.questions.filter(trend__slug="geospatial"))
    for number, question in enumerate(questions, start=1):
        # Tab into the question's radios (focus lands on the first), Space selects it, and
        # the arrow keys move the selection to the level wanted.
        tab_to(page, page.locator(f"#id_q{question.pk}-response_1"))
        page.keyboard.press("Space")
        for _ in range(number % 5):
            page.keyboard.press("ArrowDown")
        tab_to(page, page.locator(f"#id_q{question.pk}-evidence"))
        page.keyboard.type(f"Evidence for question {number}.")
    tab_to(page, page.get_by_role("button", name="Save and continue"))
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Infrastructure and cloud")
    saved = {
        a.question_id: (a.response, a.evidence)
        for a in Answer.objects.filter(assessment=council.assessment)
    }
    assert saved == {
        q.pk: (str(n % 5), f"Evidence for question {n}.") for n, q in enumerate(questions, 1)
    }


def test_answers_survive_signing_out_and_a_mistake_is_explained(page: Page, live_server, council):
    sign_in(page, live_server.url, "officer", PASSWORD)
    page.goto(url(live_server, "assessment:dashboard"))
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Continue the assessment")).click()
    assert_accessible(page)  # the task list
    page.get_by_role("link", name="Artificial intelligence").click()
    assert_accessible(page)  # the section

    ai1, ai2 = council.assessment.edition.questions.filter(trend__slug="ai")[:2]
    page.locator(f"#id_q{ai1.pk}-response_4").check()  # Established
    page.locator(f"#id_q{ai1.pk}-evidence").fill("AI policy approved by cabinet in May.")
    page.locator(f"#id_q{ai2.pk}-response_6").check()  # Not applicable, but no reason
    page.get_by_role("button", name="Save and return to task list").click()

    # Refused, explained, and nothing typed is lost.
    expect(page).to_have_title(re.compile("^Error: "))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    assert_accessible(page)
    summary.get_by_role("link", name="Enter why this does not apply to your organisation").click()
    reason = page.locator(f"#id_q{ai2.pk}-not_applicable_reason")
    expect(reason).to_be_focused()
    expect(page.locator(f"#id_q{ai1.pk}-evidence")).to_have_value(
        "AI policy approved by cabinet in May."
    )
    reason.fill("We have no plans to use AI in any service.")
    page.get_by_role("button", name="Save and return to task list").click()
    expect(page.get_by_text("Artificial intelligence: 2 answers saved.")).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server.url, "officer", PASSWORD)
    page.goto(url(live_server, "assessment:section", council.assessment.pk, "ai"))

    expect(page.locator(f"#id_q{ai1.pk}-response_4")).to_be_checked()
    expect(page.locator(f"#id_q{ai1.pk}-evidence")).to_have_value(
        "AI policy approved by cabinet in May."
    )
    expect(page.locator(f"#id_q{ai2.pk}-not_applicable_reason")).to_have_value(
        "We have no plans to use AI in any service."
    )


def test_the_lead_checks_submits_and_reopens(page: Page, live_server, council):
    questions = list(council.assessment.edition.questions.order_by("trend", "order"))
    last = questions.pop()
    save_answers(
        assessment=council.assessment,
        inputs=[AnswerInput(q, "2", "", "", 0) for q in questions],
        user=council.officer,
    )
    sign_in(page, live_server.url, "lead", PASSWORD)
    page.goto(url(live_server, "assessment:check_answers", council.assessment.pk))
    assert_accessible(page)

    # Incomplete: no Submit button, but the section still to finish.
    expect(page.get_by_role("button", name="Submit the assessment")).to_have_count(0)
    expect(page.get_by_role("link", name=last.trend.title, exact=True)).to_be_visible()

    save_answers(
        assessment=council.assessment,
        inputs=[AnswerInput(last, "1", "", "", 0)],
        user=council.officer,
    )
    page.goto(url(live_server, "assessment:check_answers", council.assessment.pk))
    page.get_by_role("button", name="Submit the assessment").click()
    expect(page.get_by_text("Assessment submitted. It is now read-only.")).to_be_visible()
    assert_accessible(page)  # the task list, submitted
    assert Assessment.objects.get(pk=council.assessment.pk).is_submitted

    page.goto(url(live_server, "assessment:section", council.assessment.pk, "ai"))
    expect(page.locator("input[type=radio]")).to_have_count(0)
    assert_accessible(page)  # a read-only section
    page.goto(
        url(live_server, "assessment:answer_history", council.assessment.pk, questions[0].key)
    )
    assert_accessible(page)

    page.goto(url(live_server, "assessment:reopen", council.assessment.pk))
    page.get_by_role("button", name="Reopen the assessment").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter why you are reopening the assessment"
    )
    assert_accessible(page)
    page.get_by_label("Why are you reopening the assessment?").fill(
        "The cyber answers missed the new security operations contract."
    )
    page.get_by_role("button", name="Reopen the assessment").click()
    expect(page.get_by_text("Assessment reopened.")).to_be_visible()
    assert not Assessment.objects.get(pk=council.assessment.pk).is_submitted


def test_a_viewer_reads_without_forms_and_error_pages_are_accessible(
    page: Page, live_server, council, other_council
):
    sign_in(page, live_server.url, "viewer", PASSWORD)
    page.goto(url(live_server, "assessment:section", council.assessment.pk, "cyber"))
    expect(page.locator("input[type=radio]")).to_have_count(0)
    assert_accessible(page)

    page.goto(url(live_server, "assessment:reopen", council.assessment.pk))
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot do this")
    page.problems.clear()  # type: ignore[attr-defined]  # the 403 itself is the point here
    assert_accessible(page)

    page.goto(url(live_server, "assessment:task_list", other_council.assessment.pk))
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    page.problems.clear()  # type: ignore[attr-defined]
    assert_accessible(page)


def test_the_accessibility_statement(page: Page, live_server, content):
    page.goto(url(live_server, "assessment:accessibility"))

    expect(page.get_by_role("heading", level=1)).to_have_text("Accessibility statement")
    assert_accessible(page)


def test_the_lead_reads_the_plan_sets_a_target_and_tracks_an_action(
    page: Page, live_server, council
):
    questions = list(council.assessment.edition.questions.all())
    save_answers(
        assessment=council.assessment,
        inputs=[AnswerInput(q, "1", "", "", 0) for q in questions],
        user=council.officer,
    )
    sign_in(page, live_server.url, "lead", PASSWORD)
    page.goto(url(live_server, "assessment:action_plan", council.assessment.pk))
    expect(page.get_by_role("heading", name="Now: the next three months")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Set your targets").click()
    page.get_by_label("Cyber protection").select_option("4")
    assert_accessible(page)
    page.get_by_role("button", name="Save targets").click()
    expect(page.get_by_text("Targets saved.")).to_be_visible()

    page.get_by_role("link", name="Update action 1", exact=False).first.click()
    page.get_by_role("radio", name="Won't do").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter why the council won't do this action"
    )
    assert_accessible(page)
    page.get_by_label("If the council won't do this, say why").fill(
        "The county provides this service for us."
    )
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Why not: The county provides this service for us.")).to_be_visible()


def test_the_report_page_and_its_pdf(page: Page, live_server, council):
    questions = list(council.assessment.edition.questions.all())
    save_answers(
        assessment=council.assessment,
        inputs=[
            AnswerInput(q, str(n % 5), "", "Evidence." if n % 3 else "", 0)
            for n, q in enumerate(questions)
        ],
        user=council.officer,
    )
    sign_in(page, live_server.url, "viewer", PASSWORD)
    page.goto(url(live_server, "assessment:report", council.assessment.pk))

    expect(page.get_by_role("heading", level=1)).to_contain_text("Digital maturity report")
    expect(
        page.get_by_role("img", name=re.compile("Trend scores|trend", re.I)).first
    ).to_be_visible()
    assert_accessible(page)

    # The documents are not made yet: the reader waits on a page that checks back.
    page.get_by_role("link", name="Board summary (PDF, 2 to 4 pages)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Preparing your board summary")
    assert_accessible(page)
    with page.expect_download(timeout=30_000) as download:
        run_queued_tasks()  # what the worker does; the page notices and downloads the file
    assert download.value.suggested_filename.startswith("ashdown-digital-maturity-")
    assert download.value.suggested_filename.endswith("-board-summary.pdf")
    expect(page.get_by_role("status")).to_contain_text("Your document is ready")

    # Once made, a document downloads straight from the report.
    page.goto(url(live_server, "assessment:report", council.assessment.pk))
    with page.expect_download() as download:
        page.get_by_role("link", name="Board paper to edit (Word, DOCX)").click()
    assert download.value.suggested_filename.endswith("-board-paper.docx")


def test_the_lead_compares_with_peers_and_sees_progress(page: Page, live_server, council, settings):
    settings.PEER_MINIMUM = 3
    edition = council.assessment.edition
    for level in "0243":
        submitted(edition, {"ai": level, "data": "2"}, kind="county")
    older, _ = continue_from_an_earlier_edition(edition, "ai")
    before = submitted(older, {"ai": "1"})
    Assessment.objects.filter(pk=before.pk).update(organisation=council.organisation)
    save_answers(
        assessment=council.assessment,
        inputs=[AnswerInput(q, "3", "", "", 0) for q in edition.questions.filter(trend__slug="ai")],
        user=council.officer,
    )
    sign_in(page, live_server.url, "lead", PASSWORD)
    page.goto(url(live_server, "assessment:report", council.assessment.pk))

    # Ashdown is a district: no other district has submitted, so no figures yet.
    expect(page.get_by_text("Not enough peers yet")).to_be_visible()
    expect(
        page.get_by_role("row", name=re.compile("Artificial intelligence 25 75 Up 50"))
    ).to_be_visible()
    assert_accessible(page)

    change = page.get_by_role("link", name=re.compile("Change the peer group"))
    tab_to(page, change, limit=200)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Who should your report compare you with?"
    )
    assert_accessible(page)
    # Tab reaches the radios at the chosen one; arrow keys move the choice, as in any browser.
    tab_to(page, page.get_by_role("radio", name=re.compile("District councils")))
    everyone = page.get_by_role("radio", name=re.compile("All organisations"))
    for _ in range(3):
        page.keyboard.press("ArrowDown")
    expect(everyone).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Save and return to the report"))
    page.keyboard.press("Enter")

    expect(page.get_by_text("Your report now compares you with all organisations.")).to_be_visible()
    expect(
        page.get_by_role(
            "img", name=re.compile("Artificial intelligence: this organisation 75; peers' median")
        )
    ).to_be_visible()
    assert_accessible(page)
