"""Who can reach what: every URL of an assessment, for every kind of user.

Another organisation's assessment answers 404 whatever the id, so ids reveal nothing; viewers and
staff can read but never change; anonymous users are sent to sign in.
"""

from pathlib import Path

import pytest
from django.urls import reverse

from assessment.access import access_for
from assessment.models import ActionTracking, Answer, Assessment, TrendTarget
from assessment.workflow import AnswerInput, save_answers
from tests.factories import PASSWORD
from tests.url_names import url_names

pytestmark = pytest.mark.django_db

WHO = ["anonymous", "officer", "lead", "viewer", "other_lead", "staff"]


@pytest.fixture
def as_user(client, council, other_council, django_user_model):
    staff = django_user_model.objects.create_user(
        "curator", password=PASSWORD, is_staff=True, is_superuser=True
    )
    users = {
        "officer": council.officer,
        "lead": council.lead,
        "viewer": council.viewer,
        "other_lead": other_council.lead,
        "staff": staff,
    }

    def sign_in_as(who: str):
        if who != "anonymous":
            client.force_login(users[who])
        return client

    return sign_in_as


def urls(assessment: Assessment) -> dict[str, str]:
    pk = assessment.pk
    return {
        "task list": reverse("assessment:task_list", args=[pk]),
        "section": reverse("assessment:section", args=[pk, "ai"]),
        "check answers": reverse("assessment:check_answers", args=[pk]),
        "answer history": reverse("assessment:answer_history", args=[pk, "ai-01"]),
        # Exports: every reader may download the organisation's own data (Access.can_export).
        **{
            f"{dataset} csv": reverse("assessment:export_csv", args=[pk, dataset])
            for dataset in ("answers", "scores", "plan")
        },
        "workbook": reverse("assessment:export_xlsx", args=[pk]),
    }


READ = {
    "anonymous": 302,
    "officer": 200,
    "lead": 200,
    "viewer": 200,
    "other_lead": 404,
    "staff": 200,
}


@pytest.mark.parametrize(
    "page",
    [
        "task list",
        "section",
        "check answers",
        "answer history",
        "answers csv",
        "scores csv",
        "plan csv",
        "workbook",
    ],
)
@pytest.mark.parametrize("who", WHO)
def test_reading_an_assessment(as_user, council, who, page):
    response = as_user(who).get(urls(council.assessment)[page])

    assert response.status_code == READ[who]
    if who == "anonymous":
        assert response["Location"].startswith(reverse("assessment:sign_in"))


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("officer", 302),
        ("lead", 302),
        ("viewer", 403),
        ("other_lead", 404),
        ("staff", 403),
    ],
)
def test_saving_a_section(as_user, council, who, expected):
    url = reverse("assessment:section", args=[council.assessment.pk, "ai"])
    question = council.assessment.edition.questions.get(key="ai-01")

    response = as_user(who).post(
        url, {f"q{question.pk}-response": "2", f"q{question.pk}-version": "0"}
    )

    assert response.status_code == expected
    saved = Answer.objects.filter(assessment=council.assessment, question=question).exists()
    assert saved == (who in ("officer", "lead"))


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("officer", 403),
        ("lead", 302),
        ("viewer", 403),
        ("other_lead", 404),
        ("staff", 403),
    ],
)
def test_submitting(as_user, council, who, expected):
    # 302 for the lead: allowed, and sent back to check answers to see why it was refused
    # (nothing is answered yet).
    response = as_user(who).post(reverse("assessment:submit", args=[council.assessment.pk]))

    assert response.status_code == expected
    council.assessment.refresh_from_db()
    assert not council.assessment.is_submitted


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("officer", 403),
        ("lead", 200),
        ("viewer", 403),
        ("other_lead", 404),
        ("staff", 403),
    ],
)
def test_reopening(as_user, council, who, expected):
    Assessment.objects.filter(pk=council.assessment.pk).update(status="submitted")

    response = as_user(who).get(reverse("assessment:reopen", args=[council.assessment.pk]))

    assert response.status_code == expected


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 302), ("officer", 403), ("lead", 302), ("viewer", 403), ("staff", 403)],
)
def test_starting_an_assessment(as_user, council, content, who, expected):
    council.assessment.delete()

    response = as_user(who).post(reverse("assessment:start", args=[content.slug]))

    assert response.status_code == expected
    assert Assessment.objects.filter(organisation=council.organisation).exists() == (who == "lead")


@pytest.mark.parametrize("page", ["sector", "sector_export"])
@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("officer", 403),
        ("lead", 403),
        ("viewer", 403),
        ("other_lead", 403),
        ("staff", 200),
    ],
)
def test_only_staff_see_the_sector_overview_and_its_data(as_user, who, expected, page):
    response = as_user(who).get(reverse(f"assessment:{page}"))

    assert response.status_code == expected
    if who == "anonymous":
        assert response["Location"].startswith(reverse("assessment:sign_in"))


def test_ids_of_things_that_do_not_exist_are_404(as_user, council):
    client = as_user("lead")
    pk = council.assessment.pk

    for url in [
        reverse("assessment:task_list", args=[999_999]),
        reverse("assessment:section", args=[pk, "blockchain"]),
        reverse("assessment:answer_history", args=[pk, "ai-99"]),
    ]:
        assert client.get(url).status_code == 404, url


def test_another_councils_assessment_is_404_by_every_route(as_user, council, other_council):
    client = as_user("lead")
    pk = other_council.assessment.pk

    for url in [*urls(other_council.assessment).values(), reverse("assessment:reopen", args=[pk])]:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("assessment:submit", args=[pk])).status_code == 404


