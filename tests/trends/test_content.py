"""The shipped editions, 2024 and 2023 before it, are complete, cited and load with `loaddata`."""

import json
import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command

from assessment.reporting.progress import MIN_CONTINUED, MIN_WEIGHT_SHARE
from trends.editions import publication_problems
from trends.maturity import Level
from trends.models import Edition, Family, Question, Trend, TrendDependency

pytestmark = pytest.mark.django_db

DIGITAL = [
    "public-good",
    "reimagining-services",
    "community-resilience",
    "leadership",
    "skills-capacity",
]
TECHNOLOGY = ["ai", "data", "cyber", "geospatial", "infrastructure-cloud"]

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "fixtures"
# The source documents sit beside the repository, not in it (see docs/content.md).
SEEDS = REPO.parent / "shared" / "seeds"


def test_fixtures_load_with_loaddata():
    call_command("loaddata", "trends", "editions/digital-trends-2024", verbosity=0)

    assert Trend.objects.count() == 10
    assert Edition.objects.get(slug="digital-trends-2024").status == Edition.Status.PUBLISHED


def every_content_row() -> list:
    return [
        list(model.objects.order_by("pk").values())
        for model in (Trend, TrendDependency, Edition, Question)
    ]


def test_loading_twice_changes_nothing():
    call_command("loaddata", "trends", "editions/digital-trends-2024", verbosity=0)
    first = every_content_row()

    call_command("loaddata", "trends", "editions/digital-trends-2024", verbosity=0)

    assert every_content_row() == first


def test_five_digital_and_five_technology_trends_numbered_as_in_the_report(content):
    for family, slugs in [(Family.DIGITAL, DIGITAL), (Family.TECHNOLOGY, TECHNOLOGY)]:
        trends = Trend.objects.filter(family=family).order_by("number")
        assert [t.slug for t in trends] == slugs
        assert [t.number for t in trends] == [1, 2, 3, 4, 5]


def test_every_trend_has_a_question_from_each_source(content):
    for trend in Trend.objects.all():
        sources = set(content.questions.filter(trend=trend).values_list("source", flat=True))
        assert sources == {Question.Source.WHERE_TO_START, Question.Source.CIO_ADVICE}, trend


def test_the_questionnaire_has_a_realistic_length(content):
    assert 50 <= content.questions.count() <= 80


# Where a 2024 question may come from: a trend summary's "Where to start" or "Advice" list (the
# heading must match the question's source), or one of the report's cross-cutting sections.
TREND_SUMMARIES = {
    # Each summary's name as cited, with how many items its two lists have.
    "technology for public good": (3, 1),
    "reimagining places": (4, 3),
    "community resilience": (2, 2),
    "local and national leadership": (2, 2),
    "skills and capacity": (3, 2),
    "artificial intelligence": (4, 3),
    "harnessing data": (3, 2),
    "cyber protection": (3, 2),
    "geospatial technologies": (2, 2),
    "infrastructure and cloud": (2, 2),
}
HEADINGS = {
    Question.Source.WHERE_TO_START: "Where to start",
    Question.Source.CIO_ADVICE: "Advice for CIOs and digital leaders",
}
CROSS_CUTTING = {
    # "Creating the right climate for digital innovation is the starting point."
    "Harnessing digital innovation in public services in 2024": Question.Source.WHERE_TO_START,
    "Public sector CIOs and digital leaders in 2024": Question.Source.CIO_ADVICE,
    # A trend's own narrative list of what to do.
    "Technology for public good – Making IT a force for good in 2024": (
        Question.Source.WHERE_TO_START
    ),
}


def test_every_question_is_complete_and_cited(content):
    for q in content.questions.select_related("trend"):
        q.full_clean()
        # A statement to rate, not a question to answer.
        assert q.statement.endswith("."), q.key
        assert "?" not in q.statement, q.key
        section = next((s for s in CROSS_CUTTING if q.citation.startswith(s)), None)
        if section is not None:
            assert q.source == CROSS_CUTTING[section], q.key
            # The item, not just the part of the report.
            assert re.search(r"(point|theme)s? \d", q.citation), q.key
        else:
            assert q.citation.split(" – ")[0].lower() in TREND_SUMMARIES, q.citation
            assert "trend summary" in q.citation, q.key
            assert f"{HEADINGS[q.source]}, point " in q.citation, q.key


