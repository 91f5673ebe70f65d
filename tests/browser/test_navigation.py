"""The navigation and the dashboards in Chromium: signing out looks like the links beside it,
and the admins' table and a member's dashboard with a submitted assessment pass axe, at full
width and at 320 px."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from assessment.models import Assessment, Organisation
from assessment.reporting.assessment_table import PAGE_SIZE
from tests.browser.conftest import assert_accessible, sign_in, tab_to
from tests.factories import PASSWORD, answer_and_submit, make_assessment, make_organisation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What a reader sees of a control: the same as a navigation link's, or it is not one.
LOOK = """element => {
    const style = getComputedStyle(element);
    return {
        colour: style.color,
        underline: style.textDecorationLine,
        size: style.fontSize,
        weight: style.fontWeight,
        family: style.fontFamily,
    };
}"""


@pytest.fixture
def curator(django_user_model):
    return django_user_model.objects.create_user("curator", password=PASSWORD, is_staff=True)


@pytest.fixture
def many_assessments(council, content):
    """Enough assessments, of several types, regions and statuses, for two pages."""
    kinds = [Organisation.Kind.DISTRICT, Organisation.Kind.COUNTY, Organisation.Kind.UNITARY]
    regions = ["South East", "East Midlands", "North West"]
    for n in range(PAGE_SIZE + 5):
        make_assessment(
            content,
            organisation=make_organisation(kind=kinds[n % 3], region=regions[n % 3]),
            status=Assessment.Status.SUBMITTED if n % 2 else Assessment.Status.IN_PROGRESS,
        )


def test_sign_out_looks_like_the_navigation_links_beside_it(page: Page, live_server, council):
    sign_in(page, live_server.url, "officer", PASSWORD)

    navigation = page.get_by_role("navigation", name="Menu")
    sign_out = navigation.get_by_role("button", name="Sign out")
    link = navigation.get_by_role("link", name="Your assessments")
    assert sign_out.evaluate(LOOK) == link.evaluate(LOOK)
    assert sign_out.evaluate(LOOK)["colour"] != "rgb(11, 12, 12)"  # GOV.UK's black text

    # And it is reached, and works, by keyboard, as a POST.
    tab_to(page, sign_out)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}{reverse('assessment:home')}")
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()


def test_a_members_dashboard_with_a_submitted_assessment(page: Page, live_server, council):
    answer_and_submit(council)
    sign_in(page, live_server.url, "viewer", PASSWORD)

    actions = page.locator(".govuk-summary-card .govuk-button-group")
    expect(actions.get_by_role("button", name="View the report")).to_be_visible()
    expect(actions.get_by_role("link", name="Read the action plan")).to_be_visible()
    expect(actions.get_by_role("link", name="Read the submitted answers")).to_be_visible()
    assert_accessible(page)


@pytest.mark.parametrize("width", [1280, 320])
def test_the_admins_table_of_every_assessment(
    page: Page, live_server, curator, many_assessments, width
):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server.url, "curator", PASSWORD)

    expect(page.get_by_role("heading", level=1)).to_have_text("All assessments")
    expect(page.locator("#assessments tbody tr")).to_have_count(PAGE_SIZE)
    expect(page.get_by_role("navigation", name="Pages of assessments")).to_be_visible()
    # The page never scrolls sideways: a table too wide scrolls in its own container.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert_accessible(page)


def test_the_admins_table_filtered_and_sorted_without_javascript(
    browser, page: Page, live_server, curator, many_assessments
):
    without_javascript = browser.new_context(locale="en-GB", java_script_enabled=False)
    plain = without_javascript.new_page()
    try:
        sign_in(plain, live_server.url, "curator", PASSWORD)
        plain.get_by_label("Type of organisation").select_option(label="County council")
        plain.get_by_label("Status", exact=True).select_option(label="Submitted")
        plain.get_by_role("button", name="Apply filters").click()
        plain.get_by_role("link", name="Last change", exact=True).click()

        expect(plain.locator("#assessments th[aria-sort=descending]")).to_have_text("Last change ▼")
        rows = plain.locator("#assessments tbody tr")
        expect(rows).to_have_count(
            Assessment.objects.filter(
                organisation__kind=Organisation.Kind.COUNTY, status=Assessment.Status.SUBMITTED
            ).count()
        )
        for row in rows.all():
            expect(row.locator("td").nth(2)).to_have_text("County council")
            expect(row.locator("td").nth(4)).to_have_text("Submitted")
        address = plain.url
    finally:
        without_javascript.close()

    # axe needs JavaScript: the same filtered, sorted page, checked with it on.
    sign_in(page, live_server.url, "curator", PASSWORD)
    page.goto(address)
    assert_accessible(page)


def test_the_sign_in_page_with_its_demo_sign_ins(page: Page, live_server, content, settings):
    settings.DEBUG = True  # the list is shown only then

    page.goto(f"{live_server.url}{reverse('assessment:sign_in')}")

    expect(page.get_by_role("heading", name="Demo sign-ins")).to_be_visible()
    assert_accessible(page)
