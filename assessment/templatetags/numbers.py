"""How templates write a score: `{{ score|whole }}`, as `reporting.numbers.whole` does, so the
page, the PDF and the downloads show one figure."""

from __future__ import annotations

from django import template

from assessment.reporting import numbers

register = template.Library()


@register.filter
def whole(value: float | None) -> str:
    """The score rounded half up, as text ("0" is a score), or "" when there is none, so that
    `|default:"–"` stands in for a missing score only."""
    rounded = numbers.whole(value)
    return "" if rounded is None else str(rounded)


@register.filter
def level(value: int | None) -> str:
    """A level with the score it stands for, on the report's one scale: "Established (75)"."""
    return numbers.level_with_score(value)