def test_every_item_of_every_trend_summary_is_asked(content):
    # 28 "Where to start" items and 21 pieces of advice: 49, each the citation of a question.
    asked = defaultdict(set)
    for citation in content.questions.values_list("citation", flat=True):
        summary = citation.split(" – ")[0].lower()
        for heading, point in re.findall(
            r"(Where to start|Advice for CIOs and digital leaders), point (\d+)", citation
        ):
            asked[summary, heading].add(int(point))

    for summary, (starts, advice) in TREND_SUMMARIES.items():
        assert asked[summary, "Where to start"] == set(range(1, starts + 1)), summary
        advised = asked[summary, "Advice for CIOs and digital leaders"]
        assert advised == set(range(1, advice + 1)), summary
    assert sum(s + a for s, a in TREND_SUMMARIES.values()) == 49


def test_questions_are_ordered_one_to_n_within_each_trend(content):
    for trend in Trend.objects.all():
        orders = list(content.questions.filter(trend=trend).values_list("order", flat=True))
        assert orders == list(range(1, len(orders) + 1)), trend


def test_weights_stay_in_the_range_the_2024_edition_uses(content):
    # 1, or 2 where the report calls a practice key or essential: a new question is no heavier.
    assert set(content.questions.values_list("weight", flat=True)) == {1, 2}


# Dependencies -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("foundation", "dependent"),
    [
        ("data", "ai"),
        ("data", "reimagining-services"),
        ("cyber", "community-resilience"),
        ("cyber", "infrastructure-cloud"),
        ("cyber", "ai"),
        ("leadership", "public-good"),
        ("leadership", "community-resilience"),
        ("leadership", "reimagining-services"),
        ("infrastructure-cloud", "reimagining-services"),
        ("infrastructure-cloud", "data"),
        ("infrastructure-cloud", "ai"),
    ],
)
def test_dependencies_taken_from_the_report(content, foundation, dependent):
    assert TrendDependency.objects.filter(
        foundation__slug=foundation, dependent__slug=dependent
    ).exists()


def test_skills_and_capacity_constrain_every_other_trend(content):
    dependents = set(
        TrendDependency.objects.filter(foundation__slug="skills-capacity").values_list(
            "dependent__slug", flat=True
        )
    )
    assert dependents == set(DIGITAL + TECHNOLOGY) - {"skills-capacity"}


def test_each_dependency_gives_its_own_reason_and_where_the_report_says_it(content):
    # A reason copied from link to link says nothing about either.
    rationales = list(TrendDependency.objects.values_list("rationale", flat=True))
    assert len(set(rationales)) == len(rationales)
    for dependency in TrendDependency.objects.select_related("foundation", "dependent"):
        assert dependency.citation.strip(), dependency
        assert dependency.rationale.endswith("."), dependency


def test_shipped_dependencies_are_valid_and_form_no_loop(content):
    for dependency in TrendDependency.objects.all():
        dependency.full_clean()


# A prerequisite holds back every action of its dependent while the foundation is weak, so only
# the links where the report says the foundation must be in place first (docs/content.md,
# "Dependencies, from the report", quotes each): the rest are enablers, which only break ties.
PREREQUISITES = {
    # "an essential preparatory step for adoption of new opportunities such as AI"
    ("data", "ai"),
    # Risks "lie more with the data quality and interpretation than the technology itself";
    # data "the foundation stone that needs to be put in place"
    ("data", "geospatial"),
    # "Well-designed infrastructure is the basis for managing" data across cloud and systems
    ("infrastructure-cloud", "data"),
}


