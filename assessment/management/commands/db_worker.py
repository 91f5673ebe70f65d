"""`manage.py db_worker`: django-tasks-db's worker, which loads WeasyPrint before its first job,
keeps the nightly refresh of peer figures queued, and asks for the statistics of any edition
that has none (after the upgrade that added them).

It replaces the library's command of the same name (this app comes first in INSTALLED_APPS),
with the same options.
"""

from __future__ import annotations

from typing import Any

from django_tasks_db.management.commands.db_worker import Command as LibraryWorker

from assessment import tasks
from assessment.reporting import pdf


class Command(LibraryWorker):
    help = "Run the background worker: it makes report documents and refreshes peer figures."

    def handle(self, *args: Any, **options: Any) -> None:
        pdf.warm_up()
        tasks.schedule_nightly_refresh()
        tasks.prepare_missing_statistics()
        super().handle(*args, **options)
