"""The writes of the officer's journey. Each spans several models and is one transaction.

These are the only code that changes answers, targets and action tracking, and each change
writes its history row (who, when, old and new values) in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import ngettext

from assessment import tasks
from assessment.models import (
    ActionChange,
    ActionTracking,
    Answer,
    AnswerChange,
    Assessment,
    AssessmentEvent,
    Organisation,
    TargetChange,
    TrendTarget,
)
from assessment.reporting.scores import take_snapshot
from trends.models import Edition, Question, Trend


class WorkflowError(Exception):
    """Refused: the message says why in words a council officer understands."""


@dataclass(frozen=True)
class AnswerInput:
    """What an officer submitted for one question, and the answer version their page showed."""

    question: Question
    response: str
    not_applicable_reason: str
    evidence: str
    seen_version: int


@dataclass(frozen=True)
class Conflict:
    """Someone else saved this question after the officer opened the page, differently."""

    question: Question
    theirs: Answer
    yours: AnswerInput


@transaction.atomic
def start_assessment(*, organisation: Organisation, edition: Edition, user: User) -> Assessment:
    if edition.status != Edition.Status.PUBLISHED:
        raise WorkflowError(f"{edition} is not open for assessments.")
    assessment, created = Assessment.objects.get_or_create(
        organisation=organisation, edition=edition, defaults={"started_by": user}
    )
    if created:  # a double click on "Start" finds the first one and changes nothing
        AssessmentEvent.objects.create(
            assessment=assessment, kind=AssessmentEvent.Kind.STARTED, by=user
        )
    return assessment


@transaction.atomic
def save_answers(
    *, assessment: Assessment, inputs: list[AnswerInput], user: User
) -> tuple[int, list[Conflict]]:
    """Save a section's answers, or none of them if any conflicts with a newer save.

    Returns how many answers changed and the conflicts found. A conflict is a question that
    someone else saved after this officer's page was loaded, to a value different from what
    this officer now sends: saving would silently overwrite their work, so nothing is saved
    and both values go back to the officer to choose.
    """
    # Lock the assessment row so submit and saves cannot interleave, then its answers.
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if locked.is_submitted:
        raise WorkflowError("This assessment has been submitted, so its answers cannot change.")
    existing = {
        a.question_id: a
        # of=self: lock the answer rows only; PostgreSQL refuses to lock the nullable side of
        # the outer join that select_related("updated_by") makes.
        for a in Answer.objects.select_for_update(of=("self",))
        .filter(assessment=assessment, question__in=[i.question for i in inputs])
        .select_related("updated_by")
    }
    conflicts, changes = [], []
    for item in inputs:
        current = existing.get(item.question.pk)
        new = (item.response, item.not_applicable_reason, item.evidence)
        old = _values(current)
        if new == old:
            continue
        if current is not None and current.version != item.seen_version:
            # Saved by someone else since this page was loaded. If this officer left the
            # question as their page showed it, theirs stands; otherwise ask which to keep.
            if new != _values_at(current, item.seen_version):
                conflicts.append(Conflict(item.question, current, item))
            continue
        changes.append((item, current, old, new))
    if conflicts:
        return 0, conflicts

    now = timezone.now()
    for item, current, old, new in changes:
        answer = current or Answer(assessment=assessment, question=item.question)
        answer.response, answer.not_applicable_reason, answer.evidence = new
        answer.version += 1
        answer.updated_by, answer.updated_at = user, now
        answer.save()
        AnswerChange.objects.create(
            answer=answer,
            version=answer.version,
            changed_by=user,
            changed_at=now,
            old_response=old[0],
            new_response=new[0],
            old_reason=old[1],
            new_reason=new[1],
            old_evidence=old[2],
            new_evidence=new[2],
        )
    return len(changes), []


def _values(answer: Answer | None) -> tuple[str, str, str]:
    if answer is None:
        return ("", "", "")
    return (answer.response, answer.not_applicable_reason, answer.evidence)


def _values_at(answer: Answer, version: int) -> tuple[str, str, str]:
    """What the answer said at `version`, from its history (version 0: not answered)."""
    change = answer.changes.filter(version=version).first() if version else None
    if change is None:
        return ("", "", "")
    return (change.new_response, change.new_reason, change.new_evidence)


def unanswered_questions(assessment: Assessment) -> list[Question]:
    answered = assessment.answers.exclude(response="").values("question_id")
    return list(
        assessment.edition.questions.exclude(pk__in=answered)
        .select_related("trend")
        .order_by("trend__family", "trend__number", "order")
    )


@transaction.atomic
def submit_assessment(*, assessment: Assessment, user: User) -> None:
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if locked.is_submitted:
        return  # a second click on "Submit" has nothing left to do
    missing = unanswered_questions(locked)
    if missing:
        raise WorkflowError(
            ngettext(
                "%(n)d question still needs an answer.",
                "%(n)d questions still need an answer.",
                len(missing),
            )
            % {"n": len(missing)}
        )
    locked.status = Assessment.Status.SUBMITTED
    locked.submitted_at = timezone.now()
    locked.save(update_fields=["status", "submitted_at"])
    take_snapshot(locked)
    AssessmentEvent.objects.create(
        assessment=locked, kind=AssessmentEvent.Kind.SUBMITTED, by=user, at=locked.submitted_at
    )
    tasks.prepare(locked)
    tasks.refresh_statistics_soon(locked.edition)
    assessment.status, assessment.submitted_at = locked.status, locked.submitted_at


@transaction.atomic
def reopen_assessment(*, assessment: Assessment, user: User, reason: str) -> None:
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not locked.is_submitted:
        return  # already open: a repeated reopen changes nothing
    locked.status = Assessment.Status.IN_PROGRESS
    locked.submitted_at = None
    locked.save(update_fields=["status", "submitted_at"])
    AssessmentEvent.objects.create(
        assessment=locked, kind=AssessmentEvent.Kind.REOPENED, by=user, reason=reason
    )
    tasks.prepare(locked)
    tasks.refresh_statistics_soon(locked.edition)
    assessment.status, assessment.submitted_at = locked.status, None


@transaction.atomic
def set_targets(*, organisation: Organisation, targets: dict[Trend, int], user: User) -> int:
    """Set the organisation's target for each trend given, recording each change.

    Returns how many targets changed: a level the trend already aims for (its own, or the
    default for a trend without one) is no change and leaves no trace.
    """
    # Lock the organisation so two leads' saves run one after the other, and each records the
    # other's level as the old one.
    Organisation.objects.select_for_update().get(pk=organisation.pk)
    current = {
        t.trend_id: t
        for t in TrendTarget.objects.filter(organisation=organisation, trend__in=list(targets))
    }
    now = timezone.now()
    changes = []
    for trend, level in targets.items():
        target = current.get(trend.pk)
        old = target.level if target is not None else trend.default_target
        if level == old:
            continue
        target = target or TrendTarget(organisation=organisation, trend=trend)
        target.level, target.set_by, target.set_at = level, user, now
        target.save()
        changes.append(
            TargetChange(
                organisation=organisation,
                trend=trend,
                old_level=old,
                new_level=level,
                changed_by=user,
                changed_at=now,
            )
        )
    TargetChange.objects.bulk_create(changes)
    if changes:
        submitted = list(
            organisation.assessments.filter(status=Assessment.Status.SUBMITTED).select_related(
                "edition"
            )
        )
        tasks.prepare_all(submitted)
        for assessment in submitted:  # their plans, and so the sector's commonest Now actions
            tasks.refresh_statistics_soon(assessment.edition)
    return len(changes)


@dataclass(frozen=True)
class TrackingInput:
    """The lead's tracking of one action, as submitted; an untracked action is `UNTRACKED`."""

    owner: str
    due_date: date | None
    status: str
    reason: str

    @classmethod
    def of(cls, tracking: ActionTracking | None) -> TrackingInput:
        if tracking is None:
            return UNTRACKED
        return cls(tracking.owner, tracking.due_date, tracking.status, tracking.reason)


