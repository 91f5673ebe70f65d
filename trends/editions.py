"""Whole-edition operations: copy to a new draft, publish, retire, export and import.

Also: fill in the lineage an edition file names for an edition loaded before it had any.

Admin actions and `load_content` call these; each is one transaction, so a refusal leaves the
database exactly as it was. The file format is Django's fixture format with natural keys, so an
exported edition also loads with `manage.py loaddata`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.core import serializers
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from trends.models import Edition, Question, Trend

EDITION_MODEL = "trends.edition"
QUESTION_MODEL = "trends.question"
EDITION_FIELDS = ("title", "slug", "year", "status")
# A question's content: what admins edit, an export carries and an import accepts. A copy takes
# all but "continues": each copy continues the question it was copied from.
QUESTION_FIELDS = (
    "edition",
    "trend",
    "key",
    "source",
    "order",
    "statement",
    "guidance",
    "action",
    "weight",
    "citation",
    "continues",
)
# An imported field must have the right JSON type: model validation would coerce rather than
# refuse, storing ["We", "do"] as the text "['We', 'do']", true as weight 1 and 1.7 as order 1.
# "edition" and "trend" are slugs in a list; "continues" is a question's natural key or null;
# these are whole numbers; every other field is text.
WHOLE_NUMBER_FIELDS = {"year", "order", "weight"}
# More problems than this and the list stops helping: fix these, then try again.
MAX_REPORTED_PROBLEMS = 30
RACE_PROBLEM = (
    "An edition with this slug or title was created while you were importing, so nothing was "
    "imported. Upload the file again to see what to change."
)


class EditionError(Exception):
    """Refused: `problems` says what is wrong, each in a sentence an admin can act on."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


def publication_problems(questions: Iterable[Question]) -> list[str]:
    """What stops a set of questions being published: every trend covered, nothing left blank.

    Works on saved questions (publishing) and unsaved ones (importing) alike.
    """
    questions = list(questions)
    problems = []
    covered = {q.trend_id for q in questions}
    for trend in Trend.objects.all():
        if trend.pk not in covered:
            problems.append(f"{trend.title} has no questions.")
    for q in questions:
        if not q.statement.strip():
            problems.append(f"Question {q.key} has an empty statement.")
        if not q.action.strip():
            problems.append(f"Question {q.key} has no action to recommend.")
    return problems


@transaction.atomic
def publish_edition(edition: Edition) -> None:
    if edition.status != Edition.Status.DRAFT:
        raise EditionError(
            [f"{edition} is {edition.get_status_display().lower()}: only a draft can be published."]
        )
    problems = publication_problems(
        edition.questions.only("key", "trend_id", "statement", "action")
    )
    if problems:
        raise EditionError(problems)
    edition.status = Edition.Status.PUBLISHED
    edition.published_at = timezone.now()
    edition.save(update_fields=["status", "published_at"])


@transaction.atomic
def retire_edition(edition: Edition) -> None:
    if edition.status != Edition.Status.PUBLISHED:
        raise EditionError([f"{edition} is not published, so there is nothing to retire."])
    edition.status = Edition.Status.RETIRED
    edition.save(update_fields=["status"])


def clone_edition(edition: Edition) -> Edition:
    """A new draft with copies of every question, to change without touching the original.

    Each copy continues the question it was copied from.
    """
    try:
        with transaction.atomic():
            slug, title = _free_slug_and_title(edition)
            draft = Edition.objects.create(
                title=title,
                slug=slug,
                year=edition.year,
                status=Edition.Status.DRAFT,
                based_on=edition,
            )
            copied = [f for f in QUESTION_FIELDS if f not in ("edition", "trend", "continues")]
            # Each copy continues its original, so answers can be compared across the two.
            Question.objects.bulk_create(
                Question(
                    edition=draft,
                    trend_id=q.trend_id,
                    continues=q,
                    **{f: getattr(q, f) for f in copied},
                )
                for q in edition.questions.all()
            )
    except IntegrityError:
        # Someone else copied the same edition at the same moment and took the free name first.
        raise EditionError(
            [
                f"Another copy of {edition} was made at the same moment, so nothing was "
                "copied. Try again."
            ]
        ) from None
    return draft


def _free_slug_and_title(edition: Edition) -> tuple[str, str]:
    taken_slugs = set(Edition.objects.values_list("slug", flat=True))
    taken_titles = set(Edition.objects.values_list("title", flat=True))
    for n in range(1, 1000):
        suffix = "" if n == 1 else f" {n}"
        slug = f"{edition.slug}-draft{suffix.replace(' ', '-')}"[:60]
        title = f"{edition.title} (draft copy{suffix})"[:100]
        if slug not in taken_slugs and title not in taken_titles:
            return slug, title
    raise EditionError([f"{edition} has too many draft copies already."])


