"""The demo: its named councils and sign-ins, and fictional peer organisations with submitted
assessments, for the demo and timing scripts.

The named councils and their people (`DEMO_ORGANISATIONS`, `DEMO_PEOPLE`) are what `seed_demo`
makes and prints, and what the sign-in page lists with DEBUG on (`demo_sign_ins`): one source,
so the two never disagree. Their passwords are published here, so they exist only with DEBUG on.

`seed_demo --organisations N` calls `seed_peers`. The organisations are invented (names built
from a fixed word list, never a real council's) and have no members: they are there so that
peer comparisons and the sector overview have plausible, varied data to show. Their answers come
from a small model:

- each organisation has a latent maturity (a little higher for larger types of council), an
  amount by which its technology practice leads its digital practice (about one in seven has
  strong IT and much weaker digital practice, the report's key caution), family and trend
  effects, and noise per question;
- a question that continues one of an earlier edition keeps part of its noise, so answers carry
  over between years; an earlier edition is answered as the organisation was then, usually a
  little less mature;
- a few answers are "not applicable" (with a reason) or "don't know"; an evidence note is the
  likelier the higher the level.

Everything is drawn from `random.Random` seeded by the organisation's and the edition's slugs,
or from a hash of the slugs and question keys, so the same command makes the same data on any
machine, and the first N organisations are the same whatever N is.
"""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from statistics import NormalDist
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.text import slugify

from assessment.models import (
    Answer,
    AnswerChange,
    Assessment,
    AssessmentEvent,
    Membership,
    Organisation,
    Snapshot,
)
from assessment.reporting.scores import questionnaire_for, take_snapshot
from trends.maturity import DONT_KNOW, NOT_APPLICABLE
from trends.models import Edition, Family, Question

if TYPE_CHECKING:
    from django.contrib.auth.models import User

SEED = "digital-maturity-demo"
MAX_PEERS = 4000  # every public body; the word list makes far more names

Kind = Organisation.Kind
Band = Organisation.PopulationBand
Role = Membership.Role

# The demo's sign-ins --------------------------------------------------------------------------

DEMO_ADMIN = ("admin", "admin@example.gov.uk", "demo-admin-password")  # username, email, password
DEMO_PASSWORD = "demo-council-password"  # every council user's

# Fictional councils of different types and regions, each with an officer, a lead and a viewer.
DEMO_ORGANISATIONS = [
    (
        "Ashdown District Council",
        "ashdown",
        Kind.DISTRICT,
        "england",
        "South East",
        Band.UNDER_100K,
    ),
    (
        "Northshire County Council",
        "northshire",
        Kind.COUNTY,
        "england",
        "East Midlands",
        Band.FROM_500K,
    ),
    (
        "Kingsmere Metropolitan Borough Council",
        "kingsmere",
        Kind.METROPOLITAN,
        "england",
        "North West",
        Band.FROM_250K,
    ),
    (
        "Glanmor County Council",
        "glanmor",
        Kind.WELSH,
        "wales",
        "Wales",
        Band.FROM_100K,
    ),
]
# Each council's people, by the council's slug: (role, first name, last name). No two share a
# name, so a name on a page or in an answer's history is one person; each begins with its role's
# initial (Officer, Lead, Viewer), so a demo audience can tell who is signed in.
DEMO_PEOPLE = {
    "ashdown": [
        (Role.OFFICER, "Olivia", "Okafor"),
        (Role.LEAD, "Liam", "Lewis"),
        (Role.VIEWER, "Vera", "Varga"),
    ],
    "northshire": [
        (Role.OFFICER, "Omar", "Osei"),
        (Role.LEAD, "Lucy", "Lam"),
        (Role.VIEWER, "Victor", "Vance"),
    ],
    "kingsmere": [
        (Role.OFFICER, "Orla", "O'Neill"),
        (Role.LEAD, "Leon", "Lindqvist"),
        (Role.VIEWER, "Valentina", "Vega"),
    ],
    "glanmor": [
        (Role.OFFICER, "Owain", "Owens"),
        (Role.LEAD, "Lowri", "Llewellyn"),
        (Role.VIEWER, "Vikram", "Varma"),
    ],
}


@dataclass(frozen=True)
class DemoSignIn:
    """One council user `seed_demo` makes; all of them sign in with `DEMO_PASSWORD`."""

    username: str
    role: Membership.Role
    first_name: str
    last_name: str
    organisation: str  # its name
    email: str


