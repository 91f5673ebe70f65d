"""Background work: Django's tasks framework, queued in the database (django-tasks-db) and run
by `manage.py db_worker`, a process of its own beside the web server.

- `render_documents`: make an assessment's report documents (`reporting.documents.render`);
  `prepare` asks for them whenever what the report shows changes.
- `refresh_statistics`: work an edition's statistics across organisations out again
  (`reporting.statistics`); `refresh_statistics_soon` asks for it whenever a submission, a
  reopening or a change of targets changes them, `statistics_inputs_saved` when a trend, a
  dependency or an organisation's peer-group attributes change, the sector overview and the
  open data when they find them behind, and the worker as it starts, for editions with none.
- `refresh_peer_figures`: each night at NIGHTLY_AT, refresh every edition's statistics and
  peer scores, then ask again for the documents of the reports whose peer figures changed.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from datetime import time as clock
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.tasks import TaskResultStatus, task
from django.utils import timezone

from assessment.models import Assessment, Organisation
from assessment.reporting import documents, statistics
from trends.models import Edition

# A render waits this long after it is asked for, so that a burst of saves (a lead tracking
# several actions) is made once, from the last: the earlier renders find themselves stale.
DEBOUNCE = timedelta(seconds=2)
# An edition's statistics are worked out this long after the last change of a burst, but no
# later than STATISTICS_PATIENCE after the first: at 4,000 organisations each refresh costs
# about three seconds of the worker's CPU. Behind anyone's own documents, ahead of the nightly
# re-renders.
STATISTICS_DEBOUNCE = timedelta(seconds=5)
STATISTICS_PATIENCE = timedelta(seconds=60)
STATISTICS_PRIORITY = -5
# When peer figures are refreshed, local time: a quiet hour, before the working day.
NIGHTLY_AT = clock(2, 0)
# The priority of the nightly re-renders: behind anyone's own change.
NIGHTLY_PRIORITY = -10


@task()
def render_documents(assessment_id: int, fingerprint: str) -> str:
    return documents.render(assessment_id, fingerprint)


def prepare(assessment: Assessment, priority: int = 0) -> documents.Waiting:
    """Ask for the assessment's documents as its report is now, and say since when they have
    been waited for. Queued in the same transaction as the change that asked: the queue is a
    table of the same database, so the request commits, or rolls back, with the change."""
    asked = documents.request(assessment)
    if asked.queue:
        render_documents.using(priority=priority, run_after=timezone.now() + DEBOUNCE).enqueue(
            assessment.pk, asked.fingerprint
        )
    return documents.Waiting(asked.since, failed=asked.failed)


def prepare_all(assessments: list[Assessment], priority: int = 0) -> None:
    for assessment in assessments:
        prepare(assessment, priority)


@task()
def refresh_statistics(edition_id: int) -> bool:
    """Whether the edition's statistics needed working out again (and were)."""
    edition = Edition.objects.filter(pk=edition_id).first()
    return edition is not None and statistics.refresh_if_behind(edition)


def refresh_statistics_soon(edition: Edition) -> None:
    """Ask for the edition's statistics to be worked out again, STATISTICS_DEBOUNCE after the
    last of a burst of changes (a deadline's submissions), but no later than STATISTICS_PATIENCE
    after the first. Queued in the same transaction as the change, as `prepare` is."""
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    with transaction.atomic():
        # Locked until the change commits: the worker, which takes tasks skipping locked
        # rows, cannot start this one before it can see the change.
        queued = (
            DBTaskResult.objects.select_for_update()
            .filter(
                task_path=refresh_statistics.module_path,
                status=TaskResultStatus.READY,
                args_kwargs={"args": [edition.pk], "kwargs": {}},
            )
            .first()
        )
        if queued is None:
            refresh_statistics.using(
                priority=STATISTICS_PRIORITY, run_after=now + STATISTICS_DEBOUNCE
            ).enqueue(edition.pk)
        elif queued.enqueued_at + STATISTICS_PATIENCE > now + STATISTICS_DEBOUNCE:
            queued.run_after = now + STATISTICS_DEBOUNCE
            queued.save(update_fields=["run_after"])


def statistics_inputs_saved(sender: type[Model], created: bool = False, **kwargs: Any) -> None:
    """A trend, a dependency between trends or an organisation saved or deleted: what the
    statistics stamp cannot see. An organisation's new row, or a save of other fields only
    (its peer group), changes nothing they show."""
    if sender is Organisation:
        fields = kwargs.get("update_fields")
        if created or (fields is not None and not set(fields) & set(statistics.GROUP_ATTRIBUTES)):
            return
    for edition in statistics.mark_behind():
        refresh_statistics_soon(edition)


def prepare_missing_statistics() -> None:
    """Ask for the statistics of every edition with a submitted assessment and none stored
    (after an upgrade that adds them): the worker does so as it starts."""
    for edition in Edition.objects.filter(
        assessments__status=Assessment.Status.SUBMITTED, statistics__isnull=True
    ).distinct():
        refresh_statistics_soon(edition)


@task()
def refresh_peer_figures() -> int:
    """The nightly job: queue tomorrow's first, then refresh each edition's peer scores and
    ask for the documents of every report they change. Returns how many."""
    schedule_nightly_refresh()  # this one is running, not ready: tomorrow's is queued
    changed = documents.refresh_peer_figures()
    prepare_all(changed, NIGHTLY_PRIORITY)
    return len(changed)


def schedule_nightly_refresh() -> None:
    """Queue the next nightly refresh of peer figures, unless one is queued already: the
    worker does so as it starts, and each refresh queues the next before it starts work, so
    that one that fails does not end the nights that follow."""
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
