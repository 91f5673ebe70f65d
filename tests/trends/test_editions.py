"""Copying, publishing, exporting and importing whole editions."""

import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_assessment, make_edition
from trends import editions
from trends.editions import (
    QUESTION_FIELDS,
    RACE_PROBLEM,
    EditionError,
    clone_edition,
    export_edition,
    import_edition,
    publish_edition,
    retire_edition,
)
from trends.models import Edition, Question

pytestmark = pytest.mark.django_db


def snapshot() -> tuple:
    """Everything an import could touch, to prove a refused import changed nothing."""
    return (
        list(Edition.objects.order_by("pk").values()),
        list(Question.objects.order_by("pk").values()),
    )


# Copy -------------------------------------------------------------------------------------


def test_a_draft_copy_has_every_question_and_leaves_the_original_alone(content):
    before = list(content.questions.values("key", "statement", "trend_id", "weight", "order"))

    draft = clone_edition(content)

    assert draft.status == Edition.Status.DRAFT
    assert draft.based_on == content
    assert draft.title == "Digital Trends 2024 (draft copy)"
    copied = list(draft.questions.values("key", "statement", "trend_id", "weight", "order"))
    assert sorted(copied, key=str) == sorted(before, key=str)
    assert list(content.questions.values("key", "statement", "trend_id", "weight", "order")) == (
        before
    )


def test_each_copied_question_continues_the_question_it_was_copied_from(content):
    draft = clone_edition(content)

    copies = draft.questions.values_list("key", "continues__key", "continues__edition")
    assert set(copies) == {
        (key, key, content.pk) for key in content.questions.values_list("key", flat=True)
    }
    # The originals keep their own lineage, back to 2023.
    assert content.questions.get(key="ai-01").continues.key == "2023-ai-01"


def test_copying_twice_gives_two_distinct_drafts(content):
    first, second = clone_edition(content), clone_edition(content)

    assert first.slug != second.slug
    assert second.title == "Digital Trends 2024 (draft copy 2)"


# Publish ----------------------------------------------------------------------------------


def test_publishing_a_complete_draft(content):
    draft = clone_edition(content)

    publish_edition(draft)

    draft.refresh_from_db()
    assert draft.status == Edition.Status.PUBLISHED
    assert draft.published_at is not None


def test_publishing_is_refused_while_a_trend_has_no_questions(content):
    draft = clone_edition(content)
    draft.questions.filter(trend__slug="cyber").delete()

    with pytest.raises(EditionError) as refused:
        publish_edition(draft)

    assert refused.value.problems == ["Cyber protection has no questions."]
    draft.refresh_from_db()
    assert draft.status == Edition.Status.DRAFT


def test_publishing_is_refused_with_an_empty_statement_named_by_its_key(content):
    draft = clone_edition(content)
    draft.questions.filter(key="ai-03").update(statement="   ")

    with pytest.raises(EditionError) as refused:
        publish_edition(draft)

    assert refused.value.problems == ["Question ai-03 has an empty statement."]


def test_only_a_draft_can_be_published(content):
    with pytest.raises(EditionError, match="only a draft can be published"):
        publish_edition(content)


def test_retiring_a_published_edition(content):
    retire_edition(content)

    content.refresh_from_db()
    assert content.status == Edition.Status.RETIRED


# Locking ----------------------------------------------------------------------------------


def test_a_published_edition_locks_once_an_assessment_uses_it(content):
    assert not content.is_locked()

    make_assessment(content)

    assert content.is_locked()
    assert list(Edition.objects.locked()) == [content]
    assert content not in Edition.objects.editable()


def test_a_draft_never_locks():
    draft = make_edition()
    make_assessment(draft)

    assert not draft.is_locked()


# Export and import ------------------------------------------------------------------------


def renamed_export(edition: Edition, slug: str) -> list:
    """An export of `edition` under a new slug and title, as an admin would prepare one."""
    data = json.loads(export_edition(edition))
    data[0]["fields"].update(slug=slug, title=slug.replace("-", " ").capitalize())
    for item in data[1:]:
        item["fields"]["edition"] = [slug]
    return data


def test_export_then_import_reproduces_the_edition(content):
    imported = import_edition(json.dumps(renamed_export(content, "copy-of-2024")).encode())

    fields = [f for f in QUESTION_FIELDS if f not in ("edition", "trend")] + ["trend__slug"]
    assert list(imported.questions.order_by("key").values(*fields)) == list(
        content.questions.order_by("key").values(*fields)
    )
    assert imported.status == Edition.Status.PUBLISHED


