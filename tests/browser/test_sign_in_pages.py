"""Signing in and resetting a password in Chromium: axe finds nothing, the keyboard is enough."""

import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"


@pytest.fixture
def officer(django_user_model):
    return django_user_model.objects.create_user(
        username="officer", email="officer@example.gov.uk", password=PASSWORD
    )


def test_sign_in_page(page: Page, live_server):
    page.goto(f"{live_server.url}{reverse('assessment:sign_in')}")

    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to your account")
    expect(page).to_have_title("Sign in – Digital maturity self-assessment")
    expect(page.get_by_role("link", name="Forgotten your password?")).to_be_visible()
    assert_accessible(page)


def test_sign_in_page_with_errors(page: Page, live_server):
    page.goto(f"{live_server.url}{reverse('assessment:sign_in')}")

    page.get_by_role("button", name="Sign in", exact=True).click()

    expect(page).to_have_title(re.compile(r"^Error: Sign in – "))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("link", name="Enter your username")).to_be_visible()
    expect(summary.get_by_role("link", name="Enter your password")).to_be_visible()
    assert_accessible(page)


def test_following_the_error_summary_link_moves_focus_to_the_username(page: Page, live_server):
    page.goto(f"{live_server.url}{reverse('assessment:sign_in')}")
    page.get_by_role("button", name="Sign in", exact=True).click()

    # GOV.UK Frontend moves focus to the summary, so the next Tab reaches its first link.
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    page.keyboard.press("Tab")
    link = summary.get_by_role("link", name="Enter your username")
    expect(link).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.locator("#id_username")).to_be_focused()


def test_keyboard_only_sign_in(page: Page, live_server, officer):
    page.goto(f"{live_server.url}{reverse('assessment:sign_in')}")
    username = page.get_by_label("Username")
    password = page.get_by_label("Password")
    button = page.get_by_role("button", name="Sign in", exact=True)

    # Tab from the top of the page until the username field has focus (it may already have it).
    for _ in range(10):
        if username.evaluate("element => element === document.activeElement"):
            break
        page.keyboard.press("Tab")
    expect(username).to_be_focused()
    page.keyboard.type("officer")
    page.keyboard.press("Tab")
    expect(password).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Tab")
    expect(button).to_be_focused()

    with page.expect_navigation():
        page.keyboard.press("Enter")

    # Only the address is checked: the dashboard is another page with its own tests.
    expect(page).to_have_url(re.compile(r"/dashboard/$"))


def test_enter_in_the_password_field_signs_in(page: Page, live_server, officer):
    page.goto(f"{live_server.url}{reverse('assessment:sign_in')}")
    page.get_by_label("Username").fill("officer")
    page.get_by_label("Password").fill(PASSWORD)

    with page.expect_navigation():
        page.get_by_label("Password").press("Enter")

    expect(page).to_have_url(re.compile(r"/dashboard/$"))


def test_password_reset_request_page(page: Page, live_server):
    page.goto(f"{live_server.url}{reverse('assessment:password_reset')}")

    expect(page.get_by_role("heading", level=1)).to_have_text("Reset your password")
    assert_accessible(page)


def test_password_reset_request_page_with_errors(page: Page, live_server):
    page.goto(f"{live_server.url}{reverse('assessment:password_reset')}")
    page.get_by_role("textbox").fill("not-an-email")

    page.get_by_role("button", name="Send reset link").click()

    expect(page).to_have_title(re.compile(r"^Error: Reset your password – "))
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter an email address in the correct format, like name@example.gov.uk"
    )
    assert_accessible(page)


def test_password_reset_sent_page(page: Page, live_server, officer):
    page.goto(f"{live_server.url}{reverse('assessment:password_reset')}")
    page.get_by_role("textbox").fill("officer@example.gov.uk")

    page.get_by_role("button", name="Send reset link").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    expect(page.get_by_text("The link works for 24 hours.")).to_be_visible()
    assert_accessible(page)


def test_password_reset_confirm_page(page: Page, live_server, officer):
    uid = urlsafe_base64_encode(force_bytes(officer.pk))
    token = default_token_generator.make_token(officer)
    link = reverse("assessment:password_reset_confirm", kwargs={"uidb64": uid, "token": token})

    page.goto(f"{live_server.url}{link}")

    expect(page.get_by_role("heading", level=1)).to_have_text("Create a new password")
    expect(page.get_by_label("New password", exact=True)).to_be_visible()
    assert_accessible(page)


def test_password_reset_confirm_page_with_a_link_that_does_not_work(page: Page, live_server):
    link = reverse("assessment:password_reset_confirm", kwargs={"uidb64": "MQ", "token": "x-y"})

    page.goto(f"{live_server.url}{link}")

    expect(page.get_by_role("heading", level=1)).to_have_text("This link does not work")
    expect(page.get_by_role("link", name=re.compile("Ask for a new link"))).to_be_visible()
    assert_accessible(page)


def test_password_reset_complete_page(page: Page, live_server):
    page.goto(f"{live_server.url}{reverse('assessment:password_reset_complete')}")

    expect(page.get_by_role("heading", level=1)).to_have_text("Your password has been changed")
    assert_accessible(page)
