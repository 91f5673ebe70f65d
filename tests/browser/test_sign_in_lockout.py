"""The pages a throttled person sees, in Chromium: they say what happened and pass axe."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from assessment import throttling
from tests.browser.conftest import assert_accessible
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_too_many_wrong_passwords_show_the_lockout_page(page: Page, live_server, django_user_model):
    django_user_model.objects.create_user(username="officer", password=PASSWORD)
    page.goto(f"{live_server.url}{reverse('assessment:sign_in')}")
    for _ in range(5):
        page.get_by_label("Username").fill("officer")
        page.get_by_label("Password").fill("not-the-password")
        page.get_by_role("button", name="Sign in", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Your account is locked for 15 minutes"
    )
    expect(page).to_have_title("Your account is locked – Digital maturity self-assessment")
    expect(page.get_by_role("link", name="reset your password")).to_be_visible()

    # The lockout is answered with 429 Too Many Requests; nothing else went wrong.
    assert f"HTTP 429 for {live_server.url}/sign-in/" in page.problems  # type: ignore[attr-defined]
    assert_accessible(page, status=429)


def test_too_many_password_resets_show_the_wait_page(page: Page, live_server, monkeypatch):
    monkeypatch.setattr(throttling, "RESETS_PER_CLIENT", 2)
    monkeypatch.setattr(throttling, "now", lambda: 1_790_000_000.0)  # one hour for all three
    for n in range(3):
        page.goto(f"{live_server.url}{reverse('assessment:password_reset')}")
        page.get_by_label("Email address").fill(f"nobody{n}@example.gov.uk")
        page.get_by_role("button", name="Send reset link").click()
        if n < 2:  # answered before the next is asked for
            expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")

    expect(page.get_by_role("heading", level=1)).to_have_text("Too many password reset requests")
    expect(page).to_have_title(
        "Too many password reset requests – Digital maturity self-assessment"
    )
    expect(page.get_by_role("link", name="ask for another link")).to_be_visible()

    assert f"HTTP 429 for {page.url}" in page.problems  # type: ignore[attr-defined]
    assert_accessible(page, status=429)