def export_edition(edition: Edition) -> str:
    """The edition and its questions as fixture JSON: trends by slug, no database ids.

    A question's `continues` is the earlier question's natural key, [key, edition slug].
    """
    questions = edition.questions.select_related("edition", "trend", "continues__edition")
    objects = [edition, *questions]
    rows = serializers.serialize(
        "python", objects, use_natural_foreign_keys=True, use_natural_primary_keys=True
    )
    allowed = {EDITION_MODEL: EDITION_FIELDS, QUESTION_MODEL: QUESTION_FIELDS}
    for row in rows:
        row["fields"] = {k: v for k, v in row["fields"].items() if k in allowed[row["model"]]}
        row.pop("pk", None)
    return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"


def import_edition(raw: bytes) -> Edition:
    """Create an edition from an exported file, or refuse it whole with every problem found.

    Database ids in the file (`pk`) are ignored: an import only ever creates a new edition and
    its questions, never updates existing rows. It points at existing rows only by natural key:
    trends by slug, and the earlier questions its questions continue by key and edition slug.
    """
    items = _parse(raw)
    try:
        with transaction.atomic():
            return _create(items)
    except IntegrityError:
        # Validation found the slug and title free, but another import or copy took one of them
        # before we saved: the database's unique constraint is the check that cannot race.
        raise EditionError([RACE_PROBLEM]) from None


def _create(items: list) -> Edition:
    edition, questions, problems = _build(items)
    if edition is not None and edition.status == Edition.Status.PUBLISHED:
        problems += publication_problems(questions)
    if problems:
        if len(problems) > MAX_REPORTED_PROBLEMS:
            extra = len(problems) - MAX_REPORTED_PROBLEMS
            problems = [*problems[:MAX_REPORTED_PROBLEMS], f"… and {extra} more problems."]
        raise EditionError(problems)
    assert edition is not None  # _build reports a problem whenever it has no edition
    if edition.status == Edition.Status.PUBLISHED:
        edition.published_at = timezone.now()
    edition.save()
    for q in questions:
        q.edition = edition
    Question.objects.bulk_create(questions)
    return edition


@transaction.atomic
def fill_missing_lineage(edition: Edition, raw: bytes) -> tuple[int, list[str]]:
    """Link `edition`'s questions to the earlier questions an edition file says they continue.

    For an edition loaded before its file carried lineage. Only a question that continues
    nothing is linked, and only to a question that exists, so a link an admin chose is never
    replaced. Nor is a question linked to one that another question of this edition already
    continues (an admin may have linked it there): an earlier question has one "now" in an
    edition, or its comparison would count twice. Returns how many were linked, and why any
    that the model's rule or this one refused were not.
    """
    rows = [
        item["fields"]
        for item in _parse(raw)
        if isinstance(item, dict)
        and item.get("model") == QUESTION_MODEL
        and isinstance(item.get("fields"), dict)
        and isinstance(item["fields"].get("key"), str)
    ]
    references = {row["key"]: ref for row in rows if (ref := _reference_in(row)) is not None}
    earlier = _questions_named(references.values())
    unlinked = edition.questions.filter(continues__isnull=True, key__in=references)
    # Which question of this edition continues each earlier one, by the earlier one's id.
    continued_by = dict(
        edition.questions.filter(continues__isnull=False).values_list("continues_id", "key")
    )
    linked, problems = 0, []
    for question in unlinked.select_related("edition"):
        question.continues = earlier.get(references[question.key])
        if question.continues is None:
            continue  # the file names a question this database does not have
        problem = question.lineage_problem()
        if problem is None and question.continues.pk in continued_by:
            problem = (
                f"{question.continues.key} is already continued by "
                f"{continued_by[question.continues.pk]} in {edition}, and an earlier question "
                "can be continued by only one question of an edition."
            )
        if problem:
            problems.append(f"Question {question.key} was not linked. {problem}")
            continue
        # Only while still unset: an admin's choice saved since we read the row is kept.
        done = Question.objects.filter(pk=question.pk, continues__isnull=True).update(
            continues=question.continues
        )
        if done:
            continued_by[question.continues.pk] = question.key
        linked += done
    return linked, problems


def edition_named_in(raw: bytes) -> tuple[str, str]:
    """The slug and title of the edition in a file, so a loader can tell whether it has it."""
    rows = [
        item["fields"]
        for item in _parse(raw)
        if isinstance(item, dict)
        and item.get("model") == EDITION_MODEL
        and isinstance(item.get("fields"), dict)
    ]
    if len(rows) != 1 or not all(isinstance(rows[0].get(f), str) for f in ("slug", "title")):
        raise EditionError(["The file must have one edition with a text slug and title."])
    return rows[0]["slug"], rows[0]["title"]


