"""The report's documents, made in the background and served from storage.

A board summary (PDF), the full report (PDF) and a board paper to edit (Word). A render takes
seconds, far beyond a click's budget, so no request ever renders: whatever changes what the
report shows asks for the documents again (`prepare`), a worker (`manage.py db_worker`) makes
them with Django's tasks framework, and each is stored with the fingerprint of the report it
was made from. A download is served from storage only while that fingerprint is current; a
stale or missing document is never served, and the reader waits on a "preparing" page.

A burst of changes renders once: each request carries the fingerprint it was made for, and a
queued render whose fingerprint is no longer current is skipped, since the change that made
it stale queued another.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import time as clock

from django.conf import settings
from django.tasks import TaskResultStatus, task
from django.utils import timezone

from assessment.models import Assessment, ReportDocument
from assessment.reporting import board_paper, pdf
from assessment.reporting.peers import refresh_peer_scores
from assessment.reporting.report import report_context, report_fingerprint
from trends.models import Edition

logger = logging.getLogger(__name__)
Kind = ReportDocument.Kind

# Made in this order: the short documents first, so the board summary is ready soonest.
ORDER = (Kind.BOARD_SUMMARY, Kind.BOARD_PAPER, Kind.FULL_REPORT)
CONTENT_TYPES = {
    Kind.BOARD_SUMMARY: "application/pdf",
    Kind.FULL_REPORT: "application/pdf",
    Kind.BOARD_PAPER: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
NAMES = {
    Kind.BOARD_SUMMARY: "board summary",
    Kind.FULL_REPORT: "full report",
    Kind.BOARD_PAPER: "board paper",
}
EXTENSIONS = {Kind.BOARD_SUMMARY: "pdf", Kind.FULL_REPORT: "pdf", Kind.BOARD_PAPER: "docx"}
# When peer figures are refreshed, local time: a quiet hour, before the working day.
NIGHTLY_AT = clock(2, 0)
# The priority of the nightly re-renders after peer scores refresh: behind anyone's own change.
NIGHTLY_PRIORITY = -10


@dataclass(frozen=True)
class Stored:
    """A document ready to serve."""

    content: bytes
    rendered_at: datetime


@dataclass(frozen=True)
class Waiting:
    """A document still being made: since when it has been asked for, and whether that is
    longer than a render should take (the worker may be down)."""

    requested_at: datetime

    @property
    def overdue(self) -> bool:
        patience = timedelta(seconds=settings.REPORT_RENDER_PATIENCE_SECONDS)
        return timezone.now() - self.requested_at > patience


def fetch(assessment: Assessment, kind: Kind) -> Stored | Waiting:
    """The document if it is current; else ask for it (unless already asked) and say since
    when it has been waited for. Never renders here."""
    fingerprint = report_fingerprint(assessment)
    row = (
        ReportDocument.objects.filter(assessment=assessment, kind=kind, fingerprint=fingerprint)
        .only("content", "rendered_at")
        .first()
    )
    if row is not None and row.rendered_at is not None:
        return Stored(bytes(row.content), row.rendered_at)
    return Waiting(prepare(assessment, fingerprint))


def waiting_for(assessment: Assessment, kind: Kind) -> Waiting | None:
    """None if the document is current; else as `fetch`, without reading the document."""
    fingerprint = report_fingerprint(assessment)
    made = ReportDocument.objects.filter(
        assessment=assessment, kind=kind, fingerprint=fingerprint, rendered_at__isnull=False
    )
    return None if made.exists() else Waiting(prepare(assessment, fingerprint))


def prepare(assessment: Assessment, fingerprint: str | None = None, priority: int = 0) -> datetime:
    """Ask for the assessment's documents as the report is now, and return since when they
    have been asked for. Nothing is queued when they are made already, or were queued within
    the render patience; a request that has waited longer is queued again (the worker may
    have lost it), still dated from when it was first made."""
    fingerprint = fingerprint or report_fingerprint(assessment)
    now = timezone.now()
    patience = now - timedelta(seconds=settings.REPORT_RENDER_PATIENCE_SECONDS)
    rows = list(ReportDocument.objects.filter(assessment=assessment))
    complete = len(rows) == len(ORDER)
    if complete and all(d.fingerprint == fingerprint for d in rows):
        return min(d.requested_at or now for d in rows)
    asked = complete and all(d.requested == fingerprint for d in rows)
    since = min(d.requested_at or now for d in rows) if asked else now
    if asked and all(d.queued_at and d.queued_at > patience for d in rows):
        return since
    for kind in ORDER:
        ReportDocument.objects.update_or_create(
            assessment=assessment,
            kind=kind,
            defaults={"requested": fingerprint, "requested_at": since, "queued_at": now},
        )
    # Queued in the same transaction as the change that asked: the queue is a table of the
    # same database, so the request commits, or rolls back, with the change.
    render_documents.using(priority=priority).enqueue(assessment.pk, fingerprint)
    return since


def prepare_all(assessments: list[Assessment]) -> None:
    for assessment in assessments:
        prepare(assessment)


@task()
def render_documents(assessment_id: int, fingerprint: str) -> str:
    """Make the assessment's documents as its report stood when they were asked for, unless
    it has changed since (a later request will make them) or they are made already."""
    assessment = (
        Assessment.objects.select_related("organisation", "edition")
        .filter(pk=assessment_id)
        .first()
    )
    if assessment is None:
        return "gone"
    if report_fingerprint(assessment) != fingerprint:
        return "superseded"
    rows = {d.kind: d for d in ReportDocument.objects.filter(assessment=assessment)}
    due = [k for k in ORDER if k not in rows or rows[k].fingerprint != fingerprint]
    if not due:
        return "current"
    version = max((d.version for d in rows.values()), default=0) + 1
    context = report_context(assessment) | {"version": version}
    for kind in due:
        started = time.perf_counter()
        content, pages = _render(kind, context)
        ReportDocument.objects.update_or_create(
            assessment=assessment,
            kind=kind,
            defaults={
                "fingerprint": fingerprint,
                "content": content,
                "pages": pages,
                "version": version,
                "rendered_at": timezone.now(),
                "render_seconds": time.perf_counter() - started,
            },
        )
    logger.info("Made %s for assessment %s, version %s.", ", ".join(due), assessment_id, version)
    return "rendered"


def _render(kind: Kind, context: dict) -> tuple[bytes, int | None]:
    if kind == Kind.BOARD_PAPER:
        return board_paper.render_docx(context), None
    template = pdf.BOARD_SUMMARY if kind == Kind.BOARD_SUMMARY else pdf.FULL_PACK
    return pdf.render_pdf_with_pages(context, template)


@task()
def refresh_peer_figures() -> int:
    """The nightly job: refresh each edition's peer scores, then ask for the documents of
    every submitted assessment they change, behind anyone's own changes. Returns how many."""
    assessments = []
    for edition in Edition.objects.filter(
        assessments__status=Assessment.Status.SUBMITTED
    ).distinct():
        refresh_peer_scores(edition)
        assessments += list(
            Assessment.objects.filter(
                edition=edition, status=Assessment.Status.SUBMITTED
            ).select_related("organisation", "edition")
        )
    for assessment in assessments:
        prepare(assessment, priority=NIGHTLY_PRIORITY)
    schedule_nightly_refresh()
    return len(assessments)


def schedule_nightly_refresh() -> None:
    """Queue the next nightly refresh of peer figures, unless one is queued already: the
    worker does so as it starts, and each refresh queues the next."""
    from django_tasks_db.models import DBTaskResult

    queued = DBTaskResult.objects.filter(
        task_path=refresh_peer_figures.module_path, status=TaskResultStatus.READY
    )
    if not queued.exists():
        refresh_peer_figures.using(run_after=next_night()).enqueue()


def next_night(now: datetime | None = None) -> datetime:
    """The next NIGHTLY_AT, local time, after `now`."""
    now = timezone.localtime(now)
    tonight = now.replace(hour=NIGHTLY_AT.hour, minute=NIGHTLY_AT.minute, second=0, microsecond=0)
    return tonight if tonight > now else tonight + timedelta(days=1)
