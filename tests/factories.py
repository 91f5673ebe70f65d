"""Plain helpers that make test objects with sensible defaults: override what a test is about."""

from itertools import count

from django.contrib.auth import get_user_model
from django.utils import timezone

from assessment.models import Answer, Assessment, Membership, Organisation
from trends.models import Edition, Family, Question, Trend

_n = count(1)


def make_trend(**fields) -> Trend:
    n = next(_n)
    defaults = {
        "family": Family.DIGITAL,
        "number": n,
        "title": f"Trend {n}",
        "slug": f"trend-{n}",
        "nutshell": "In a nutshell.",
        "overview": "Overview.",
        "risks": "Risks.",
        "early_benefits": "Benefits.",
        "citation": "Report, section",
    }
    return Trend.objects.create(**(defaults | fields))


def make_edition(**fields) -> Edition:
    n = next(_n)
    defaults = {"title": f"Edition {n}", "slug": f"edition-{n}", "year": 2024}
    return Edition.objects.create(**(defaults | fields))


def make_question(edition: Edition, trend: Trend, **fields) -> Question:
    n = next(_n)
    defaults = {
        "key": f"q-{n}",
        "source": Question.Source.WHERE_TO_START,
        "order": n,
        "statement": f"We do thing {n}.",
        "guidance": "Good looks like this.",
        "action": "Do the thing.",
        "citation": "Report, section",
    }
    return Question.objects.create(edition=edition, trend=trend, **(defaults | fields))


def make_organisation(**fields) -> Organisation:
    n = next(_n)
    defaults = {
        "name": f"Council {n}",
        "slug": f"council-{n}",
        "kind": Organisation.Kind.DISTRICT,
        "nation": Organisation.Nation.ENGLAND,
        "region": "South East",
        "population_band": Organisation.PopulationBand.FROM_100K,
    }
    return Organisation.objects.create(**(defaults | fields))


def make_assessment(edition: Edition, **fields) -> Assessment:
    organisation = fields.pop("organisation", None) or make_organisation()
    return Assessment.objects.create(organisation=organisation, edition=edition, **fields)


PASSWORD = "a-long-test-password"


def make_member(organisation: Organisation, role: str, **fields):
    n = next(_n)
    user = get_user_model().objects.create_user(
        username=fields.pop("username", f"{role}-{n}"), password=PASSWORD, **fields
    )
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


def make_submitted_assessment(edition: Edition, levels: dict[str, str], **organisation):
    """A submitted assessment of a new organisation, answering every question of each named
    trend with the one response given for it (a level "0"-"4", "na" or "dont_know")."""
    assessment = make_assessment(
        edition,
        organisation=make_organisation(**organisation),
        status=Assessment.Status.SUBMITTED,
        submitted_at=timezone.now(),
    )
    Answer.objects.bulk_create(
        Answer(assessment=assessment, question=q, response=levels[q.trend.slug])
        for q in edition.questions.select_related("trend")
        if q.trend.slug in levels
    )
    return assessment
