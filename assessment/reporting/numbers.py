"""How figures are written wherever a person reads them: the report, its charts, the files."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import overload

from trends.maturity import Level


@overload
def whole(value: float) -> int: ...
@overload
def whole(value: float | None) -> int | None: ...
def whole(value: float | None) -> int | None:
    """A score as people read it: rounded half up (62.5 is 63), as the level labels are."""
    return None if value is None else int(value + 0.5)


def tenths(value: float) -> str:
    """A figure to one decimal, rounded half up as Django's floatformat rounds: "18.8", "25"."""
    rounded = Decimal(str(float(value))).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return f"{rounded:f}".removesuffix(".0")


def level_with_score(level: int | None) -> str:
    """A level of the maturity scale with the score it equals out of 100, so targets and plans
    read on the same scale as the scores: "Established (75)"; "" for no level."""
    return "" if level is None else Level(level).with_score
