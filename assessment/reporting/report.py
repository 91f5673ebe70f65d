"""The maturity report's contents, for the page and the PDF, and the fingerprint of them.

The fingerprint says when anything the report shows has changed, so a stored document or a
cached page made from another fingerprint is stale.

`report_context` gathers everything in a fixed number of queries, whatever the number of
questions and actions. The PDF itself is made in `pdf`.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Field, Max, Model, OuterRef, Subquery

from assessment.models import (
    ActionTracking,
    Answer,
    Assessment,
    Membership,
    PeerScores,
    Snapshot,
    TrendTarget,
    display_name,
)
from assessment.reporting.charts.bars import bars_for
from assessment.reporting.charts.radar import radar_for
from assessment.reporting.charts.strips import strip
from assessment.reporting.peers import compare_with_peers, refresh_peer_scores
from assessment.reporting.progress import progress
from assessment.reporting.scores import SCORED_LEVELS, plan_with_tracking, result_for
from assessment.reporting.summary import board_summary
from assessment.scoring import Action, QuestionSpec, Result, TrendScore
from trends.maturity import RESPONSE_LABELS
from trends.models import Trend, TrendDependency

ITEMS_SHOWN = 2  # strongest and weakest items in each trend
ANSWER = ("response", "not_applicable_reason", "evidence", "assessment_id")


@dataclass(frozen=True)
class Item:
    """One question with its answer, as the report shows it."""

    question: QuestionSpec
    answer: Answer | None

    @property
    def scored_level(self) -> int | None:
        """The level scores count it as (None: not counted, or not answered)."""
        return SCORED_LEVELS.get(self.answer.response) if self.answer else None

    @property
    def label(self) -> str:
        if self.answer is None or not self.answer.response:
            return "Not answered"
        return RESPONSE_LABELS[self.answer.response]


@dataclass(frozen=True)
class TrendSection:
    score: TrendScore
    nutshell: str
    strongest: list[Item]
    weakest: list[Item]
    items: list[Item]
    actions: list[Action]


def report_context(assessment: Assessment) -> dict[str, Any]:
    result = result_for(assessment)
    # Keyed by question key; only the key is needed from each question.
    answers = {
        a.question.key: a
        for a in assessment.answers.select_related("question").only("question__key", *ANSWER)
    }
    sections = [_section(t, result, answers) for t in result.trends]
    questions = sum(t.questions for t in result.trends)
    peers = compare_with_peers(assessment, result, assessment.organisation.peer_group)
    answered = sum(t.answered for t in result.trends)
    horizons = plan_with_tracking(assessment, result)
    progress_made = progress(assessment, result)
    changes = _latest_changes(assessment)
    return {
        "assessment": assessment,
        "organisation": assessment.organisation,
        "result": result,
        "is_draft": not assessment.is_submitted,
        "sections": sections,
        "answered": answered,
        "questions": questions,
        "evidence_gaps": sum(len(t.evidence_gaps) for t in result.trends),
        "with_evidence": sum(t.with_evidence for t in result.trends),
        "horizons": horizons,
        "radar": radar_for(result),
        "bars": bars_for(result),
        "peers": peers,
        "peer_strips": [
            (f, strip(f.title, f.score, f.lower_quartile, f.median, f.upper_quartile))
            for f in peers.figures
        ],
        "progress": progress_made,
        "summary": board_summary(result, peers, progress_made, horizons),
        "peers_as_at": peers.as_at,
        # The latest change to what the report shows: the date of its data.
        "data_as_at": max(
            (d for d in (assessment.submitted_at, *changes) if d is not None),
            default=assessment.created_at,
        ),
        "owner": _owner(assessment),
        "version": None,  # a stored document's version; the page has none
    }


def _latest_changes(assessment: Assessment) -> list[datetime | None]:
    """When the answers, the tracking and the organisation's targets last changed (one query)."""

    def latest(model: type[Model], field: str, **owner: Any) -> Subquery:
        rows = model._default_manager.filter(**owner).order_by().values(*owner)
        return Subquery(rows.annotate(latest=Max(field)).values("latest"))

    return list(
        Assessment.objects.filter(pk=assessment.pk)
        .values_list(
            latest(Answer, "updated_at", assessment=OuterRef("pk")),
            latest(ActionTracking, "updated_at", assessment=OuterRef("pk")),
            latest(TrendTarget, "set_at", organisation=OuterRef("organisation")),
        )
        .get()
    )


