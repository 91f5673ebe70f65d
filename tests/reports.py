"""Report documents in tests: run what the worker would run, and download a made document.

`run_queued_tasks` runs the queued tasks in this process, inside the test's transaction (the
real worker closes its connection between tasks, which a test transaction cannot survive).
tests/assessment/reporting/test_documents.py starts the real worker process as well.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from django.db import connection
from django.tasks import TaskResultStatus
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from assessment.models import Assessment
from assessment.tasks import DEBOUNCE, STATISTICS_DEBOUNCE


def run_queued_tasks() -> list[object]:
    """Run every task queued to run now or within its debounce (not the nightly job), in the
    order the worker would, and return what each returned."""
    results = []
    due = DBTaskResult.objects.filter(
        status=TaskResultStatus.READY,
        run_after__lte=timezone.now() + max(DEBOUNCE, STATISTICS_DEBOUNCE),
    )
    for queued in due.order_by("-priority", "run_after", "enqueued_at"):
        args = queued.args_kwargs
        results.append(queued.task.call(*args["args"], **args["kwargs"]))
        queued.delete()
    return results


def document_url(assessment: Assessment, document: str = "full-report") -> str:
    return reverse("assessment:report_document", args=[assessment.pk, document])


def download(client: Client, assessment: Assessment, document: str = "full-report") -> Any:
    """The document as a reader gets it once it is made: asked for, made, then downloaded."""
    response = client.get(document_url(assessment, document))
    if "Content-Disposition" not in response:
        run_queued_tasks()
        response = client.get(document_url(assessment, document))
    assert response["Content-Disposition"].startswith("attachment"), response.content[:200]
    return response


def database_url(name: str) -> str:
    """The database `name` on this connection's server, as DATABASE_URL names it: for a
    process a test or a benchmark starts (the worker) to use the same database."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{name}"
    user = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
    host = settings["HOST"] or "127.0.0.1"
    return f"postgres://{user}@{host}:{settings['PORT'] or 5432}/{name}"


def pdf_text(content: bytes, folder: Path) -> str:
    """A PDF's text as pdftotext reads it, pages separated by form feeds."""
    path = folder / "document.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
