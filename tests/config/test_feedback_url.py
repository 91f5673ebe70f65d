"""FEEDBACK_URL: where the phase banner and the accessibility statement send feedback.

Each case starts a fresh Python process, because settings are read once at start-up.
"""

import pytest

from tests.config.test_settings import GOOD_PRODUCTION, settings_of, start_django


def feedback_url(**env: str) -> str:
    # Set empty unless given, so that the machine's own environment never leaks in.
    return settings_of("FEEDBACK_URL", **({"FEEDBACK_URL": ""} | env))["FEEDBACK_URL"]


def test_by_default_it_is_an_email_to_the_address_mail_is_sent_from():
    assert feedback_url() == "mailto:webmaster@localhost"
    assert (
        feedback_url(DEFAULT_FROM_EMAIL="Digital maturity <digital@assess.example.gov.uk>")
        == "mailto:digital@assess.example.gov.uk"
    )


def test_feedback_email_is_used_before_the_sender_address():
    assert (
        feedback_url(
            FEEDBACK_EMAIL="digital@example.gov.uk", DEFAULT_FROM_EMAIL="noreply@example.gov.uk"
        )
        == "mailto:digital@example.gov.uk"
    )


@pytest.mark.parametrize(
    "url", ["https://forms.example.gov.uk/digital-maturity", "mailto:digital@example.gov.uk"]
)
def test_a_form_or_an_email_can_be_set(url):
    assert feedback_url(FEEDBACK_URL=url, **GOOD_PRODUCTION) == url


@pytest.mark.parametrize(
    "url", ["forms.example.gov.uk", "http://forms.example.gov.uk", "javascript:alert(1)"]
)
def test_anything_else_stops_the_app_naming_the_variable(url):
    result = start_django(FEEDBACK_URL=url, **GOOD_PRODUCTION)

    assert result.returncode != 0
    assert f"FEEDBACK_URL={url!r} must start with https://" in result.stderr


def test_a_sender_with_no_address_and_no_feedback_setting_stops_the_app():
    result = start_django(FEEDBACK_URL="", DEFAULT_FROM_EMAIL="Digital maturity")

    assert result.returncode != 0
    assert "FEEDBACK_URL is not set and DEFAULT_FROM_EMAIL holds no email address" in (
        result.stderr
    )
