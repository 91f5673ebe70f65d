"""Each edition's stored statistics (assessment/reporting/statistics.py): the engine's scores
and plans, worked out in the background after each change, and never silently behind."""

import math
from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone
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


def test_a_reopening_and_an_earlier_commit_still_change_the_stamp(council):
    # Two submissions committing out of order, with a reopening between: the count and the
    # latest submission are as before, but the record of submissions and reopenings has grown.
    edition = council.assessment.edition
    answer_everything(council, "2")
    submit_assessment(assessment=council.assessment, user=council.lead)
    later = submitted(edition, {"ai": "3"})
    statistics.refresh(edition)
    before = statistics.stamp(edition)

    reopen_assessment(assessment=council.assessment, user=council.lead, reason="A correction")
    earlier = submitted(edition, {"ai": "1"})
    earlier.submitted_at = later.submitted_at - timedelta(minutes=1)
    earlier.save(update_fields=["submitted_at"])

    assert statistics.stamp(edition) != before
    assert statistics.current(edition, wait=False).behind


def test_another_councils_targets_leave_them_as_they_are(council, other_council):
    edition = council.assessment.edition
    submitted(edition, {"ai": "2"})
    statistics.refresh(edition)

    set_targets(
        organisation=other_council.organisation,  # has submitted nothing
        targets={Trend.objects.get(slug="ai"): 4},
        user=other_council.lead,
    )

    assert not statistics.current(edition, wait=False).behind
    assert queued_refreshes() == 0


def test_edits_the_stamp_cannot_see_mark_them_behind_and_ask_for_a_refresh(council):
    edition = council.assessment.edition
    county = submitted(edition, {"ai": "2"}, kind="county")
    statistics.refresh(edition)

    organisation = county.organisation
    organisation.peer_group = "kind"
    organisation.save(update_fields=["peer_group"])  # the lead's choice of peers: nothing shown
    assert not statistics.current(edition, wait=False).behind

    organisation.kind = "district"
    organisation.save()  # as admin saves it
    assert statistics.current(edition, wait=False).behind
    assert queued_refreshes() == 1
    run_queued_tasks()
    assert statistics.current(edition, wait=False).frame.loc[county.pk, "kind"] == "district"

    trend = Trend.objects.get(slug="ai")
    trend.default_target = 1
    trend.save()
    assert statistics.current(edition, wait=False).behind


def test_a_burst_of_changes_is_worked_out_once_after_the_last(council):
    edition = council.assessment.edition
    tasks.refresh_statistics_soon(edition)
    first = DBTaskResult.objects.get(task_path=tasks.refresh_statistics.module_path)

    later = timezone.now() + timedelta(seconds=30)
    with mock.patch("assessment.tasks.timezone.now", return_value=later):
        tasks.refresh_statistics_soon(edition)
    pushed = DBTaskResult.objects.get(pk=first.pk)
    assert pushed.run_after == later + tasks.STATISTICS_DEBOUNCE
    assert pushed.priority == tasks.STATISTICS_PRIORITY

    at_patience = first.enqueued_at + tasks.STATISTICS_PATIENCE
    with mock.patch("assessment.tasks.timezone.now", return_value=at_patience):
        tasks.refresh_statistics_soon(edition)
    assert DBTaskResult.objects.get(pk=first.pk).run_after == pushed.run_after  # waited enough
    assert queued_refreshes() == 1


def test_open_data_shows_the_statistics_as_worked_out_never_working_them_out(council, client):
    edition = council.assessment.edition
    for level in "01234":
        submitted(edition, {"ai": level})
    statistics.refresh(edition)
    as_at = EditionStatistics.objects.get(edition=edition).as_at
    submitted(edition, {"ai": "4"})  # not yet worked out

    data = client.get(reverse("assessment:open_data_edition", args=[edition.slug])).json()

    all_ai = next(m for m in data["measures"] if m["key"] == "ai")["distributions"][0]
    assert all_ai["count"] == 5
    assert data["generated_at"] == timezone.localtime(as_at).isoformat(timespec="seconds")


def test_the_worker_asks_as_it_starts_for_statistics_an_edition_lacks(council):
    edition = council.assessment.edition
    submitted(edition, {"ai": "2"})

    tasks.prepare_missing_statistics()
    assert queued_refreshes() == 1
    run_queued_tasks()
    tasks.prepare_missing_statistics()

    assert queued_refreshes() == 0
    assert EditionStatistics.objects.filter(edition=edition).exists()
