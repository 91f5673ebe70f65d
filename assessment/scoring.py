"""The scoring engine: answers in, scores and a ranked action plan out.

Pure on purpose: plain frozen dataclasses in and out, nothing from Django, no database, no
clock. `assessment.reporting.scores` loads the rows and hands them here. docs/scoring.md
explains the model with a worked example that the tests reproduce.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from statistics import fmean

DIGITAL = "digital"
TECHNOLOGY = "technology"
FAMILIES = (DIGITAL, TECHNOLOGY)
TOP_LEVEL = 4
DEFAULT_TARGET = 3  # "Established"
DEFAULT_BALANCE_MARGIN = 15.0
NOW_SIZE = 5  # the first five actions are for the next three months …
NEXT_SIZE = 10  # … the following ten for this year; the rest later

# A score's label is the level its average rounds to: 0-12.4 is "Not started", 12.5-37.4
# "Emerging", 37.5-62.4 "Developing", 62.5-87.4 "Established", 87.5-100 "Leading". The same
# words as the scale an officer answers on, so "Established" means the same thing everywhere.
LEVEL_LABELS = ("Not started", "Emerging", "Developing", "Established", "Leading")


class Horizon(StrEnum):
    """When an action is for: its place in the ranked plan decides."""

    NOW = "Now"
    NEXT = "Next"
    LATER = "Later"

    @property
    def heading(self) -> str:
        return _HORIZON_HEADINGS[self]


_HORIZON_HEADINGS = {
    Horizon.NOW: "Now: the next three months",
    Horizon.NEXT: "Next: this year",
    Horizon.LATER: "Later",
}


class Finding(StrEnum):
    """How digital maturity stands against technology maturity: the report's key caution."""

    MASKING = "masking"  # technology ahead: good IT management may mask digital immaturity
    AHEAD = "ahead"  # digital ahead of its technology foundations
    BALANCED = "balanced"
    UNKNOWN = "unknown"  # one index or both not scored yet


class ScoringError(ValueError):
    """The answers or questionnaire cannot be scored; the message says which and why."""


# Inputs -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendSpec:
    slug: str
    title: str
    family: str  # DIGITAL or TECHNOLOGY
    number: int
    nutshell: str = ""  # not scored: carried so a submitted report keeps its words


@dataclass(frozen=True)
class QuestionSpec:
    key: str
    trend: str  # the trend's slug
    order: int
    statement: str
    action: str
    citation: str
    weight: float = 1.0


@dataclass(frozen=True)
class Questionnaire:
    trends: tuple[TrendSpec, ...]
    questions: tuple[QuestionSpec, ...]
    # (foundation, dependent): the foundation must be in place for the dependent to succeed.
    dependencies: tuple[tuple[str, str], ...] = ()

    @cached_property
    def by_trend(self) -> dict[str, tuple[QuestionSpec, ...]]:
        """Each trend's questions in order: worked out once per questionnaire, which scoring
        hundreds of assessments against one questionnaire reuses."""
        grouped: dict[str, list[QuestionSpec]] = {t.slug: [] for t in self.trends}
        for q in self.questions:
            grouped[q.trend].append(q)
        return {
            slug: tuple(sorted(qs, key=lambda q: (q.order, q.key))) for slug, qs in grouped.items()
        }

    @cached_property
    def trends_in_order(self) -> tuple[TrendSpec, ...]:
        """The report's order: the digital family, then technology, each by its number."""
        return tuple(sorted(self.trends, key=_trend_order))

    def __post_init__(self) -> None:
        slugs = {t.slug for t in self.trends}
        if len(slugs) != len(self.trends):
            raise ScoringError("Two trends share a slug.")
        for trend in self.trends:
            if trend.family not in FAMILIES:
                raise ScoringError(f"Trend {trend.slug} has an unknown family {trend.family!r}.")
        keys = set()
        for q in self.questions:
            if q.key in keys:
                raise ScoringError(f"Question {q.key} appears twice.")
            keys.add(q.key)
            if q.trend not in slugs:
                raise ScoringError(f"Question {q.key} belongs to an unknown trend {q.trend!r}.")
            if not q.weight > 0:
                raise ScoringError(f"Question {q.key} has weight {q.weight}; weights must be > 0.")
        for foundation, dependent in self.dependencies:
            if foundation not in slugs or dependent not in slugs:
                raise ScoringError(f"Dependency {foundation} → {dependent} names an unknown trend.")


@dataclass(frozen=True)
class Answer:
    """One question's answer: a level 0-4, or not applicable, or don't know."""

    question: str
    level: int | None = None
    not_applicable: bool = False
    dont_know: bool = False
    has_evidence: bool = False

    def __post_init__(self) -> None:
        kinds = (self.level is not None) + self.not_applicable + self.dont_know
        if kinds != 1:
            raise ScoringError(
                f"The answer to {self.question} must be exactly one of a level, not applicable "
                "or don't know."
            )
        if self.level is not None and (
            isinstance(self.level, bool) or self.level not in range(TOP_LEVEL + 1)
        ):
            raise ScoringError(
                f"The answer to {self.question} has level {self.level!r}; levels run 0 to 4."
            )

    @property
    def scored_level(self) -> int | None:
        """The level counted in scores: "don't know" counts as 0, "not applicable" not at all."""
        if self.not_applicable:
            return None
        return 0 if self.dont_know else self.level