def demo_sign_ins() -> list[DemoSignIn]:
    """Every demo council user, council by council, in the order `seed_demo` prints them."""
    return [
        DemoSignIn(
            username=f"{slug}-{role}",
            role=role,
            first_name=first,
            last_name=last,
            organisation=name,
            email=f"{role}@{slug}.example.gov.uk",
        )
        for name, slug, *_ in DEMO_ORGANISATIONS
        for role, first, last in DEMO_PEOPLE[slug]
    ]


# Fictional peers ------------------------------------------------------------------------------

# Place names are an invented stem and ending ("Thorn" + "bury"), often with a landscape word
# ("Thornbury Vale"): plausible, and none of them a real council's name.
ENGLISH_STEMS = (
    "Thorn",
    "Bracken",
    "Elder",
    "Hazel",
    "Rowan",
    "Alder",
    "Wren",
    "Kestrel",
    "Heron",
    "Lark",
    "Sorrel",
    "Yarrow",
    "Fern",
    "Linnet",
    "Teasel",
    "Medlar",
    "Osier",
    "Tansy",
    "Willow",
    "Plover",
)
ENGLISH_ENDINGS = ("bury", "mere", "wick", "ley", "combe", "stead", "dale", "holm", "worth", "by")
LANDSCAPES = ("Vale", "Downs", "Heath", "Marsh", "Wold", "Fen", "Weald", "Moor")
DIRECTIONS = ("North", "South", "East", "West")
WELSH_STEMS = ("Aber", "Llan", "Pen", "Cwm", "Bryn", "Caer", "Tre", "Glyn", "Rhos", "Nant")
WELSH_ENDINGS = ("wen", "fawr", "gwyn", "ddu", "hir", "glas", "teg", "isaf", "uchaf", "mawr")
SCOTTISH_STEMS = ("Glen", "Strath", "Inver", "Bal", "Auchen", "Kil", "Dun", "Loch")
SCOTTISH_ENDINGS = ("muir", "carron", "lochy", "brae", "haugh", "dorran", "allan", "garry")
NI_STEMS = ("Bally", "Drum", "Ard", "Knock", "Lis", "Clon", "Tully", "Dern")
NI_ENDINGS = ("glen", "keel", "brack", "whin", "more", "lea")

ENGLISH_REGIONS = (
    "North East",
    "North West",
    "Yorkshire and the Humber",
    "East Midlands",
    "West Midlands",
    "East of England",
    "London",
    "South East",
    "South West",
)
SHIRES = ("East Midlands", "East of England", "South East", "South West", "West Midlands")
METROPOLITAN = ("North East", "North West", "Yorkshire and the Humber", "West Midlands")


@dataclass(frozen=True)
class KindProfile:
    """Where a type of organisation is, how big it is, how common, and its lean in maturity."""

    weight: int  # roughly how common among UK councils
    nation: str
    regions: tuple[str, ...]
    bands: tuple[tuple[str, int], ...]  # (population band, how common)
    maturity: float  # added to each organisation's latent maturity, in levels


KINDS: dict[str, KindProfile] = {
    Kind.DISTRICT: KindProfile(
        40, "england", (*SHIRES, "North West"), ((Band.UNDER_100K, 45), (Band.FROM_100K, 55)), -0.2
    ),
    Kind.COUNTY: KindProfile(5, "england", SHIRES, ((Band.FROM_500K, 7), (Band.OVER_1M, 3)), 0.1),
    Kind.UNITARY: KindProfile(
        16,
        "england",
        tuple(r for r in ENGLISH_REGIONS if r != "London"),
        ((Band.FROM_100K, 45), (Band.FROM_250K, 40), (Band.FROM_500K, 15)),
        0.1,
    ),
    Kind.METROPOLITAN: KindProfile(
        9,
        "england",
        METROPOLITAN,
        ((Band.FROM_100K, 35), (Band.FROM_250K, 50), (Band.FROM_500K, 12), (Band.OVER_1M, 3)),
        0.1,
    ),
    Kind.LONDON_BOROUGH: KindProfile(
        8, "england", ("London",), ((Band.FROM_100K, 35), (Band.FROM_250K, 65)), 0.2
    ),
    Kind.WELSH: KindProfile(
        6,
        "wales",
        ("Wales",),
        ((Band.UNDER_100K, 30), (Band.FROM_100K, 55), (Band.FROM_250K, 15)),
        0.0,
    ),
    Kind.SCOTTISH: KindProfile(
        8,
        "scotland",
        ("Scotland",),
        ((Band.UNDER_100K, 35), (Band.FROM_100K, 40), (Band.FROM_250K, 20), (Band.FROM_500K, 5)),
        0.0,
    ),
    Kind.NORTHERN_IRELAND: KindProfile(
        3,
        "northern_ireland",
        ("Northern Ireland",),
        ((Band.FROM_100K, 8), (Band.FROM_250K, 2)),
        -0.1,
    ),
    Kind.COMBINED_AUTHORITY: KindProfile(
        2,
        "england",
        (*METROPOLITAN, "East Midlands"),
        ((Band.FROM_500K, 3), (Band.OVER_1M, 7)),
        0.15,
    ),
}

