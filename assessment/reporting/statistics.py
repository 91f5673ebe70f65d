"""Each edition's statistics across organisations, worked out once and stored.

Every submitted assessment of an edition, scored with pandas (`datasets.score_frame`, which
the tests hold to the engine), with the actions its own plan puts first (Now, ranked by the
engine itself against its organisation's targets) and its organisation's peer-group
attributes. The sector overview, the sector data, the open data and the nightly peer scores
start from here, so that no page scores every answer of an edition: at 4,000 organisations
that is 280,000 answers and 4,000 plans, seconds of work.

They are refreshed in the background (`assessment.tasks.refresh_statistics`) moments after a
submission, a reopening or a change of targets, and each night. The stamp (`stamp`) records
what they were worked out from; what it cannot see (a trend's family or default target, the
dependencies between trends, an organisation's type, region or population band) marks every
edition's statistics behind as it is saved (`mark_behind`, from `assessment.apps`). When the
stamp differs, the stored figures are *behind*: the overview and the open data show them as
at their date, while the sector CSV, which must be exact, waits for them to be worked out
again.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pandas as pd
from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max, OuterRef, Subquery
from django.utils import timezone

from assessment.models import (
    Assessment,
    AssessmentEvent,
    EditionStatistics,
    PeerGroup,
    TargetChange,
    TrendTarget,
)
from assessment.reporting.datasets import organisations, score_frame, submitted_answers
from assessment.reporting.scores import engine_answer, questionnaire_for, score
from assessment.scoring import Answer, Horizon, Questionnaire
from trends.models import Edition

# The organisation's attributes a peer group can share.
GROUP_ATTRIBUTES = [g for g in PeerGroup.values if g != PeerGroup.ALL]
NOW = "now"  # each assessment's Now actions: their question keys, in the plan's order
ASSESSMENT = "assessment"


@dataclass(frozen=True)
class Statistics:
    # One row per submitted assessment, indexed by its id: "organisation", the peer-group
    # attributes, each trend's score (NaN: not scored), the indexes, "overall", and NOW.
    frame: pd.DataFrame
    as_at: datetime
    behind: bool  # something they are worked out from has changed since


def current(edition: Edition, *, wait: bool) -> Statistics:
    """The edition's statistics as stored (two queries). Worked out now if they never have
    been, or, with `wait`, if they are behind; otherwise they may be behind, and say so."""
    live = stamp(edition)
    stored = EditionStatistics.objects.filter(edition=edition).first()
    if stored is None or (wait and stored.stamp != live):
        with transaction.atomic():
            # One at a time: a second download arriving meanwhile waits, then finds them
            # worked out, rather than doing the same work beside the first.
            locked = EditionStatistics.objects.select_for_update().filter(edition=edition)
            stored = locked.first()
            live = stamp(edition)
            if stored is None or stored.stamp != live:
                refresh(edition, live)
                stored = EditionStatistics.objects.get(edition=edition)
    return Statistics(_frame(stored.columns), stored.as_at, behind=stored.stamp != live)


def refresh_if_behind(edition: Edition) -> bool:
    """Work the statistics out again if what they depend on has changed; whether they did."""
    live = stamp(edition)
    if EditionStatistics.objects.filter(edition=edition, stamp=live).exists():
        return False
    refresh(edition, live)
    return True


def refresh(edition: Edition, live: str | None = None) -> pd.DataFrame:
    """Work the edition's statistics out afresh and store them, as at now; the frame stored.
    The stamp is read first: a change committed meanwhile leaves them behind, to be refreshed
    again."""
    live = live if live is not None else stamp(edition)
    frame = compute(edition)
    EditionStatistics.objects.update_or_create(
        edition=edition,
        defaults={"as_at": timezone.now(), "stamp": live, "columns": _columns(frame)},
    )
    return frame


def mark_behind() -> list[Edition]:
    """Say every edition's statistics are behind, after a change the stamp does not see (a
    trend's family or default target, the dependencies between trends, an organisation's
    peer-group attributes); the editions, for their refresh to be asked for."""
    EditionStatistics.objects.update(stamp="")
    return list(Edition.objects.filter(statistics__isnull=False))


def stamp(edition: Edition) -> str:
    """What the edition's statistics are worked out from, in a few characters (one query):
    the submitted assessments (how many, the latest submission) and every submission and
    reopening recorded, which only ever grows, so that two commits in either order never
    leave the same stamp; the changes to the targets of the organisations that submitted;
    and the balance margin the plans were ranked with."""
    submitted = Assessment.objects.filter(
        edition=OuterRef("pk"), status=Assessment.Status.SUBMITTED
    ).values("edition")
    events = AssessmentEvent.objects.filter(
        assessment__edition=OuterRef("pk"),
        kind__in=[AssessmentEvent.Kind.SUBMITTED, AssessmentEvent.Kind.REOPENED],
    ).values("assessment__edition")
    of_submitters = {
        "organisation__assessments__edition": OuterRef("pk"),
        "organisation__assessments__status": Assessment.Status.SUBMITTED,
    }
    changes = TargetChange.objects.filter(**of_submitters).values(
        "organisation__assessments__edition"
    )
    targets = TrendTarget.objects.filter(**of_submitters).values(
        "organisation__assessments__edition"
    )
    parts = (
        Edition.objects.filter(pk=edition.pk)
        .annotate(
            submitted=Subquery(submitted.annotate(n=Count("pk")).values("n")),
            latest=Subquery(submitted.annotate(at=Max("submitted_at")).values("at")),
            events=Subquery(events.annotate(n=Count("pk")).values("n")),
            changes=Subquery(changes.annotate(n=Count("pk")).values("n")),
            targets=Subquery(targets.annotate(at=Max("set_at")).values("at")),
        )
        .values_list("submitted", "latest", "events", "changes", "targets")
        .get()
    )
    return "|".join(
        "" if p is None else p.isoformat() if isinstance(p, datetime) else str(p)
        for p in (*parts, settings.BALANCE_MARGIN)
    )


def compute(edition: Edition) -> pd.DataFrame:
    """Every submitted assessment of the edition, scored, with its Now actions and its
    organisation's peer-group attributes (six queries)."""
    answers = submitted_answers(edition)
    questionnaire = questionnaire_for(edition)
    scores = score_frame(answers, {t.slug: t.family for t in questionnaire.trends})
    attributes = organisations()[GROUP_ATTRIBUTES].reindex(scores["organisation"].to_numpy())
    frame = scores.join(attributes.set_index(scores.index))
    now = _now_actions(answers, questionnaire)
    frame[NOW] = [now.get(assessment, []) for assessment in frame.index]
    return frame.sort_index()


