"""Each edition's stored statistics (assessment/reporting/statistics.py): the engine's scores
and plans, worked out in the background after each change, and never silently behind."""

import math

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from assessment import tasks
from assessment.models import Answer, EditionStatistics
from assessment.reporting import statistics
from assessment.reporting.peers import refresh_peer_scores
from assessment.reporting.scores import result_for
from assessment.reporting.sector import sector_overview
from assessment.scoring import DIGITAL, TECHNOLOGY, Horizon
from assessment.workflow import reopen_assessment, set_targets, submit_assessment
from tests.factories import make_submitted_assessment as submitted
from tests.reports import run_queued_tasks
from trends.models import Trend

pytestmark = pytest.mark.django_db


def queued_refreshes() -> int:
    return DBTaskResult.objects.filter(task_path=tasks.refresh_statistics.module_path).count()


def answer_everything(council, level: str = "2") -> None:
    Answer.objects.bulk_create(
        Answer(assessment=council.assessment, question=q, response=level)
        for q in council.assessment.edition.questions.all()
    )


def test_the_stored_scores_and_now_actions_are_the_engines(council):
    edition = council.assessment.edition
    mixed = submitted(edition, {"ai": "4", "data": "1", "cyber": "dont_know", "leadership": "2"})
    low = submitted(edition, {"ai": "0", "data": "dont_know", "public-good": "3"})

    frame = statistics.current(edition, wait=False).frame

    assert sorted(frame.index) == sorted([mixed.pk, low.pk])  # submitted ones only
    for assessment in (mixed, low):
        result = result_for(assessment)
        row = frame.loc[assessment.pk]
        for trend in result.trends:
            stored = row.get(trend.trend.slug, math.nan)
            if trend.score is None:  # cyber, all "don't know"; trends not answered
                assert math.isnan(stored), trend.trend.slug
            else:
                assert stored == pytest.approx(trend.score), trend.trend.slug
        assert row[DIGITAL] == pytest.approx(result.digital_index)
        assert row[TECHNOLOGY] == pytest.approx(result.technology_index)
        assert row[statistics.NOW] == [a.question.key for a in result.horizon(Horizon.NOW)]
        assert row["organisation"] == assessment.organisation_id
        assert row["kind"] == assessment.organisation.kind


def test_a_submission_leaves_them_behind_until_the_worker_works_them_out_again(
    council, admin_client
):
    edition = council.assessment.edition
    submitted(edition, {"ai": "1", "data": "1"})
    refresh_peer_scores(edition)  # and the statistics with them, as each night
    answer_everything(council, "4")

    submit_assessment(assessment=council.assessment, user=council.lead)

    assert queued_refreshes() == 1
    overview = sector_overview(edition)
    assert overview.behind and overview.submitted == 2
    assert next(d for d in overview.distributions if d.key == "ai").count == 1  # as stored
    page = admin_client.get(reverse("assessment:sector"))
    assert "They are being brought up to date" in page.text
    assert queued_refreshes() == 1  # already asked for: not asked again

    assert True in run_queued_tasks()  # beside the documents' render

    overview = sector_overview(edition)
    assert not overview.behind
    assert next(d for d in overview.distributions if d.key == "ai").count == 2
    page = admin_client.get(reverse("assessment:sector"))
    assert "brought up to date" not in page.text and "Scores as at" in page.text


def test_a_download_never_gives_figures_that_are_behind(council, admin_client):
    edition = council.assessment.edition
    submitted(edition, {"ai": "1"})
    refresh_peer_scores(edition)
    answer_everything(council, "3")
    submit_assessment(assessment=council.assessment, user=council.lead)

    response = admin_client.get(reverse("assessment:sector_export"))

    assert "Ashdown District Council" in response.content.decode()
    assert not statistics.current(edition, wait=False).behind  # worked out for the download


def test_reopening_and_a_change_of_targets_also_ask_for_them(council):
    edition = council.assessment.edition
    answer_everything(council, "2")
    submit_assessment(assessment=council.assessment, user=council.lead)
    run_queued_tasks()
    assert not statistics.current(edition, wait=False).behind

    set_targets(
        organisation=council.organisation,
        targets={Trend.objects.get(slug="ai"): 4},
        user=council.lead,
    )
    assert statistics.current(edition, wait=False).behind
    assert queued_refreshes() == 1
    run_queued_tasks()

    reopen_assessment(assessment=council.assessment, user=council.lead, reason="A correction")
    assert statistics.current(edition, wait=False).behind
    assert queued_refreshes() == 1
    assert run_queued_tasks().count(True) == 1
    assert statistics.current(edition, wait=False).frame.empty


def test_a_refresh_with_nothing_changed_does_no_work(council):
    edition = council.assessment.edition
    submitted(edition, {"ai": "2"})
    statistics.refresh(edition)
    as_at = EditionStatistics.objects.get(edition=edition).as_at

    assert tasks.refresh_statistics.call(edition.pk) is False
    assert EditionStatistics.objects.get(edition=edition).as_at == as_at
    assert tasks.refresh_statistics.call(edition.pk + 1000) is False  # an edition since deleted
