"""From the database to the scoring engine: an assessment's inputs, its result, its snapshot.

Each function loads what it needs in a fixed number of queries, builds the engine's plain
inputs, and leaves the arithmetic to `assessment.scoring`. `engine_answer` is the one
translation of a stored response into the engine's terms: the sector's tally of plans uses it
too, and the pandas scores count each response by `SCORED_LEVELS`, read from it, so every
score counts a response the way the engine does.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.conf import settings

from assessment.models import (
    ActionChange,
    ActionTracking,
    Assessment,
    Organisation,
    Snapshot,
    TrendTarget,
)
from assessment.scoring import (
    Action,
    Answer,
    Horizon,
    Questionnaire,
    QuestionSpec,
    Result,
    TrendSpec,
    score_assessment,
)
from trends.maturity import DONT_KNOW, NOT_APPLICABLE, POINTS
from trends.models import Edition, Question, Trend, TrendDependency


def questionnaire_for(edition: Edition) -> Questionnaire:
    """The edition's trends, questions and dependencies, in three queries."""
    questions = list(edition.questions.select_related("trend"))
    trend_ids = {q.trend_id for q in questions}
    trends = [t for t in Trend.objects.all() if t.pk in trend_ids]
    slugs = {t.slug for t in trends}
    links = [
        (f, d, kind)
        for f, d, kind in TrendDependency.objects.values_list(
            "foundation__slug", "dependent__slug", "kind"
        )
        if f in slugs and d in slugs
    ]
    return Questionnaire(
        trends=tuple(
            TrendSpec(t.slug, t.title, t.family, t.number, t.nutshell, t.default_target)
            for t in trends
        ),
        questions=tuple(
            QuestionSpec(
                key=q.key,
                trend=q.trend.slug,
                order=q.order,
                statement=q.statement,
                action=q.action,
                citation=q.citation,
                weight=q.weight,
            )
            for q in questions
        ),
        dependencies=tuple((f, d) for f, d, _ in links),
        prerequisites=tuple(
            (f, d) for f, d, kind in links if kind == TrendDependency.Kind.PREREQUISITE
        ),
    )


def engine_answer(question: str, response: str, *, has_evidence: bool = False) -> Answer:
    """The engine's answer for a response stored on the maturity scale (a code of `POINTS`)."""
    return Answer(
        question=question,
        level=POINTS[response].level,
        not_applicable=response == NOT_APPLICABLE,
        dont_know=response == DONT_KNOW,
        has_evidence=has_evidence,
    )


# The level each stored response counts as in a score (None: not counted), as the engine
# counts it: for scoring many assessments at once with pandas.
SCORED_LEVELS: dict[str, int | None] = {
    code: engine_answer("", code).scored_level for code in POINTS
}


def answers_for(assessment: Assessment) -> list[Answer]:
    rows = assessment.answers.exclude(response="").values_list(
        "question__key", "response", "evidence"
    )
    return [
        engine_answer(key, response, has_evidence=bool(evidence.strip()))
        for key, response, evidence in rows
    ]


def targets_for(organisation: Organisation) -> dict[str, int]:
    return dict(
        TrendTarget.objects.filter(organisation=organisation).values_list("trend__slug", "level")
    )


def result_for(assessment: Assessment) -> Result:
    """The assessment's scores and plan, with the organisation's targets as they are now.

    A submitted assessment is scored from its latest snapshot, so edits to questions in admin
    after submission never change its report; an open one from its live answers.
    """
    # The stored result is a record of what was submitted; reports re-score from the stored
    # questionnaire and answers (with today's targets), so never load its large JSON here.
    snapshot = assessment.snapshots.defer("result").first() if assessment.is_submitted else None
    if snapshot is not None:
        questionnaire = _questionnaire_from_json(snapshot.questionnaire)
        answers = [Answer(**a) for a in snapshot.answers]
    else:
        questionnaire = questionnaire_for(assessment.edition)
        answers = answers_for(assessment)
    return score(questionnaire, answers, targets_for(assessment.organisation))


def score(questionnaire: Questionnaire, answers: list[Answer], targets: dict[str, int]) -> Result:
    """The engine's result with an organisation's targets and the service's balance margin:
    how every report, plan and tally scores, so that they rank and find alike."""
    # Targets belong to the organisation, across editions: use those for this questionnaire's
    # trends only (a 2025 trend's target means nothing to a 2024 assessment).
    slugs = {t.slug for t in questionnaire.trends}
    return score_assessment(
        questionnaire,
        answers,
        targets={slug: level for slug, level in targets.items() if slug in slugs},
        balance_margin=settings.BALANCE_MARGIN,
    )


def take_snapshot(assessment: Assessment, questionnaire: Questionnaire | None = None) -> Snapshot:
    """Store what is being submitted. `questionnaire`: the assessment's edition's, when the
    caller has loaded it already to snapshot many assessments of that edition."""
    if questionnaire is None:
        questionnaire = questionnaire_for(assessment.edition)
    answers = answers_for(assessment)
    result = score(questionnaire, answers, targets_for(assessment.organisation))
    return Snapshot.objects.create(
        assessment=assessment,
        questionnaire=asdict(questionnaire),
        answers=[asdict(a) for a in answers],
        result=asdict(result),
    )


def _questionnaire_from_json(data: dict) -> Questionnaire:
    return Questionnaire(
        trends=tuple(TrendSpec(**t) for t in data["trends"]),
        questions=tuple(QuestionSpec(**q) for q in data["questions"]),
        dependencies=tuple((f, d) for f, d in data["dependencies"]),
        # Snapshots taken before prerequisites existed were ranked without them.
        prerequisites=tuple((f, d) for f, d in data.get("prerequisites", [])),
    )


def plan_with_tracking(
    assessment: Assessment, result: Result
) -> list[tuple[Horizon, list[tuple[Action, ActionTracking | None]]]]:
    """The plan by horizon, each action with the lead's tracking of it (one query)."""
    tracking = {
        t.question.key: t
        for t in assessment.tracking.select_related("question").only(
            "question__key", "owner", "due_date", "status", "reason", "assessment_id"
        )
    }
    return [
        (horizon, [(a, tracking.get(a.question.key)) for a in result.horizon(horizon)])
        for horizon in Horizon
    ]


@dataclass(frozen=True)
class TrackedAction:
    """One action of the plan, with its question and the lead's tracking of it."""

    assessment: Assessment
    action: Action
    question: Question
    tracking: ActionTracking | None  # None: never tracked

    @property
    def row(self) -> ActionTracking:
        """The tracking to edit: the saved one, or a new one not yet started."""
        return self.tracking or ActionTracking(assessment=self.assessment, question=self.question)

    def changes(self) -> list[ActionChange]:
        """Every change to its tracking, newest first, with who made it (one query)."""
        if self.tracking is None:
            return []
        return list(self.tracking.changes.select_related("changed_by"))


def tracked_action(assessment: Assessment, key: str) -> TrackedAction | None:
    """The plan's action for question `key`, or None when the plan has no such action (its
    answer is at target, not applicable, or not a question of this assessment's)."""
    action = next((a for a in result_for(assessment).actions if a.question.key == key), None)
    if action is None:
        return None
    question = assessment.edition.questions.filter(key=key).first()
    if question is None:  # a snapshot's question the edition no longer has: none to track
        return None
    tracking = ActionTracking.objects.filter(assessment=assessment, question=question).first()
    return TrackedAction(assessment, action, question, tracking)
