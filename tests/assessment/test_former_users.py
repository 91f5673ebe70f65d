"""People who leave: deactivated, their names stay; deleted, every page still works and says
"a former user"."""

import pytest
from django.urls import reverse

from assessment.workflow import AnswerInput, save_answers, set_targets, submit_assessment
from tests.assessment.test_report import answer_everything
from tests.factories import make_submitted_assessment as submitted
from tests.pages import texts
from trends.models import Trend

pytestmark = pytest.mark.django_db


def test_pages_still_work_and_say_a_former_user_once_the_author_is_deleted(client, council):
    question = council.assessment.edition.questions.get(key="ai-01")
    save_answers(
        assessment=council.assessment,
        inputs=[AnswerInput(question, "2", "", "", 0)],
        user=council.officer,
    )
    answer_everything(council)  # the officer is the author of every answer
    set_targets(
        organisation=council.organisation,
        targets={Trend.objects.get(slug="ai"): 4},
        user=council.officer,
    )
    submit_assessment(assessment=council.assessment, user=council.lead)
    council.officer.delete()
    client.force_login(council.lead)
    pk = council.assessment.pk

    history = client.get(reverse("assessment:answer_history", args=[pk, "ai-01"]))
    section = client.get(reverse("assessment:section", args=[pk, "ai"]))  # read-only now
    targets = client.get(reverse("assessment:targets", args=[pk]))

    for page in (history, section, targets):
        assert page.status_code == 200
    assert "a former user" in " ".join(texts(history.text, "td"))
    assert "Last changed by a former user" in section.text
    assert "a former user" in " ".join(texts(targets.text, "td"))


def test_an_admin_reads_a_seeded_councils_answers_that_have_no_author(admin_client, council):
    peer = submitted(council.assessment.edition, {"ai": "3"})

    section = admin_client.get(reverse("assessment:section", args=[peer.pk, "ai"]))
    history = admin_client.get(reverse("assessment:answer_history", args=[peer.pk, "ai-01"]))

    assert section.status_code == history.status_code == 200
    assert "Last changed by a former user" in section.text


def test_admins_are_offered_deactivation_first_and_told_what_deleting_does(admin_client, council):
    changelist = reverse("admin:auth_user_changelist")

    page = admin_client.get(changelist)
    actions = texts(page.text, 'select[name=action] option[value!=""]')
    assert actions[0] == "Deactivate the selected users (they keep their history)"

    confirm = admin_client.get(reverse("admin:auth_user_delete", args=[council.officer.pk]))
    assert "credited to “a former user”" in confirm.text
    response = admin_client.post(
        changelist, {"action": "deactivate", "_selected_action": [council.officer.pk]}
    )
    assert response.status_code == 302
    council.officer.refresh_from_db()
    assert not council.officer.is_active
    assert client_cannot_sign_in(council.officer)


def client_cannot_sign_in(user) -> bool:
    from django.test import Client

    from tests.factories import PASSWORD

    response = Client().post(
        reverse("assessment:sign_in"), {"username": user.username, "password": PASSWORD}
    )
    return "_auth_user_id" not in response.wsgi_request.session
