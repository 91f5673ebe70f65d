"""The Content Security Policy is sent and nothing the service or Django admin shows breaks it.

Chromium reports a violation as a console error (which the `page` fixture collects) and as a
`securitypolicyviolation` event, recorded here from before any of the page's own code runs.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from tests.browser.conftest import sign_in
from tests.factories import PASSWORD
from trends.models import Trend

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", event => {
  window.cspViolations.push(`${event.effectiveDirective} blocked ${event.blockedURI}`);
});
"""
EXPECTED_DIRECTIVES = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
]


@pytest.fixture
def csp_page(page: Page) -> Page:
    page.add_init_script(RECORD_VIOLATIONS)
    return page


def visit(page: Page, url: str) -> list[str]:
    """Open `url`, check it carries the policy, and return what the policy blocked there."""
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    policy = response.headers.get("content-security-policy", "")
    assert [d for d in EXPECTED_DIRECTIVES if d not in policy] == [], policy
    assert "unsafe-inline" not in policy
    page.wait_for_load_state("networkidle")
    return page.evaluate("window.cspViolations")


def test_the_recorder_sees_a_violation(csp_page: Page, live_server, content):
    # Without this, an empty list below could mean the recorder never ran.
    visit(csp_page, live_server.url)

    csp_page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.inlineRan = true'; document.body.append(s); }"
    )

    assert csp_page.evaluate("window.inlineRan") is None
    assert csp_page.evaluate("window.cspViolations") == ["script-src-elem blocked inline"]


def test_the_service_pages_break_nothing(csp_page: Page, live_server, council):
    assert visit(csp_page, live_server.url) == []
    assert visit(csp_page, f"{live_server.url}{reverse('assessment:sign_in')}") == []

    sign_in(csp_page, live_server.url, "officer", PASSWORD)
    section = reverse("assessment:section", args=[council.assessment.pk, "ai"])
    assert visit(csp_page, f"{live_server.url}{section}") == []
    # GOV.UK Frontend's JavaScript ran from its file, so nothing it needs was blocked.
    assert csp_page.evaluate("document.body.classList.contains('govuk-frontend-supported')")
    report = reverse("assessment:report", args=[council.assessment.pk])
    assert visit(csp_page, f"{live_server.url}{report}") == []  # the SVG charts

    assert list(csp_page.problems) == []  # type: ignore[attr-defined]


def test_django_admin_breaks_nothing(csp_page: Page, live_server, content, django_user_model):
    django_user_model.objects.create_superuser("curator", "curator@example.gov.uk", PASSWORD)
    assert visit(csp_page, f"{live_server.url}{reverse('admin:login')}") == []

    sign_in(csp_page, live_server.url, "curator", PASSWORD)
    ai = Trend.objects.get(slug="ai")
    for url in [
        reverse("admin:index"),
        reverse("admin:trends_question_changelist"),
        reverse("admin:trends_trend_change", args=[ai.pk]),  # inlines and their JavaScript
        reverse("admin:auth_user_add"),
    ]:
        assert visit(csp_page, f"{live_server.url}{url}") == [], url

    assert list(csp_page.problems) == []  # type: ignore[attr-defined]
