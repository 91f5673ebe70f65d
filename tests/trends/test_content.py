"""The shipped 2024 content is complete, cited and loadable with plain `loaddata`."""

import pytest
from django.core.management import call_command

from trends.models import Edition, Family, Question, Trend, TrendDependency

pytestmark = pytest.mark.django_db

DIGITAL = [
    "public-good",
    "reimagining-services",
    "community-resilience",
    "leadership",
    "skills-capacity",
]
TECHNOLOGY = ["ai", "data", "cyber", "geospatial", "infrastructure-cloud"]


def test_fixtures_load_with_loaddata():
    call_command("loaddata", "trends", "editions/digital-trends-2024", verbosity=0)

    assert Trend.objects.count() == 10
    assert Edition.objects.get(slug="digital-trends-2024").status == Edition.Status.PUBLISHED


def every_content_row() -> list:
    return [
        list(model.objects.order_by("pk").values())
        for model in (Trend, TrendDependency, Edition, Question)
    ]


def test_loading_twice_changes_nothing():
    call_command("loaddata", "trends", "editions/digital-trends-2024", verbosity=0)
    first = every_content_row()

    call_command("loaddata", "trends", "editions/digital-trends-2024", verbosity=0)

    assert every_content_row() == first


def test_five_digital_and_five_technology_trends_numbered_as_in_the_report(content):
    for family, slugs in [(Family.DIGITAL, DIGITAL), (Family.TECHNOLOGY, TECHNOLOGY)]:
        trends = Trend.objects.filter(family=family).order_by("number")
        assert [t.slug for t in trends] == slugs
        assert [t.number for t in trends] == [1, 2, 3, 4, 5]


def test_every_trend_has_a_question_from_each_source(content):
    for trend in Trend.objects.all():
        sources = set(content.questions.filter(trend=trend).values_list("source", flat=True))
        assert sources == {Question.Source.WHERE_TO_START, Question.Source.CIO_ADVICE}, trend


def test_the_questionnaire_has_a_realistic_length(content):
    assert 50 <= content.questions.count() <= 70


def test_every_question_is_complete_and_cited(content):
    for q in content.questions.select_related("trend"):
        q.full_clean()
        # A statement to rate, not a question to answer.
        assert q.statement.endswith("."), q.key
        assert "?" not in q.statement, q.key
        assert q.citation.split(" – ")[0].lower() in {
            "technology for public good",
            "reimagining places",
            "community resilience",
            "local and national leadership",
            "skills and capacity",
            "artificial intelligence",
            "harnessing data",
            "cyber protection",
            "geospatial technologies",
            "infrastructure and cloud",
        }, q.citation
        heading = {
            Question.Source.WHERE_TO_START: "Where to start",
            Question.Source.CIO_ADVICE: "Advice for CIOs and digital leaders",
        }[q.source]
        assert heading in q.citation, q.key


def test_questions_are_ordered_one_to_n_within_each_trend(content):
    for trend in Trend.objects.all():
        orders = list(content.questions.filter(trend=trend).values_list("order", flat=True))
        assert orders == list(range(1, len(orders) + 1)), trend


@pytest.mark.parametrize(
    ("foundation", "dependent"),
    [
        ("data", "ai"),
        ("data", "reimagining-services"),
        ("cyber", "community-resilience"),
        ("cyber", "infrastructure-cloud"),
        ("leadership", "reimagining-services"),
    ],
)
def test_dependencies_taken_from_the_report(content, foundation, dependent):
    assert TrendDependency.objects.filter(
        foundation__slug=foundation, dependent__slug=dependent
    ).exists()


def test_skills_and_capacity_constrain_every_other_trend(content):
    dependents = set(
        TrendDependency.objects.filter(foundation__slug="skills-capacity").values_list(
            "dependent__slug", flat=True
        )
    )
    assert dependents == set(DIGITAL + TECHNOLOGY) - {"skills-capacity"}


def test_shipped_dependencies_are_valid_and_form_no_loop(content):
    for dependency in TrendDependency.objects.all():
        dependency.full_clean()
