"""Progress: each trend of an assessment against the organisation's previous submitted one."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import ngettext

from assessment.models import Assessment
from assessment.reporting.datasets import answers_of
from assessment.reporting.numbers import whole
from assessment.scoring import TOP_LEVEL, Result
from trends.models import Question

# Enough comparable ground to say a trend has moved: at least this many of its questions asked
# both years (continued through lineage, and scored both times), carrying at least this share
# of the trend's scored weight now. One continued question alone swings from 0 to 100.
MIN_CONTINUED = 3
MIN_WEIGHT_SHARE = 0.5


@dataclass(frozen=True)
class Change:
    """One trend's change since the organisation's previous submitted assessment, measured on
    the questions asked both years only: a different measure from the trend's score, which
    counts every question it has now."""

    key: str
    title: str
    now: float | None  # on the questions asked both years; None when not comparable
    before: float | None
    linked: int  # questions asked both years and scored both times
    weight_share: float  # the share of the trend's scored weight now that they carry
    scored_now: bool  # the trend has a score now

    @property
    def comparable(self) -> bool:
        return self.now is not None and self.before is not None

    @property
    def delta(self) -> float | None:
        if self.now is None or self.before is None:
            return None
        return self.now - self.before

    @property
    def change_text(self) -> str:
        """The change between the two figures as shown, in whole points, so that "63" then
        and "75" now read "Up 12": "Up 12", "Down 3", "No change"."""
        now, before = whole(self.now), whole(self.before)
        if now is None or before is None:
            return "–"
        if now == before:
            return "No change"
        return f"{'Up' if now > before else 'Down'} {abs(now - before)}"

    @property
    def how(self) -> str:
        """What the figures measure, or why there are none."""
        # Rounded down, so that a share just under half never reads "50%" beside "at least
        # half is needed".
        share = int(100 * self.weight_share)
        if self.comparable:
            return ngettext(
                "On the %(n)d question asked both years (%(share)d%% of the trend's weight)",
                "On the %(n)d questions asked both years (%(share)d%% of the trend's weight)",
                self.linked,
            ) % {"n": self.linked, "share": share}
        if not self.scored_now:
            return "Not comparable: the trend has no score now"
        if self.linked == 0:
            return "Not comparable: no question asked then is asked again"
        if self.linked < MIN_CONTINUED:
            return ngettext(
                "Not comparable: only %(n)d question was asked both years; %(min)d are needed",
                "Not comparable: only %(n)d questions were asked both years; %(min)d are needed",
                self.linked,
            ) % {"n": self.linked, "min": MIN_CONTINUED}
        return (
            f"Not comparable: the {self.linked} questions asked both years carry {share}% of "
            "the trend's weight; at least half is needed"
        )


@dataclass(frozen=True)
class Progress:
    previous: Assessment | None
    changes: tuple[Change, ...]
    min_continued: int = MIN_CONTINUED
    min_share_percent: int = int(100 * MIN_WEIGHT_SHARE)

    @property
    def any_comparable(self) -> bool:
        return any(change.comparable for change in self.changes)


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
    """Each trend now against the previous submitted assessment (three queries).

    Measured on the questions asked both years: this edition's questions that continue (by
    lineage) questions answered then, scored both times. The same weighted score over just
    those pairs, now and then, with today's weights for both; and only where they are enough
    comparable ground (MIN_CONTINUED, MIN_WEIGHT_SHARE). Otherwise each trend says why not.
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
    weights_now = now.groupby("trend")["weight"].sum()
    linked = pairs.groupby("trend").size()
    changes = []
    for trend in result.trends:
        slug = trend.trend.slug
        count = int(linked.get(slug, 0))
        now_points, then_points, weight = (
            (float(v) for v in sums.loc[slug].to_numpy(dtype=float)) if count else (0.0, 0.0, 0.0)
        )
        share = weight / float(weights_now[slug]) if slug in weights_now.index else 0.0
        enough = trend.score is not None and count >= MIN_CONTINUED and share >= MIN_WEIGHT_SHARE
        scale = 100 / TOP_LEVEL / weight if enough else 0.0
        changes.append(
            Change(
                key=slug,
                title=trend.trend.title,
                now=now_points * scale if enough else None,
                before=then_points * scale if enough else None,
                linked=count,
                weight_share=share,
                scored_now=trend.score is not None,
            )
        )
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
