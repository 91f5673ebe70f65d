"""Peer comparison: each trend and index of an assessment against other organisations'.

Anonymity: peer figures are computed only over *other* organisations, and only when at least
`settings.PEER_MINIMUM` of them have a score; otherwise there are no figures at all. Nothing
here returns another organisation's name or its own scores.

Peer figures are "as at" a date: they read the edition's `PeerScores`, which the nightly job
refreshes (`assessment.tasks.refresh_peer_figures`), so a peer's submission changes other councils'
reports the next morning, one render each in the background, never all at once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd
from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from assessment.models import Assessment, PeerGroup, PeerScores
from assessment.reporting import statistics
from assessment.reporting.datasets import INDEXES, quartiles
from assessment.reporting.statistics import GROUP_ATTRIBUTES
from assessment.scoring import DIGITAL, TECHNOLOGY, Result
from trends.models import Edition


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
    as_at: datetime  # when the peer scores were last refreshed

    @property
    def enough(self) -> bool:
        return self.peers >= self.minimum


def compare_with_peers(assessment: Assessment, result: Result, group: str) -> PeerComparison:
    """This assessment's trend and index scores against its peers' submitted assessments of
    the same edition, as at the peer scores' last refresh (one query). Peers never include the
    organisation itself."""
    organisation = assessment.organisation
    stored = peer_scores(assessment.edition)
    scores = _frame(stored.rows)
    members = (
        scores if group == PeerGroup.ALL else scores[scores[group] == getattr(organisation, group)]
    )
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
        group,
        organisation.describe_peers(group),
        len(others),
        minimum,
        tuple(figures),
        stored.as_at,
    )


def peer_scores(edition: Edition) -> PeerScores:
    """The edition's peer scores as last refreshed; worked out now if they never have been."""
    stored = PeerScores.objects.filter(edition=edition).first()
    if stored is None:
        refresh_peer_scores(edition)
        stored = PeerScores.objects.get(edition=edition)
    return stored


def refresh_peer_scores(edition: Edition) -> bool:
    """Every submitted assessment's scores for the edition, with its organisation's peer-group
    attributes, stored as at now: from the edition's statistics, worked out afresh first (the
    peer groups' attributes may have changed too). False, and nothing written, when they are
    as stored already, so that the reports reading them stay current."""
    frame = statistics.refresh(edition).drop(columns=statistics.NOW).reset_index()
    frame = frame.reindex(sorted(frame.columns), axis="columns")
    # NaN (a trend not scored) is stored as null; numbers as JSON reads them back.
    rows = json.loads(frame.to_json(orient="records"))
    stored = PeerScores.objects.filter(edition=edition).first()
    if stored is not None and stored.rows == rows:
        return False
    PeerScores.objects.update_or_create(
        edition=edition, defaults={"as_at": timezone.now(), "rows": rows}
    )
    return True


def _frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    if not rows:
        return pd.DataFrame(columns=["assessment", "organisation", *GROUP_ATTRIBUTES]).set_index(
            "assessment"
        )
    return pd.DataFrame.from_records(rows).set_index("assessment")


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
