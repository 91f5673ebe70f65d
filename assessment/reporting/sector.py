"""The sector, for admins: the overview's figures, and a CSV of every submitted score.

The CSV has one row per submitted assessment and trend.

Built with pandas from the edition's stored statistics (`statistics`), scored by
`datasets.score_frame`, which the tests hold to the scoring engine: so every score here is the
one in the organisation's own report.

With names left out, each organisation is a pseudonymous code instead: a keyed hash of its
id under `settings.SECRET_KEY`, so the same organisation has the same code in every download
(and across editions), while the code reveals neither its name nor its database id. Rows are
then ordered by code, not by name, so that their order gives nothing away either.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import pandas as pd
from django.conf import settings
from django.db.models import Count, Q
from django.utils.crypto import salted_hmac

from assessment.models import Assessment, Organisation
from assessment.reporting import statistics
from assessment.reporting.datasets import INDEXES, QUARTILES
from assessment.reporting.numbers import tenths, whole
from assessment.scoring import label_for
from trends.models import Edition, Family

TOP_NOW_SHOWN = 5
WEAKEST_SHOWN = 3

# Never change it: it would change every organisation's pseudonym, in every file made since.
PSEUDONYM_SALT = "assessment.sector.pseudonym"
PSEUDONYM_LENGTH = 12  # hex digits: 48 bits, so no two of a few hundred organisations share one
NAMED = "organisation"
PSEUDONYMOUS = "organisation_code"
COLUMNS = [
    "edition",
    NAMED,
    "organisation_type",
    "region",
    "population_band",
    "trend_slug",
    "trend_title",
    "family",
    "score",
    "level",
    "submitted_on",
]


def pseudonym(organisation_id: int) -> str:
    digest = salted_hmac(PSEUDONYM_SALT, str(organisation_id), algorithm="sha256").hexdigest()
    return f"org-{digest[:PSEUDONYM_LENGTH]}"


def sector_frame(edition: Edition, *, leave_out_names: bool) -> pd.DataFrame:
    """Every submitted assessment of the edition × every trend it asks about (six queries):
    scored as the edition's statistics have it, worked out again first if they are behind.

    A trend with no scored answer has a blank score and level, as the report's "not scored".
    """
    trends = pd.DataFrame.from_records(
        list(edition.trends().values_list("slug", "title", "family")),
        columns=["trend_slug", "trend_title", "family"],
    )
    trends["trend_order"] = range(len(trends))
    submitted = _submitted_assessments(edition)
    if submitted.empty:
        return pd.DataFrame(columns=_columns(leave_out_names))
    scores = statistics.current(edition, wait=True).frame
    if not set(submitted["assessment"]) <= set(scores.index):
        # Submitted between the two reads: exact or nothing, so work them out once more.
        statistics.refresh(edition)
        scores = statistics.current(edition, wait=True).frame
    trend_scores = (
        scores.reindex(index=submitted["assessment"], columns=list(trends["trend_slug"]))
        .rename_axis(index="assessment")
        .reset_index()
        .melt(id_vars="assessment", var_name="trend_slug", value_name="raw_score")
    )
    frame = submitted.merge(trends, how="cross").merge(
        trend_scores, on=["assessment", "trend_slug"], how="left"
    )
    frame["edition"] = edition.slug
    frame["family"] = frame["family"].map(lambda family: Family(family).label)
    frame["organisation_type"] = frame["kind"].map(lambda kind: Organisation.Kind(kind).label)
    frame["population_band"] = frame["band"].map(
        lambda band: Organisation.PopulationBand(band).label
    )
    frame["score"] = frame["raw_score"].map(lambda s: float(tenths(s)), na_action="ignore")
    frame["level"] = frame["raw_score"].map(lambda s: "" if pd.isna(s) else label_for(s))
    frame["submitted_on"] = (
        pd.to_datetime(frame["submitted_at"], utc=True)
        .dt.tz_convert(settings.TIME_ZONE)
        .dt.strftime("%Y-%m-%d")
    )
    if leave_out_names:
        frame[NAMED] = frame["organisation_id"].map(pseudonym)
    frame = frame.sort_values([NAMED, "trend_order"], ignore_index=True)
    columns = _columns(leave_out_names)
    return frame.rename(columns={NAMED: columns[1]})[columns]


def _columns(leave_out_names: bool) -> list[str]:
    return [PSEUDONYMOUS if c == NAMED and leave_out_names else c for c in COLUMNS]


def _submitted_assessments(edition: Edition) -> pd.DataFrame:
    """Each submitted assessment of the edition with its organisation's attributes: one query."""
    fields = {
        "pk": "assessment",
        "submitted_at": "submitted_at",
        "organisation_id": "organisation_id",
        "organisation__name": NAMED,
        "organisation__kind": "kind",
        "organisation__region": "region",
        "organisation__population_band": "band",
    }
    rows = Assessment.objects.filter(
        edition=edition, status=Assessment.Status.SUBMITTED
    ).values_list(*fields)
    return pd.DataFrame.from_records(list(rows), columns=list(fields.values()))