def test_the_dashboard_shows_only_your_own_organisations_assessments(
    as_user, council, other_council
):
    response = as_user("officer").get(reverse("assessment:dashboard"))

    assert "Ashdown District Council" in response.text
    assert "Brackley Borough Council" not in response.text
    assert [a.pk for a in response.context["assessments"]] == [council.assessment.pk]


def test_staff_see_every_organisations_assessment_on_the_dashboard(as_user, council, other_council):
    response = as_user("staff").get(reverse("assessment:dashboard"))

    assert {a.pk for a in response.context["assessments"]} == {
        council.assessment.pk,
        other_council.assessment.pk,
    }


@pytest.mark.parametrize(
    ("page", "extra"),
    [
        ("report", []),
        ("action_plan", []),
        ("targets", []),
        ("report_document", ["board-summary"]),
        ("report_document_status", ["full-report"]),
        ("peer_group", []),
    ],
)
@pytest.mark.parametrize("who", WHO)
def test_reading_the_report_plan_and_targets(as_user, council, who, page, extra):
    url = reverse(f"assessment:{page}", args=[council.assessment.pk, *extra])
    response = as_user(who).get(url)

    assert response.status_code == READ[who]


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("officer", 403),
        ("lead", 200),
        ("viewer", 403),
        ("other_lead", 404),
        ("staff", 403),
    ],
)
def test_tracking_an_action(as_user, council, who, expected):
    question = council.assessment.edition.questions.get(key="ai-01")
    save_answers(
        assessment=council.assessment,
        inputs=[AnswerInput(question, "1", "", "", 0)],
        user=council.officer,
    )
    url = reverse("assessment:track_action", args=[council.assessment.pk, "ai-01"])

    page = as_user(who).get(url)
    post = as_user(who).post(url, {"status": "done"})

    assert page.status_code == expected
    assert ActionTracking.objects.filter(assessment=council.assessment).exists() == (who == "lead")
    assert post.status_code == (302 if who == "lead" else expected)


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("officer", 403),
        ("lead", 200),
        ("viewer", 403),
        ("other_lead", 404),
        ("staff", 403),
    ],
)
def test_setting_targets(as_user, council, who, expected):
    response = as_user(who).post(
        reverse("assessment:targets", args=[council.assessment.pk]), {"target-ai": "9"}
    )

    assert response.status_code == expected  # 200 for the lead: shown why 9 was refused
    assert not TrendTarget.objects.exists()


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("officer", 403),
        ("lead", 302),
        ("viewer", 403),
        ("other_lead", 404),
        ("staff", 403),
    ],
)
def test_only_the_lead_chooses_the_peer_group(as_user, council, who, expected):
    response = as_user(who).post(
        reverse("assessment:peer_group", args=[council.assessment.pk]), {"group": "all"}
    )

    assert response.status_code == expected
    council.organisation.refresh_from_db()
    assert (council.organisation.peer_group == "all") == (who == "lead")


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 302), ("officer", 403), ("viewer", 403), ("other_lead", 404), ("staff", 403)],
)
def test_only_the_lead_can_reopen(as_user, council, who, expected):
    Assessment.objects.filter(pk=council.assessment.pk).update(status="submitted")

    response = as_user(who).post(
        reverse("assessment:reopen", args=[council.assessment.pk]), {"reason": "Because."}
    )

    assert response.status_code == expected
    assert Assessment.objects.get(pk=council.assessment.pk).is_submitted


@pytest.mark.parametrize("page", ["open_data", "open_data_edition"])
@pytest.mark.parametrize("who", WHO)
def test_open_data_is_public_to_everyone(as_user, content, who, page):
    args = [content.slug] if page == "open_data_edition" else []

    response = as_user(who).get(reverse(f"assessment:{page}", args=args))

    assert response.status_code == 200


@pytest.mark.parametrize(
    "page",
    ["home", "accessibility", "password_reset", "password_reset_sent", "password_reset_complete"],
)
@pytest.mark.parametrize("who", WHO)
def test_public_pages_are_open_to_everyone_and_show_no_assessment(as_user, council, who, page):
    response = as_user(who).get(reverse(f"assessment:{page}"))

    assert response.status_code == 200
    assert council.organisation.name not in response.text


@pytest.mark.parametrize("who", WHO)
def test_a_password_reset_link_that_does_not_work_says_so_to_everyone(as_user, who):
    url = reverse("assessment:password_reset_confirm", args=["MQ", "not-a-token"])

    response = as_user(who).get(url, follow=True)

    assert response.status_code == 200
    assert "This link does not work" in response.text


@pytest.mark.parametrize("who", WHO)
def test_signing_out_is_post_only_and_ends_the_session(as_user, who):
    client = as_user(who)
    assert client.get(reverse("assessment:sign_out")).status_code == 405

    response = client.post(reverse("assessment:sign_out"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_every_url_of_the_service_is_in_this_matrix():
    """A new URL without its row here fails, naming it: access is decided per URL."""
    source = Path(__file__).read_text()
    missing = [
        name
        for name in sorted(url_names())
        if not name.startswith("admin:")
        and f'"{name.split(":")[-1]}"' not in source
        and f'"{name}"' not in source
    ]
    assert missing == []


def test_a_question_about_one_assessment_needs_that_assessment(council):
    lead = access_for(council.lead)

    assert lead.can_start and lead.can_lead
    with pytest.raises(ValueError, match="for_assessment"):
        _ = lead.can_answer  # no assessment named: refused, never answered as if open
    assert lead.for_assessment(council.assessment).can_submit