def test_export_then_import_keeps_lineage(content):
    imported = import_edition(json.dumps(renamed_export(content, "copy-of-2024")).encode())

    def lineage(edition: Edition) -> dict:
        return dict(
            edition.questions.values_list("key", "continues__key")
            .filter(continues__isnull=False)
            .order_by("key")
        )

    assert lineage(imported) == lineage(content)
    assert lineage(imported)["ai-01"] == "2023-ai-01"
    assert set(
        imported.questions.filter(continues__isnull=False).values_list(
            "continues__edition__slug", flat=True
        )
    ) == {"digital-trends-2023"}


def test_an_export_names_the_question_each_continues_by_key_and_edition(content):
    exported = {
        item["fields"]["key"]: item["fields"] for item in json.loads(export_edition(content))[1:]
    }

    assert exported["ai-01"]["continues"] == ["2023-ai-01", "digital-trends-2023"]
    assert exported["ai-02"]["continues"] is None


def test_importing_lineage_costs_the_same_queries_however_many_questions_continue(content):
    def import_counting(slug: str, keep_links: int) -> int:
        data = renamed_export(content, slug)
        linked = [item for item in data[1:] if item["fields"]["continues"]]
        for item in linked[keep_links:]:
            item["fields"]["continues"] = None
        with CaptureQueriesContext(connection) as queries:
            import_edition(json.dumps(data).encode())
        return len(queries)

    assert import_counting("one-link", 1) == import_counting("every-link", 99)


def test_an_export_names_trends_by_slug_and_carries_no_database_ids(content):
    exported = json.loads(export_edition(content))

    assert all("pk" not in item for item in exported)
    assert exported[1]["fields"]["trend"] == ["public-good"]
    assert exported[1]["fields"]["edition"] == ["digital-trends-2024"]


def test_an_exported_file_loads_with_loaddata(content, tmp_path):
    path = tmp_path / "edition.json"
    path.write_text(json.dumps(renamed_export(content, "via-loaddata")))

    call_command("loaddata", str(path), verbosity=0)

    assert Edition.objects.get(slug="via-loaddata").questions.count() == 80


def minimal_file(**edition_fields) -> list:
    edition = {"title": "Test edition", "slug": "test-edition", "year": 2025, "status": "draft"}
    return [
        {"model": "trends.edition", "fields": edition | edition_fields},
        {
            "model": "trends.question",
            "fields": {
                "edition": ["test-edition"],
                "trend": ["ai"],
                "key": "ai-01",
                "source": "where_to_start",
                "order": 1,
                "statement": "We do a thing.",
                "guidance": "Good looks like this.",
                "action": "Do the thing.",
                "weight": 1,
                "citation": "Somewhere",
            },
        },
    ]


def test_a_minimal_draft_file_imports(content):
    edition = import_edition(json.dumps(minimal_file()).encode())

    assert edition.status == Edition.Status.DRAFT
    assert edition.questions.get().trend.slug == "ai"


def test_a_file_may_say_which_earlier_question_each_continues(content):
    data = question_with(continues=["2023-ai-01", "digital-trends-2023"])
    data += [question_with(key="ai-02", continues=None)[1]]

    edition = import_edition(json.dumps(data).encode())

    first, second = edition.questions.order_by("key")
    assert first.continues == Question.objects.get_by_natural_key(
        "2023-ai-01", "digital-trends-2023"
    )
    assert second.continues is None


def test_a_question_may_continue_one_of_another_edition_of_the_same_year(content):
    data = minimal_file(year=2024)
    data[1]["fields"]["continues"] = ["ai-01", "digital-trends-2024"]

    edition = import_edition(json.dumps(data).encode())

    assert edition.questions.get().continues == content.questions.get(key="ai-01")


def test_database_ids_in_a_file_are_ignored_not_trusted(content):
    data = minimal_file()
    data[0]["pk"] = content.pk  # an attempt to overwrite the published 2024 edition
    data[1]["pk"] = content.questions.first().pk

    edition = import_edition(json.dumps(data).encode())

    assert edition.pk != content.pk
    assert content.questions.count() == 80


def question_with(**fields) -> list:
    data = minimal_file()
    data[1]["fields"].update(fields)
    return data


