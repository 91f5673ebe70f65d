"""What every page carries: the service navigation (with signing out) and the phase banner's
feedback link."""

import pytest
from django.urls import reverse

from tests.pages import attribute_values, links, texts

pytestmark = pytest.mark.django_db

NAVIGATION = ".govuk-service-navigation__list"


def test_sign_out_is_a_post_drawn_as_a_navigation_link_beside_the_others(client, council):
    client.force_login(council.officer)

    page = client.get(reverse("assessment:dashboard")).text

    # A form, since Django signs out only on POST; its button is the last navigation item.
    assert attribute_values(page, f"{NAVIGATION} form", "method") == ["post"]
    assert attribute_values(page, f"{NAVIGATION} form", "action") == [
        reverse("assessment:sign_out")
    ]
    assert attribute_values(page, f"{NAVIGATION} form button", "type") == ["submit"]
    items = texts(page, f"{NAVIGATION} > li.govuk-service-navigation__item")
    assert items == ["Your assessments", "Sign out"]
    [classes] = attribute_values(page, f"{NAVIGATION} form button", "class")
    assert "govuk-service-navigation__link" in classes.split()
    assert attribute_values(page, f"{NAVIGATION} form input[type=hidden]", "name") == [
        "csrfmiddlewaretoken"
    ]


def test_admins_navigation_leads_to_their_table_the_sector_and_the_admin(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("curator", is_staff=True))

    page = client.get(reverse("assessment:dashboard")).text

    assert links(page, NAVIGATION) == {
        "All assessments": reverse("assessment:dashboard"),
        "Sector": reverse("assessment:sector"),
        "Admin": reverse("admin:index"),
    }
    assert texts(page, f"{NAVIGATION} button") == ["Sign out"]


@pytest.mark.parametrize(
    ("url", "wording"),
    [
        ("https://forms.example.gov.uk/digital-maturity", "give your feedback"),
        ("mailto:digital@example.gov.uk", "give your feedback by email"),
    ],
)
def test_the_phase_banner_links_to_the_feedback_setting(client, settings, url, wording):
    settings.FEEDBACK_URL = url

    page = client.get(reverse("assessment:home")).text

    assert links(page, ".govuk-phase-banner") == {wording: url}
    assert texts(page, ".govuk-phase-banner__text") == [
        f"This is a new service. Help us improve it and {wording}."
    ]


def test_the_phase_banner_always_has_a_feedback_link_by_default(client):
    # Unset, FEEDBACK_URL is an email to the service's sender address (tests/config).
    page = client.get(reverse("assessment:home")).text

    [href] = links(page, ".govuk-phase-banner").values()
    assert href.startswith("mailto:") and "@" in href
