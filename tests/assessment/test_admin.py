"""Admins invite council users in Django admin and can audit answers, never edit them there."""

import pytest
from django.urls import reverse

from assessment.models import Answer, Membership
from assessment.workflow import AnswerInput, save_answers

pytestmark = pytest.mark.django_db


def test_an_admin_invites_an_officer_with_their_organisation_and_role(admin_client, council):
    response = admin_client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "new-officer",
            "usable_password": "true",
            "password1": "a-long-new-password",
            "password2": "a-long-new-password",
            "membership-TOTAL_FORMS": "1",
            "membership-INITIAL_FORMS": "0",
            "membership-MIN_NUM_FORMS": "0",
            "membership-MAX_NUM_FORMS": "1",
            "membership-0-organisation": council.organisation.pk,
            "membership-0-role": "officer",
        },
    )

    assert response.status_code == 302, response.context["errors"] if response.context else ""
    membership = Membership.objects.get(user__username="new-officer")
    assert (membership.organisation, membership.role) == (
        council.organisation,
        Membership.Role.OFFICER,
    )


def test_the_user_list_shows_organisation_and_role(
    admin_client, council, django_assert_max_num_queries
):
    with django_assert_max_num_queries(10):
        response = admin_client.get(reverse("admin:auth_user_changelist"))

    assert "Ashdown District Council" in response.text
    assert "Lead (CIO or digital lead)" in response.text


def test_answers_are_read_only_in_admin_with_their_history(admin_client, council):
    question = council.assessment.edition.questions.get(key="ai-01")
    save_answers(
        assessment=council.assessment,
        inputs=[AnswerInput(question, "3", "", "Policy.", 0)],
        user=council.officer,
    )
    answer = Answer.objects.get()
    url = reverse("admin:assessment_answer_change", args=[answer.pk])

    page = admin_client.get(url)
    attempt = admin_client.post(url, {"response": "0"})

    assert page.status_code == 200
    assert 'name="_save"' not in page.text
    assert "officer" in page.text  # who changed it, from the history inline
    assert attempt.status_code == 403
    answer.refresh_from_db()
    assert answer.response == "3"


def test_an_assessments_events_are_listed(admin_client, council):
    response = admin_client.get(
        reverse("admin:assessment_assessment_change", args=[council.assessment.pk])
    )

    assert response.status_code == 200
    assert "Started" in response.text
    assert 'name="_save"' not in response.text  # view only: the service records each step
