"""The datasets that analyses across organisations start from, and their scores in pandas.

Each dataset is one query, and its scores are worked out for every assessment at once. Peers,
progress, the sector overview, the sector CSV and the open data all read these. The scores are
the engine's (`assessment.scoring`: the weighted mean of level ÷ 4 per trend, each response
counted as `scores.SCORED_LEVELS` says; each index the mean of its family's trend scores; the
overall the mean of the two), and a property test holds the two to the same figures.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from assessment.models import Answer, Assessment, Organisation
from assessment.reporting.scores import SCORED_LEVELS
from assessment.scoring import DIGITAL, FAMILIES, TECHNOLOGY, TOP_LEVEL
from trends.models import Edition, Trend

INDEXES = {DIGITAL: "Digital index", TECHNOLOGY: "Technology index"}
OVERALL = "overall"
QUARTILES = (0.25, 0.5, 0.75)  # how a spread of scores is described, wherever it is shown
ANSWER_COLUMNS = ["assessment", "organisation", "question", "key", "trend", "weight", "response"]
ANSWER_FIELDS = (
    "assessment_id",
    "assessment__organisation_id",
    "question_id",
    "question__key",
    "question__trend__slug",
    "question__weight",
    "response",
)


def submitted_answers(edition: Edition) -> pd.DataFrame:
    """Every answer of every submitted assessment of the edition: one query.

    An organisation has one assessment per edition, so these are each organisation's latest
    submitted answers for it.
    """
    # No ORDER BY: nothing here depends on the rows' order, and sorting them cost a tenth.
    rows = (
        Answer.objects.filter(
            assessment__status=Assessment.Status.SUBMITTED, assessment__edition=edition
        )
        .exclude(response="")
        .order_by()
    )
    return answer_frame(rows.values_list(*ANSWER_FIELDS))


def answers_of(assessments: Iterable[Assessment]) -> pd.DataFrame:
    """The live answers of the given assessments, whatever their status: one query."""
    rows = Answer.objects.filter(assessment__in=list(assessments)).exclude(response="").order_by()
    return answer_frame(rows.values_list(*ANSWER_FIELDS))


def answer_frame(rows: Iterable[tuple[Any, ...]]) -> pd.DataFrame:
    """Answer rows (`ANSWER_FIELDS`) as a frame, with the level each counts as in a score."""
    frame = pd.DataFrame.from_records(list(rows), columns=ANSWER_COLUMNS)
    frame["level"] = frame["response"].map(SCORED_LEVELS).astype(float)  # None: NaN
    return frame


def organisations() -> pd.DataFrame:
    """Each organisation's peer-group attributes, indexed by id: one query. No names."""
    fields = ["id", "kind", "region", "population_band", "peer_group"]
    return pd.DataFrame.from_records(
        list(Organisation.objects.values_list(*fields)), columns=fields
    ).set_index("id")


def trend_families() -> dict[str, str]:
    return dict(Trend.objects.values_list("slug", "family"))


def score_frame(answers: pd.DataFrame, families: dict[str, str]) -> pd.DataFrame:
    """One row per assessment: its organisation, each trend's score, the indexes, the overall.

    The same figures as `scoring.score_assessment`, computed for every assessment at once.
    A trend with no scored answer (all not applicable, or none) is NaN, as the engine's None.
    """
    scored = answers.dropna(subset=["level"])
    weighted = scored.assign(points=scored["weight"] * scored["level"] / TOP_LEVEL)
    sums = weighted.groupby(["assessment", "trend"])[["points", "weight"]].sum()
    trends = (100 * sums["points"] / sums["weight"]).unstack("trend")
    trends = trends.reindex(
        index=pd.Index(answers["assessment"].unique(), name="assessment"),
        columns=sorted({t for t in answers["trend"].unique()}),
    )
    scores = trends.copy()
    for family in FAMILIES:
        columns = [t for t in trends.columns if families.get(t) == family]
        scores[family] = trends[columns].mean(axis=1) if columns else np.nan
    scores[OVERALL] = (scores[DIGITAL] + scores[TECHNOLOGY]) / 2  # NaN unless both known
    owners = answers.drop_duplicates("assessment").set_index("assessment")["organisation"]
    scores.insert(0, "organisation", owners.reindex(scores.index))
    return scores


def quartiles(values: np.ndarray, minimum: int) -> tuple[int, tuple[float, float, float] | None]:
    """How many of `values` are known (not NaN), and their quartiles (as numpy.quantile's
    default, linear, method gives them); no quartiles when fewer than `minimum` are known,
    since figures of so small a group could single an organisation out."""
    known = values[~np.isnan(values)]
    if len(known) < minimum or not len(known):
        return len(known), None
    lower, median, upper = (float(v) for v in np.quantile(known, QUARTILES))
    return len(known), (lower, median, upper)
