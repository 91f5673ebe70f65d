"""The report, the plan, the dashboard and the task list reflow (WCAG 1.4.10) in Chromium.

At 320 px, the narrowest width WCAG asks a page to work at without scrolling sideways, and at
1024 px: the page itself never scrolls sideways (a wide table scrolls in its own container,
which the keyboard can reach), and axe finds nothing.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from assessment.models import Assessment
from assessment.workflow import AnswerInput, save_answers, submit_assessment
from tests.browser.conftest import assert_accessible, sign_in, tab_to
from tests.factories import PASSWORD, continue_from_an_earlier_edition
from tests.factories import make_submitted_assessment as submitted

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [320, 1024]
PAGES = ["report", "action_plan", "task_list", "dashboard"]


@pytest.fixture
def submitted_council(council, settings):
    """Ashdown's assessment submitted, with enough district peers for figures, an earlier
    assessment to show progress against, and a plan with actions in every horizon."""
    settings.PEER_MINIMUM = 3
    edition = council.assessment.edition
    for level in "0243":
        submitted(edition, {"ai": level, "data": "2", "cyber": "3"})  # districts, as Ashdown
    older, _ = continue_from_an_earlier_edition(edition, "ai")
    before = submitted(older, {"ai": "1"})
    Assessment.objects.filter(pk=before.pk).update(organisation=council.organisation)
    save_answers(
        assessment=council.assessment,
        inputs=[
            AnswerInput(q, str(n % 5), "", "Evidence." if n % 3 else "", 0)
            for n, q in enumerate(edition.questions.all())
        ],
        user=council.officer,
    )
    submit_assessment(assessment=council.assessment, user=council.lead)
    return council


def open_page(page: Page, live_server, name: str, council, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    args = [] if name == "dashboard" else [council.assessment.pk]
    page.goto(f"{live_server.url}{reverse(f'assessment:{name}', args=args)}")


def page_width(page: Page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


# The outermost elements that reach past the viewport's right edge: what a failure names.
OVERFLOWING = """() => [...document.querySelectorAll("body *")]
    .filter(el => el.getBoundingClientRect().right > innerWidth + 0.5)
    .filter(el => el.parentElement.getBoundingClientRect().right <= innerWidth + 0.5)
    .map(el => `${el.tagName.toLowerCase()}.${[...el.classList].join(".")}: ` +
        `${Math.round(el.getBoundingClientRect().right)}`)
    .slice(0, 10)"""


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_the_page_never_scrolls_sideways_and_axe_finds_nothing(
    page: Page, live_server, submitted_council, name, width
):
    sign_in(page, live_server.url, "lead", PASSWORD)

    open_page(page, live_server, name, submitted_council, width)

    assert page_width(page) <= width, page.evaluate(OVERFLOWING)
    assert_accessible(page)


def test_a_wide_table_scrolls_in_its_own_container_by_keyboard(
    page: Page, live_server, submitted_council
):
    sign_in(page, live_server.url, "lead", PASSWORD)
    open_page(page, live_server, "report", submitted_council, 320)
    region = page.get_by_role("region", name="Your scores against your peers', out of 100")

    tab_to(page, region, limit=200)
    page.keyboard.press("ArrowRight")

    assert region.evaluate("element => element.scrollWidth > element.clientWidth")
    expect(region).not_to_have_js_property("scrollLeft", 0)
    assert page_width(page) <= 320


def test_every_link_of_the_contents_list_reaches_a_heading_on_the_page(
    page: Page, live_server, submitted_council
):
    sign_in(page, live_server.url, "lead", PASSWORD)
    open_page(page, live_server, "report", submitted_council, 1024)
    contents = page.get_by_role("navigation", name="Contents")

    targets = contents.get_by_role("link").evaluate_all(
        "links => links.map(link => link.getAttribute('href'))"
    )

    assert [t[:1] for t in targets] == ["#"] * len(targets)
    for target in targets:
        expect(page.locator(f"h2{target}")).to_have_count(1)
    contents.get_by_role("link", name="Action plan").click()
    assert page.url.endswith("#action-plan")
    expect(page.locator("#action-plan")).to_be_in_viewport()