def prerequisites() -> set[tuple[str, str]]:
    return set(
        TrendDependency.objects.filter(kind=TrendDependency.Kind.PREREQUISITE).values_list(
            "foundation__slug", "dependent__slug"
        )
    )


def test_only_what_the_report_says_must_come_first_is_a_prerequisite(content):
    assert prerequisites() == PREREQUISITES
    for dependency in TrendDependency.objects.filter(kind=TrendDependency.Kind.PREREQUISITE):
        # Each says why it is one, and where the report says so.
        assert dependency.rationale.startswith("A prerequisite: "), dependency
    # Skills and capacity constrain everything and leadership is "central to maximising":
    # neither puts its work before all of another trend's.
    for foundation in ("skills-capacity", "leadership"):
        kinds = TrendDependency.objects.filter(foundation__slug=foundation).values_list(
            "kind", flat=True
        )
        assert set(kinds) == {TrendDependency.Kind.ENABLER}, foundation


def test_the_shipped_prerequisites_form_no_cycle(content):
    # The model refuses a loop among all dependencies; a loop among prerequisites alone would
    # leave the action plan nothing to place first, so check them on their own too.
    edges = defaultdict(set)
    for foundation, dependent in prerequisites():
        edges[foundation].add(dependent)

    def reaches(start: str, target: str, seen: frozenset = frozenset()) -> bool:
        return any(
            nxt == target or (nxt not in seen and reaches(nxt, target, seen | {nxt}))
            for nxt in edges[start]
        )

    assert [slug for slug in DIGITAL + TECHNOLOGY if reaches(slug, slug)] == []


def test_no_prerequisite_puts_a_technology_trend_before_a_digital_one(content):
    # A deliberate choice: the report's technology-to-digital links are enablers ("a key
    # enabler", "central to maximising", data that helps redesign). And when good IT management
    # may be masking digital immaturity the action plan ignores such prerequisites anyway, so
    # shipping one would hold digital work back only when technology is weak.
    crossing = {
        (foundation, dependent)
        for foundation, dependent in prerequisites()
        if foundation in TECHNOLOGY and dependent in DIGITAL
    }
    assert crossing == set()


# Pace --------------------------------------------------------------------------------------

# The report calls AI exploratory for most councils in 2024 and geospatial a relatively new area:
# they start at Developing. The rest are 2024 priorities: Established.
DEFAULT_TARGETS = {slug: Level.ESTABLISHED for slug in DIGITAL + TECHNOLOGY} | {
    "ai": Level.DEVELOPING,
    "geospatial": Level.DEVELOPING,
}


def test_each_trend_starts_from_the_pace_the_report_asks_with_its_reason(content):
    trends = Trend.objects.all()

    assert {t.slug: t.default_target for t in trends} == DEFAULT_TARGETS
    for trend in trends:
        trend.full_clean()
        reason = trend.default_target_reason
        # One sentence, ending with the report sections it comes from in brackets.
        assert re.fullmatch(r"[A-Z][^()]+ \([^()]+\)\.", reason), trend


# Wording: in our own words -----------------------------------------------------------------

# "No run of more than 10 consecutive words": the shortest run refused is 11 words long.
RUN = 11
WORDED_FIELDS = {
    "statement",
    "guidance",
    "action",
    "nutshell",
    "overview",
    "risks",
    "early_benefits",
    "default_target_reason",
    "rationale",
}


def words(text: str) -> list[str]:
    """Lower-case words: "council's" and "councils" are one word, "low-code" two, as is 3.5."""
    text = text.lower().replace("’", "'").replace("‘", "'")
    text = re.sub(r"(?<=[a-z0-9])'(?=[a-z0-9])", "", text)
    return re.findall(r"[a-z0-9]+", text)


def runs(text: str) -> set[tuple[str, ...]]:
    found = words(text)
    return {tuple(found[i : i + RUN]) for i in range(len(found) - RUN + 1)}


