"""Resetting a forgotten password by email, end to end, with GOV.UK pages and messages."""

import re

import pytest
from django.contrib.auth import get_user
from django.core import mail
from django.urls import reverse

from assessment import throttling
from assessment.throttling import RESETS_PER_ADDRESS
from tests.pages import error_summary, links, title

pytestmark = pytest.mark.django_db

OLD_PASSWORD = "a-long-test-password"
NEW_PASSWORD = "correct-horse-battery-staple"
LINK = re.compile(r"^http://testserver(/password-reset/[^/\s]+/[^/\s]+/)$", re.MULTILINE)


@pytest.fixture
def officer(django_user_model):
    return django_user_model.objects.create_user(
        username="officer", email="officer@example.gov.uk", password=OLD_PASSWORD
    )


def text_of(response) -> str:
    """The page's HTML with runs of whitespace made single spaces, as a reader sees the words."""
    return " ".join(response.content.decode().split())


def ask_for_a_reset(client, email="officer@example.gov.uk"):
    return client.post(reverse("assessment:password_reset"), {"email": email}, follow=True)


def link_from_the_email() -> str:
    assert len(mail.outbox) == 1
    body = str(mail.outbox[0].body)
    match = LINK.search(body)
    assert match, body
    return match.group(1)


def open_the_link(client, link):
    """Django swaps the token in the address for one kept in the session, then shows the form."""
    response = client.get(link, follow=True)
    assert response.status_code == 200
    return response


def choose_a_password(client, response, password1, password2=None):
    return client.post(
        response.request["PATH_INFO"],
        {"new_password1": password1, "new_password2": password2 or password1},
    )


def can_sign_in(client, username, password) -> bool:
    client.logout()
    response = client.post(
        reverse("assessment:sign_in"), {"username": username, "password": password}
    )
    signed_in = get_user(client).is_authenticated
    if signed_in:
        assert response["Location"] == reverse("assessment:dashboard")
    client.logout()
    return signed_in


def test_reset_page_asks_for_an_email_address(client):
    response = client.get(reverse("assessment:password_reset"))

    assert response.status_code == 200
    assert title(response.text) == "Reset your password – Digital maturity self-assessment"
    assert "Reset your password</h1>" in text_of(response)
    assert 'type="email" name="email"' in text_of(response)
    assert 'data-module="govuk-button">Send reset link</button>' in text_of(response)


def test_a_known_email_gets_one_email_whose_link_resets_the_password(client, officer):
    response = ask_for_a_reset(client)

    assert response.redirect_chain == [(reverse("assessment:password_reset_sent"), 302)]
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["officer@example.gov.uk"]
    assert email.subject == "Reset your password for the digital maturity self-assessment"
    assert "expires in 24 hours" in email.body
    assert "If you did not ask to reset your password" in email.body
    assert "Your username is: officer" in email.body

    form = open_the_link(client, link_from_the_email())
    assert title(form.text) == "Create a new password – Digital maturity self-assessment"
    assert 'name="new_password1"' in text_of(form)
    assert 'name="new_password2"' in text_of(form)

    saved = choose_a_password(client, form, NEW_PASSWORD)
    assert saved.status_code == 302
    assert saved["Location"] == reverse("assessment:password_reset_complete")

    done = client.get(saved["Location"])
    assert "Your password has been changed</h1>" in text_of(done)
    assert f'href="{reverse("assessment:sign_in")}"' in text_of(done)

    assert can_sign_in(client, "officer", NEW_PASSWORD)
    assert not can_sign_in(client, "officer", OLD_PASSWORD)


def test_the_email_subject_is_one_line(client, officer):
    ask_for_a_reset(client)

    assert "\n" not in mail.outbox[0].subject
    assert mail.outbox[0].subject == mail.outbox[0].subject.strip()


def test_the_sent_page_does_not_say_whether_the_email_matched(client, officer):
    known = ask_for_a_reset(client, "officer@example.gov.uk")
    sent_for_known = len(mail.outbox)
    unknown = ask_for_a_reset(client, "nobody@example.gov.uk")

    assert sent_for_known == 1
    assert len(mail.outbox) == 1  # nothing more was sent for the unknown address
    assert unknown.redirect_chain == known.redirect_chain
    assert text_of(unknown) == text_of(known)
    page = text_of(unknown)
    assert title(unknown.text) == "Check your email – Digital maturity self-assessment"
    assert (
        "If an account uses that email address, we have sent a link to reset its password. "
        "The link works for 24 hours."
    ) in page
    assert "If you do not get an email" in page
    assert f'href="{reverse("assessment:password_reset")}"' in page


def test_an_unknown_email_sends_nothing(client, officer):
    response = ask_for_a_reset(client, "nobody@example.gov.uk")

    assert response.status_code == 200
    assert mail.outbox == []
    assert "Check your email</h1>" in text_of(response)


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("not-an-email", "Enter an email address in the correct format, like name@example.gov.uk"),
        ("", "Enter your email address"),
    ],
)
def test_a_missing_or_malformed_email_says_how_to_fix_it(client, officer, email, message):
    response = ask_for_a_reset(client, email)

    assert response.redirect_chain == []
    assert title(response.text).startswith("Error: Reset your password – ")
    assert links(response.text, within=".govuk-error-summary")[message] == "#id_email"
    assert mail.outbox == []


