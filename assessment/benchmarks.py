"""Peer benchmarks, progress over time and the sector overview: pandas over whole datasets.

Every dataset is loaded in one query (`submitted_answers`, `organisations`, ...) and analysed
with pandas and NumPy, never with an ORM query per row. Scores follow the scoring engine's
rules exactly (`assessment.scoring`: the weighted mean of level ÷ 4 per trend, "not
applicable" left out, "don't know" counted as 0; each index the mean of its family's trend
scores; the overall the mean of the two); the tests hold the two to the same figures.

Anonymity: peer figures are computed only over *other* organisations, and only when at least
`settings.PEER_MINIMUM` of them have a score; otherwise there are no figures at all. Nothing
here returns another organisation's name or its own scores.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.conf import settings
from django.db.models import Count, Q

from assessment.models import Answer, Assessment, Organisation, PeerGroup, TrendTarget
from assessment.scoring import DIGITAL, FAMILIES, TECHNOLOGY, TOP_LEVEL, Result
from assessment.scoring import Answer as EngineAnswer
from trends.maturity import DONT_KNOW, NOT_APPLICABLE, POINTS
from trends.models import Edition, Question, Trend

INDEXES = {DIGITAL: "Digital index", TECHNOLOGY: "Technology index"}
OVERALL = "overall"
QUARTILES = (0.25, 0.5, 0.75)
# The level each stored response counts as: "don't know" is 0; "not applicable" is left out.
SCORED_LEVEL = {
    **{code: point.level for code, point in POINTS.items() if point.level is not None},
    DONT_KNOW: 0,
    NOT_APPLICABLE: np.nan,
}
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


# Datasets: one query each --------------------------------------------------------------------


def submitted_answers(edition: Edition | None = None) -> pd.DataFrame:
    """Every answer of every submitted assessment (of one edition, if given): one query.

    An organisation has one assessment per edition, so these are each organisation's latest
    submitted answers for it.
    """
    # No ORDER BY: nothing here depends on the rows' order, and sorting them cost a tenth.
    rows = (
        Answer.objects.filter(assessment__status=Assessment.Status.SUBMITTED)
        .exclude(response="")
        .order_by()
    )
    if edition is not None:
        rows = rows.filter(assessment__edition=edition)
    return _answer_frame(rows.values_list(*ANSWER_FIELDS))


def answers_of(assessments: Iterable[Assessment]) -> pd.DataFrame:
    """The live answers of the given assessments, whatever their status: one query."""
    rows = Answer.objects.filter(assessment__in=list(assessments)).exclude(response="").order_by()
    return _answer_frame(rows.values_list(*ANSWER_FIELDS))


def _answer_frame(rows) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(list(rows), columns=ANSWER_COLUMNS)
    frame["level"] = frame["response"].map(SCORED_LEVEL).astype(float)
    return frame


def organisations() -> pd.DataFrame:
    """Each organisation's peer-group attributes, indexed by id: one query. No names."""
    fields = ["id", "kind", "region", "population_band", "peer_group"]
    return pd.DataFrame.from_records(
        list(Organisation.objects.values_list(*fields)), columns=fields
    ).set_index("id")


def trend_families() -> dict[str, str]:
    return dict(Trend.objects.values_list("slug", "family"))


# Scores --------------------------------------------------------------------------------------


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


# Peer benchmarks -----------------------------------------------------------------------------


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
        if not self.shown or self.score is None:
            return ""
        assert self.lower_quartile is not None and self.upper_quartile is not None
        if self.score < self.lower_quartile:
            return "Below the middle half"
        if self.score > self.upper_quartile:
            return "Above the middle half"
        return "Within the middle half"


@dataclass(frozen=True)
class PeerBenchmark:
    group: str  # a PeerGroup value
    description: str  # "district councils", "organisations in the South East", ...
    peers: int  # other organisations in the group with a submitted assessment
    minimum: int
    figures: tuple[PeerFigure, ...]

    @property
    def enough(self) -> bool:
        return self.peers >= self.minimum