def worded_texts() -> Iterator[tuple[str, str]]:
    """(where, text) for every text in every fixture that should be in our own words."""
    for path in sorted(FIXTURES.rglob("*.json")):
        for number, item in enumerate(json.loads(path.read_text(encoding="utf-8"))):
            fields = item.get("fields", {})
            name = fields.get("key") or fields.get("slug") or f"item {number}"
            for field in sorted(WORDED_FIELDS & fields.keys()):
                yield f"{path.relative_to(FIXTURES)} {name} {field}", fields[field]


def borrowed(texts: Iterator[tuple[str, str]], seed_runs: set) -> list[str]:
    return [
        f"{where}: “{' '.join(run)}”"
        for where, text in texts
        for run in sorted(runs(text) & seed_runs)
    ]


def test_the_wording_guard_catches_eleven_words_in_a_row_but_not_ten():
    seed = runs("Intro. One two three four five six seven eight nine ten eleven twelve. End")

    pasted = [("pasted", "We found: one, two, three, four-five six seven eight nine ten ELEVEN!")]
    ten = [("ten", "one two three four five six seven eight nine ten, then our own words")]
    assert borrowed(iter(pasted), seed) == [
        "pasted: “one two three four five six seven eight nine ten eleven”"
    ]
    assert borrowed(iter(ten), seed) == []


def test_no_fixture_text_shares_a_run_of_eleven_words_with_a_source_document():
    seeds = sorted(SEEDS.glob("*.txt"))
    if not seeds:
        pytest.skip(
            f"The source documents are not at {SEEDS} (../shared/seeds beside the repository), "
            "so the wording cannot be checked against them here."
        )
    seed_runs = set().union(*(runs(path.read_text(encoding="utf-8")) for path in seeds))
    texts = list(worded_texts())
    assert {where.rsplit(" ", 1)[1] for where, _ in texts} == WORDED_FIELDS  # all were read

    assert borrowed(iter(texts), seed_runs) == []


# The 2023 edition and lineage -------------------------------------------------------------

UKAUTHORITY_2023 = (
    "Socitm, Public Sector Digital Trends 2023, as reported by UKAuthority (24 January 2023): "
)


@pytest.fixture
def edition_2023(content) -> Edition:
    return Edition.objects.get(slug="digital-trends-2023")


def test_the_2023_edition_is_retired_so_only_past_assessments_use_it(edition_2023):
    assert (edition_2023.title, edition_2023.year) == ("Digital Trends 2023", 2023)
    assert edition_2023.status == Edition.Status.RETIRED


def test_the_2023_edition_asks_about_each_of_the_report_s_eighteen_trends(edition_2023):
    # A dozen digital and six technology trends; two of them are asked in two parts, and the
    # report's message on public trust is asked too.
    cited = [q.citation.removeprefix(UKAUTHORITY_2023) for q in edition_2023.questions.all()]
    assert sum(c.startswith("digital trend '") for c in cited) == 13
    assert sum(c.startswith("technology trend '") for c in cited) == 7
    assert sum(c.startswith("key message '") for c in cited) == 1
    named = {c.split("'")[1] for c in cited}
    assert len(named) == 12 + 6 + 1


def test_the_2023_edition_covers_all_ten_trends(edition_2023):
    assert set(edition_2023.trends()) == set(Trend.objects.all())


def test_the_2023_edition_meets_the_rules_for_publishing(edition_2023):
    assert publication_problems(edition_2023.questions.all()) == []


def test_every_2023_question_is_complete_and_cited(edition_2023):
    for q in edition_2023.questions.select_related("trend"):
        q.full_clean()
        # Numbered within its trend; a key freed by a move is not reused, so a number may be
        # missing (2023-cyber-01 moved to community resilience).
        assert re.fullmatch(rf"2023-{q.trend.slug}-\d\d", q.key), q.key
        assert q.statement.startswith(("We ", "Our ")), q.key
        assert q.statement.endswith("."), q.key
        assert "?" not in q.statement, q.key
        assert q.citation.startswith(UKAUTHORITY_2023), q.key
        assert q.citation.removeprefix(UKAUTHORITY_2023).count("'") == 2, q.key


