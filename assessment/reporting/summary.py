"""The executive summary: what the report finds, in a few sentences, and what the board decides.

Every sentence is made from the data and says something; one with nothing to say is left out,
never padded. The report page, both PDFs and the Word board paper show the same summary.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.utils.translation import ngettext

from assessment.models import ActionTracking
from assessment.reporting.numbers import whole
from assessment.reporting.peers import PeerComparison
from assessment.reporting.progress import Progress
from assessment.scoring import FAMILIES, Action, Horizon, Result, TrendScore

TRENDS_NAMED = 2  # strongest and weakest trends a key message names
MOVERS_NAMED = 2  # biggest changes since last time
NO_OWNER = "No owner yet"

Plan = list[tuple[Horizon, list[tuple[Action, ActionTracking | None]]]]


@dataclass(frozen=True)
class KeyMessage:
    title: str  # "Balance", "Strongest and weakest", …
    text: str


@dataclass(frozen=True)
class OwnerLoad:
    """How many of the plan's actions one owner holds."""

    owner: str  # a name, or NO_OWNER
    actions: int
    now: int


@dataclass(frozen=True)
class BoardSummary:
    messages: tuple[KeyMessage, ...]
    now: tuple[tuple[Action, ActionTracking | None], ...]  # the top Now actions
    targets: tuple[TrendScore, ...]  # every trend, with the target the board is asked to agree
    owners: tuple[OwnerLoad, ...]  # busiest first; the unowned last
    actions: int  # in the whole plan
    now_total: int  # in the Now horizon

    @property
    def now_unowned(self) -> int:
        """Top Now actions without an owner or a due date yet."""
        return sum(1 for _, t in self.now if t is None or not (t.owner and t.due_date))


def board_summary(
    result: Result, peers: PeerComparison, progress: Progress, plan: Plan
) -> BoardSummary:
    messages = [
        m
        for m in (
            _balance(result),
            _strongest_and_weakest(result),
            _movers(progress),
            _peer_position(peers),
            _evidence(result),
        )
        if m is not None
    ]
    rows = [row for _, rows in plan for row in rows]
    now = [row for horizon, rows in plan if horizon == Horizon.NOW for row in rows]
    return BoardSummary(
        messages=tuple(messages),
        now=tuple(now),  # the whole Now horizon (scoring.NOW_SIZE)
        targets=tuple(t for t in result.trends),
        owners=_owners(rows),
        actions=len(rows),
        now_total=len(now),
    )


def _balance(result: Result) -> KeyMessage | None:
    balance = result.balance
    return KeyMessage("Digital against technology", balance.message) if balance.is_known else None


def _strongest_and_weakest(result: Result) -> KeyMessage | None:
    scored = sorted(
        (t for t in result.trends if t.score is not None),
        key=lambda t: (-(t.score or 0.0), t.trend.number),
    )
    if len(scored) < 2:
        return None
    named = min(TRENDS_NAMED, len(scored) // 2)
    # Ties in the report's order of trends, on both lists.
    weakest = sorted(scored, key=lambda t: (t.score or 0.0, t.trend.number))[:named]
    strongest = scored[:named]
    return KeyMessage(
        "Strongest and weakest",
        f"Strongest: {_trends(strongest)}. Weakest: {_trends(weakest)}.",
    )


def _trends(trends: list[TrendScore]) -> str:
    return " and ".join(f"{t.trend.title} ({whole(t.score)}, {t.label})" for t in trends)


def _movers(progress: Progress) -> KeyMessage | None:
    moved = sorted(
        (c for c in progress.changes if c.comparable and whole(c.now) != whole(c.before)),
        key=lambda c: -abs(c.delta or 0.0),
    )[:MOVERS_NAMED]
    if progress.previous is None or not moved:
        return None
    changes = "; ".join(f"{c.title}: {c.change_text.lower()}" for c in moved)
    return KeyMessage(
        "Since last time",
        f"The biggest changes since {progress.previous.edition.title}, on the questions asked "
        f"both years: {changes}.",
    )


def _peer_position(peers: PeerComparison) -> KeyMessage | None:
    shown = [f for f in peers.figures if f.shown and f.score is not None]
    if not peers.enough or not shown:
        return None
    indexes = [f for f in shown if f.key in FAMILIES]
    trends = [f for f in shown if f not in indexes]
    above = sum(f.position.startswith("Above") for f in trends)
    below = sum(f.position.startswith("Below") for f in trends)
    parts = [f"{f.title}: {f.position.lower()}" for f in indexes]
    parts.append(
        ngettext(
            "above the middle half in %(above)d trend and below it in %(below)d",
            "above the middle half in %(above)d trends and below it in %(below)d",
            above,
        )
        % {"above": above, "below": below}
    )
    return KeyMessage(
        "Against your peers",
        f"Against {peers.peers} {peers.description} that have submitted: {'; '.join(parts)}.",
    )


def _evidence(result: Result) -> KeyMessage | None:
    answered = sum(t.answered for t in result.trends)
    if not answered:
        return None
    gaps = sum(len(t.evidence_gaps) for t in result.trends)
    with_evidence = sum(t.with_evidence for t in result.trends)
    text = ngettext(
        "%(with)d of %(answered)d answers give evidence",
        "%(with)d of %(answered)d answers give evidence",
        answered,
    ) % {"with": with_evidence, "answered": answered}
    if gaps:
        text += ngettext(
            "; %(gaps)d is “Don't know”, a fact to establish before acting on it",
            "; %(gaps)d are “Don't know”, facts to establish before acting on them",
            gaps,
        ) % {"gaps": gaps}
    return KeyMessage("Evidence", f"{text}.")


def _owners(rows: list[tuple[Action, ActionTracking | None]]) -> tuple[OwnerLoad, ...]:
    actions: Counter[str] = Counter()
    now: Counter[str] = Counter()
    for action, tracking in rows:
        owner = (tracking.owner if tracking else "") or NO_OWNER
        actions[owner] += 1
        now[owner] += action.horizon == Horizon.NOW
    ordered = sorted(actions, key=lambda o: (o == NO_OWNER, -actions[o], o))
    return tuple(OwnerLoad(o, actions[o], now[o]) for o in ordered)
