"""The scoring engine: answers in, scores and a ranked action plan out.

Pure on purpose: plain frozen dataclasses in and out, nothing from Django, no database, no
clock. `assessment.reporting.scores` loads the rows and hands them here. docs/scoring.md
explains the model with a worked example that the tests reproduce.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import cached_property
from statistics import fmean
from typing import Any

DIGITAL = "digital"
TECHNOLOGY = "technology"
FAMILIES = (DIGITAL, TECHNOLOGY)
TOP_LEVEL = 4
DEFAULT_TARGET = 3  # "Established": a trend's target unless its content or the lead says otherwise
DEFAULT_BALANCE_MARGIN = 15.0
# Good IT management, for the masking caution: a technology index labelled Established or
# Leading (62.5 and over, as `label_for` rounds).
ESTABLISHED_SCORE = 100 * (DEFAULT_TARGET - 0.5) / 4
EVIDENCE_SHOWN = 3  # practices named on each side of the masking caution
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

    MASKING = "masking"  # technology established and ahead: good IT may mask digital immaturity
    BOTH_NEED_WORK = "both_need_work"  # technology ahead, but not yet established either
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
    # The target unless the lead sets another: the pace the content asks of this trend.
    # (Snapshots taken before trends had their own carry none, and had the global 3.)
    default_target: int = DEFAULT_TARGET


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
    # (foundation, dependent): the dependent relies on the foundation. Between otherwise equal
    # actions, one in a trend more weak trends rely on comes first.
    dependencies: tuple[tuple[str, str], ...] = ()
    # The dependencies that are prerequisites: while the foundation is weak, its actions come
    # before any of the dependent's. Each is also one of `dependencies`.
    prerequisites: tuple[tuple[str, str], ...] = ()

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
            if trend.default_target not in range(TOP_LEVEL + 1):
                raise ScoringError(
                    f"Trend {trend.slug} has default target {trend.default_target!r}; "
                    "targets run 0 to 4."
                )
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
            if foundation == dependent:
                raise ScoringError(f"Trend {foundation} cannot depend on itself.")
        if len(set(self.dependencies)) != len(self.dependencies):
            raise ScoringError("A dependency appears twice.")
        for prerequisite in self.prerequisites:
            if prerequisite not in self.dependencies:
                raise ScoringError(f"Prerequisite {' → '.join(prerequisite)} is no dependency.")


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
    # The weak trends this action's trend depends on whose actions come first: "after: …".
    after: tuple[TrendSpec, ...] = ()

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
class Practice:
    """One answered question, as a masking caution cites it: the practice and its level."""

    question: QuestionSpec
    level: int

    @property
    def label(self) -> str:
        return LEVEL_LABELS[self.level]


@dataclass(frozen=True)
class Balance:
    digital: float | None
    technology: float | None
    margin: float
    finding: Finding
    message: str
    # When masking: what it rests on, the strongest technology practices and the weakest
    # digital behaviours, so the caution names its evidence.
    strong_technology: tuple[Practice, ...] = ()
    weak_digital: tuple[Practice, ...] = ()

    @property
    def is_known(self) -> bool:
        return self.finding != Finding.UNKNOWN

    @property
    def is_caution(self) -> bool:
        """One index is ahead of the other by the margin or more: a finding to act on."""
        return self.finding in (Finding.MASKING, Finding.BOTH_NEED_WORK, Finding.AHEAD)

    @property
    def is_masking(self) -> bool:
        return self.finding == Finding.MASKING


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

    @property
    def digital_label(self) -> str | None:
        return label_for(self.digital_index)

    @property
    def technology_label(self) -> str | None:
        return label_for(self.technology_index)

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
        _score_trend(
            trend, questionnaire, by_question, targets.get(trend.slug, trend.default_target)
        )
        for trend in questionnaire.trends_in_order
    )
    index = {
        family: _mean_or_none(t.score for t in trend_scores if t.trend.family == family)
        for family in FAMILIES
    }
    digital, technology = index[DIGITAL], index[TECHNOLOGY]
    # Each family counts equally, whatever its number of questions; both must be known.
    overall = (digital + technology) / 2 if digital is not None and technology is not None else None
    balance = assess_balance(digital, technology, balance_margin)
    if balance.is_masking:
        strong, weak = masking_evidence(questionnaire, by_question)
        balance = replace(balance, strong_technology=strong, weak_digital=weak)
    return Result(
        trends=trend_scores,
        digital_index=digital,
        technology_index=technology,
        overall=overall,
        balance=balance,
        questionnaire=questionnaire,
        actions=build_action_plan(
            questionnaire, by_question, trend_scores, masking=balance.is_masking
        ),
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
    """The report's central caution: good IT management can mask digital immaturity.

    Masking needs both halves to be true: technology that is genuinely good (its index
    Established or above) and digital maturity lagging it by the margin or more. Technology
    ahead by the margin while still short of Established is a different finding: both need work.
    """
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
    if technology - digital >= margin and technology >= ESTABLISHED_SCORE:
        return Balance(
            digital,
            technology,
            margin,
            Finding.MASKING,
            f"Technology maturity is {_points(technology - digital)} points ahead of digital "
            "maturity. Good IT management may be masking digital immaturity: reliable, secure "
            "technology can let outdated services, processes and culture carry on unchanged.",
        )
    if technology - digital >= margin:
        return Balance(
            digital,
            technology,
            margin,
            Finding.BOTH_NEED_WORK,
            f"Technology maturity is {_points(technology - digital)} points ahead of digital "
            "maturity, but it is not yet established either: both need work. This is not the "
            "masking the report warns of, where good IT management hides poor digital ways of "
            "working; the foundations and the ways of working both need building.",
        )
    if digital - technology >= margin:
        return Balance(
            digital,
            technology,
            margin,
            Finding.AHEAD,
            f"Digital maturity is {_points(digital - technology)} points ahead of technology "
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


def _points(gap: float) -> str:
    """A gap between the indexes to one decimal, "14.6" or "30": the finding compares the
    indexes unrounded, so a gap the whole-number indexes show as 15 may be 14.6, under 15."""
    return f"{round(gap, 1):g}"


def masking_evidence(
    questionnaire: Questionnaire, answers: Mapping[str, Answer]
) -> tuple[tuple[Practice, ...], tuple[Practice, ...]]:
    """What a masking finding rests on: the strongest technology practices (rated Established
    or above, highest first) and the weakest digital behaviours (rated below Established,
    lowest first), at most EVIDENCE_SHOWN of each, in report order on ties. A "don't know" is
    a fact still to establish, not evidence either way, so it is left out."""
    families = {t.slug: t.family for t in questionnaire.trends}
    orders = {t.slug: _trend_order(t) for t in questionnaire.trends}
    rated = []
    for q in questionnaire.questions:
        answer = answers.get(q.key)
        if answer is not None and answer.level is not None:
            rated.append((answer.level, orders[q.trend], q.order, q))
    strong = sorted(
        (r for r in rated if families[r[3].trend] == TECHNOLOGY and r[0] >= DEFAULT_TARGET),
        key=lambda r: (-r[0], r[1], r[2]),
    )
    weak = sorted(
        (r for r in rated if families[r[3].trend] == DIGITAL and r[0] < DEFAULT_TARGET),
        key=lambda r: (r[0], r[1], r[2]),
    )
    return (
        tuple(Practice(r[3], r[0]) for r in strong[:EVIDENCE_SHOWN]),
        tuple(Practice(r[3], r[0]) for r in weak[:EVIDENCE_SHOWN]),
    )


def build_action_plan(
    questionnaire: Questionnaire,
    answers: Mapping[str, Answer],
    trend_scores: Iterable[TrendScore],
    *,
    masking: bool = False,
) -> tuple[Action, ...]:
    """One action per scored question below its trend's target, ranked and grouped.

    Rank: the larger gap × weight first; when good IT management may be masking digital
    immaturity, a digital action before a technology one of equal priority; then an action in
    a trend that more weak trends depend on first; then trend order and question order, so
    equal actions always come out the same way.

    Foundations first is a rule of sequence for prerequisites: an action never comes before an
    action of a weak trend that is a prerequisite of its own. Such actions wait, however high
    their priority, and say what they wait for (`Action.after`). When masking, technology is
    established by definition, so digital actions wait for no technology prerequisite: what
    lags is the digital behaviour, and it goes first.
    """
    scores = {t.trend.slug: t for t in trend_scores}
    weak = {slug for slug, t in scores.items() if t.below_target}
    underpins = Counter(f for f, d in questionnaire.dependencies if d in weak)
    orders = {slug: _trend_order(t.trend) for slug, t in scores.items()}
    candidates = []
    for q in questionnaire.questions:
        answer = answers.get(q.key)
        level = answer.scored_level if answer else None
        trend_score = scores[q.trend]
        if answer is None or level is None or level >= trend_score.target:
            continue  # unanswered, not applicable, or already at target
        gap = trend_score.target - level
        behaviour_first = 1 if masking and trend_score.trend.family == TECHNOLOGY else 0
        key = (-gap * q.weight, behaviour_first, -underpins[q.trend], orders[q.trend], q.order)
        candidates.append((key, q.key, q, answer, gap))
    candidates.sort(key=lambda c: c[:2])
    families = {slug: t.trend.family for slug, t in scores.items()}
    prerequisites = tuple(
        (f, d)
        for f, d in questionnaire.prerequisites
        if not (masking and families[f] == TECHNOLOGY and families[d] == DIGITAL)
    )
    ordered, waits_for = _foundations_first(candidates, prerequisites, weak)
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
            after=tuple(scores[f].trend for f in waits_for[q.trend]),
        )
        for rank, (_, _, q, answer, gap) in enumerate(ordered, start=1)
    )


def _foundations_first(
    candidates: list[tuple[Any, ...]],
    prerequisites: tuple[tuple[str, str], ...],
    weak: set[str],
) -> tuple[list[tuple[Any, ...]], dict[str, tuple[str, ...]]]:
    """The ranked candidates (…, question, answer, gap), reordered so that none comes before a
    candidate of a weak trend that is a prerequisite of its own; and, for each trend, the weak
    prerequisites with actions that its actions wait for."""
    remaining = Counter(q.trend for _, _, q, _, _ in candidates)
    waits_for: dict[str, tuple[str, ...]] = defaultdict(tuple)
    for foundation, dependent in prerequisites:
        if foundation in weak and remaining[foundation]:
            waits_for[dependent] += (foundation,)

    def still_waiting() -> set[str]:
        return {t for t, foundations in waits_for.items() if any(remaining[f] for f in foundations)}

    blocked = still_waiting()
    if not blocked:
        return candidates, waits_for
    pending, ordered = list(candidates), []
    while pending:
        # The highest-ranked candidate whose foundations have no action left to place. A loop
        # of dependencies (which admin refuses) would leave none: then the highest-ranked.
        i = next((i for i, c in enumerate(pending) if c[2].trend not in blocked), 0)
        chosen = pending.pop(i)
        trend = chosen[2].trend
        remaining[trend] -= 1
        ordered.append(chosen)
        if not remaining[trend]:  # its last action is placed: what waited for it may go
            blocked = still_waiting()
    return ordered, waits_for


def _horizon(rank: int) -> Horizon:
    if rank <= NOW_SIZE:
        return Horizon.NOW
    return Horizon.NEXT if rank <= NOW_SIZE + NEXT_SIZE else Horizon.LATER
