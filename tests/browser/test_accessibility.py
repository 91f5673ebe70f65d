"""Every page passes axe in Chromium with zero violations; the layout works by keyboard."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from assessment.models import Answer, Assessment
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import make_organisation
from trends.models import Trend

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_superuser(
        "curator", "curator@example.gov.uk", "a-long-test-password"
    )


def test_home_page(page: Page, live_server, content):
    page.goto(live_server.url)

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Assess your council's digital maturity"
    )
    expect(page.get_by_text("Cyber protection", exact=False).first).to_be_visible()
    assert_accessible(page)


def test_styles_and_fonts_come_from_our_own_build(page: Page, live_server, content):
    page.goto(live_server.url)

    font = page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily")
    assert font.startswith("system-ui")
    assert "GDS Transport" not in font
    # GOV.UK Frontend's JavaScript ran, so its components are live.
    assert page.evaluate("document.body.classList.contains('govuk-frontend-supported')")
    assert list(page.problems) == []  # type: ignore[attr-defined]


def test_skip_link_is_the_first_thing_the_keyboard_reaches(page: Page, live_server, content):
    page.goto(live_server.url)

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")

    # Waits: on a busy machine the jump lands a moment after the key press.
    expect(page).to_have_url(re.compile(r"#main-content$"))
    expect(page.locator("#main-content")).to_be_focused()


def test_the_open_data_page(page: Page, live_server, content):
    page.goto(f"{live_server.url}{reverse('assessment:open_data')}")

    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)


def test_admin_login_page(page: Page, live_server, content):
    page.goto(f"{live_server.url}{reverse('admin:login')}")

    assert_accessible(page)


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:index",
        "admin:trends_trend_changelist",
        "admin:trends_question_changelist",
        "admin:trends_edition_changelist",
        "admin:trends_edition_import",
        "assessment:sector",  # with nothing submitted yet
    ],
)
def test_admin_pages(page: Page, live_server, content, staff, url_name):
    sign_in(page, live_server.url, "curator", "a-long-test-password")
    page.goto(f"{live_server.url}{reverse(url_name)}")

    assert_accessible(page)


def test_admin_trend_page_with_its_questions(page: Page, live_server, content, staff):
    sign_in(page, live_server.url, "curator", "a-long-test-password")
    ai = Trend.objects.get(slug="ai")
    page.goto(f"{live_server.url}{reverse('admin:trends_trend_change', args=[ai.pk])}")

    expect(page.get_by_role("heading", name="Artificial intelligence", exact=True)).to_be_visible()
    assert_accessible(page)


def test_sector_overview_with_its_box_plots(page: Page, live_server, content, staff):
    for level in "0124":
        assessment = Assessment.objects.create(
            organisation=make_organisation(),
            edition=content,
            status=Assessment.Status.SUBMITTED,
            submitted_at=timezone.now(),
        )
        Answer.objects.bulk_create(
            Answer(assessment=assessment, question=q, response=level)
            for q in content.questions.all()
        )
    sign_in(page, live_server.url, "curator", "a-long-test-password")
    page.goto(f"{live_server.url}{reverse('assessment:sector')}")

    expect(page.get_by_role("heading", level=1)).to_have_text("Sector overview")
    expect(page.get_by_role("img", name="How each trend's and index's scores")).to_be_visible()
    assert_accessible(page)
