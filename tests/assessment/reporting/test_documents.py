"""The report's documents are made in the background and served from storage, never stale.

One test starts the real worker process (`manage.py db_worker`) against the test database;
the rest run the queued tasks in this process (tests/reports.py).
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from docx import Document

from assessment import tasks
from assessment.models import Assessment, Membership, ReportDocument
from assessment.reporting import board_paper, documents, pdf
from assessment.reporting import report as report_module
from assessment.reporting.report import report_fingerprint
from assessment.reporting.scores import result_for
from assessment.workflow import TrackingInput, set_targets, submit_assessment, update_tracking
from tests.assessment.test_report import answer_everything
from tests.factories import make_member
from tests.pages import texts
from tests.reports import database_url, document_url, download, pdf_text, run_queued_tasks
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
        for t in DBTaskResult.objects.filter(status="READY")
        if t.task_path == tasks.render_documents.module_path
        and t.args_kwargs["args"][0] == assessment.pk
    ]


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_makes_the_documents_after_submit_and_a_download_never_renders(
    client, council, no_rendering, tmp_path
):
    client.force_login(council.lead)
    answer_everything(council)
    client.post(reverse("assessment:submit", args=[council.assessment.pk]))
    assert Assessment.objects.get(pk=council.assessment.pk).is_submitted
    time.sleep(tasks.DEBOUNCE.total_seconds())  # a batch worker runs only what is due now

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
        env=os.environ | {"DATABASE_URL": database_url(connection.settings_dict["NAME"])},
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

    assert tasks.refresh_peer_figures.call() == 2
    assert len(queued_for(assessment)) == 1
    assert queued_for(assessment)[0].priority == tasks.NIGHTLY_PRIORITY
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

    assert client.get(url).json() == {"ready": False, "overdue": False, "failed": False}
    run_queued_tasks()
    assert client.get(url).json() == {"ready": True, "overdue": False, "failed": False}


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
    tasks.schedule_nightly_refresh()
    tasks.schedule_nightly_refresh()

    queued = DBTaskResult.objects.filter(task_path=tasks.refresh_peer_figures.module_path)
    assert queued.count() == 1
    run_after = timezone.localtime(queued.get().run_after)
    assert (run_after.hour, run_after.minute) == (2, 0)
    assert timedelta(0) < run_after - timezone.now() <= timedelta(days=1)


def test_the_nightly_refresh_renders_nothing_when_no_peer_figure_changed(client, council):
    assessment = submitted(council)
    run_queued_tasks()
    versions = dict(assessment.documents.values_list("kind", "version"))

    assert tasks.refresh_peer_figures.call() == 0
    assert queued_for(assessment) == []
    assert run_queued_tasks() == []
    assert dict(assessment.documents.values_list("kind", "version")) == versions


@pytest.mark.parametrize("change", ["type", "region", "lead's name", "a new lead", "release"])
def test_what_the_documents_show_of_the_organisation_makes_them_stale(council, change, monkeypatch):
    assessment = submitted(council)
    before = report_fingerprint(assessment)
    organisation = assessment.organisation
    if change == "type":
        organisation.kind = "county"
        organisation.save()
    elif change == "region":
        organisation.region = "North West"
        organisation.save()
    elif change == "lead's name":
        council.lead.first_name = "Renamed"
        council.lead.save()
    elif change == "a new lead":
        make_member(organisation, Membership.Role.LEAD, username="second-lead")
    elif change == "release":
        report_module.documents_version.cache_clear()
        monkeypatch.setattr(report_module, "documents_version", lambda: "another release")

    assert report_fingerprint(Assessment.objects.get(pk=assessment.pk)) != before


def test_a_document_that_fails_is_recorded_and_the_others_are_served(client, council, monkeypatch):
    assessment = submitted(council)
    client.force_login(council.lead)

    def fail(context):
        raise ValueError("A broken template.")

    monkeypatch.setattr(board_paper, "render_docx", fail)
    with pytest.raises(RuntimeError, match="board-paper"):
        run_queued_tasks()

    response = client.get(document_url(assessment, "board-paper"))
    warning = " ".join(texts(response.content.decode(), ".govuk-warning-text"))
    assert "Your board paper could not be made" in warning
    status = reverse("assessment:report_document_status", args=[assessment.pk, "board-paper"])
    assert client.get(status).json() == {"ready": False, "overdue": False, "failed": True}
    assert client.get(document_url(assessment, "full-report"))["Content-Disposition"]


def test_a_render_overtaken_by_a_change_stores_nothing(council, monkeypatch):
    assessment = submitted(council)
    fingerprint = report_fingerprint(assessment)
    real = documents._render

    def render_while_a_target_changes(kind, context):
        if kind == documents.ORDER[-1]:  # another worker's render of the new report follows
            set_targets(
                organisation=council.organisation,
                targets={Trend.objects.get(slug="ai"): 4},
                user=council.lead,
            )
        return real(kind, context)

    monkeypatch.setattr(documents, "_render", render_while_a_target_changes)

    assert documents.render(assessment.pk, fingerprint) == "superseded"
    assert set(assessment.documents.values_list("fingerprint", flat=True)) == {""}
