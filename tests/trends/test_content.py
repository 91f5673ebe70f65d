"""The shipped editions, 2024 and 2023 before it, are complete, cited and load with `loaddata`."""

import pytest
from django.core.management import call_command

from trends.editions import publication_problems
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


# The 2023 edition and lineage -------------------------------------------------------------

UKAUTHORITY_2023 = (
    "Socitm, Public Sector Digital Trends 2023, as reported by UKAuthority (24 January 2023): "
)


@pytest.fixture
def edition_2023(content) -> Edition:
    return Edition.objects.get(slug="digital-trends-2023")


def test_the_2023_edition_is_retired_so_only_past_assessments_use_it(edition_2023):
    assert (edition_2023.title, edition_2023.year) == ("Digital Trends 2023", 2023)
    assert edition_2023.status == Edition.Status.RETIRED


def test_the_2023_edition_asks_about_each_of_the_report_s_eighteen_trends(edition_2023):
    # A dozen digital and six technology trends; two of them are asked in two parts, and the
    # report's message on public trust is asked too.
    cited = [q.citation.removeprefix(UKAUTHORITY_2023) for q in edition_2023.questions.all()]
    assert sum(c.startswith("digital trend '") for c in cited) == 13
    assert sum(c.startswith("technology trend '") for c in cited) == 7
    assert sum(c.startswith("key message '") for c in cited) == 1
    named = {c.split("'")[1] for c in cited}
    assert len(named) == 12 + 6 + 1


def test_the_2023_edition_covers_all_ten_trends(edition_2023):
    assert set(edition_2023.trends()) == set(Trend.objects.all())


def test_the_2023_edition_meets_the_rules_for_publishing(edition_2023):
    assert publication_problems(edition_2023.questions.all()) == []


def test_every_2023_question_is_complete_and_cited(edition_2023):
    for q in edition_2023.questions.select_related("trend"):
        q.full_clean()
        assert q.key == f"2023-{q.trend.slug}-{q.order:02d}"
        assert q.statement.startswith(("We ", "Our ")), q.key
        assert q.statement.endswith("."), q.key
        assert "?" not in q.statement, q.key
        assert q.citation.startswith(UKAUTHORITY_2023), q.key
        assert q.citation.removeprefix(UKAUTHORITY_2023).count("'") == 2, q.key


def test_2023_questions_are_ordered_one_to_n_within_each_trend(edition_2023):
    for trend in Trend.objects.all():
        orders = list(edition_2023.questions.filter(trend=trend).values_list("order", flat=True))
        assert orders == list(range(1, len(orders) + 1)), trend


def test_every_2024_question_that_continues_one_continues_a_2023_question(content):
    continuing = content.questions.filter(continues__isnull=False).select_related(
        "continues__edition"
    )

    assert 10 <= len(continuing) <= 20
    for q in continuing:
        assert q.continues.edition.slug == "digital-trends-2023", q.key
        q.full_clean()  # the lineage rule: an earlier edition


def test_both_editions_load_with_loaddata_into_an_empty_database(empty_database):
    call_command(
        "loaddata",
        "trends",
        "editions/digital-trends-2023",
        "editions/digital-trends-2024",
        verbosity=0,
    )

    ai_01 = Question.objects.get_by_natural_key("ai-01", "digital-trends-2024")
    assert ai_01.continues is not None
    assert ai_01.continues.natural_key() == ("2023-ai-01", "digital-trends-2023")
    assert Question.objects.filter(edition__slug="digital-trends-2023").count() == 21
