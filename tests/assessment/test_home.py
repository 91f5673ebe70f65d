import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_page_says_what_the_service_is_for(client, content):
    response = client.get(reverse("assessment:home"))

    assert response.status_code == 200
    assert "<title>Home – Digital maturity self-assessment</title>" in response.text
    assert "Assess your council's digital maturity" in response.text
    assert "Good IT management is not the same as digital maturity" in response.text
    assert "Digital Trends 2024" in response.text


def test_home_page_lists_all_ten_trends_by_family(client, content):
    response = client.get(reverse("assessment:home"))

    digital = [t.slug for t in response.context["digital_trends"]]
    technology = [t.slug for t in response.context["technology_trends"]]
    assert digital == [
        "public-good",
        "reimagining-services",
        "community-resilience",
        "leadership",
        "skills-capacity",
    ]
    assert technology == ["ai", "data", "cyber", "geospatial", "infrastructure-cloud"]
    assert "Harnessing data" in response.text


def test_home_page_query_count_is_fixed(client, content, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        client.get(reverse("assessment:home"))


def test_home_page_offers_sign_in_to_visitors_and_assessments_to_users(
    client, admin_client, content
):
    assert reverse("assessment:sign_in") in client.get(reverse("assessment:home")).text
    assert "Go to your assessments" in admin_client.get(reverse("assessment:home")).text


def test_home_page_works_before_any_content_is_loaded(client, empty_database):
    response = client.get(reverse("assessment:home"))

    assert response.status_code == 200
    assert "The trends have not been loaded yet." in response.text