def _owner(assessment: Assessment) -> str | None:
    """Who owns the report: the organisation's lead, or its leads (one query)."""
    leads = Membership.objects.filter(
        organisation_id=assessment.organisation_id, role=Membership.Role.LEAD
    ).select_related("user")
    names = [display_name(m.user) for m in leads if m.user.is_active]
    return ", ".join(names) or None


def _section(score: TrendScore, result: Result, answers: dict[str, Answer]) -> TrendSection:
    questions = sorted(
        (q for q in result.questionnaire.questions if q.trend == score.trend.slug),
        key=lambda q: q.order,
    )
    items = [Item(q, answers.get(q.key)) for q in questions]
    # "Don't know" counts as level 0, as in the scores; items never appear on both lists.
    rated = sorted(
        (i for i in items if i.scored_level is not None),
        key=lambda i: (i.scored_level, i.question.order),
    )
    weakest = rated[: min(ITEMS_SHOWN, len(rated) // 2)]
    strongest = [i for i in reversed(rated) if i not in weakest][:ITEMS_SHOWN]
    return TrendSection(
        score=score,
        nutshell=score.trend.nutshell,
        strongest=strongest if weakest else [],
        weakest=weakest,
        items=items,
        actions=[a for a in result.actions if a.trend.slug == score.trend.slug],
    )


def report_fingerprint(assessment: Assessment) -> str:
    """A digest of everything a report shows that can change: a new one means a new report.

    Answers, submission and reopening, snapshots, targets, tracking and the organisation's
    name, marking, peer group and leads; the organisation's other submissions (progress reads
    the previous one); the date the edition's peer scores are as at (refreshed nightly, so a
    peer's submission changes this report the next morning, not at once); and, since a draft
    reads them live, the trends' words, their dependencies and the balance margin. (The
    edition's questions cannot change once an assessment uses it.) Not today's date: a
    document says the date of its data, not the day it was downloaded. One query of
    subqueries, so no join multiplies another; two more for a draft.
    """
    org = assessment.organisation
    context_sql, context_params = _context_sql(assessment)
    params: list[int | str] = [
        *(org.pk if model is TrendTarget else assessment.pk for model, *_ in _FINGERPRINT_PARTS),
        *context_params,
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT "
            + ", ".join([*(_aggregate_sql(*part) for part in _FINGERPRINT_PARTS), *context_sql]),
            params,
        )
        changes = cursor.fetchone()
    if changes[len(_FINGERPRINT_PARTS) + 2] is None:
        # The edition's first report: its peer scores are made now, once, so that the
        # fingerprint does not change under the report being made from it.
        refresh_peer_scores(assessment.edition)
        return report_fingerprint(assessment)
    # Choices as their plain values: an enum member in memory and the same value read back
    # from the database must give one fingerprint.
    parts: list[object] = [
        str(assessment.status),
        assessment.submitted_at,
        changes,
        org.name,
        org.protective_marking,
        str(org.peer_group),
        # Its peers are those sharing its type, region or population band.
        [str(getattr(org, attribute)) for attribute in ("kind", "region", "population_band")],
        documents_version(),
        settings.BALANCE_MARGIN,
        settings.PEER_MINIMUM,
    ]
    if not assessment.is_submitted:
        parts += [
            list(
                Trend.objects.values_list(
                    "slug", "title", "family", "number", "nutshell", "default_target"
                )
            ),
            list(TrendDependency.objects.values_list("foundation_id", "dependent_id", "kind")),
        ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


# (model, aggregate, field): the latest change to, and the number of, each kind of row a
# report reads. Targets belong to the organisation; the rest to the assessment. Plain SQL:
# the ORM took longer to build this query than the database took to run it, and the
# fingerprint is the whole cost of a cached report page.
_FINGERPRINT_PARTS = [
    (Answer, "MAX", "updated_at"),
    (Answer, "COUNT", "id"),
    (Snapshot, "MAX", "id"),
    (ActionTracking, "MAX", "updated_at"),
    (ActionTracking, "COUNT", "id"),
    (TrendTarget, "MAX", "set_at"),
    (TrendTarget, "COUNT", "id"),
]


def _aggregate_sql(model: type[Model], aggregate: str, field: str) -> str:
    qn = connection.ops.quote_name
    owner = "organisation" if model is TrendTarget else "assessment"
    return (
        f"(SELECT {aggregate}({qn(_column(model, field))}) "
        f"FROM {qn(model._meta.db_table)} WHERE {qn(_column(model, owner))} = %s)"
    )


def _column(model: type[Model], name: str) -> str:
    field = model._meta.get_field(name)
    if not isinstance(field, Field) or field.column is None:
        raise TypeError(f"{model.__name__}.{name} is not a column of its table.")
    return field.column


@functools.cache
def documents_version() -> str:
    """A digest of what draws the report: its templates, stylesheet and reporting code. A
    release that changes how the report looks makes every stored document out of date."""
    root = Path(settings.BASE_DIR)
    sources = sorted(
        [
            *(root / "templates" / "reports").glob("*.html"),
            *(root / "templates" / "assessment").glob("_action_plan_horizons.html"),
            root / "static" / "css" / "report-pdf.css",
            *(root / "assessment" / "reporting").rglob("*.py"),
        ]
    )
    digest = hashlib.sha256()
    for source in sources:
        digest.update(source.read_bytes())
    return digest.hexdigest()


def _context_sql(assessment: Assessment) -> tuple[list[str], list[int | str]]:
    """Subqueries and their parameters: when the edition's peer scores are as at (third, so
    the caller finds it); the organisation's submitted assessments (how many, and the latest
    submission), since progress compares with the previous one; and the names of its active
    leads, in order, whom the documents name as the owner."""
    qn = connection.ops.quote_name
    table = qn(Assessment._meta.db_table)
    org, status, submitted_at = (
        qn(_column(Assessment, f)) for f in ("organisation", "status", "submitted_at")
    )
    peers = qn(PeerScores._meta.db_table)
    as_at, edition = (qn(_column(PeerScores, f)) for f in ("as_at", "edition"))
    members, users = qn(Membership._meta.db_table), qn(get_user_model()._meta.db_table)
    member_org, role, member_user = (
        qn(_column(Membership, f)) for f in ("organisation", "role", "user")
    )
    name = " || ' ' || ".join(f"u.{qn(f)}" for f in ("first_name", "last_name", "username"))
    leads = (
        f"FROM {members} m JOIN {users} u ON u.{qn('id')} = m.{member_user} "
        f"WHERE m.{member_org} = %s AND m.{role} = %s AND u.{qn('is_active')}"
    )
    # Every lead's name, in order, in one value: each database spells it its own way.
    if connection.vendor == "postgresql":
        owners = f"(SELECT STRING_AGG({name}, ', ' ORDER BY {name}) {leads})"
    else:  # SQLite keeps the order of the rows it concatenates
        owners = f"(SELECT GROUP_CONCAT(n, ', ') FROM (SELECT {name} AS n {leads} ORDER BY n))"
    return (
        [
            f"(SELECT COUNT(*) FROM {table} WHERE {org} = %s AND {status} = %s)",
            f"(SELECT MAX({submitted_at}) FROM {table} WHERE {org} = %s)",
            f"(SELECT {as_at} FROM {peers} WHERE {edition} = %s)",
            owners,
        ],
        [
            assessment.organisation_id,
            Assessment.Status.SUBMITTED.value,
            assessment.organisation_id,
            assessment.edition_id,
            assessment.organisation_id,
            Membership.Role.LEAD.value,
        ],
    )