# Outputs ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendScore:
    trend: TrendSpec
    score: float | None  # 0-100, or None when no question is scored yet
    target: int
    questions: int
    answered: int  # including "not applicable" and "don't know"
    scored: int
    with_evidence: int
    evidence_gaps: tuple[str, ...]  # "don't know" answers: the facts still to establish
    unanswered: tuple[str, ...]

    @property
    def label(self) -> str | None:
        return label_for(self.score)

    @property
    def completeness(self) -> float:
        return self.answered / self.questions if self.questions else 1.0

    @property
    def evidence_share(self) -> float:
        return self.with_evidence / self.answered if self.answered else 0.0

    @property
    def below_target(self) -> bool:
        return self.score is not None and self.score < self.target / TOP_LEVEL * 100


@dataclass(frozen=True)
class Action:
    question: QuestionSpec
    trend: TrendSpec
    current: int | None  # None: "don't know", so the facts come first
    target: int
    gap: int
    weight: float
    underpins: int  # how many weak trends depend on this action's trend
    rank: int  # 1 for the first action of the plan
    horizon: Horizon

    @property
    def establish_facts_first(self) -> bool:
        return self.current is None

    @property
    def what(self) -> str:
        if self.establish_facts_first:
            return (
                f"Establish the facts first: find out where you stand. Then: {self.question.action}"
            )
        return self.question.action

    @property
    def priority(self) -> float:
        return self.gap * self.weight


@dataclass(frozen=True)
class Balance:
    digital: float | None
    technology: float | None
    margin: float
    finding: Finding
    message: str

    @property
    def is_known(self) -> bool:
        return self.finding != Finding.UNKNOWN

    @property
    def is_caution(self) -> bool:
        """One index is ahead of the other by the margin or more: a finding to act on."""
        return self.finding in (Finding.MASKING, Finding.AHEAD)


@dataclass(frozen=True)
class Result:
    trends: tuple[TrendScore, ...]
    digital_index: float | None
    technology_index: float | None
    overall: float | None
    balance: Balance
    questionnaire: Questionnaire
    actions: tuple[Action, ...] = field(default=())

    @property
    def overall_label(self) -> str | None:
        return label_for(self.overall)

    def trend(self, slug: str) -> TrendScore:
        return next(t for t in self.trends if t.trend.slug == slug)

    def horizon(self, horizon: Horizon) -> tuple[Action, ...]:
        return tuple(a for a in self.actions if a.horizon == horizon)


# The engine ---------------------------------------------------------------------------------


def label_for(score: float | None) -> str | None:
    if score is None:
        return None
    # Round half up (62.5 is "Established"), never half to even, so the bands are fixed.
    level = min(TOP_LEVEL, int(score / 100 * TOP_LEVEL + 0.5))
    return LEVEL_LABELS[level]


def score_assessment(
    questionnaire: Questionnaire,
    answers: Iterable[Answer],
    *,
    targets: Mapping[str, int] | None = None,
    balance_margin: float = DEFAULT_BALANCE_MARGIN,
) -> Result:
    """Score every trend, the two indexes and the overall, and build the action plan."""
    by_question = _index_answers(questionnaire, answers)
    targets = _check_targets(questionnaire, targets or {})
    trend_scores = tuple(
        _score_trend(trend, questionnaire, by_question, targets.get(trend.slug, DEFAULT_TARGET))
        for trend in questionnaire.trends_in_order
    )
    index = {
        family: _mean_or_none(t.score for t in trend_scores if t.trend.family == family)
        for family in FAMILIES
    }
    digital, technology = index[DIGITAL], index[TECHNOLOGY]
    # Each family counts equally, whatever its number of questions; both must be known.
    overall = (digital + technology) / 2 if digital is not None and technology is not None else None
    return Result(
        trends=trend_scores,
        digital_index=digital,
        technology_index=technology,
        overall=overall,
        balance=assess_balance(digital, technology, balance_margin),
        questionnaire=questionnaire,
        actions=build_action_plan(questionnaire, by_question, trend_scores),
    )


def _index_answers(questionnaire: Questionnaire, answers: Iterable[Answer]) -> dict[str, Answer]:
    known = {q.key for q in questionnaire.questions}
    by_question: dict[str, Answer] = {}
    for answer in answers:
        if answer.question not in known:
            raise ScoringError(f"{answer.question} is not a question in this edition.")
        if answer.question in by_question:
            raise ScoringError(f"{answer.question} is answered twice.")
        by_question[answer.question] = answer
    return by_question


