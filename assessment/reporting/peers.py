"""Peer comparison: each trend and index of an assessment against other organisations'.

Anonymity: peer figures are computed only over *other* organisations, and only when at least
`settings.PEER_MINIMUM` of them have a score; otherwise there are no figures at all. Nothing
here returns another organisation's name or its own scores.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.conf import settings
from django.db.models import Count, Q

from assessment.models import Assessment, Organisation, PeerGroup
from assessment.reporting.datasets import (
    INDEXES,
    organisations,
    quartiles,
    score_frame,
    submitted_answers,
    trend_families,
)
from assessment.scoring import DIGITAL, TECHNOLOGY, Result


@dataclass(frozen=True)
class PeerFigure:
    """One trend or index: this organisation's score against its peers'."""

    key: str  # a trend's slug, or "digital" / "technology"
    title: str
    score: float | None
    peers: int  # how many other organisations have a score here
    lower_quartile: float | None  # None: fewer than the minimum, so nothing is shown
    median: float | None
    upper_quartile: float | None

    @property
    def shown(self) -> bool:
        return self.median is not None

    @property
    def position(self) -> str:
        """Where the score sits against the middle half of the peers, in words."""
        if self.score is None or self.lower_quartile is None or self.upper_quartile is None:
            return ""
        if self.score < self.lower_quartile:
            return "Below the middle half"
        if self.score > self.upper_quartile:
            return "Above the middle half"
        return "Within the middle half"


@dataclass(frozen=True)
class PeerComparison:
    group: str  # a PeerGroup value
    description: str  # "district councils", "organisations in the South East", ...
    peers: int  # other organisations in the group with a submitted assessment
    minimum: int
    figures: tuple[PeerFigure, ...]

    @property
    def enough(self) -> bool:
        return self.peers >= self.minimum


def compare_with_peers(assessment: Assessment, result: Result, group: str) -> PeerComparison:
    """This assessment's trend and index scores against its peers' submitted assessments of
    the same edition (three queries). Peers never include the organisation itself."""
    organisation = assessment.organisation
    scores = score_frame(submitted_answers(assessment.edition), trend_families())
    members = _members(scores, organisations(), organisation, group)
    others = members.drop(index=assessment.pk, errors="ignore")  # a draft is not among them
    minimum = settings.PEER_MINIMUM
    own = {t.trend.slug: t.score for t in result.trends}
    own |= {DIGITAL: result.digital_index, TECHNOLOGY: result.technology_index}
    titles = {t.trend.slug: t.trend.title for t in result.trends} | INDEXES
    figures = []
    for key, title in titles.items():
        values = others[key].to_numpy(dtype=float) if key in others else np.array([])
        peers, figures_shown = quartiles(values, minimum)
        lower, median, upper = figures_shown or (None, None, None)
        figures.append(PeerFigure(key, title, own.get(key), peers, lower, median, upper))
    return PeerComparison(
        group, organisation.describe_peers(group), len(others), minimum, tuple(figures)
    )


def peer_counts(assessment: Assessment) -> dict[str, int]:
    """How many other organisations in each peer group have submitted this edition (one
    query): counts only, so the lead can pick a group with enough peers to show figures."""
    organisation = assessment.organisation
    others = Assessment.objects.filter(
        edition=assessment.edition, status=Assessment.Status.SUBMITTED
    ).exclude(organisation=organisation)
    return others.aggregate(
        **{
            group: Count(
                "pk",
                filter=None
                if group == PeerGroup.ALL
                else Q(**{f"organisation__{group}": getattr(organisation, group)}),
            )
            for group in PeerGroup.values
        }
    )


def _members(
    scores: pd.DataFrame, orgs: pd.DataFrame, organisation: Organisation, group: str
) -> pd.DataFrame:
    if group == PeerGroup.ALL:
        return scores
    attribute = orgs[group].reindex(scores["organisation"]).to_numpy()
    return scores[attribute == getattr(organisation, group)]
