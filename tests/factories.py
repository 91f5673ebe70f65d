"""Plain helpers that make test objects with sensible defaults: override what a test is about."""

from itertools import count

from django.contrib.auth import get_user_model
from django.utils import timezone

from assessment.models import Answer, Assessment, Membership, Organisation
from assessment.workflow import AnswerInput, save_answers, submit_assessment
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


def continue_from_an_earlier_edition(edition: Edition, trend_slug: str, *, count: int = 0):
    """A retired 2019 edition whose questions of the trend this edition's continue: the first
    half of the trend's questions, at least three (enough ground for progress to compare), or
    `count` of them; the trend's questions all weigh 1, so half the questions is half the
    weight. Returns the 2019 edition and this edition's continuing questions."""
    trend = Trend.objects.get(slug=trend_slug)
    questions = edition.questions.filter(trend=trend)
    questions.update(weight=1)
    count = count or max(3, (questions.count() + 1) // 2)
    older = Edition.objects.filter(slug="trends-2019").first() or make_edition(
        year=2019, slug="trends-2019", title="Trends 2019", status=Edition.Status.RETIRED
    )
    continuing = list(questions.order_by("order")[:count])
    for n, question in enumerate(continuing, start=1):
        question.continues = make_question(older, trend, key=f"old-{trend_slug}-{n}", weight=1)
        question.save()
    return older, continuing


def answer_and_submit(council) -> None:
    """The council's assessment answered throughout by its officer ("2" everywhere), then
    submitted by its lead, through the workflow as the pages do it."""
    save_answers(
        assessment=council.assessment,
        inputs=[AnswerInput(q, "2", "", "", 0) for q in council.assessment.edition.questions.all()],
        user=council.officer,
    )
    submit_assessment(assessment=council.assessment, user=council.lead)