def _check_targets(questionnaire: Questionnaire, targets: Mapping[str, int]) -> dict[str, int]:
    slugs = {t.slug for t in questionnaire.trends}
    for slug, level in targets.items():
        if slug not in slugs:
            raise ScoringError(f"There is a target for {slug!r}, which is not a trend.")
        if isinstance(level, bool) or level not in range(TOP_LEVEL + 1):
            raise ScoringError(f"The target for {slug} is {level!r}; targets run 0 to 4.")
    return dict(targets)


def _trend_order(trend: TrendSpec) -> tuple[int, int]:
    return (FAMILIES.index(trend.family), trend.number)


def _score_trend(
    trend: TrendSpec,
    questionnaire: Questionnaire,
    answers: Mapping[str, Answer],
    target: int,
) -> TrendScore:
    questions = questionnaire.by_trend[trend.slug]
    weighted = total_weight = 0.0
    answered = scored = with_evidence = 0
    gaps, unanswered = [], []
    for q in questions:
        answer = answers.get(q.key)
        if answer is None:
            unanswered.append(q.key)
            continue
        answered += 1
        with_evidence += answer.has_evidence
        if answer.dont_know:
            gaps.append(q.key)
        level = answer.scored_level
        if level is not None:
            scored += 1
            weighted += q.weight * level / TOP_LEVEL
            total_weight += q.weight
    return TrendScore(
        trend=trend,
        score=100 * weighted / total_weight if total_weight else None,
        target=target,
        questions=len(questions),
        answered=answered,
        scored=scored,
        with_evidence=with_evidence,
        evidence_gaps=tuple(gaps),
        unanswered=tuple(unanswered),
    )


def _mean_or_none(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return fmean(present) if present else None


def assess_balance(
    digital: float | None, technology: float | None, margin: float = DEFAULT_BALANCE_MARGIN
) -> Balance:
    """The report's central caution: good IT management can mask digital immaturity."""
    if margin <= 0:
        raise ScoringError(f"The balance margin is {margin}; it must be more than 0.")
    if digital is None or technology is None:
        return Balance(
            digital,
            technology,
            margin,
            Finding.UNKNOWN,
            "Both indexes are needed to compare digital with technology maturity.",
        )
    if technology - digital >= margin:
        return Balance(
            digital,
            technology,
            margin,
            Finding.MASKING,
            f"Technology maturity is {technology - digital:.0f} points ahead of digital "
            "maturity. Good IT management may be masking digital immaturity: reliable, secure "
            "technology can let outdated services, processes and culture carry on unchanged.",
        )
    if digital - technology >= margin:
        return Balance(
            digital,
            technology,
            margin,
            Finding.AHEAD,
            f"Digital maturity is {digital - technology:.0f} points ahead of technology "
            "maturity. Digital ambition is ahead of its technology foundations: data, cyber "
            "protection and infrastructure may hold it back.",
        )
    return Balance(
        digital,
        technology,
        margin,
        Finding.BALANCED,
        "Digital and technology maturity are in balance.",
    )


def build_action_plan(
    questionnaire: Questionnaire,
    answers: Mapping[str, Answer],
    trend_scores: Iterable[TrendScore],
) -> tuple[Action, ...]:
    """One action per scored question below its trend's target, ranked and grouped.

    Rank: the larger gap × weight first; then foundations first, an action in a trend that
    more weak trends depend on before one in a trend fewer depend on; then trend order and
    question order, so equal actions always come out the same way.
    """
    scores = {t.trend.slug: t for t in trend_scores}
    weak = {slug for slug, t in scores.items() if t.below_target}
    underpins = {
        slug: sum(1 for f, d in questionnaire.dependencies if f == slug and d in weak)
        for slug in scores
    }
    orders = {slug: _trend_order(t.trend) for slug, t in scores.items()}
    candidates = []
    for q in questionnaire.questions:
        answer = answers.get(q.key)
        level = answer.scored_level if answer else None
        trend_score = scores[q.trend]
        if answer is None or level is None or level >= trend_score.target:
            continue  # unanswered, not applicable, or already at target
        gap = trend_score.target - level
        candidates.append(
            (
                (-gap * q.weight, -underpins[q.trend], orders[q.trend], q.order, q.key),
                q,
                answer,
                gap,
            )
        )
    candidates.sort(key=lambda c: c[0])
    # Each action is built once, with its rank and horizon: plans run to dozens of actions and
    # scoring hundreds of assessments builds thousands of them.
    return tuple(
        Action(
            question=q,
            trend=scores[q.trend].trend,
            current=None if answer.dont_know else answer.scored_level,
            target=scores[q.trend].target,
            gap=gap,
            weight=q.weight,
            underpins=underpins[q.trend],
            rank=rank,
            horizon=_horizon(rank),
        )
        for rank, (_, q, answer, gap) in enumerate(candidates, start=1)
    )


def _horizon(rank: int) -> Horizon:
    if rank <= NOW_SIZE:
        return Horizon.NOW
    return Horizon.NEXT if rank <= NOW_SIZE + NEXT_SIZE else Horizon.LATER
