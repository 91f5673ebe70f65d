"""The set-up commands `make run` calls: content loading and demo sign-ins, both repeatable."""

from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command
from django.http import HttpRequest  # axes counts sign-ins per request; a blank one outside views

from assessment.demo import DEMO_ADMIN, DEMO_ORGANISATIONS, DEMO_PASSWORD, demo_sign_ins
from assessment.models import Answer, AnswerChange, Assessment, Membership, Organisation, Snapshot
from assessment.reporting.datasets import score_frame, submitted_answers, trend_families
from assessment.reporting.progress import progress
from assessment.reporting.scores import result_for
from assessment.scoring import Finding
from trends.maturity import DONT_KNOW, NOT_APPLICABLE
from trends.models import Edition, Question, Trend, TrendDependency

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def run(command: str, **options) -> str:
    out = StringIO()
    call_command(command, stdout=out, **options)
    return out.getvalue()


NAMED = [slug for _, slug, *_ in DEMO_ORGANISATIONS]


def test_load_content_loads_trends_dependencies_and_the_2024_edition(empty_database):
    output = run("load_content")

    assert Trend.objects.count() == 10
    assert TrendDependency.objects.count() == 24
    assert Edition.objects.get(slug="digital-trends-2024").questions.count() == 80
    assert "Loaded Digital Trends 2024 with 80 questions." in output


def test_load_content_again_keeps_what_admins_changed(empty_database):
    run("load_content")
    Question.objects.filter(key="ai-01").update(statement="Curated by an admin.")
    Trend.objects.filter(slug="ai").update(title="AI")

    output = run("load_content")

    assert Question.objects.get(key="ai-01").statement == "Curated by an admin."
    assert Trend.objects.get(slug="ai").title == "AI"
    assert Question.objects.count() == 80 + 21  # the 2024 and 2023 editions, once each
    assert "already loaded" in output


def test_seed_demo_creates_a_working_admin_sign_in(settings):
    settings.DEBUG = True
    username, _, password = DEMO_ADMIN

    output = run("seed_demo")

    user = authenticate(HttpRequest(), username=username, password=password)
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
            assert authenticate(
                HttpRequest(), username=membership.user.username, password=DEMO_PASSWORD
            )
    assert DEMO_PASSWORD in output


def test_seed_demo_starts_one_assessment_and_submits_another(settings, content):
    settings.DEBUG = True

    run("seed_demo")
    run("seed_demo")

    ashdown = Assessment.objects.get(organisation__slug="ashdown")
    answered = ashdown.answers.exclude(response="").count()
    assert 0 < answered < content.questions.count()
    northshire = Assessment.objects.get(organisation__slug="northshire", edition=content)
    assert northshire.is_submitted
    assert northshire.snapshots.count() == 1
    result = result_for(northshire)
    assert result.balance.finding == "masking"
    assert Membership.objects.filter(role="lead").count() == Organisation.objects.count()
    # Northshire also submitted 2023, so its report has a progress section. The 2023 edition
    # asked one to four questions a trend, and in no trend do 3 of them carry on into 2024:
    # not enough ground to compare any trend, and each says why.
    earlier = progress(northshire, result)
    assert earlier.previous is not None and earlier.previous.edition.year == 2023
    assert earlier.previous.is_submitted and earlier.previous.snapshots.count() == 1
    assert len(earlier.changes) == 10 and not earlier.any_comparable
    assert all(change.how.startswith("Not comparable: ") for change in earlier.changes)
    assert {change.linked for change in earlier.changes} <= {0, 1, 2, 3}


def test_seed_demo_twice_leaves_one_admin_with_the_printed_password(settings):
    settings.DEBUG = True
    username, _, password = DEMO_ADMIN
    run("seed_demo")
    get_user_model().objects.filter(username=username).update(is_active=False)

    run("seed_demo")

    assert get_user_model().objects.filter(username=username).count() == 1
    assert authenticate(HttpRequest(), username=username, password=password) is not None


def test_seed_demo_gives_every_demo_person_a_name_of_their_own(settings, content):
    settings.DEBUG = True

    output = run("seed_demo")

    people = get_user_model().objects.filter(membership__isnull=False)
    names = [person.get_full_name() for person in people]
    assert len(names) == 3 * len(DEMO_ORGANISATIONS)
    assert len(set(names)) == len(names)
    assert all(name.strip() for name in names)
    # Usernames stay as they were: council slug and role.
    assert {p.username for p in people} == {
        f"{slug}-{role}" for _, slug, *_ in DEMO_ORGANISATIONS for role in Membership.Role
    }
    for person in people:
        assert f"{person.get_full_name()}, {person.membership.organisation.name}" in output


def test_seed_demo_names_the_same_people_every_time(settings, content):
    settings.DEBUG = True
    names = get_user_model().objects.values_list("username", "first_name", "last_name")
    run("seed_demo")
    first = set(names)

    run("seed_demo")

    assert set(names) == first
    assert {(p.username, p.first_name, p.last_name) for p in demo_sign_ins()} <= first


@pytest.mark.parametrize(("options", "port"), [({}, 8000), ({"port": 8123}, 8123)])
def test_seed_demo_prints_addresses_on_the_port_it_is_given(settings, content, options, port):
    settings.DEBUG = True

    output = run("seed_demo", **options)

    assert f"Sign in at http://127.0.0.1:{port}/sign-in/" in output
    assert f"http://127.0.0.1:{port}/admin/" in output


