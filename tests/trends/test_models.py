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
