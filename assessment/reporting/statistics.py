"""Each edition's statistics across organisations, worked out once and stored.

Every submitted assessment of an edition, scored with pandas (`datasets.score_frame`, which
the tests hold to the engine), with the actions its own plan puts first (Now, ranked by the
engine itself against its organisation's targets) and its organisation's peer-group
attributes. The sector overview, the sector data, the open data and the nightly peer scores
start from here, so that no page scores every answer of an edition: at 4,000 organisations
that is 280,000 answers and 4,000 plans, seconds of work.

They are refreshed in the background (`assessment.tasks.refresh_statistics`) moments after a
submission, a reopening or a change of targets, and each night. The stamp records what they
were worked out from: the number of submitted assessments, the latest submission, the latest
change of targets and the balance margin the plans were ranked with. When the stamp now
differs, the stored figures are *behind*: the overview shows them with a note, while a
download, which must be exact, waits for them to be worked out again.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pandas as pd
from django.conf import settings
from django.db.models import Count, Max, Q
from django.utils import timezone

from assessment.models import (
    Assessment,
    EditionStatistics,
    PeerGroup,
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

    def scores(self) -> pd.DataFrame:
        """The scores alone, with the organisation: `datasets.score_frame`'s columns."""
        return self.frame.drop(columns=[*GROUP_ATTRIBUTES, NOW])


def current(edition: Edition, *, wait: bool) -> Statistics:
    """The edition's statistics as stored (two queries). Worked out now if they never have
    been, or, with `wait`, if they are behind; otherwise they may be behind, and say so."""
    live = stamp(edition)
    stored = EditionStatistics.objects.filter(edition=edition).first()
    if stored is None or (wait and stored.stamp != live):
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


def refresh(edition: Edition, live: str | None = None) -> None:
    """Work the edition's statistics out afresh and store them, as at now. The stamp is read
    first: a submission made meanwhile leaves them behind, to be refreshed again."""
    live = live if live is not None else stamp(edition)
    columns = _columns(compute(edition))
    EditionStatistics.objects.update_or_create(
        edition=edition, defaults={"as_at": timezone.now(), "stamp": live, "columns": columns}
    )


def stamp(edition: Edition) -> str:
    """What the statistics are worked out from, in a few characters (one query)."""
    figures = Assessment.objects.filter(edition=edition).aggregate(
        submitted=Count("pk", filter=Q(status=Assessment.Status.SUBMITTED)),
        latest=Max("submitted_at"),
    )
    targets = TrendTarget.objects.aggregate(latest=Max("set_at"))["latest"]
    parts = (figures["submitted"], figures["latest"], targets, settings.BALANCE_MARGIN)
    return "|".join(
        "" if p is None else p.isoformat() if isinstance(p, datetime) else str(p) for p in parts
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
    if not columns:
        columns = {ASSESSMENT: [], "organisation": [], NOW: []}
        columns |= {attribute: [] for attribute in GROUP_ATTRIBUTES}
    frame = pd.DataFrame(columns).set_index(ASSESSMENT)
    scores = [c for c in frame.columns if c not in {"organisation", NOW, *GROUP_ATTRIBUTES}]
    frame[scores] = frame[scores].astype(float)  # null as NaN, also in a column of nulls
    return frame
