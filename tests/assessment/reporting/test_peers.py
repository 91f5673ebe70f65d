"""Peer comparison (assessment/reporting/peers.py): hand-computed quartiles on small fixtures,
the anonymity threshold at its edge, and the peer group chosen.
"""

import pytest
from django.utils import timezone

from assessment.models import Answer, Assessment, PeerGroup
from assessment.reporting.peers import compare_with_peers, refresh_peer_scores
from assessment.reporting.scores import result_for
from tests.factories import make_submitted_assessment as submitted

pytestmark = pytest.mark.django_db


def figure(comparison, key):
    return next(f for f in comparison.figures if f.key == key)


# Peer comparison -----------------------------------------------------------------------------


def test_quartiles_of_six_peers_by_hand(council):
    # AI scores of the peers: 0, 25, 25, 50, 75 and 100. Linear quartiles of six values sit
    # at positions 1.25, 2.5 and 3.75 of the sorted list: 25, 25 + 0.5 × 25 = 37.5 and
    # 50 + 0.75 × 25 = 68.75.
    for level in "011234":
        submitted(council.assessment.edition, {"ai": level})

    comparison = compare_with_peers(
        council.assessment, result_for(council.assessment), PeerGroup.KIND
    )

    ai = figure(comparison, "ai")
    assert comparison.enough and comparison.peers == 6
    assert (ai.peers, ai.lower_quartile, ai.median, ai.upper_quartile) == (6, 25, 37.5, 68.75)
    assert ai.score is None and ai.position == ""  # Ashdown has not answered yet


def test_four_peers_show_nothing_and_five_show_figures(council, settings):
    settings.PEER_MINIMUM = 5
    for level in "1234":
        submitted(council.assessment.edition, {"ai": level, "cyber": level})

    four = compare_with_peers(council.assessment, result_for(council.assessment), PeerGroup.KIND)
    assert not four.enough and four.peers == 4
    assert all(f.median is None and f.lower_quartile is None for f in four.figures)

    submitted(council.assessment.edition, {"ai": "0", "cyber": "0"})
    refresh_peer_scores(council.assessment.edition)  # the nightly job
    five = compare_with_peers(council.assessment, result_for(council.assessment), PeerGroup.KIND)
    assert five.enough
    # 0, 25, 50, 75, 100: quartiles at positions 1, 2 and 3.
    assert (figure(five, "ai").lower_quartile, figure(five, "ai").median) == (25, 50)
    assert figure(five, "cyber").upper_quartile == 75
    # A trend nobody answered has no figures, however many peers there are.
    assert figure(five, "geospatial").median is None


def test_peers_are_only_the_chosen_group_and_never_the_organisation_itself(council, settings):
    settings.PEER_MINIMUM = 3
    edition = council.assessment.edition
    for level in "444":
        submitted(edition, {"ai": level}, kind="county")  # another type: not a district's peer
    for level in "000":
        submitted(edition, {"ai": level})  # districts, like Ashdown
    council.assessment.answers.all().delete()
    Answer.objects.bulk_create(
        Answer(assessment=council.assessment, question=q, response="4")
        for q in edition.questions.filter(trend__slug="ai")
    )
    Assessment.objects.filter(pk=council.assessment.pk).update(
        status=Assessment.Status.SUBMITTED, submitted_at=timezone.now()
    )
    council.assessment.refresh_from_db()

    by_kind = compare_with_peers(council.assessment, result_for(council.assessment), PeerGroup.KIND)
    everyone = compare_with_peers(council.assessment, result_for(council.assessment), PeerGroup.ALL)

    # Ashdown's own 100 is not among its peers' figures: three districts at 0.
    assert by_kind.peers == 3 and figure(by_kind, "ai").median == 0
    assert figure(by_kind, "ai").score == 100
    assert figure(by_kind, "ai").position == "Above the middle half"
    assert everyone.peers == 6 and figure(everyone, "ai").median == 50