def sector_filename(edition: Edition, *, leave_out_names: bool) -> str:
    return f"sector-data-{edition.slug}{'-pseudonymised' if leave_out_names else ''}.csv"


# The overview page ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Distribution:
    """One trend's or index's scores across organisations, in whole points as the page writes
    them (as the report writes every score), so that its chart reads as its table does."""

    key: str
    title: str
    count: int
    minimum: float
    lower_quartile: float
    median: float
    upper_quartile: float
    maximum: float


@dataclass(frozen=True)
class NowAction:
    """An action as organisations' plans have it in Now: in words, with its trend."""

    key: str  # the question's: how the tests find it, never shown
    action: str
    trend: str  # the trend's title
    count: int  # how many organisations' plans rank it Now


@dataclass(frozen=True)
class SectorOverview:
    edition: Edition
    organisations: int
    started: int
    submitted: int
    distributions: tuple[Distribution, ...]  # trends in report order, then the indexes
    weakest: tuple[Distribution, ...]  # the three trends with the lowest median
    top_now: tuple[NowAction, ...]  # the commonest first
    as_at: datetime  # when the figures were worked out
    behind: bool  # something they are worked out from has changed since


def sector_overview(edition: Edition) -> SectorOverview:
    """Take-up, each trend's spread, the weakest trends and the commonest "Now" actions across
    every submitted assessment of the edition, from the edition's statistics as stored (a
    fixed number of queries, whatever the number of organisations): they may be behind."""
    counts = Assessment.objects.filter(edition=edition).aggregate(
        started=Count("pk"), submitted=Count("pk", filter=Q(status=Assessment.Status.SUBMITTED))
    )
    stored = statistics.current(edition, wait=False)
    scores = stored.frame
    trends = list(edition.trends().values_list("slug", "title"))
    titles = dict(trends)
    distributions = []
    medians = {}  # as worked out, so that two trends both written 38 are ranked on 37.5 and 37.8
    for key, title in (titles | INDEXES).items():
        values = scores[key].dropna().to_numpy() if key in scores else np.array([])
        if len(values):
            figures = np.quantile(values, (0, *QUARTILES, 1))
            medians[key] = figures[2]
            low, q1, q2, q3, high = (whole(figure) for figure in figures)
            distributions.append(Distribution(key, title, len(values), low, q1, q2, q3, high))
    trend_distributions = [d for d in distributions if d.key in titles]
    return SectorOverview(
        edition=edition,
        organisations=Organisation.objects.count(),
        started=counts["started"],
        submitted=counts["submitted"],
        distributions=tuple(distributions),
        weakest=tuple(sorted(trend_distributions, key=lambda d: medians[d.key])[:WEAKEST_SHOWN]),
        top_now=_top_now(edition, scores[statistics.NOW].tolist()),
        as_at=stored.as_at,
        behind=stored.behind,
    )


def _top_now(edition: Edition, plans: list[list[str]]) -> tuple[NowAction, ...]:
    """The actions most often ranked Now, each assessment's as its own plan ranks them."""
    tally = Counter(key for now in plans for key in now)
    # The commonest first; equally common ones in question-key order, whatever the rows' order.
    commonest = sorted(tally.items(), key=lambda item: (-item[1], item[0]))[:TOP_NOW_SHOWN]
    wording = {
        key: (action, trend)
        for key, action, trend in edition.questions.filter(
            key__in=[key for key, _ in commonest]
        ).values_list("key", "action", "trend__title")
    }
    return tuple(NowAction(key, *wording[key], count) for key, count in commonest)
