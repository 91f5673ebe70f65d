"""Peer comparison and progress in the report page and the PDF, and the lead's peer group."""

import html

import pytest
from django.urls import reverse
from django.utils import timezone

from assessment import tasks
from assessment.models import Assessment, Organisation, PeerGroup
from tests.factories import continue_from_an_earlier_edition
from tests.factories import make_submitted_assessment as submitted
from tests.reports import download
from tests.reports import pdf_text as read_pdf

pytestmark = pytest.mark.django_db


def report_url(council) -> str:
    return reverse("assessment:report", args=[council.assessment.pk])


def peers_url(council) -> str:
    return reverse("assessment:peer_group", args=[council.assessment.pk])


def named_peers(edition, count: int, **fields) -> list[Assessment]:
    return [
        submitted(
            edition,
            {"ai": str(n % 5), "cyber": "3"},
            name=f"Peerton {n} Council",
            slug=f"peerton-{n}",
            **fields,
        )
        for n in range(count)
    ]


def pdf_text(client, council, tmp_path) -> str:
    response = download(client, council.assessment)
    return " ".join(read_pdf(response.content, tmp_path).split())


def test_four_peers_show_no_figures_anywhere(client, council, settings, tmp_path):
    settings.PEER_MINIMUM = 5
    named_peers(council.assessment.edition, 4)
    client.force_login(council.lead)

    page = client.get(report_url(council)).text
    pdf = pdf_text(client, council, tmp_path)

    for text in (page, pdf):
        assert "Not enough peers yet" in text
        assert "Peers' median" not in text
        assert "Peerton" not in text


def test_five_peers_show_figures_but_never_a_name(client, council, settings, tmp_path):
    settings.PEER_MINIMUM = 5
    named_peers(council.assessment.edition, 5)
    client.force_login(council.lead)

    page = html.unescape(client.get(report_url(council)).text)
    pdf = pdf_text(client, council, tmp_path)

    assert "Your scores against your peers" in page
    assert page.count('class="app-chart app-chart--strip"') == 12  # ten trends, two indexes
    # AI: the five peers score 0, 25, 50, 75 and 100, so the median is 50 and the middle half
    # 25 to 75; cyber: all 75.
    assert "Artificial intelligence: this organisation not scored; peers' median 50, " in page
    assert "middle half 25 to 75." in page
    assert "Your scores against your peers" in pdf and "25 to 75" in pdf
    for text in (page, pdf):
        assert "Peerton" not in text and "peerton" not in text


def test_a_peers_submission_reaches_the_report_with_the_nightly_refresh(client, council, settings):
    settings.PEER_MINIMUM = 5
    named_peers(council.assessment.edition, 4)
    client.force_login(council.lead)
    assert "Not enough peers yet" in client.get(report_url(council)).text

    submitted(council.assessment.edition, {"ai": "4"})
    # Not straight away: peer figures are as at their last refresh, for every council alike.
    assert "Not enough peers yet" in client.get(report_url(council)).text
    tasks.refresh_peer_figures.call()

    page = client.get(report_url(council)).text
    assert "Not enough peers yet" not in page
    today = timezone.localdate()
    assert f"Peer figures as at {today.day} {today:%B %Y}" in page


def test_the_lead_chooses_the_peer_group(client, council, settings):
    settings.PEER_MINIMUM = 5
    named_peers(council.assessment.edition, 5, kind=Organisation.Kind.COUNTY)
    client.force_login(council.lead)
    assert "Not enough peers yet" in client.get(report_url(council)).text  # districts: none

    form = client.get(peers_url(council))
    assert "Organisations in South East" in form.text  # Ashdown's region, as written
    assert "5 other organisations have submitted this edition." in form.text  # all of them
    response = client.post(peers_url(council), {"group": PeerGroup.ALL})

    assert response.status_code == 302
    assert response["Location"] == report_url(council) + "#peers"
    page = client.get(report_url(council)).text
    assert "Your report now compares you with all organisations." in page
    assert "Compared with all organisations: 5 other organisations have submitted" in page
    assert "Not enough peers yet" not in page


def test_a_bad_peer_group_is_refused_and_nothing_changes(client, council):
    client.force_login(council.lead)

    response = client.post(peers_url(council), {"group": "everyone-in-wales"})

    assert response.status_code == 200
    assert "Select one of the groups listed" in response.text
    council.organisation.refresh_from_db()
    assert council.organisation.peer_group == PeerGroup.KIND


@pytest.mark.parametrize("role", ["officer", "viewer"])
def test_only_the_lead_may_change_the_peer_group(client, council, role):
    client.force_login(getattr(council, role))

    assert "Your organisation's lead chooses the group." in client.get(peers_url(council)).text
    assert client.post(peers_url(council), {"group": PeerGroup.ALL}).status_code == 403
    council.organisation.refresh_from_db()
    assert council.organisation.peer_group == PeerGroup.KIND


def test_another_council_cannot_see_or_change_the_peer_group(client, council, other_council):
    client.force_login(other_council.lead)

    assert client.get(peers_url(council)).status_code == 404
    assert client.post(peers_url(council), {"group": PeerGroup.ALL}).status_code == 404


def test_the_report_shows_progress_since_the_previous_assessment(client, council, tmp_path):
    older, continued = continue_from_an_earlier_edition(council.assessment.edition, "ai")
    before = submitted(older, {"ai": "1"})
    Assessment.objects.filter(pk=before.pk).update(organisation=council.organisation)
    for question in continued:
        council.assessment.answers.create(
            question=question, response="4", updated_at=timezone.now()
        )
    client.force_login(council.viewer)

    page = html.unescape(client.get(report_url(council)).text)

    assert "Compared with your assessment of Trends 2019" in page
    # AI: 100 now against 25 then, on the questions asked both years, labelled as such.
    assert "Up 75" in page
    assert f"On the {len(continued)} questions asked both years (" in page
    assert "Not comparable: the trend has no score now" in page  # every other trend


def test_with_nothing_comparable_the_report_says_so_in_a_sentence(client, council):
    older, continued = continue_from_an_earlier_edition(council.assessment.edition, "ai", count=1)
    before = submitted(older, {"ai": "1"})
    Assessment.objects.filter(pk=before.pk).update(organisation=council.organisation)
    council.assessment.answers.create(
        question=continued[0], response="4", updated_at=timezone.now()
    )
    client.force_login(council.viewer)

    page = html.unescape(client.get(report_url(council)).text)

    assert "cannot be compared with this one yet" in page
    assert "at least 3 of the same questions, carrying at least 50% of the trend's weight" in page
    assert "Up 75" not in page and "app-progress-table" not in page