def test_make_run_seeds_and_serves_on_the_same_port():
    # `make run PORT=…` passes its port to seed_demo (for the addresses it prints) and to
    # scripts/serve.sh (for the server): both from the one variable, 8000 unless set.
    makefile = (ROOT / "Makefile").read_text().splitlines()
    serve = (ROOT / "scripts" / "serve.sh").read_text().splitlines()

    assert "PORT ?= 8000" in makefile
    assert any("seed_demo" in line and "--port $(PORT)" in line for line in makefile)
    assert any("PORT=$(PORT) scripts/serve.sh" in line for line in makefile)
    assert 'PORT="${PORT:-8000}"' in serve
    assert any("runserver" in line and "${PORT}" in line for line in serve)


def test_seed_demo_refuses_to_run_in_production(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="only runs with DEBUG on"):
        run("seed_demo")

    assert not get_user_model().objects.exists()


# Fictional peers (`--organisations`) ---------------------------------------------------------


def peers():
    return Organisation.objects.exclude(slug__in=NAMED)


def peer_answers() -> list[tuple]:
    return list(
        Answer.objects.filter(assessment__organisation__in=peers())
        .order_by("assessment__organisation__slug", "assessment__edition__year", "question__key")
        .values_list(
            "assessment__organisation__slug",
            "assessment__edition__slug",
            "question__key",
            "response",
            "not_applicable_reason",
            "evidence",
        )
    )


def test_seed_demo_creates_peers_each_with_two_submitted_assessments_and_no_sign_ins(
    settings, content
):
    settings.DEBUG = True
    earlier = Edition.objects.get(slug="digital-trends-2023")

    output = run("seed_demo", organisations=12, editions=2)

    assert peers().count() == 12
    assert "12 fictional peer organisations" in output
    for organisation in peers():
        assert not organisation.memberships.exists()
        assessments = organisation.assessments.select_related("edition")
        assert {a.edition for a in assessments} == {content, earlier}
        for assessment in assessments:
            assert assessment.is_submitted
            assert assessment.snapshots.count() == 1
            assert assessment.answers.count() == assessment.edition.questions.count()
        later, before = sorted(assessments, key=lambda a: -a.edition.year)
        assert before.submitted_at < later.submitted_at
    assert len({o.kind for o in peers()}) >= 3
    assert len({o.region for o in peers()}) >= 3
    for organisation in peers().filter(kind=Organisation.Kind.WELSH):
        assert (organisation.nation, organisation.region) == ("wales", "Wales")


def test_seed_demo_peers_answer_plausibly_and_improve_since_2023(settings, content):
    settings.DEBUG = True

    run("seed_demo", organisations=12, editions=2)

    ids = set(peers().values_list("pk", flat=True))
    overall = {}
    for edition in Edition.objects.filter(slug__in=["digital-trends-2023", "digital-trends-2024"]):
        scores = score_frame(submitted_answers(edition), trend_families())
        overall[edition.year] = scores[scores["organisation"].isin(ids)]["overall"]
    assert overall[2024].nunique() == 12 and overall[2024].std() > 5
    assert overall[2024].mean() > overall[2023].mean()
    answers = Answer.objects.filter(assessment__organisation__in=peers())
    not_applicable = answers.filter(response=NOT_APPLICABLE)
    assert not_applicable.exists()
    assert not not_applicable.filter(not_applicable_reason="").exists()
    assert answers.filter(response=DONT_KNOW).exists()
    assert 0 < answers.exclude(evidence="").count() < answers.count() / 2
    # Strong IT masking weaker digital practice, the report's key caution, in some but not all.
    findings = [
        result_for(a).balance.finding
        for a in Assessment.objects.filter(organisation__in=peers(), edition=content)
    ]
    assert 0 < findings.count(Finding.MASKING) < len(findings) / 2


def test_seed_demo_peers_again_changes_nothing_and_more_keeps_the_first(settings, content):
    settings.DEBUG = True
    run("seed_demo", organisations=12, editions=2)
    first = list(peers().order_by("slug").values())
    answers = peer_answers()

    output = run("seed_demo", organisations=12, editions=2)

    assert "(0 new this time)" in output
    assert list(peers().order_by("slug").values()) == first
    assert peer_answers() == answers
    assert Snapshot.objects.filter(assessment__organisation__in=peers()).count() == 24
    assert AnswerChange.objects.filter(answer__assessment__organisation__in=peers()).count() == (
        len(answers)
    )

    run("seed_demo", organisations=15, editions=2)

    assert peers().count() == 15
    assert [a for a in peer_answers() if a[0] in {o["slug"] for o in first}] == answers


def test_seed_demo_adds_the_2023_assessments_to_peers_seeded_with_one_edition(settings, content):
    settings.DEBUG = True
    run("seed_demo", organisations=3, editions=1)
    seeded = Assessment.objects.filter(organisation__in=peers())
    assert list(seeded.values_list("edition__year", flat=True)) == [2024] * 3
    answers_2024 = peer_answers()

    run("seed_demo", organisations=3, editions=2)

    assert sorted(seeded.values_list("edition__year", flat=True)) == [2023] * 3 + [2024] * 3
    assert [a for a in peer_answers() if a[1] == content.slug] == answers_2024


def test_seed_demo_asks_for_the_content_when_the_2023_edition_is_missing(settings, content):
    settings.DEBUG = True
    Edition.objects.filter(slug="digital-trends-2023").delete()

    with pytest.raises(CommandError, match=r"run `manage\.py load_content` first"):
        run("seed_demo", organisations=3, editions=2)

    assert not peers().exists()


def test_seed_demo_refuses_to_seed_peers_in_production(settings, content):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="only runs with DEBUG on"):
        run("seed_demo", organisations=12, editions=2)

    assert not Organisation.objects.exists()
