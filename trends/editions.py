"""Whole-edition operations: copy an edition into a new draft, publish, export and import.

Admin actions and `load_content` call these; each is one transaction, so a refusal leaves the
database exactly as it was. The file format is Django's fixture format with natural keys, so an
exported edition also loads with `manage.py loaddata`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core import serializers
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from trends.models import Edition, Question, Trend

EDITION_MODEL = "trends.edition"
QUESTION_MODEL = "trends.question"
EDITION_FIELDS = ("title", "slug", "year", "status")
# A question's content: what admins edit, an export carries, an import accepts and a copy takes.
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
)
# More problems than this and the list stops helping: fix these, then try again.
MAX_REPORTED_PROBLEMS = 30


class EditionError(Exception):
    """Refused: `problems` says what is wrong, each in a sentence an admin can act on."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class _QuestionFacts:
    key: str
    trend_id: int
    statement: str
    action: str


def publication_problems(questions: Iterable[_QuestionFacts]) -> list[str]:
    """What stops a set of questions being published: every trend covered, nothing left blank."""
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
        _QuestionFacts(q.key, q.trend_id, q.statement, q.action)
        for q in edition.questions.only("key", "trend_id", "statement", "action")
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


@transaction.atomic
def clone_edition(edition: Edition) -> Edition:
    """A new draft with copies of every question, to change without touching the original."""
    slug, title = _free_slug_and_title(edition)
    draft = Edition.objects.create(
        title=title, slug=slug, year=edition.year, status=Edition.Status.DRAFT, based_on=edition
    )
    copied = [f for f in QUESTION_FIELDS if f not in ("edition", "trend")]
    Question.objects.bulk_create(
        Question(edition=draft, trend_id=q.trend_id, **{f: getattr(q, f) for f in copied})
        for q in edition.questions.all()
    )
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
    """The edition and its questions as fixture JSON: trends by slug, no database ids."""
    objects = [edition, *edition.questions.select_related("edition", "trend")]
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
    its questions, never updates or points at existing rows other than trends by slug.
    """
    items = _parse(raw)
    edition, questions, problems = _build(items)
    if edition is not None and edition.status == Edition.Status.PUBLISHED:
        problems += publication_problems(
            _QuestionFacts(q.key, q.trend_id, q.statement, q.action) for q in questions
        )
    if problems:
        if len(problems) > MAX_REPORTED_PROBLEMS:
            extra = len(problems) - MAX_REPORTED_PROBLEMS
            problems = [*problems[:MAX_REPORTED_PROBLEMS], f"… and {extra} more problems."]
        raise EditionError(problems)
    assert edition is not None  # _build reports a problem whenever it has no edition
    with transaction.atomic():
        if edition.status == Edition.Status.PUBLISHED:
            edition.published_at = timezone.now()
        edition.save()
        for q in questions:
            q.edition = edition
        Question.objects.bulk_create(questions)
    return edition


def _parse(raw: bytes) -> list:
    limit = settings.EDITION_IMPORT_MAX_BYTES
    if len(raw) > limit:
        raise EditionError(
            [
                f"The file is {len(raw) // 1000:,} KB; the largest edition file we accept is "
                f"{limit // 1000:,} KB."
            ]
        )
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
    if not isinstance(items, list):
        raise EditionError(
            ["The file must be a JSON list of objects, as exported from this admin."]
        )
    return items


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
    questions: list[Question] = []
    seen_keys: dict[str, int] = {}
    for number, fields in question_rows:
        question = _build_question(number, fields, edition, trends, problems)
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
    where = f"Item {number} (edition {fields.get('slug', '?')})"
    _check_field_names(where, fields, EDITION_FIELDS, problems)
    edition = Edition(**{k: v for k, v in fields.items() if k in EDITION_FIELDS})
    _collect(where, edition, problems, exclude=[])
    return edition


def _build_question(
    number: int, fields: dict, edition: Edition, trends: dict[str, Trend], problems: list[str]
) -> Question | None:
    where = f"Item {number} (question {fields.get('key', '?')})"
    before = len(problems)
    _check_field_names(where, fields, QUESTION_FIELDS, problems)
    if fields.get("edition") != [edition.slug]:
        problems.append(
            f'{where}: "edition" is {fields.get("edition")!r} but the file\'s edition is '
            f"[{edition.slug!r}]."
        )
    trend_ref = fields.get("trend")
    trend = None
    if isinstance(trend_ref, list) and len(trend_ref) == 1 and isinstance(trend_ref[0], str):
        trend = trends.get(trend_ref[0])
        if trend is None:
            problems.append(
                f"{where}: there is no trend {trend_ref[0]!r}; the trends are "
                f"{', '.join(sorted(trends))}."
            )
    else:
        problems.append(f'{where}: "trend" must be a trend\'s slug in a list, like ["ai"].')
    plain = {
        k: v for k, v in fields.items() if k in QUESTION_FIELDS and k not in ("edition", "trend")
    }
    question = Question(trend=trend, **plain)
    _collect(where, question, problems, exclude=["edition", "trend"])
    return question if len(problems) == before else None


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