def test_a_2023_key_freed_by_a_move_is_not_reused(edition_2023):
    # Databases loaded before the move have 2023-cyber-01 as the cyber resilience question.
    assert not edition_2023.questions.filter(key="2023-cyber-01").exists()
    moved = edition_2023.questions.get(key="2023-community-resilience-02")
    assert item_2023(moved)[1] == "cyber resilience"


def test_2023_questions_are_ordered_one_to_n_within_each_trend(edition_2023):
    for trend in Trend.objects.all():
        orders = list(edition_2023.questions.filter(trend=trend).values_list("order", flat=True))
        assert orders == list(range(1, len(orders) + 1)), trend


# Where each 2023 item is scored: the 2024 trend asking for the same practice, whose 2024 family
# then applies to both years (docs/content.md, "Families across editions", gives each reason).
# Keyed by the item as the citation names it, with the part for an item asked in two parts.
SCORED_UNDER_2024_TREND = {
    "inclusivity and equality": "public-good",
    "working towards net zero targets": "public-good",
    "efforts to maintain public trust in the use of technology and data": "public-good",
    "a refocusing of customer service": "reimagining-services",
    "delivering improvements in digital more quickly": "reimagining-services",
    "meeting the challenges around digital identity": "reimagining-services",
    "building connected places (the local infrastructure)": "community-resilience",
    "building connected places (services across organisational boundaries)": "leadership",
    "a renewed focus on digital health": "leadership",
    "further building digital, data and technology skills": "skills-capacity",
    "resolving the issues around hybrid working": "skills-capacity",
    "significant growth in the public sector’s use of AI": "ai",
    "continuing the efforts to take data out of siloes": "data",
    "cyber resilience": "community-resilience",
    "taking action to mitigate vulnerabilities in supply chains": "cyber",
    "increasing interest in augmented reality and digital twins": "geospatial",
    "the further spread of the internet of things": "geospatial",
    "acknowledging that some legacy technologies should remain in place": "infrastructure-cloud",
    (
        "increasing pressure on existing infrastructure and increased use of the cloud"
        " (the pressure)"
    ): "infrastructure-cloud",
    (
        "increasing pressure on existing infrastructure and increased use of the cloud (the cloud)"
    ): "infrastructure-cloud",
    "the need for a cohesive approach towards deploying new apps": "infrastructure-cloud",
}


def item_2023(q: Question) -> tuple[str, str]:
    """The 2023 family the article gives the item ("digital", "technology", "key"), and the item."""
    cited = q.citation.removeprefix(UKAUTHORITY_2023)
    _, name, part = cited.split("'")
    return cited.split(" ")[0], f"{name} {part.strip()}".strip()


def test_every_2023_question_is_scored_under_the_2024_trend_the_mapping_gives(edition_2023):
    filed = {item_2023(q)[1]: q.trend.slug for q in edition_2023.questions.select_related("trend")}

    assert filed == SCORED_UNDER_2024_TREND


def test_only_the_two_practices_2024_calls_technology_change_family(edition_2023):
    # Data silos and supply chains were digital trends in 2023; the 2024 report's own
    # definition of technology covers them, and both years are scored by it. Cyber resilience
    # (keeping services running and recovering) is asked by community resilience in 2024, a
    # digital trend as it was in 2023.
    families = {"digital": Family.DIGITAL, "technology": Family.TECHNOLOGY}
    moved = set()
    for q in edition_2023.questions.select_related("trend"):
        family, name = item_2023(q)
        if family in families and families[family] != q.trend.family:  # not the key message
            moved.add((family, name))

    assert moved == {
        ("digital", "continuing the efforts to take data out of siloes"),
        ("digital", "taking action to mitigate vulnerabilities in supply chains"),
    }