BAD_FILES = [
    ("empty", b"", "The file is empty."),
    ("not utf-8", '[{"model": "é"}]'.encode("latin-1"), "not UTF-8 text"),
    ("not json", b'[{"model": ', "not valid JSON: Expecting value at line 1, column 12"),
    ("not a list", b'{"model": "trends.edition"}', "must be a JSON list of objects"),
    ("no edition", json.dumps(minimal_file()[1:]).encode(), "The file has no edition"),
    (
        "two editions",
        json.dumps(minimal_file() + minimal_file(slug="other", title="Other")[:1]).encode(),
        "The file has 2 editions",
    ),
    (
        "foreign model",
        json.dumps([*minimal_file(), {"model": "auth.user", "fields": {"username": "x"}}]).encode(),
        "Item 3: 'auth.user' is not part of an edition file",
    ),
    ("item not an object", json.dumps([*minimal_file(), 7]).encode(), "Item 3: must be an object"),
    (
        "slug taken",
        json.dumps(minimal_file(slug="digital-trends-2024")).encode(),
        "slug: Edition with this Slug already exists.",
    ),
    (
        "year not a number",
        json.dumps(minimal_file(year="soon")).encode(),
        "Item 1 (edition test-edition): year must be a whole number.",
    ),
    (
        "title a number",
        json.dumps(minimal_file(title=2025)).encode(),
        "Item 1 (edition test-edition): title must be text.",
    ),
    ("unknown status", json.dumps(minimal_file(status="live")).encode(), "status: Value 'live'"),
    (
        "unknown trend",
        json.dumps(question_with(trend=["blockchain"])).encode(),
        "Item 2 (question ai-01): there is no trend 'blockchain'",
    ),
    (
        "trend not a list",
        json.dumps(question_with(trend="ai")).encode(),
        'Item 2 (question ai-01): trend must be a trend\'s slug in a list, like ["ai"].',
    ),
    (
        "two trends",
        json.dumps(question_with(trend=["ai", "data"])).encode(),
        "Item 2 (question ai-01): trend must be a trend's slug in a list",
    ),
    (
        "statement a list",
        json.dumps(question_with(statement=["We", "do"])).encode(),
        "Item 2 (question ai-01): statement must be text.",
    ),
    (
        "guidance an object",
        json.dumps(question_with(guidance={"a": 1})).encode(),
        "Item 2 (question ai-01): guidance must be text.",
    ),
    (
        "weight true",
        json.dumps(question_with(weight=True)).encode(),
        "Item 2 (question ai-01): weight must be a whole number.",
    ),
    (
        "order a fraction",
        json.dumps(question_with(order=1.7)).encode(),
        "Item 2 (question ai-01): order must be a whole number.",
    ),
    (
        "key a number",
        json.dumps(question_with(key=12)).encode(),
        "Item 2 (question ?): key must be text.",
    ),
    (
        "edition not a list",
        json.dumps(question_with(edition="test-edition")).encode(),
        "Item 2 (question ai-01): \"edition\" is 'test-edition'",
    ),
    (
        "question of another edition",
        json.dumps(question_with(edition=["digital-trends-2024"])).encode(),
        "Item 2 (question ai-01): \"edition\" is ['digital-trends-2024']",
    ),
    (
        "blank statement",
        json.dumps(question_with(statement="")).encode(),
        "Item 2 (question ai-01): statement: This field cannot be blank.",
    ),
    (
        "statement too long",
        json.dumps(question_with(statement="x" * 401)).encode(),
        "statement: Ensure this value has at most 400 characters (it has 401).",
    ),
    (
        "weight zero",
        json.dumps(question_with(weight=0)).encode(),
        "weight: Ensure this value is greater than or equal to 1.",
    ),
    ("bad source", json.dumps(question_with(source="hearsay")).encode(), "source: Value 'hearsay'"),
    ("unknown field", json.dumps(question_with(colour="red")).encode(), "unknown field 'colour'"),
    (
        "duplicate key",
        json.dumps([*minimal_file(), minimal_file()[1]]).encode(),
        "Item 3 (question ai-01): the key 'ai-01' is already used by item 2",
    ),
    (
        "continues as text",
        json.dumps(question_with(continues="ai-01")).encode(),
        "Item 2 (question ai-01): continues must be null or an earlier question's key and "
        'edition slug in a list, like ["2023-ai-01", "digital-trends-2023"].',
    ),
    (
        "continues without an edition",
        json.dumps(question_with(continues=["ai-01"])).encode(),
        "Item 2 (question ai-01): continues must be null or an earlier question's key",
    ),
    (
        "continues with a number",
        json.dumps(question_with(continues=["ai-01", 2024])).encode(),
        "Item 2 (question ai-01): continues must be null or an earlier question's key",
    ),
    (
        "continues a question that does not exist",
        json.dumps(question_with(continues=["ai-99", "digital-trends-2024"])).encode(),
        "Item 2 (question ai-01): there is no question 'ai-99' in edition "
        "'digital-trends-2024' to continue.",
    ),
    (
        "continues a question of an edition that does not exist",
        json.dumps(question_with(continues=["ai-01", "digital-trends-1999"])).encode(),
        "Item 2 (question ai-01): there is no question 'ai-01' in edition "
        "'digital-trends-1999' to continue.",
    ),
    (
        "continues a question of its own edition",
        json.dumps(question_with(continues=["ai-02", "test-edition"])).encode(),
        "Item 2 (question ai-01): continues names 'ai-02' in this file's own edition; a "
        "question can only continue one from an earlier edition.",
    ),
    (
        "continues a question of a later edition",
        json.dumps(
            minimal_file(year=2022)[:1]
            + question_with(continues=["ai-01", "digital-trends-2024"])[1:]
        ).encode(),
        "Item 2 (question ai-01): It cannot continue ai-01: that is in Digital Trends 2024 "
        "(2024), later than Test edition (2022). Choose one from an earlier edition.",
    ),
    (
        "published but incomplete",
        json.dumps(minimal_file(status="published")).encode(),
        "Cyber protection has no questions.",
    ),
]


