"""The report's documents are made in the background and served from storage, never stale.

One test starts the real worker process (`manage.py db_worker`) against the test database;
the rest run the queued tasks in this process (tests/reports.py).
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from docx import Document

from assessment.models import Assessment, ReportDocument
from assessment.reporting import board_paper, documents, pdf
from assessment.reporting.scores import result_for
from assessment.workflow import TrackingInput, set_targets, submit_assessment, update_tracking
from tests.assessment.test_report import answer_everything
from tests.pages import texts
from tests.reports import document_url, download, pdf_text, run_queued_tasks
from trends.models import Trend

ROOT = Path(__file__).resolve().parents[3]
DOCUMENTS = [kind.value for kind in ReportDocument.Kind]

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_rendering(monkeypatch):
    """Any render from here on fails the test: what is served must come from storage."""

    def refuse(*args, **kwargs):
        raise AssertionError("A document was rendered inside a request.")

    monkeypatch.setattr(pdf, "render_pdf_with_pages", refuse)
    monkeypatch.setattr(board_paper, "render_docx", refuse)


def submitted(council) -> Assessment:
    answer_everything(council)
    submit_assessment(assessment=council.assessment, user=council.lead)
    return council.assessment


def queued_for(assessment: Assessment) -> list[DBTaskResult]:
    return [
        t
        for t in DBTaskResult.objects.ready()
        if t.task_path == documents.render_documents.module_path
        and t.args_kwargs["args"][0] == assessment.pk
    ]


def database_url() -> str:
    """The test database, as DATABASE_URL names it, for a process started by a test."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    user = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
    return f"postgres://{user}@{settings['HOST']}:{settings['PORT'] or 5432}/{settings['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_makes_the_documents_after_submit_and_a_download_never_renders(
    client, council, no_rendering, tmp_path
):
    client.force_login(council.lead)
    answer_everything(council)
    client.post(reverse("assessment:submit", args=[council.assessment.pk]))
    assert Assessment.objects.get(pk=council.assessment.pk).is_submitted

    worker = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--batch",
            "--no-startup-delay",
            "--no-reload",
        ],
        cwd=ROOT,
        env=os.environ | {"DATABASE_URL": database_url()},
        capture_output=True,
        text=True,
        timeout=180,
    )

    assert worker.returncode == 0, worker.stderr
    for document in DOCUMENTS:
        response = client.get(document_url(council.assessment, document))
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment"), document
    full = client.get(document_url(council.assessment, "full-report"))
    text = " ".join(pdf_text(full.content, tmp_path).split())
    assert "Ashdown District Council" in text
    assert "Version 1" in text


def test_a_stale_document_is_never_served(client, council, tmp_path):
    assessment = submitted(council)
    client.force_login(council.lead)
    first = download(client, assessment).content

    set_targets(
        organisation=council.organisation,
        targets={Trend.objects.get(slug="ai"): 4},
        user=council.lead,
    )
    response = client.get(document_url(assessment))

    assert "Content-Disposition" not in response
    assert "Preparing your full report" in texts(response.content.decode(), "h1")
    assert response["Cache-Control"].startswith("max-age=0")
    client.get(document_url(assessment))  # checking back asks for nothing more
    assert len(queued_for(assessment)) == 1
    run_queued_tasks()
    second = download(client, assessment).content
    assert second != first
    text = " ".join(pdf_text(second, tmp_path).split())
    assert "Version 2" in text
    assert "Artificial intelligence: Leading (100)" in text


def test_a_burst_of_changes_renders_once(council):
    assessment = submitted(council)
    run_queued_tasks()
    actions = result_for(assessment).actions[:5]

    for number, action in enumerate(actions):
        update_tracking(
            assessment=assessment,
            question=assessment.edition.questions.get(key=action.question.key),
            tracking=TrackingInput(f"Owner {number}", None, "not_started", ""),
            user=council.lead,
        )
    results = run_queued_tasks()

    assert sorted(map(str, results)) == ["rendered", *["superseded"] * 4]