def peer_benchmark(assessment: Assessment, result: Result, group: str) -> PeerBenchmark:
    """This assessment's trend and index scores against its peers' submitted assessments of
    the same edition (three queries). Peers never include the organisation itself."""
    organisation = assessment.organisation
    scores = score_frame(submitted_answers(assessment.edition), trend_families())
    if assessment.pk not in scores.index:  # a draft: one of the group, with nothing to leave out
        scores.loc[assessment.pk, "organisation"] = organisation.pk
    members = _members(scores, organisations(), organisation, group)
    own_row = members.index.get_loc(assessment.pk)
    minimum = settings.PEER_MINIMUM
    own = {t.trend.slug: t.score for t in result.trends}
    own |= {DIGITAL: result.digital_index, TECHNOLOGY: result.technology_index}
    titles = {t.trend.slug: t.trend.title for t in result.trends} | INDEXES
    figures = []
    for key, title in titles.items():
        values = members[key] if key in members else pd.Series(np.nan, index=members.index)
        row = _leave_one_out(values.to_numpy(dtype=float), minimum).iloc[own_row]
        lower, median, upper = (
            None if pd.isna(row[name]) else float(row[name])
            for name in ("lower_quartile", "median", "upper_quartile")
        )
        figures.append(
            PeerFigure(key, title, own.get(key), int(row["peers"]), lower, median, upper)
        )
    return PeerBenchmark(
        group, describe_group(organisation, group), len(members) - 1, minimum, tuple(figures)
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


# How a sentence names each peer group: "Compared with county councils: ...".
KIND_PLURALS = {
    Organisation.Kind.COUNTY: "county councils",
    Organisation.Kind.DISTRICT: "district councils",
    Organisation.Kind.UNITARY: "unitary authorities",
    Organisation.Kind.METROPOLITAN: "metropolitan boroughs",
    Organisation.Kind.LONDON_BOROUGH: "London boroughs",
    Organisation.Kind.WELSH: "Welsh principal councils",
    Organisation.Kind.SCOTTISH: "Scottish councils",
    Organisation.Kind.NORTHERN_IRELAND: "Northern Ireland councils",
    Organisation.Kind.COMBINED_AUTHORITY: "combined authorities",
    Organisation.Kind.OTHER: "other public bodies",
}
BAND_PHRASES = {
    Organisation.PopulationBand.UNDER_100K: "under 100,000",
    Organisation.PopulationBand.FROM_100K: "of 100,000 to 250,000",
    Organisation.PopulationBand.FROM_250K: "of 250,000 to 500,000",
    Organisation.PopulationBand.FROM_500K: "of 500,000 to 1 million",
    Organisation.PopulationBand.OVER_1M: "over 1 million",
}


def describe_group(organisation: Organisation, group: str) -> str:
    if group == PeerGroup.KIND:
        return KIND_PLURALS[Organisation.Kind(organisation.kind)]
    if group == PeerGroup.REGION:
        return f"organisations in {organisation.region}"
    if group == PeerGroup.POPULATION_BAND:
        band = BAND_PHRASES[Organisation.PopulationBand(organisation.population_band)]
        return f"organisations with a population {band}"
    return "all organisations"


def all_peer_benchmarks(scores: pd.DataFrame, orgs: pd.DataFrame, minimum: int) -> pd.DataFrame:
    """Every submitted organisation's peer figures in every peer group, at once.

    Rows: (assessment, group, key) with the peers' count and quartiles, NaN where fewer than
    `minimum` others have a score. Each group's values are sorted once; each member's figures
    leave its own value out by index arithmetic on that sorted array, so the cost grows with
    the number of organisations, not with its square. `peer_benchmark` reads one
    organisation's figures the same way.
    """
    keys = [c for c in scores.columns if c not in ("organisation", OVERALL)]
    # Plain arrays, every key of a group at once, one frame at the end: a frame per group and
    # key cost more than the figures in it.
    parts: list[dict[str, np.ndarray]] = []
    for group in PeerGroup.values:
        if group == PeerGroup.ALL:
            labels = pd.Series("all", index=scores.index)
        else:
            labels = pd.Series(
                orgs[group].reindex(scores["organisation"]).to_numpy(), index=scores.index
            )
        for _, members in scores.groupby(labels, sort=False):
            figures = _leave_one_out_by_column(members[keys].to_numpy(dtype=float), minimum)
            rows = len(members) * len(keys)
            parts.append(
                {name: column.T.ravel() for name, column in figures.items()}  # key by key
                | {
                    "assessment": np.tile(members.index.to_numpy(), len(keys)),
                    "group": np.full(rows, group, dtype=object),
                    "key": np.repeat(np.array(keys, dtype=object), len(members)),
                }
            )
    names = ["peers", "lower_quartile", "median", "upper_quartile", "assessment", "group", "key"]
    return pd.DataFrame(
        {name: np.concatenate([p[name] for p in parts]) if parts else [] for name in names}
    ).set_index(["assessment", "group", "key"])


def _leave_one_out(values: np.ndarray, minimum: int) -> pd.DataFrame:
    """For each member, the quartiles of every *other* member's value (NaN values ignored),
    as numpy.quantile's default (linear) method would give them."""
    figures = _leave_one_out_by_column(values[:, np.newaxis], minimum)
    return pd.DataFrame({name: column[:, 0] for name, column in figures.items()})


def _leave_one_out_by_column(values: np.ndarray, minimum: int) -> dict[str, np.ndarray]:
    """`_leave_one_out` for each column of `values` (members × keys) at once."""
    has_own = ~np.isnan(values)
    n = has_own.sum(axis=0)  # each column's values
    known = np.sort(values, axis=0)  # each column's values in order, then its NaNs
    peers = n - has_own  # the others with a value
    # Where each member's own value sits in its column's sorted values (irrelevant when it has
    # none).
    own_at = np.empty(values.shape, dtype=int)
    for column in range(values.shape[1]):
        own_at[:, column] = np.searchsorted(
            known[: n[column], column], np.nan_to_num(values[:, column])
        )
    own_at = np.where(has_own, own_at, n)
    last = np.maximum(n - 1, 0)

    def value_at(k: np.ndarray) -> np.ndarray:
        # The k-th of the others' sorted values: skip the member's own value. A column with no
        # values at all gives NaN, its first sorted "value".
        index = np.where(k >= own_at, k + 1, k)
        return np.take_along_axis(known, np.clip(index, 0, last), axis=0)

    columns = {"peers": peers}
    enough = (peers >= minimum) & (len(values) - 1 >= minimum)
    for name, q in zip(("lower_quartile", "median", "upper_quartile"), QUARTILES, strict=True):
        position = q * (peers - 1)
        below = np.floor(position).astype(int)
        fraction = position - below
        above = np.minimum(below + 1, np.maximum(peers - 1, 0))
        low = value_at(below)
        columns[name] = np.where(enough, low + fraction * (value_at(above) - low), np.nan)
    return columns


# Progress over time --------------------------------------------------------------------------


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
        points = int(abs(self.delta) + 0.5)  # half up, as every score in the report
        if points == 0:
            return "No change"
        return f"{'Up' if self.delta > 0 else 'Down'} {points}"

    @property
    def how(self) -> str:
        if self.method == "lineage":
            verb = "continues" if self.linked == 1 else "continue"
            return f"Question by question: {self.linked} question{'s' * (self.linked != 1)} {verb}"
        if self.method == "trend":
            return "By trend score: no question continues"
        return "Not comparable: no score then or now"


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
            row = sums.loc[slug]
            scale = 100 / TOP_LEVEL / row["weight"]
            changes.append(
                Change(
                    slug,
                    trend.trend.title,
                    float(row["now_points"] * scale),
                    float(row["then_points"] * scale),
                    "lineage",
                    int(linked[slug]),
                )
            )
            continue
        before = None
        if slug in before_scores.columns and not pd.isna(before_scores[slug].iloc[0]):
            before = float(before_scores[slug].iloc[0])
        method = "trend" if before is not None and trend.score is not None else ""
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


# The sector ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Distribution:
    key: str
    title: str
    count: int
    minimum: float
    lower_quartile: float
    median: float
    upper_quartile: float
    maximum: float


@dataclass(frozen=True)
class SectorOverview:
    edition: Edition
    organisations: int
    started: int
    submitted: int
    distributions: tuple[Distribution, ...]  # trends in report order, then the indexes
    weakest: tuple[Distribution, ...]  # the three trends with the lowest median
    top_now: tuple[tuple[str, str, int], ...]  # (question key, action, how many rank it Now)


def sector_overview(edition: Edition, *, answers: pd.DataFrame | None = None) -> SectorOverview:
    """For admins: take-up, each trend's spread, the weakest trends and the commonest "Now"
    actions across every submitted assessment of the edition. `answers`: the edition's
    `submitted_answers`, when the caller has loaded them already for other figures."""
    from assessment.results import questionnaire_for  # the engine's input, built once
    from assessment.scoring import score_assessment

    counts = Assessment.objects.filter(edition=edition).aggregate(
        started=Count("pk"), submitted=Count("pk", filter=Q(status=Assessment.Status.SUBMITTED))
    )
    if answers is None:
        answers = submitted_answers(edition)
    questionnaire = questionnaire_for(edition)
    families = {t.slug: t.family for t in questionnaire.trends}
    titles = {t.slug: t.title for t in sorted(questionnaire.trends, key=_report_order)}
    scores = score_frame(answers, families)
    distributions = []
    for key, title in (titles | INDEXES).items():
        values = scores[key].dropna().to_numpy() if key in scores else np.array([])
        if len(values):
            low, q1, q2, q3, high = np.quantile(values, (0, *QUARTILES, 1))
            distributions.append(Distribution(key, title, len(values), low, q1, q2, q3, high))
    trend_distributions = [d for d in distributions if d.key in titles]
    weakest = tuple(sorted(trend_distributions, key=lambda d: d.median)[:3])
    return SectorOverview(
        edition=edition,
        organisations=Organisation.objects.count(),
        started=counts["started"],
        submitted=counts["submitted"],
        distributions=tuple(distributions),
        weakest=weakest,
        top_now=_top_now(answers, questionnaire, score_assessment),
    )


def _report_order(trend) -> tuple[int, int]:
    return (FAMILIES.index(trend.family), trend.number)


def _top_now(answers: pd.DataFrame, questionnaire, score_assessment, shown: int = 5):
    """The actions most often ranked Now: each assessment's plan from the engine itself, fed
    from the one dataset (the plan's ranking is defined once, in `assessment.scoring`)."""
    targets: dict[int, dict[str, int]] = {}
    for org, slug, level in TrendTarget.objects.values_list(
        "organisation_id", "trend__slug", "level"
    ):
        targets.setdefault(org, {})[slug] = level
    slugs = {t.slug for t in questionnaire.trends}
    actions = {q.key: q.action for q in questionnaire.questions}
    # Plain lists, not a pandas group per assessment; and one (immutable) engine answer per
    # question and response, shared by every assessment that gave it.
    plans: dict[int, tuple[int, list[EngineAnswer]]] = {}
    engine_answer: dict[tuple[str, str], EngineAnswer] = {}
    columns = (answers[c].tolist() for c in ("assessment", "organisation", "key", "response"))
    for assessment, org, key, r in zip(*columns, strict=True):
        if (key, r) not in engine_answer:
            engine_answer[key, r] = EngineAnswer(
                question=key,
                level=None if r in (NOT_APPLICABLE, DONT_KNOW) else int(r),
                not_applicable=r == NOT_APPLICABLE,
                dont_know=r == DONT_KNOW,
            )
        plans.setdefault(assessment, (org, []))[1].append(engine_answer[key, r])
    tally: Counter[str] = Counter()
    for org, engine_answers in plans.values():
        own_targets = {s: lvl for s, lvl in targets.get(org, {}).items() if s in slugs}
        result = score_assessment(questionnaire, engine_answers, targets=own_targets)
        tally.update(a.question.key for a in result.horizon("Now"))
    # The commonest first; equally common ones in question-key order, whatever the rows' order.
    commonest = sorted(tally.items(), key=lambda item: (-item[1], item[0]))[:shown]
    return tuple((key, actions[key], n) for key, n in commonest)