NOT_APPLICABLE_REASONS = (
    "A shared service run with neighbouring councils covers this for us.",
    "The county council provides this for the whole area, not us.",
    "We do not run this service; it is delivered by an arm's-length company.",
    "Outsourced under a long-term contract that sets how this is done.",
    "Not one of our functions: the combined authority leads on this.",
)
EVIDENCE_NOTES = (
    "{trend}: paper to the corporate leadership team, {year}.",
    "Digital strategy {year}, approved by cabinet; see the section on {trend}.",
    "Internal audit report on {trend}, {year}.",
    "Minutes of the digital board, {year}, with the agreed actions.",
    "Service plan {year} and quarterly performance report.",
    "Peer review feedback, {year}.",
)

# The answers model, in levels (0 to 4). Chosen so a typical council is "Developing" in 2024
# and about a quarter of reports warn that technology is well ahead of digital (one in seven
# by design, the rest by chance); tuned by eye, not fitted to any data.
TYPICAL_LEVEL = 1.9
MASKING_SHARE = 0.15
NOT_APPLICABLE_RATE = 0.015
BASE_YEAR = 2024  # the year an organisation's latent maturity describes


@dataclass(frozen=True)
class PeerSpec:
    name: str
    slug: str
    kind: str
    nation: str
    region: str
    population_band: str


def peer_specs(count: int) -> list[PeerSpec]:
    """The first `count` fictional organisations: always the same, each name and slug unique."""
    rng = random.Random(SEED)
    kinds = list(KINDS)
    weights = [KINDS[k].weight for k in kinds]
    specs: list[PeerSpec] = []
    names: set[str] = set()
    slugs: set[str] = set()
    while len(specs) < count:
        for _ in range(100):
            kind = rng.choices(kinds, weights)[0]
            profile = KINDS[kind]
            name = _name(kind, rng)
            if name not in names and slugify(name) not in slugs:
                break
        else:
            raise ValueError(f"Ran out of fictional names after {len(specs)} organisations.")
        bands, band_weights = zip(*profile.bands, strict=True)
        specs.append(
            PeerSpec(
                name=name,
                slug=slugify(name),
                kind=kind,
                nation=profile.nation,
                region=rng.choice(profile.regions),
                population_band=rng.choices(bands, band_weights)[0],
            )
        )
        names.add(name)
        slugs.add(slugify(name))
    return specs


def _name(kind: str, rng: random.Random) -> str:
    if kind == Kind.WELSH:
        place = rng.choice(WELSH_STEMS) + rng.choice(WELSH_ENDINGS)
        return f"{place} {rng.choice(('County', 'County Borough'))} Council"
    if kind == Kind.SCOTTISH:
        first, second = (rng.choice(SCOTTISH_STEMS) + rng.choice(SCOTTISH_ENDINGS) for _ in "ab")
        return f"{first} Council" if rng.random() < 0.6 else f"{first} and {second} Council"
    if kind == Kind.NORTHERN_IRELAND:
        first, second = (rng.choice(NI_STEMS) + rng.choice(NI_ENDINGS) for _ in "ab")
        return f"{first} and {second} {rng.choice(('District', 'Borough'))} Council"
    if kind == Kind.COUNTY:
        direction = rng.choice((*DIRECTIONS, ""))
        return f"{direction} {rng.choice(ENGLISH_STEMS)}shire County Council".lstrip()
    place = rng.choice(ENGLISH_STEMS) + rng.choice(ENGLISH_ENDINGS)
    if rng.random() < 0.5:
        place += " " + rng.choice(LANDSCAPES)
    if kind == Kind.DISTRICT:
        return f"{place} {rng.choice(('District', 'Borough'))} Council"
    if kind == Kind.METROPOLITAN:
        return f"{place} Metropolitan Borough Council"
    if kind == Kind.LONDON_BOROUGH:
        return f"London Borough of {place}"
    if kind == Kind.COMBINED_AUTHORITY:
        return f"{place} Combined Authority"
    return f"{place} Council"  # a unitary authority


