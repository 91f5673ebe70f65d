"""Progress: each trend of an assessment against the organisation's previous submitted one."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from django.utils.translation import ngettext

from assessment.models import Assessment
from assessment.reporting.datasets import answers_of, score_frame, trend_families
from assessment.reporting.numbers import whole
from assessment.scoring import TOP_LEVEL, Result
from trends.models import Question


@dataclass(frozen=True)
class Change:
    """One trend's change since the organisation's previous submitted assessment."""

    key: str
    title: str
    now: float | None
    before: float | None
    method: str  # "lineage", "trend" or "" (no comparison possible)
    linked: int  # questions compared through lineage

    @property
    def delta(self) -> float | None:
        if self.now is None or self.before is None:
            return None
        return self.now - self.before

    @property
    def change_text(self) -> str:
        """The change in whole points, as people read it: "Up 12", "Down 3", "No change"."""
        if self.delta is None:
            return "–"
        points = whole(abs(self.delta))
        if points == 0:
            return "No change"
        return f"{'Up' if self.delta > 0 else 'Down'} {points}"

    @property
    def how(self) -> str:
        if self.method == LINEAGE:
            return ngettext(
                "Question by question: %(n)d question continues",
                "Question by question: %(n)d questions continue",
                self.linked,
            ) % {"n": self.linked}
        if self.method == BY_TREND:
            return "By trend score: no question continues"
        return "Not comparable: no score then or now"


LINEAGE = "lineage"  # question by question, through the questions that continue earlier ones
BY_TREND = "trend"  # the trend's whole score then and now


@dataclass(frozen=True)
class Progress:
    previous: Assessment | None
    changes: tuple[Change, ...]


def previous_submitted(assessment: Assessment) -> Assessment | None:
    """The organisation's most recent submitted assessment of an earlier edition."""
    return (
        Assessment.objects.filter(
            organisation=assessment.organisation,
            status=Assessment.Status.SUBMITTED,
            edition__year__lte=assessment.edition.year,
        )
        .exclude(pk=assessment.pk)
        .select_related("edition")
        .order_by("-edition__year", "-submitted_at")
        .first()
    )


def progress(assessment: Assessment, result: Result) -> Progress:
    """Each trend now against the previous submitted assessment (four queries).

    Through lineage where this edition's questions continue questions answered then: the
    same weighted score, over those pairs only, now and then. Otherwise by the trend's whole
    score then. Which was used is said on each trend.
    """
    previous = previous_submitted(assessment)
    if previous is None:
        return Progress(None, ())
    answers = answers_of([assessment, previous])
    ancestors = _ancestors(previous.edition_id)
    now = answers[answers["assessment"] == assessment.pk].dropna(subset=["level"])
    then = answers[answers["assessment"] == previous.pk].dropna(subset=["level"])
    pairs = now.assign(ancestor=now["question"].map(ancestors)).merge(
        then[["question", "level"]].rename(columns={"question": "ancestor", "level": "before"}),
        on="ancestor",
    )
    sums = (
        pairs.assign(
            now_points=pairs["weight"] * pairs["level"],
            then_points=pairs["weight"] * pairs["before"],
        )
        .groupby("trend")[["now_points", "then_points", "weight"]]
        .sum()
    )
    linked = pairs.groupby("trend").size()
    before_scores = score_frame(then, trend_families()) if len(then) else pd.DataFrame()
    changes = []
    for trend in result.trends:
        slug = trend.trend.slug
        if slug in sums.index:
            now_points, then_points, weight = sums.loc[slug].to_numpy(dtype=float)
            scale = 100 / TOP_LEVEL / weight
            changes.append(
                Change(
                    slug,
                    trend.trend.title,
                    float(now_points * scale),
                    float(then_points * scale),
                    LINEAGE,
                    int(linked[slug]),
                )
            )
            continue
        before = None
        if slug in before_scores.columns and not pd.isna(before_scores[slug].iloc[0]):
            before = float(before_scores[slug].iloc[0])
        method = BY_TREND if before is not None and trend.score is not None else ""
        changes.append(Change(slug, trend.trend.title, trend.score, before, method, 0))
    return Progress(previous, tuple(changes))


def _ancestors(edition_id: int) -> dict[int, int]:
    """Each question's ancestor in the given edition, following lineage back: one query."""
    rows = list(
        Question.objects.filter(continues__isnull=False).values_list(
            "id", "continues_id", "continues__edition_id"
        )
    )
    parent = {q: (p, e) for q, p, e in rows}
    found = {}
    for question in parent:
        seen, step = set(), question
        while step in parent and step not in seen:  # a loop of lineage ends the walk
            seen.add(step)
            step, edition = parent[step]
            if edition == edition_id:
                found[question] = step
                break
    return found