def test_passwords_that_do_not_match_are_refused_and_the_old_one_still_works(client, officer):
    ask_for_a_reset(client)
    form = open_the_link(client, link_from_the_email())

    response = choose_a_password(client, form, NEW_PASSWORD, "correct-horse-battery-stapler")

    assert response.status_code == 200
    assert title(response.text).startswith("Error: Create a new password – ")
    assert "The two passwords do not match" in error_summary(response.text)
    assert can_sign_in(client, "officer", OLD_PASSWORD)
    assert not can_sign_in(client, "officer", NEW_PASSWORD)


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short-one", "This password is too short. It must contain at least 12 characters."),
        ("password1234", "This password is too common."),
        ("123456789012", "This password is entirely numeric."),
    ],
)
def test_a_weak_password_is_refused_and_the_old_one_still_works(client, officer, password, message):
    ask_for_a_reset(client)
    form = open_the_link(client, link_from_the_email())

    response = choose_a_password(client, form, password)

    assert response.status_code == 200
    assert title(response.text).startswith("Error: ")
    assert message in error_summary(response.text)
    assert can_sign_in(client, "officer", OLD_PASSWORD)


def test_a_used_link_says_so_and_offers_a_new_one(client, officer):
    ask_for_a_reset(client)
    link = link_from_the_email()
    form = open_the_link(client, link)
    choose_a_password(client, form, NEW_PASSWORD)

    response = client.get(link, follow=True)

    assert response.status_code == 200
    assert response.context["validlink"] is False
    page = text_of(response)
    assert title(response.text) == "This link does not work – Digital maturity self-assessment"
    assert "This link does not work</h1>" in page
    assert "has already been used, has expired" in page
    assert f'href="{reverse("assessment:password_reset")}"' in page
    assert 'name="new_password1"' not in page
    assert can_sign_in(client, "officer", NEW_PASSWORD)


def test_a_made_up_link_says_it_does_not_work(client, officer):
    response = client.get(
        reverse("assessment:password_reset_confirm", kwargs={"uidb64": "MQ", "token": "abc-123"}),
        follow=True,
    )

    assert response.context["validlink"] is False
    assert "This link does not work</h1>" in text_of(response)


class Clock:
    """The throttle's clock, set by hand: an hour's window is a clock hour."""

    def __init__(self, monkeypatch, at: float):
        self.at = at
        monkeypatch.setattr(throttling, "now", lambda: self.at)


HOUR = 60 * 60
TEN_FIFTEEN = 1_790_000_000 // HOUR * HOUR + 10 * HOUR + 15 * 60  # quarter past an hour


@pytest.fixture
def clock(monkeypatch) -> Clock:
    return Clock(monkeypatch, TEN_FIFTEEN)


def test_an_address_gets_three_emails_an_hour_and_the_page_never_says_so(client, officer, clock):
    pages = [text_of(ask_for_a_reset(client, "Officer@Example.gov.uk")) for _ in range(4)]

    assert len(mail.outbox) == RESETS_PER_ADDRESS == 3
    # The fourth request is told what the others were, so the page reveals nothing.
    assert all("Check your email</h1>" in page for page in pages)
    assert "If an account uses that email address" in pages[-1]
    # Another officer's address is counted on its own.
    other = officer.__class__.objects.create_user(
        username="other", email="other@example.gov.uk", password=OLD_PASSWORD
    )
    ask_for_a_reset(client, other.email)
    assert [m.to for m in mail.outbox[3:]] == [["other@example.gov.uk"]]


def test_the_limit_on_an_address_lifts_when_the_hour_is_over(client, officer, clock):
    for _ in range(4):
        ask_for_a_reset(client)
    clock.at += 44 * 60 + 59  # 10:59:59
    ask_for_a_reset(client)
    assert len(mail.outbox) == 3

    clock.at += 1  # 11:00
    ask_for_a_reset(client)

    assert len(mail.outbox) == 4


def test_one_client_asking_for_too_many_resets_is_told_to_wait(client, officer, clock, monkeypatch):
    monkeypatch.setattr(throttling, "RESETS_PER_CLIENT", 4)
    for n in range(4):
        assert ask_for_a_reset(client, f"nobody{n}@example.gov.uk").status_code == 200

    response = client.post(reverse("assessment:password_reset"), {"email": officer.email})

    assert response.status_code == 429
    assert response["Retry-After"] == str(45 * 60)  # at 10:15, until 11:00
    assert title(response.text).startswith("Too many password reset requests – ")
    assert "wait up to 60 minutes" in text_of(response)
    assert mail.outbox == []  # not even to a real address
    # Another client is not held back by this one.
    elsewhere = client.post(
        reverse("assessment:password_reset"),
        {"email": officer.email},
        REMOTE_ADDR="198.51.100.7",
        follow=True,
    )
    assert "Check your email</h1>" in text_of(elsewhere)
    assert len(mail.outbox) == 1


def test_an_ipv6_client_is_counted_by_its_64_network(client, officer, clock, monkeypatch):
    """A home or office is given a whole /64: its addresses are one client, not millions."""
    monkeypatch.setattr(throttling, "RESETS_PER_CLIENT", 2)
    reset = reverse("assessment:password_reset")
    for host in ("1", "2"):
        client.post(
            reset, {"email": f"nobody{host}@example.gov.uk"}, REMOTE_ADDR=f"2001:db8::{host}"
        )

    same_network = client.post(reset, {"email": officer.email}, REMOTE_ADDR="2001:db8::ffff:3")
    next_network = client.post(reset, {"email": officer.email}, REMOTE_ADDR="2001:db8:0:1::3")

    assert same_network.status_code == 429
    assert next_network.status_code == 302
    assert len(mail.outbox) == 1
