"""A fault gets the GOV.UK 500 page, an outage the 503 page: never Django's bare text."""

import pytest
from django.db import OperationalError
from django.test import Client, RequestFactory
from django.urls import reverse

from config.errors import server_error
from tests.pages import texts, title

pytestmark = pytest.mark.django_db


@pytest.fixture
def failing(settings) -> Client:
    settings.DEBUG = False
    settings.ROOT_URLCONF = "tests.config.failing_urls"
    return Client(raise_request_exception=False)


def test_a_fault_gets_the_styled_500_page(failing):
    response = failing.get("/bug/")

    assert response.status_code == 500
    assert texts(response.text, "h1") == ["Sorry, there is a problem with the service"]
    assert title(response.text).startswith("Sorry, there is a problem with the service – ")
    assert "Digital maturity self-assessment" in texts(response.text, "header")[0]
    assert "Retry-After" not in response


def test_a_database_that_cannot_be_reached_gets_the_503_page_with_retry_after(failing):
    response = failing.get("/outage/")

    assert response.status_code == 503
    assert texts(response.text, "h1") == ["Sorry, the service is unavailable"]
    assert "Try again in a few minutes." in response.text
    assert response["Retry-After"] == "120"


def test_the_error_pages_are_drawn_without_the_database(django_db_blocker):
    request = RequestFactory().get("/")
    with django_db_blocker.block():  # any query now fails the test
        try:
            raise OperationalError("the database has gone away")
        except OperationalError:
            outage = server_error(request)
        try:
            raise ValueError("a bug")
        except ValueError:
            bug = server_error(request)

    assert (outage.status_code, bug.status_code) == (503, 500)


def test_every_page_refuses_browser_features_and_the_report_is_never_cached(client, council):
    client.force_login(council.viewer)

    home = client.get(reverse("assessment:home"))
    report = client.get(reverse("assessment:report", args=[council.assessment.pk]))

    assert "camera=()" in home["Permissions-Policy"]
    assert "no-store" in report["Cache-Control"]
