"""The report's documents: made ahead, stored with the fingerprint they show, served only while
it is current.

A board summary (PDF), the full report (PDF) and a board paper to edit (Word). A render takes
seconds, far beyond a click's budget, so no request ever renders: whatever changes what the
report shows asks for the documents again (`request`, through `assessment.tasks.prepare`), the
worker makes them (`render`), and each is stored with the fingerprint of the report it was
made from. A download is served from storage only while that fingerprint is current
(`current`); a stale or missing document is never served, and the reader waits on a
"preparing" page.

A burst of changes renders once: each request carries the fingerprint it was made for, and a
render whose fingerprint is no longer current is skipped, since the change that made it stale
asked again. A render stores its documents only while the report is still as it was, with the
assessment locked, so two workers never put an older document over a newer one.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
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


@dataclass(frozen=True)
class Stored:
    """A document ready to serve."""

    content: bytes
    rendered_at: datetime


@dataclass(frozen=True)
class Waiting:
    """A document still being made: since when it has been asked for; whether making it
    failed; and whether it is taking longer than a render should (the worker may be down)."""

    requested_at: datetime
    failed: bool = False

    @property
    def overdue(self) -> bool:
        patience = timedelta(seconds=settings.REPORT_RENDER_PATIENCE_SECONDS)
        return timezone.now() - self.requested_at > patience


@dataclass(frozen=True)
class Request:
    """What asking for an assessment's documents found: since when they have been waited for,
    whether a render must be queued now, and whether the last render of them failed."""

    fingerprint: str
    since: datetime
    queue: bool
    failed: bool = False


def current(assessment: Assessment, kind: Kind, *, content: bool = True) -> Stored | None:
    """The document as the report is now, or None. Without `content`, only whether it is
    there (a check that reads no file)."""
    made = ReportDocument.objects.filter(
        assessment=assessment,
        kind=kind,
        fingerprint=report_fingerprint(assessment),
        rendered_at__isnull=False,
    )
    if not content:
        return Stored(b"", timezone.now()) if made.exists() else None
    row = made.only("content", "rendered_at").first()
    if row is None or row.rendered_at is None:
        return None
    return Stored(bytes(row.content), row.rendered_at)


def request(assessment: Assessment) -> Request:
    """Record that the assessment's documents are wanted as the report is now. A render needs
    queuing unless they are made already, or one was queued within the render patience; one
    that has waited longer is queued again (the worker may have lost it), still dated from
    when it was first asked for."""
    fingerprint = report_fingerprint(assessment)
    now = timezone.now()
    patience = now - timedelta(seconds=settings.REPORT_RENDER_PATIENCE_SECONDS)
    rows = list(ReportDocument.objects.filter(assessment=assessment))
    complete = len(rows) == len(ORDER)
    failed = any(d.failed == fingerprint for d in rows)
    if complete and all(d.fingerprint == fingerprint for d in rows):
        return Request(fingerprint, min(d.requested_at or now for d in rows), queue=False)
    asked = complete and all(d.requested == fingerprint for d in rows)
    since = min(d.requested_at or now for d in rows) if asked else now
    if asked and all(d.queued_at and d.queued_at > patience for d in rows):
        return Request(fingerprint, since, queue=False, failed=failed)
    for kind in ORDER:
        ReportDocument.objects.update_or_create(
            assessment=assessment,
            kind=kind,
            defaults={"requested": fingerprint, "requested_at": since, "queued_at": now},
        )
    return Request(fingerprint, since, queue=True, failed=failed)


def render(assessment_id: int, fingerprint: str) -> str:
    """Make the assessment's documents as its report stood when they were asked for, unless
    it has changed since (a later request will make them) or they are made already. All
    three are made together, so they carry one version. A document that fails is logged and
    marked, the others are still stored, and the failure is raised for the task's record."""
    assessment = (
        Assessment.objects.select_related("organisation", "edition")
        .filter(pk=assessment_id)
        .first()
    )
    if assessment is None:
        return "gone"
    if report_fingerprint(assessment) != fingerprint:
        return "superseded"
    rows = list(ReportDocument.objects.filter(assessment=assessment))
    if len(rows) == len(ORDER) and all(d.fingerprint == fingerprint for d in rows):
        return "current"
    version = max((d.version for d in rows), default=0) + 1
    context = report_context(assessment) | {"version": version}
    made, failed = {}, []
    for kind in ORDER:
        started = time.perf_counter()
        try:
            content, pages = _render(kind, context)
        except Exception:
            logger.exception("Could not make the %s of assessment %s.", kind, assessment_id)
            failed.append(kind)
            continue
        made[kind] = (content, pages, time.perf_counter() - started)
    with transaction.atomic():
        # Changes to a report lock its assessment (or its organisation, for targets, whose
        # fingerprint this reads too): checked again under the lock, nothing older is stored.
        Assessment.objects.select_for_update().filter(pk=assessment_id).first()
        if report_fingerprint(assessment) != fingerprint:
            return "superseded"
        for kind, (content, pages, seconds) in made.items():
            ReportDocument.objects.update_or_create(
                assessment=assessment,
                kind=kind,
                defaults={
                    "fingerprint": fingerprint,
                    "content": content,
                    "pages": pages,
                    "version": version,
                    "rendered_at": timezone.now(),
                    "render_seconds": seconds,
                    "failed": "",
                },
            )
        for kind in failed:
            ReportDocument.objects.update_or_create(
                assessment=assessment, kind=kind, defaults={"failed": fingerprint}
            )
    if failed:
        raise RuntimeError(f"Could not make the {', '.join(failed)} of assessment {assessment_id}.")
    logger.info("Made the documents of assessment %s, version %s.", assessment_id, version)
    return "rendered"


def _render(kind: Kind, context: dict) -> tuple[bytes, int | None]:
    if kind == Kind.BOARD_PAPER:
        return board_paper.render_docx(context), None
    template = pdf.BOARD_SUMMARY if kind == Kind.BOARD_SUMMARY else pdf.FULL_PACK
    return pdf.render_pdf_with_pages(context, template)


def refresh_peer_figures() -> list[Assessment]:
    """Refresh each edition's peer scores; the submitted assessments of the editions whose
    scores changed, whose documents are then out of date."""
    changed = []
    for edition in Edition.objects.filter(
        assessments__status=Assessment.Status.SUBMITTED
    ).distinct():
        if refresh_peer_scores(edition):
            changed += list(
                Assessment.objects.filter(
                    edition=edition, status=Assessment.Status.SUBMITTED
                ).select_related("organisation", "edition")
            )
    return changed
