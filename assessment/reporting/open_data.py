"""Open data: anonymised aggregates of an edition's submitted assessments, for anyone.

For each trend and the two indexes, the spread of submitted organisations' scores across all
organisations and by type of organisation: how many, and the quartiles. Never a minimum or a
maximum (each is one organisation's own score), never a name, and never any figure for a group
of fewer than `settings.PEER_MINIMUM` organisations: such a group is marked suppressed, with no
count either. docs/open-data.md describes every field; docs/open-data.schema.json is the schema.

Scores are `datasets.score_frame`'s, which the tests hold to the scoring engine's; each
dataset is one query.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone

from assessment.models import EditionStatistics, Organisation
from assessment.reporting import statistics
from assessment.reporting.datasets import INDEXES, quartiles
from assessment.reporting.numbers import tenths
from trends.models import Edition, Trend

CACHE_SECONDS = 300  # the cache key changes whenever the statistics are worked out again
ALL = "all"
LICENCE = (
    "You may copy, publish, distribute, adapt and use this data, commercially or not, under "
    "terms like those of the Open Government Licence v3.0, provided you acknowledge the source."
)


def published_editions() -> QuerySet[Edition]:
    """The editions whose open data is published: not drafts, newest first."""
    return Edition.objects.exclude(status=Edition.Status.DRAFT).order_by("-year", "title")


def edition_open_data(edition: Edition) -> dict:
    """The edition's open data, from its statistics as last worked out (which the worker does
    moments after each submission), cached under the time they were worked out: one query
    when cached. Never worked out in the request, unless the edition has none yet."""
    as_at = (
        EditionStatistics.objects.filter(edition=edition).values_list("as_at", flat=True).first()
    )
    key = f"open-data:{edition.pk}:{as_at.isoformat() if as_at else 'none'}"
    key += f":{settings.PEER_MINIMUM}"
    data = cache.get(key)
    if data is None:
        data = build_open_data(edition)
        cache.set(key, data, timeout=CACHE_SECONDS)
    return data


def build_open_data(edition: Edition) -> dict:
    """The aggregates, from the edition's statistics as stored: four queries."""
    stored = statistics.current(edition, wait=False)
    minimum = settings.PEER_MINIMUM
    # In report order (family, then number): the model's ordering.
    trends = list(
        Trend.objects.filter(pk__in=edition.questions.values("trend")).values_list(
            "slug", "title", "family"
        )
    )
    scores = stored.frame
    kinds = scores["kind"].to_numpy()
    groups = [(ALL, np.full(len(scores), True))] + [
        (kind, kinds == kind) for kind in Organisation.Kind.values
    ]
    measures = [(slug, title, "trend", family) for slug, title, family in trends]
    measures += [(family, title, "index", family) for family, title in INDEXES.items()]
    return {
        "edition": {"slug": edition.slug, "title": edition.title, "year": edition.year},
        "generated_at": timezone.localtime(stored.as_at).isoformat(timespec="seconds"),
        "minimum_group_size": minimum,
        "licence": LICENCE,
        "attribution": f"Contains anonymised data from the {settings.SERVICE_NAME} service, "
        f"{edition.title}.",
        "groups": [{"key": ALL, "label": "All organisations"}]
        + [{"key": value, "label": label} for value, label in Organisation.Kind.choices],
        "measures": [
            {
                "key": key,
                "title": title,
                "type": kind,
                "family": family,
                "distributions": [
                    _distribution(group, _values(scores, key)[members], minimum)
                    for group, members in groups
                ],
            }
            for key, title, kind, family in measures
        ],
    }


def _values(scores: pd.DataFrame, key: str) -> np.ndarray:
    if key not in scores:  # nobody has answered this trend yet
        return np.full(len(scores), np.nan)
    return scores[key].to_numpy(dtype=float)


def _distribution(group: str, values: np.ndarray, minimum: int) -> dict:
    count, figures = quartiles(values, minimum)
    if figures is None:
        # Not even the count: "2 Scottish councils" narrows who they are.
        return {"group": group, "suppressed": True}
    lower, median, upper = (float(tenths(v)) for v in figures)
    return {
        "group": group,
        "suppressed": False,
        "count": count,
        "lower_quartile": lower,
        "median": median,
        "upper_quartile": upper,
    }