def test_another_councils_submission_renders_nothing_until_the_nightly_refresh(
    client, council, other_council, monkeypatch
):
    assessment = submitted(council)
    run_queued_tasks()
    client.force_login(council.lead)

    answer_everything(other_council)
    submit_assessment(assessment=other_council.assessment, user=other_council.lead)

    assert queued_for(assessment) == []
    with monkeypatch.context() as m:
        m.setattr(pdf, "render_pdf_with_pages", pytest.fail)
        assert client.get(document_url(assessment))["Content-Disposition"].startswith("attach")

    assert documents.refresh_peer_figures.call() == 2
    assert len(queued_for(assessment)) == 1
    assert queued_for(assessment)[0].priority == documents.NIGHTLY_PRIORITY
    assert "Content-Disposition" not in client.get(document_url(assessment))


def test_the_preparing_page_says_when_it_is_taking_longer_and_asks_again(client, council):
    assessment = submitted(council)
    client.force_login(council.viewer)
    ReportDocument.objects.filter(assessment=assessment).update(
        requested_at=timezone.now() - timedelta(hours=1),
        queued_at=timezone.now() - timedelta(hours=1),
    )
    DBTaskResult.objects.all().delete()  # the worker lost it

    response = client.get(document_url(assessment, "board-summary"))

    assert "This is taking longer than usual" in " ".join(
        texts(response.content.decode(), ".govuk-warning-text")
    )
    assert len(queued_for(assessment)) == 1


def test_the_status_check_says_whether_the_document_is_ready(client, council):
    assessment = submitted(council)
    client.force_login(council.officer)
    url = reverse("assessment:report_document_status", args=[assessment.pk, "board-paper"])

    assert client.get(url).json() == {"ready": False, "overdue": False}
    run_queued_tasks()
    assert client.get(url).json() == {"ready": True, "overdue": False}


def test_the_board_paper_is_an_editable_word_document(client, council, settings):
    assessment = submitted(council)
    council.organisation.protective_marking = "OFFICIAL-SENSITIVE"
    council.organisation.save()
    client.force_login(council.lead)
    top_action = result_for(assessment).actions[0]

    response = download(client, assessment, "board-paper")

    assert response["Content-Disposition"].endswith('.docx"')
    paper = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in paper.paragraphs)
    cells = " ".join(c.text for t in paper.tables for row in t.rows for c in row.cells)
    assert "Digital maturity: Ashdown District Council" in text
    assert "Key messages" in text
    assert "Digital against technology" in text
    assert "The board is asked to agree" in text
    assert top_action.what in cells
    assert "Established (75)" in cells
    assert paper.sections[0].header.paragraphs[0].text == "OFFICIAL-SENSITIVE"
    assert paper.sections[0].footer.paragraphs[0].text == "OFFICIAL-SENSITIVE"


@pytest.mark.parametrize("document", DOCUMENTS)
def test_another_organisation_gets_404_for_the_documents(client, council, other_council, document):
    client.force_login(other_council.lead)

    assert client.get(document_url(council.assessment, document)).status_code == 404
    status = reverse("assessment:report_document_status", args=[council.assessment.pk, document])
    assert client.get(status).status_code == 404


def test_an_unknown_document_is_not_found(client, council):
    client.force_login(council.lead)

    assert client.get(document_url(council.assessment, "slides")).status_code == 404


def test_the_nightly_refresh_is_queued_once_for_two_in_the_morning():
    documents.schedule_nightly_refresh()
    documents.schedule_nightly_refresh()

    queued = DBTaskResult.objects.filter(task_path=documents.refresh_peer_figures.module_path)
    assert queued.count() == 1
    run_after = timezone.localtime(queued.get().run_after)
    assert (run_after.hour, run_after.minute) == (2, 0)
    assert timedelta(0) < run_after - timezone.now() <= timedelta(days=1)