def too_big(size: int) -> str | None:
    """What to say of a file of `size` bytes, if it is over the import limit; else None."""
    limit = settings.EDITION_IMPORT_MAX_BYTES
    if size <= limit:
        return None
    return (
        f"The file is {-(-size // 1000):,} KB; the largest edition file we accept is "
        f"{limit // 1000:,} KB."
    )


def _parse(raw: bytes) -> list:
    if problem := too_big(len(raw)):
        raise EditionError([problem])
    if not raw.strip():
        raise EditionError(["The file is empty."])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise EditionError(
            [f"The file is not UTF-8 text (byte {error.start + 1} cannot be read)."]
        ) from None
    try:
        items = json.loads(text)
    except json.JSONDecodeError as error:
        raise EditionError(
            [
                f"The file is not valid JSON: {error.msg} at line {error.lineno}, "
                f"column {error.colno}."
            ]
        ) from None
    except ValueError:
        # Valid JSON that Python refuses to read: a number thousands of digits long.
        raise EditionError(
            ["The file has a number too long to read, so it is not an edition file."]
        ) from None
    except RecursionError:
        # Lists or objects nested thousands deep: a small file that would exhaust the parser.
        raise EditionError(
            ["The file nests lists or objects too deeply to be an edition file."]
        ) from None
    if not isinstance(items, list):
        raise EditionError(
            ["The file must be a JSON list of objects, as exported from this admin."]
        )
    problems = [
        f"Item {where}: the text “{_visible(text)}” holds a character that cannot be stored "
        "(a control character, or half of a UTF-16 pair). Remove it and import the file again."
        for where, text in _strings(items)
        if UNSTORABLE.search(text)
    ]
    if problems:
        raise EditionError(problems)
    return items


# Characters no text of an edition may hold: control characters other than tab and line
# breaks (PostgreSQL refuses NUL outright), and lone UTF-16 surrogates, which no database
# can encode. JSON's \u escapes can carry either.
UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def _strings(value: object, where: tuple[str, ...] = ()) -> Iterator[tuple[str, str]]:
    """Every string in the parsed file, keys included, with where it is: "3, fields.title"."""
    if isinstance(value, str):
        yield f"{where[0]}, {'.'.join(where[1:])}" if len(where) > 1 else "".join(where), value
    elif isinstance(value, list):
        for number, item in enumerate(value, start=1):
            yield from _strings(item, (*where, str(number)))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key, where)
            yield from _strings(item, (*where, str(key)))


def _visible(text: str, limit: int = 40) -> str:
    """A string as a person can read it in a message: unstorable characters shown as codes."""
    shown = UNSTORABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def _build(items: list) -> tuple[Edition | None, list[Question], list[str]]:
    problems: list[str] = []
    edition_rows: list[tuple[int, dict]] = []
    question_rows: list[tuple[int, dict]] = []
    for number, item in enumerate(items, start=1):
        where = f"Item {number}"
        if not isinstance(item, dict) or not isinstance(item.get("fields"), dict):
            problems.append(f'{where}: must be an object with "model" and "fields".')
        elif item.get("model") == EDITION_MODEL:
            edition_rows.append((number, item["fields"]))
        elif item.get("model") == QUESTION_MODEL:
            question_rows.append((number, item["fields"]))
        else:
            problems.append(
                f"{where}: {item.get('model')!r} is not part of an edition file; only "
                f"{EDITION_MODEL} and {QUESTION_MODEL} are."
            )
    if len(edition_rows) != 1:
        problems.append(
            'The file has no edition (an item with "model": "trends.edition").'
            if not edition_rows
            else f"The file has {len(edition_rows)} editions; import one edition at a time."
        )
        return None, [], problems

    number, fields = edition_rows[0]
    edition = _build_edition(number, fields, problems)
    trends = {t.slug: t for t in Trend.objects.all()}
    earlier = _questions_named(filter(None, (_reference_in(row) for _, row in question_rows)))
    questions: list[Question] = []
    seen_keys: dict[str, int] = {}
    for number, fields in question_rows:
        question = _build_question(number, fields, edition, trends, earlier, problems)
        if question is None:
            continue
        if question.key in seen_keys:
            problems.append(
                f"Item {number} (question {question.key}): the key {question.key!r} is already "
                f"used by item {seen_keys[question.key]}; each key must be unique in an edition."
            )
        seen_keys.setdefault(question.key, number)
        questions.append(question)
    return edition, questions, problems


def _build_edition(number: int, fields: dict, problems: list[str]) -> Edition:
    where = f"Item {number} (edition {_label(fields.get('slug'))})"
    _check_field_names(where, fields, EDITION_FIELDS, problems)
    wrong_type = _check_types(where, fields, EDITION_FIELDS, problems)
    edition = Edition(
        **{k: v for k, v in fields.items() if k in EDITION_FIELDS and k not in wrong_type}
    )
    _collect(where, edition, problems, exclude=wrong_type)
    return edition


