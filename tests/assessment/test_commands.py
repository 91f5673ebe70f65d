"""The set-up commands `make run` calls: content loading and demo sign-ins, both repeatable."""

from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command

from assessment.management.commands.seed_demo import DEMO_ADMIN, DEMO_PASSWORD
from assessment.models import Assessment, Membership, Organisation
from assessment.results import result_for
from trends.models import Edition, Question, Trend, TrendDependency

pytestmark = pytest.mark.django_db


def run(command: str) -> str:
    out = StringIO()
    call_command(command, stdout=out)
    return out.getvalue()


def test_load_content_loads_trends_dependencies_and_the_2024_edition(empty_database):
    output = run("load_content")

    assert Trend.objects.count() == 10
    assert TrendDependency.objects.count() == 19
    assert Edition.objects.get(slug="digital-trends-2024").questions.count() == 70
    assert "Loaded Digital Trends 2024 with 70 questions." in output


def test_load_content_again_keeps_what_admins_changed(empty_database):
    run("load_content")
    Question.objects.filter(key="ai-01").update(statement="Curated by an admin.")
    Trend.objects.filter(slug="ai").update(title="AI")

    output = run("load_content")

    assert Question.objects.get(key="ai-01").statement == "Curated by an admin."
    assert Trend.objects.get(slug="ai").title == "AI"
    assert Question.objects.count() == 70
    assert "already loaded" in output


def test_seed_demo_creates_a_working_admin_sign_in(settings):
    settings.DEBUG = True
    username, _, password = DEMO_ADMIN

    output = run("seed_demo")

    user = authenticate(username=username, password=password)
    assert user is not None and user.is_staff and user.is_superuser
    assert f"{username} / {password}" in output


def test_seed_demo_creates_councils_of_different_kinds_each_with_every_role(settings, content):
    settings.DEBUG = True

    output = run("seed_demo")

    organisations = Organisation.objects.all()
    assert organisations.count() >= 4
    assert len({o.kind for o in organisations}) >= 4
    assert len({o.region for o in organisations}) >= 4
    for organisation in organisations:
        roles = set(organisation.memberships.values_list("role", flat=True))
        assert roles == {"officer", "lead", "viewer"}
        for membership in organisation.memberships.select_related("user"):
            assert membership.user.username in output
            assert authenticate(username=membership.user.username, password=DEMO_PASSWORD)
    assert DEMO_PASSWORD in output


def test_seed_demo_starts_one_assessment_and_submits_another(settings, content):
    settings.DEBUG = True

    run("seed_demo")
    run("seed_demo")

    ashdown = Assessment.objects.get(organisation__slug="ashdown")
    answered = ashdown.answers.exclude(response="").count()
    assert 0 < answered < content.questions.count()
    northshire = Assessment.objects.get(organisation__slug="northshire")
    assert northshire.is_submitted
    assert northshire.snapshots.count() == 1
    assert result_for(northshire).balance.finding == "masking"
    assert Membership.objects.filter(role="lead").count() == Organisation.objects.count()


def test_seed_demo_twice_leaves_one_admin_with_the_printed_password(settings):
    settings.DEBUG = True
    username, _, password = DEMO_ADMIN
    run("seed_demo")
    get_user_model().objects.filter(username=username).update(is_active=False)

    run("seed_demo")

    assert get_user_model().objects.filter(username=username).count() == 1
    assert authenticate(username=username, password=password) is not None


def test_seed_demo_refuses_to_run_in_production(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="only runs with DEBUG on"):
        run("seed_demo")

    assert not get_user_model().objects.exists()
