"""Rules the trend and question models keep themselves, whoever saves them."""

import pytest
from django.core.exceptions import ValidationError

from tests.factories import make_edition, make_question, make_trend
from trends.models import Question, Trend, TrendDependency

pytestmark = pytest.mark.django_db


def test_a_dependency_that_would_make_a_loop_is_refused(content):
    # Skills and capacity already underpin AI, so AI cannot underpin skills and capacity.
    loop = TrendDependency(
        foundation=Trend.objects.get(slug="ai"),
        dependent=Trend.objects.get(slug="skills-capacity"),
        rationale="x",
        citation="x",
    )

    with pytest.raises(ValidationError, match="would make a loop"):
        loop.full_clean()


def test_a_trend_cannot_depend_on_itself():
    trend = make_trend()

    with pytest.raises(ValidationError, match="cannot depend on itself"):
        TrendDependency(foundation=trend, dependent=trend, rationale="x", citation="x").full_clean()


def test_questions_have_natural_keys(content):
    question = content.questions.get(key="ai-01")

    assert question.natural_key() == ("ai-01", "digital-trends-2024")
    assert Question.objects.get_by_natural_key("ai-01", "digital-trends-2024") == question


def test_factories_make_valid_questions():
    question = make_question(make_edition(), make_trend())

    question.full_clean()


# Lineage ----------------------------------------------------------------------------------


def test_a_question_may_continue_one_of_an_earlier_edition(content):
    question = content.questions.get(key="ai-02")
    question.continues = Question.objects.get_by_natural_key("2023-ai-01", "digital-trends-2023")

    question.full_clean()


def test_a_question_may_continue_one_of_another_edition_of_the_same_year(content):
    # A draft copied from an edition keeps its year.
    draft = make_edition(year=content.year)
    question = make_question(draft, Trend.objects.get(slug="ai"))
    question.continues = content.questions.get(key="ai-01")

    question.full_clean()


def test_a_question_cannot_continue_one_of_its_own_edition(content):
    question = content.questions.get(key="ai-02")
    question.continues = content.questions.get(key="ai-01")

    with pytest.raises(ValidationError) as refused:
        question.full_clean()

    assert refused.value.message_dict == {
        "continues": [
            "It cannot continue ai-01, a question of this same edition: choose one from an "
            "earlier edition."
        ]
    }


def test_a_question_cannot_continue_one_of_a_later_edition(content):
    question = Question.objects.get_by_natural_key("2023-ai-01", "digital-trends-2023")
    question.continues = content.questions.get(key="ai-01")

    with pytest.raises(ValidationError) as refused:
        question.full_clean()

    assert refused.value.message_dict == {
        "continues": [
            "It cannot continue ai-01: that is in Digital Trends 2024 (2024), later than "
            "Digital Trends 2023 (2023). Choose one from an earlier edition."
        ]
    }


def test_when_a_form_leaves_continues_out_the_lineage_problem_is_not_tied_to_it(content):
    # Django cannot show an error on a field a form does not have (the trend page's inline).
    question = content.questions.get(key="ai-02")
    question.continues = content.questions.get(key="ai-01")

    with pytest.raises(ValidationError) as refused:
        question.full_clean(exclude=["continues"])

    assert list(refused.value.message_dict) == ["__all__"]
    assert "It cannot continue ai-01" in refused.value.message_dict["__all__"][0]