# Writing --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Submission:
    """A submitted assessment to record: its answers as (question, response, reason, evidence)."""

    organisation: Organisation
    edition: Edition
    started_at: datetime
    submitted_at: datetime
    answers: list[tuple[Question, str, str, str]]
    by: User | None = None  # who answered and submitted it, if anyone


@transaction.atomic
def record_submissions(submissions: Sequence[Submission]) -> list[Assessment]:
    """Write submitted assessments in bulk, as the officer's journey would have left them.

    Answers saved once (with their history), the started and submitted events, and a snapshot
    from `take_snapshot`, as submitting makes, dated when the assessment was submitted.
    """
    if not submissions:
        return []
    assessments = Assessment.objects.bulk_create(
        Assessment(
            organisation=s.organisation,
            edition=s.edition,
            status=Assessment.Status.SUBMITTED,
            started_by=s.by,
            submitted_at=s.submitted_at,
        )
        for s in submissions
    )
    for assessment, submission in zip(assessments, submissions, strict=True):
        assessment.created_at = submission.started_at  # auto_now_add set it to now
    Assessment.objects.bulk_update(assessments, ["created_at"], batch_size=500)

    answers = []
    for assessment, s in zip(assessments, submissions, strict=True):
        answered_at = s.started_at + (s.submitted_at - s.started_at) / 2
        answers += [
            Answer(
                assessment=assessment,
                question=question,
                response=response,
                not_applicable_reason=reason,
                evidence=evidence,
                version=1,
                updated_by=s.by,
                updated_at=answered_at,
            )
            for question, response, reason, evidence in s.answers
        ]
    Answer.objects.bulk_create(answers, batch_size=2000)
    AnswerChange.objects.bulk_create(
        (
            AnswerChange(
                answer=a,
                version=1,
                changed_by=a.updated_by,
                changed_at=a.updated_at,
                new_response=a.response,
                new_reason=a.not_applicable_reason,
                new_evidence=a.evidence,
            )
            for a in answers
        ),
        batch_size=2000,
    )
    AssessmentEvent.objects.bulk_create(
        AssessmentEvent(assessment=assessment, kind=kind, by=s.by, at=at)
        for assessment, s in zip(assessments, submissions, strict=True)
        for kind, at in (
            (AssessmentEvent.Kind.STARTED, s.started_at),
            (AssessmentEvent.Kind.SUBMITTED, s.submitted_at),
        )
    )
    questionnaires = {e.pk: questionnaire_for(e) for e in {s.edition for s in submissions}}
    snapshots = [take_snapshot(a, questionnaires[a.edition.pk]) for a in assessments]
    for snapshot, submission in zip(snapshots, submissions, strict=True):
        snapshot.taken_at = submission.submitted_at
    Snapshot.objects.bulk_update(snapshots, ["taken_at"], batch_size=500)
    return assessments


@transaction.atomic
def seed_peers(count: int, editions: Sequence[Edition]) -> tuple[int, int]:
    """Create the first `count` fictional organisations that are missing, and for each a
    submitted assessment of each edition it has not got. Existing ones are left as they are.

    Returns how many organisations and assessments were created.
    """
    specs = peer_specs(count)
    existing = {o.slug: o for o in Organisation.objects.only("slug", "name", "kind")}
    taken_names = {o.name for o in existing.values()}
    new = [
        Organisation(
            name=s.name,
            slug=s.slug,
            kind=s.kind,
            nation=s.nation,
            region=s.region,
            population_band=s.population_band,
        )
        for s in specs
        if s.slug not in existing and s.name not in taken_names
    ]
    Organisation.objects.bulk_create(new)
    peers = [existing[s.slug] for s in specs if s.slug in existing] + new

    roots = _lineage_roots()
    submissions = []
    for edition in editions:
        answered = set(
            Assessment.objects.filter(edition=edition).values_list("organisation_id", flat=True)
        )
        questions = list(
            edition.questions.select_related("trend").order_by(
                "trend__family", "trend__number", "order", "key"
            )
        )
        for organisation in peers:
            if organisation.pk in answered:
                continue
            profile = _profile(organisation)
            rng = random.Random(f"{SEED}/{organisation.slug}/{edition.slug}")
            submitted_at = _submitted_at(rng, edition.year)
            submissions.append(
                Submission(
                    organisation=organisation,
                    edition=edition,
                    started_at=submitted_at - timedelta(days=rng.randint(14, 90)),
                    submitted_at=submitted_at,
                    answers=_answers(profile, questions, roots, rng, edition.year),
                )
            )
    record_submissions(submissions)
    return len(new), len(submissions)