def _build_question(
    number: int,
    fields: dict,
    edition: Edition,
    trends: dict[str, Trend],
    earlier: dict[tuple[str, str], Question],
    problems: list[str],
) -> Question | None:
    where = f"Item {number} (question {_label(fields.get('key'))})"
    before = len(problems)
    _check_field_names(where, fields, QUESTION_FIELDS, problems)
    wrong_type = _check_types(where, fields, QUESTION_FIELDS, problems)
    # An edition with a bad slug is reported once, on its own item, not again on every question.
    if edition.slug and fields.get("edition") != [edition.slug]:
        problems.append(
            f'{where}: "edition" is {fields.get("edition")!r} but the file\'s edition is '
            f"[{edition.slug!r}]."
        )
    trend = None
    if "trend" not in wrong_type:
        slug = fields["trend"][0]
        trend = trends.get(slug)
        if trend is None:
            problems.append(
                f"{where}: there is no trend {slug!r}; the trends are {', '.join(sorted(trends))}."
            )
    continues = None
    reference = _reference_in(fields)
    if reference is not None:
        key, slug = reference
        if slug == edition.slug:
            problems.append(
                f"{where}: continues names {key!r} in this file's own edition; a question can "
                "only continue one from an earlier edition."
            )
        else:
            continues = earlier.get((key, slug))
            if continues is None:
                problems.append(
                    f"{where}: there is no question {key!r} in edition {slug!r} to continue."
                )
    references = ("edition", "trend", "continues")
    plain = {
        k: v
        for k, v in fields.items()
        if k in QUESTION_FIELDS and k not in (*references, *wrong_type)
    }
    # The edition is not saved yet, but the model's lineage rule needs its year.
    question = Question(edition=edition, trend=trend, continues=continues, **plain)
    # Looked up above, so model validation need not query for each again; it still applies the
    # lineage rule to `continues`.
    _collect(where, question, problems, exclude=[*references, *wrong_type])
    return question if len(problems) == before else None


def _reference_in(fields: dict) -> tuple[str, str] | None:
    """The natural key of the question these fields say they continue, if well formed."""
    value = fields.get("continues")
    return (value[0], value[1]) if value is not None and _is_question_reference(value) else None


def _is_question_reference(value: object) -> bool:
    """Null, or a question's natural key: [key, edition slug]."""
    return value is None or (
        isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value)
    )


def _questions_named(references: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Question]:
    """The saved questions with these natural keys, by (key, edition slug), in one query."""
    wanted = set(references)
    if not wanted:
        return {}
    rows = Question.objects.filter(
        key__in={key for key, _ in wanted}, edition__slug__in={slug for _, slug in wanted}
    ).select_related("edition")
    return {(q.key, q.edition.slug): q for q in rows if (q.key, q.edition.slug) in wanted}


def _label(value: object) -> str:
    return value if isinstance(value, str) and value else "?"


def _check_types(
    where: str, fields: dict, allowed: tuple[str, ...], problems: list[str]
) -> list[str]:
    """Report each field whose JSON type is wrong; return their names, to leave them out."""
    wrong = []
    for name in allowed:
        value = fields.get(name)
        if name == "edition":
            continue  # _build_question compares it with the file's edition, which checks its type
        if name == "trend":
            ok = isinstance(value, list) and len(value) == 1 and isinstance(value[0], str)
            expected = 'a trend\'s slug in a list, like ["ai"]'
        elif name not in fields:
            continue  # model validation reports a missing required field, or uses the default
        elif name == "continues":
            ok = _is_question_reference(value)
            expected = (
                "null or an earlier question's key and edition slug in a list, like "
                '["2023-ai-01", "digital-trends-2023"]'
            )
        elif name in WHOLE_NUMBER_FIELDS:
            # JSON true and false are ints to Python; they are not numbers to an admin.
            ok = isinstance(value, int) and not isinstance(value, bool)
            expected = "a whole number"
        else:
            ok = isinstance(value, str)
            expected = "text"
        if not ok:
            wrong.append(name)
            problems.append(f"{where}: {name} must be {expected}.")
    return wrong


def _check_field_names(
    where: str, fields: dict, allowed: tuple[str, ...], problems: list[str]
) -> None:
    unknown = sorted(set(fields).difference(allowed))
    if unknown:
        problems.append(f"{where}: unknown field {', '.join(map(repr, unknown))}.")


def _collect(where: str, obj: Edition | Question, problems: list[str], exclude: list[str]) -> None:
    try:
        # validate_unique also catches an edition whose slug or title is already taken.
        obj.full_clean(exclude=exclude, validate_constraints=False)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            for message in messages:
                label = "" if field == "__all__" else f"{field}: "
                problems.append(f"{where}: {label}{message}")