def test_every_2024_question_that_continues_one_continues_a_2023_question(content):
    continuing = content.questions.filter(continues__isnull=False).select_related(
        "continues__edition"
    )

    assert 10 <= len(continuing) <= 20
    for q in continuing:
        assert q.continues.edition.slug == "digital-trends-2023", q.key
        q.full_clean()  # the lineage rule: an earlier edition


def test_no_2023_question_is_continued_twice(content):
    # The model would allow it; a comparison "then and now" needs one "now".
    continued = list(
        content.questions.filter(continues__isnull=False).values_list("continues", flat=True)
    )
    assert len(continued) == len(set(continued))


def test_every_lineage_link_stays_in_one_family(content):
    # A practice counts in the same index, digital or technology, in both years; a link across
    # families would move it from one to the other and skew the balance over time.
    links = Question.objects.filter(continues__isnull=False).values_list(
        "key", "trend__family", "continues__key", "continues__trend__family"
    )
    crossing = [(key, earlier) for key, family, earlier, then in links if family != then]

    assert links.exists()
    assert crossing == []


def test_a_practice_scored_once_keeps_its_2023_comparison(content):
    # Linked recovery, continuity and emergency plans are asked in community resilience only;
    # 2023's cyber resilience question, filed there too, is compared with that one.
    assert not content.questions.filter(key__in=["cyber-05", "community-resilience-04"]).exists()
    question = content.questions.get(key="community-resilience-01")
    assert question.continues.natural_key() == (
        "2023-community-resilience-02",
        "digital-trends-2023",
    )
    # Supplier assurance through contracts (2023) is not the community-wide risk register of
    # 2024: nothing continues it.
    assert not Question.objects.filter(continues__key="2023-cyber-02").exists()


def test_no_trend_has_enough_in_common_with_2023_to_compare(content):
    # docs/content.md says 2024 reports show every trend "not comparable" against a 2023
    # assessment: no trend has MIN_CONTINUED questions continuing 2023 ones carrying
    # MIN_WEIGHT_SHARE of its full weight (answers left unscored can raise the share; the docs
    # name that exception). If a trend ever does, the docs must say so.
    for trend in Trend.objects.all():
        questions = content.questions.filter(trend=trend)
        weight = sum(q.weight for q in questions)
        continued = [q for q in questions if q.continues_id is not None]
        comparable = (
            len(continued) >= MIN_CONTINUED
            and sum(q.weight for q in continued) >= MIN_WEIGHT_SHARE * weight
        )
        assert not comparable, trend


# "Public sector CIOs and digital leaders in 2024" has seven points. Those no question cites
# are asked by these questions (docs/content.md, "What the 2024 edition asks", says how).
CIO_POINTS_ASKED_ELSEWHERE = {
    3: {"ai-08", "ai-09", "cyber-02", "cyber-07"},  # expert on new technology; grip on cyber
    5: {"skills-capacity-01", "skills-capacity-04"},  # digital not masked by technology
}


def test_every_point_for_cios_in_2024_is_asked(content):
    cited = {
        int(point)
        for citation in content.questions.values_list("citation", flat=True)
        if citation.startswith("Public sector CIOs and digital leaders in 2024")
        for point in re.findall(r"point (\d+)", citation)
    }

    assert cited.isdisjoint(CIO_POINTS_ASKED_ELSEWHERE)
    assert cited | set(CIO_POINTS_ASKED_ELSEWHERE) == set(range(1, 8))
    for keys in CIO_POINTS_ASKED_ELSEWHERE.values():
        assert content.questions.filter(key__in=keys).count() == len(keys)


def test_both_editions_load_with_loaddata_into_an_empty_database(empty_database):
    call_command(
        "loaddata",
        "trends",
        "editions/digital-trends-2023",
        "editions/digital-trends-2024",
        verbosity=0,
    )

    ai_01 = Question.objects.get_by_natural_key("ai-01", "digital-trends-2024")
    assert ai_01.continues is not None
    assert ai_01.continues.natural_key() == ("2023-ai-01", "digital-trends-2023")
    assert Question.objects.filter(edition__slug="digital-trends-2023").count() == 21