UNTRACKED = TrackingInput("", None, ActionTracking.Status.NOT_STARTED, "")


@transaction.atomic
def update_tracking(
    *, assessment: Assessment, question: Question, tracking: TrackingInput, user: User
) -> bool:
    """Save the lead's tracking of one action and record the change; False if nothing changed.

    Tracking continues after submission: it is the plan's progress, not the answers.
    """
    # Lock the assessment so two saves of one action run one after the other: the second
    # records the first's values as its old ones, and an action is never tracked twice.
    Assessment.objects.select_for_update().get(pk=assessment.pk)
    row = ActionTracking.objects.filter(assessment=assessment, question=question).first()
    old = TrackingInput.of(row)
    if tracking == old:
        return False
    now = timezone.now()
    row = row or ActionTracking(assessment=assessment, question=question)
    row.owner, row.due_date, row.status, row.reason = (
        tracking.owner,
        tracking.due_date,
        tracking.status,
        tracking.reason,
    )
    row.updated_by, row.updated_at = user, now
    row.save()
    ActionChange.objects.create(
        tracking=row,
        changed_by=user,
        changed_at=now,
        old_owner=old.owner,
        new_owner=tracking.owner,
        old_due_date=old.due_date,
        new_due_date=tracking.due_date,
        old_status=old.status,
        new_status=tracking.status,
        old_reason=old.reason,
        new_reason=tracking.reason,
    )
    tasks.prepare(assessment)
    return True
