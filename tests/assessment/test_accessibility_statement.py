"""The accessibility statement says what the Public Sector Bodies (Websites and Mobile
Applications) (No. 2) Accessibility Regulations 2018 require, in the order of GOV.UK's sample."""

import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.pages import attribute_values, links, texts

pytestmark = pytest.mark.django_db

STATEMENT = reverse("assessment:accessibility")
REGULATIONS = (
    "Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018"
)


def statement(client) -> str:
    response = client.get(STATEMENT)
    assert response.status_code == 200
    return response.text


def test_it_has_every_section_the_regulations_ask_for_in_order(client):
    headings = texts(statement(client), "main h2, main h3")

    assert headings == [
        "How accessible this service is",
        "Feedback and contact information",
        "Reporting accessibility problems with this service",
        "Enforcement procedure",
        "Technical information about this service's accessibility",
        "Compliance status",
        "Non-accessible content",
        "What we are doing to improve accessibility",
        "Preparation of this accessibility statement",
    ]


def test_it_says_honestly_that_the_service_is_partially_compliant_and_why(client):
    page = statement(client)
    said = " ".join(texts(page, "main p, main li"))

    assert (
        "This service is partially compliant with the Web Content Accessibility Guidelines "
        "version 2.2 AA standard, due to the non-compliances listed below."
    ) in said
    # The known issue: chart text below 12 px on narrow screens, with the criterion it may fail.
    assert "narrower than 1,024 pixels" in said
    assert "smaller than 12 pixels" in said
    assert "1.4.4 (Resize text)" in said
    assert "has not yet been audited in full by hand" in said


def test_problems_are_reported_through_the_feedback_setting(client, settings):
    settings.FEEDBACK_URL = "mailto:digital@example.gov.uk"
    by_email = statement(client)
    settings.FEEDBACK_URL = "https://forms.example.gov.uk/accessibility"
    by_form = statement(client)

    assert links(by_email, "main")["digital@example.gov.uk"] == "mailto:digital@example.gov.uk"
    assert links(by_form, "main")["the feedback form"] == (
        "https://forms.example.gov.uk/accessibility"
    )
    reporting = texts(by_form, "main h2#reporting-problems + p")[0]
    assert reporting.endswith(
        "think we are not meeting accessibility requirements, use the feedback form."
    )


def test_it_names_the_enforcement_bodies_including_northern_irelands(client):
    page = statement(client)
    enforcement = " ".join(texts(page, "main h2#enforcement ~ p")[:2])

    assert "Equality and Human Rights Commission (EHRC)" in enforcement
    assert REGULATIONS in enforcement
    assert "Equality Advisory and Support Service (EASS)" in links(page, "main")
    assert "Equality Commission for Northern Ireland" in links(page, "main")


def test_it_says_when_it_was_prepared_and_last_reviewed(client):
    page = statement(client)
    preparation = texts(page, "main h2#preparation + p")[0]

    assert re.fullmatch(
        r"This statement was prepared on \d{1,2} \w+ \d{4}\. "
        r"It was last reviewed on \d{1,2} \w+ \d{4}\.",
        preparation,
    )
    prepared, reviewed, tested = (
        date.fromisoformat(d) for d in attribute_values(page, "main time", "datetime")
    )
    today = timezone.localdate()
    assert prepared <= reviewed <= today
    assert tested <= today
