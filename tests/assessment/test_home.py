import pytest
from django.urls import reverse

from tests.factories import answer_and_submit
from tests.pages import attribute_values, links, texts

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


# The way in to a submitted assessment: its report, one step from the dashboard or task list.


def page_of(client, council, name: str) -> str:
    args = [council.assessment.pk] if name == "task_list" else []
    return client.get(reverse(f"assessment:{name}", args=args)).text


@pytest.mark.parametrize("name", ["dashboard", "task_list"])
@pytest.mark.parametrize("who", ["lead", "viewer"])
def test_a_submitted_assessment_leads_straight_to_its_report_and_plan(client, council, name, who):
    answer_and_submit(council)
    client.force_login(getattr(council, who))

    page = page_of(client, council, name)

    # One primary button (no --secondary modifier): the report.
    assert attribute_values(page, "main a[role=button]", "class") == ["govuk-button"]
    assert attribute_values(page, "main a.govuk-button", "href") == [
        reverse("assessment:report", args=[council.assessment.pk])
    ]
    assert texts(page, "main a.govuk-button")[0].startswith("View the report")
    beside_it = links(page, "main .govuk-button-group")
    plan = "Work on the action plan" if who == "lead" else "Read the action plan"
    assert [href for text, href in beside_it.items() if text.startswith(plan)] == [
        reverse("assessment:action_plan", args=[council.assessment.pk])
    ]


@pytest.mark.parametrize("name", ["dashboard", "task_list"])
def test_an_assessment_in_progress_has_no_report_button(client, council, name):
    client.force_login(council.lead)

    page = page_of(client, council, name)

    assert "View the report" not in page
    assert texts(page, "main a.govuk-button") == []