def _now_actions(answers: pd.DataFrame, questionnaire: Questionnaire) -> dict[int, list[str]]:
    """Each assessment's Now actions, as its own plan ranks them: the engine's plan, with its
    organisation's targets and the service's balance margin (one query, for the targets)."""
    targets: dict[int, dict[str, int]] = defaultdict(dict)
    for org, slug, level in TrendTarget.objects.values_list(
        "organisation_id", "trend__slug", "level"
    ):
        targets[org][slug] = level
    # Plain lists, not a pandas group per assessment; and one (immutable) engine answer per
    # question and response, shared by every assessment that gave it.
    plans: dict[int, tuple[int, list[Answer]]] = {}
    shared: dict[tuple[str, str], Answer] = {}
    columns = (answers[c].tolist() for c in (ASSESSMENT, "organisation", "key", "response"))
    for assessment, org, key, response in zip(*columns, strict=True):
        if (key, response) not in shared:
            shared[key, response] = engine_answer(key, response)
        plans.setdefault(assessment, (org, []))[1].append(shared[key, response])
    return {
        assessment: [
            a.question.key
            for a in score(questionnaire, engine_answers, targets.get(org, {})).horizon(Horizon.NOW)
        ]
        for assessment, (org, engine_answers) in plans.items()
    }


def _columns(frame: pd.DataFrame) -> dict[str, list[Any]]:
    """The frame as JSON stores it: a list per column, NaN as null."""
    table = frame.reset_index()
    return {
        str(name): [None if value != value else value for value in table[name].tolist()]
        for name in table.columns
    }


def _frame(columns: dict[str, list[Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(columns).set_index(ASSESSMENT)
    scores = [c for c in frame.columns if c not in {"organisation", NOW, *GROUP_ATTRIBUTES}]
    frame[scores] = frame[scores].astype(float)  # null as NaN, also in a column of nulls
    return frame