def _submitted_at(rng: random.Random, year: int) -> datetime:
    # Most submit in spring or summer of the edition's year.
    day = datetime(year, 3, 1, 9, tzinfo=UTC) + timedelta(days=rng.randint(0, 150))
    return day + timedelta(hours=rng.randint(0, 8), minutes=rng.randint(0, 59))


# The answers model ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Profile:
    slug: str
    maturity: float
    technology_lead: float  # levels by which technology practice leads digital practice
    families: dict[str, float]  # correlated: a shift for each family, then one for each trend
    growth: float  # levels gained a year
    dont_know: float  # chance of "don't know" on a question
    evidence: float  # how readily it notes evidence


def _profile(organisation: Organisation) -> Profile:
    rng = random.Random(f"{SEED}/{organisation.slug}")
    kind = KINDS.get(organisation.kind)
    maturity = rng.gauss(0, 0.55) + (kind.maturity if kind else 0)
    masking = rng.random() < MASKING_SHARE
    return Profile(
        slug=organisation.slug,
        maturity=maturity,
        technology_lead=rng.gauss(1.2, 0.25) if masking else rng.gauss(-0.1, 0.25),
        families={family: rng.gauss(0, 0.12) for family in Family.values},
        growth=rng.gauss(0.3, 0.25),
        dont_know=min(0.12, max(0.005, 0.05 - 0.03 * maturity)),
        evidence=min(0.8, max(0.05, 0.35 + 0.2 * maturity)),
    )


def _answers(
    profile: Profile,
    questions: list[Question],
    roots: dict[int, str],
    rng: random.Random,
    year: int,
) -> list[tuple[Question, str, str, str]]:
    answers = []
    for question in questions:
        trend = question.trend
        if rng.random() < NOT_APPLICABLE_RATE:
            answers.append((question, NOT_APPLICABLE, rng.choice(NOT_APPLICABLE_REASONS), ""))
            continue
        if rng.random() < profile.dont_know:
            answers.append((question, DONT_KNOW, "", ""))
            continue
        root = roots[question.pk]
        lead = profile.technology_lead / 2
        level = (
            TYPICAL_LEVEL
            + profile.maturity
            + profile.families.get(trend.family, 0)
            + (lead if trend.family == Family.TECHNOLOGY else -lead)
            + 0.25 * _normal("trend", trend.slug)  # some trends are harder across the sector
            + 0.3 * _normal(profile.slug, "trend", trend.slug)
            + 0.25 * _normal("question", root)
            + 0.45 * _normal(profile.slug, root)  # carries over to the question continuing it
            + rng.gauss(0, 0.4)
            - profile.growth * (BASE_YEAR - year)  # less mature before, more after
        )
        points = min(4, max(0, math.floor(level + 0.5)))
        evidence = ""
        if rng.random() < profile.evidence * (0.25 + 0.75 * points / 4):
            evidence = rng.choice(EVIDENCE_NOTES).format(trend=trend.title, year=year)
        answers.append((question, str(points), "", evidence))
    return answers


def _normal(*parts: str) -> float:
    """A standard normal value fixed by `parts`, whatever else has been drawn."""
    digest = hashlib.blake2b("/".join((SEED, *parts)).encode(), digest_size=8).digest()
    return NormalDist().inv_cdf((int.from_bytes(digest) + 0.5) / 2**64)


def _lineage_roots() -> dict[int, str]:
    """Each question's earliest ancestor through lineage, as "edition/key": one query."""
    rows = list(Question.objects.values_list("pk", "continues_id", "edition__slug", "key"))
    parent = {pk: continues for pk, continues, _, _ in rows}
    names = {pk: f"{edition}/{key}" for pk, _, edition, key in rows}
    roots = {}
    for pk in parent:
        step, seen = pk, set()
        while parent.get(step) is not None and step not in seen:
            seen.add(step)
            step = parent[step]
        roots[pk] = names[step]
    return roots