@pytest.mark.parametrize(
    ("raw", "message"), [case[1:] for case in BAD_FILES], ids=[case[0] for case in BAD_FILES]
)
def test_a_bad_file_is_refused_whole_with_a_message_that_says_where(content, raw, message):
    before = snapshot()

    with pytest.raises(EditionError) as refused:
        import_edition(raw)

    assert any(message in problem for problem in refused.value.problems), refused.value.problems
    assert snapshot() == before


def test_a_value_of_the_wrong_type_is_refused_once_not_converted(content):
    with pytest.raises(EditionError) as refused:
        import_edition(json.dumps(question_with(weight=True, statement=["We", "do"])).encode())

    assert refused.value.problems == [
        "Item 2 (question ai-01): statement must be text.",
        "Item 2 (question ai-01): weight must be a whole number.",
    ]


def test_one_bad_question_among_many_imports_nothing(content):
    data = renamed_export(content, "almost")
    data[-1]["fields"]["weight"] = -3
    before = snapshot()

    with pytest.raises(EditionError) as refused:
        import_edition(json.dumps(data).encode())

    where = f"Item {len(data)} (question infrastructure-cloud-07): weight: "
    assert refused.value.problems
    assert all(problem.startswith(where) for problem in refused.value.problems)
    assert f"{where}Ensure this value is greater than or equal to 1." in refused.value.problems
    assert snapshot() == before


def test_an_oversized_file_is_refused_before_parsing(content, settings):
    settings.EDITION_IMPORT_MAX_BYTES = 10_000

    with pytest.raises(EditionError, match="the largest edition file we accept is 10 KB"):
        import_edition(b"[" + b" " * 10_001 + b"]")


def test_a_long_list_of_problems_is_capped(content):
    data = minimal_file()
    data += [{"model": "trends.question", "fields": {"key": f"k{n}"}} for n in range(100)]

    with pytest.raises(EditionError) as refused:
        import_edition(json.dumps(data).encode())

    assert len(refused.value.problems) == 31
    assert refused.value.problems[-1].startswith("… and ")


# Two admins at once ------------------------------------------------------------------------


def test_an_import_that_loses_a_race_for_its_slug_is_refused_not_a_crash(content, monkeypatch):
    build = editions._build

    def build_then_lose_the_race(items):
        built = build(items)
        # Another admin's import of the same file is saved after ours was checked. (In a test
        # both share one transaction, so their row is rolled back with ours.)
        make_edition(slug="test-edition", title="Test edition")
        return built

    monkeypatch.setattr(editions, "_build", build_then_lose_the_race)
    before = snapshot()

    with pytest.raises(EditionError) as refused:
        import_edition(json.dumps(minimal_file()).encode())

    assert refused.value.problems == [RACE_PROBLEM]
    assert snapshot() == before


def test_a_copy_that_loses_a_race_for_its_name_is_refused_not_a_crash(content, monkeypatch):
    free_slug_and_title = editions._free_slug_and_title

    def choose_then_lose_the_race(edition):
        slug, title = free_slug_and_title(edition)
        make_edition(slug=slug, title=title)  # another admin's copy, saved a moment before ours
        return slug, title

    monkeypatch.setattr(editions, "_free_slug_and_title", choose_then_lose_the_race)
    before = snapshot()

    with pytest.raises(EditionError) as refused:
        clone_edition(content)

    assert refused.value.problems == [
        "Another copy of Digital Trends 2024 was made at the same moment, so nothing was "
        "copied. Try again."
    ]
    assert snapshot() == before
