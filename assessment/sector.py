"""The sector-wide data for admins: one row per submitted assessment and trend, for a CSV.

Built with pandas from the benchmarks' datasets, one query each, and scored by
`benchmarks.score_frame`, which the tests hold to the scoring engine: so every score here is
the one in the organisation's own report.

With names left out, each organisation is a pseudonymous code instead: a keyed hash of its
id under `settings.SECRET_KEY`, so the same organisation has the same code in every download
(and across editions), while the code reveals neither its name nor its database id. Rows are
then ordered by code, not by name, so that their order gives nothing away either.
"""

from __future__ import annotations

import pandas as pd
from django.conf import settings
from django.utils.crypto import salted_hmac

from assessment.benchmarks import score_frame, submitted_answers
from assessment.charts import tenths
from assessment.models import Assessment, Organisation
from assessment.scoring import label_for
from trends.models import Edition, Family

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
    """Every submitted assessment of the edition × every trend it asks about (three queries).

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
    families = dict(zip(trends["trend_slug"], trends["family"], strict=True))
    scores = score_frame(submitted_answers(edition), families)
    trend_scores = (
        scores.reindex(columns=list(trends["trend_slug"]))
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
