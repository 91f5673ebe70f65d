"""The questionnaire's content: trends, how they depend on each other, editions and questions.

Curated in Django admin and shipped as natural-key fixtures in fixtures/, so the same content
loads into any database with `loaddata` and moves between environments by export and import.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models

from trends.maturity import Level


def bounded_text(max_length: int, **kwargs: Any) -> models.TextField:
    """A TextField whose limit holds in model validation (imports), not only in the form widget."""
    return models.TextField(
        max_length=max_length, validators=[MaxLengthValidator(max_length)], **kwargs
    )


class Family(models.TextChoices):
    DIGITAL = "digital", "Digital"
    TECHNOLOGY = "technology", "Technology"


class TrendManager(models.Manager["Trend"]):
    def get_by_natural_key(self, slug: str) -> Trend:
        return self.get(slug=slug)


class Trend(models.Model):
    family = models.CharField(max_length=20, choices=Family)
    number = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text="Its number within its family in the report (1 to 5 in 2024).",
    )
    title = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=50, unique=True)
    nutshell = bounded_text(400, help_text="The report's one-line summary, in our own words.")
    overview = bounded_text(1000, help_text="The opportunity, in short.")
    risks = bounded_text(1000, help_text="Risks and challenges, in short.")
    early_benefits = bounded_text(
        1000,
    )
    citation = models.CharField(max_length=200, help_text="The report section it comes from.")
    default_target = models.PositiveSmallIntegerField(
        choices=Level,
        default=Level.ESTABLISHED,
        validators=[MinValueValidator(Level.EMERGING)],  # a target of 0 would plan nothing
        help_text="The level a council aims for here unless its lead sets another: the pace the "
        "report asks of this trend in its year.",
    )
    default_target_reason = models.CharField(
        max_length=300,
        blank=True,
        help_text="Why this pace, in a sentence, with the report section it comes from.",
    )

    objects = TrendManager()

    class Meta:
        ordering = ["family", "number"]
        constraints = [
            models.UniqueConstraint(fields=["family", "number"], name="unique_trend_number"),
        ]

    def __str__(self) -> str:
        return self.title

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class TrendDependencyManager(models.Manager["TrendDependency"]):
    def get_by_natural_key(self, foundation_slug: str, dependent_slug: str) -> TrendDependency:
        return self.get(foundation__slug=foundation_slug, dependent__slug=dependent_slug)


class TrendDependency(models.Model):
    """`dependent` relies on `foundation`: as a prerequisite, whose work must come first while it
    is weak, or as an enabler, which ranks first between otherwise equal actions."""

    class Kind(models.TextChoices):
        PREREQUISITE = "prerequisite", "Prerequisite: its work comes first while it is weak"
        ENABLER = "enabler", "Enabler: it ranks first between otherwise equal actions"

    foundation = models.ForeignKey(Trend, on_delete=models.CASCADE, related_name="enables")
    dependent = models.ForeignKey(Trend, on_delete=models.CASCADE, related_name="depends_on")
    kind = models.CharField(
        max_length=20,
        choices=Kind,
        default=Kind.ENABLER,
        help_text="A prerequisite holds back every action of the dependent trend until the "
        "foundation's actions are planned, while the foundation is below its target: only for "
        "what the report says must be in place first.",
    )
    rationale = models.CharField(max_length=300, help_text="Why, in a sentence.")
    citation = models.CharField(max_length=200)

    objects = TrendDependencyManager()

    class Meta:
        verbose_name_plural = "trend dependencies"
        ordering = ["foundation", "dependent"]
        constraints = [
            models.UniqueConstraint(fields=["foundation", "dependent"], name="unique_dependency"),
            models.CheckConstraint(
                condition=~models.Q(foundation=models.F("dependent")),
                name="dependency_not_on_itself",
                violation_error_message="A trend cannot depend on itself.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.foundation} underpins {self.dependent}"

    def natural_key(self) -> tuple[str, str]:
        return (self.foundation.slug, self.dependent.slug)

    natural_key.dependencies = ["trends.trend"]  # type: ignore[attr-defined]

    def clean(self) -> None:
        # A cycle would make "foundations first" meaningless, so refuse the edge that closes one.
        distinct = (
            self.foundation_id and self.dependent_id and self.foundation_id != self.dependent_id
        )
        if distinct and _reaches(self.dependent_id, self.foundation_id, exclude_pk=self.pk):
            raise ValidationError(
                f"{self.dependent} already underpins {self.foundation} (directly or through "
                "other trends), so this dependency would make a loop."
            )


def _reaches(start_id: int, target_id: int, *, exclude_pk: int | None) -> bool:
    edges: dict[int, list[int]] = {}
    others = TrendDependency.objects.all()
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    for foundation_id, dependent_id in others.values_list("foundation_id", "dependent_id"):
        edges.setdefault(foundation_id, []).append(dependent_id)
    seen, stack = set(), [start_id]
    while stack:
        node = stack.pop()
        if node == target_id:
            return True
        if node not in seen:
            seen.add(node)
            stack.extend(edges.get(node, []))
    return False


class EditionQuerySet(models.QuerySet["Edition"]):
    def get_by_natural_key(self, slug: str) -> Edition:
        return self.get(slug=slug)

    def locked(self) -> EditionQuerySet:
        """Published or retired editions that assessments use: their questions are history."""
        return (
            self.exclude(status=Edition.Status.DRAFT).filter(assessments__isnull=False).distinct()
        )

    def editable(self) -> EditionQuerySet:
        return self.exclude(pk__in=Edition.objects.locked().values("pk"))


class Edition(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        RETIRED = "retired", "Retired"

    title = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    year = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    based_on = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="drafts",
        help_text="The edition this one was copied from, if any.",
    )
    published_at = models.DateTimeField(null=True, blank=True)

    objects = EditionQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "title"]

    def __str__(self) -> str:
        return self.title

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    def trends(self) -> models.QuerySet[Trend]:
        """The trends this edition asks about, in family and number order."""
        return Trend.objects.filter(questions__edition=self).distinct()

    def has_assessments(self) -> bool:
        return self.assessments.exists()

    @property
    def is_retired(self) -> bool:
        """Closed to new assessments; its submitted ones and their figures remain."""
        return self.status == self.Status.RETIRED

    def is_locked(self) -> bool:
        """A published edition that assessments use must not change under them."""
        return self.status != self.Status.DRAFT and self.has_assessments()


class QuestionManager(models.Manager["Question"]):
    def get_by_natural_key(self, key: str, edition_slug: str) -> Question:
        return self.get(key=key, edition__slug=edition_slug)


class Question(models.Model):
    class Source(models.TextChoices):
        WHERE_TO_START = "where_to_start", "Where to start"
        CIO_ADVICE = "cio_advice", "Advice for CIOs and digital leaders"

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="questions")
    trend = models.ForeignKey(Trend, on_delete=models.PROTECT, related_name="questions")
    key = models.SlugField(
        max_length=60, help_text="Stable identifier within the edition, such as ai-03."
    )
    source = models.CharField(max_length=20, choices=Source.choices)
    order = models.PositiveSmallIntegerField(default=1, help_text="Position within its trend.")
    statement = bounded_text(
        400, help_text="What the officer rates, as a statement about their council."
    )
    guidance = bounded_text(1000, help_text="What good looks like.")
    action = bounded_text(600, help_text="What to recommend when a council is weak on this.")
    weight = models.PositiveSmallIntegerField(
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="How much it counts within its trend (1 to 5).",
    )
    citation = models.CharField(max_length=200, help_text="The report section it comes from.")
    # Lineage: the question of an earlier edition this one carries on, so that a council's
    # progress can be compared question by question across editions.
    continues = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="continued_by",
        help_text="The question of an earlier edition that this one continues, if any.",
    )

    objects = QuestionManager()

    class Meta:
        ordering = ["edition", "trend", "order", "key"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "key"], name="unique_question_key"),
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.statement[:60]}"

    def natural_key(self) -> tuple[str, str]:
        return (self.key, *self.edition.natural_key())

    natural_key.dependencies = ["trends.edition", "trends.trend"]  # type: ignore[attr-defined]

    def clean_fields(self, exclude: Collection[str] | None = None) -> None:
        # The lineage rule lives here, not in clean(), because only clean_fields() knows what a
        # form leaves out: a form without "continues" (the trend page's inline) must get the
        # problem as a message of its own, not the ValueError Django raises for a missing field.
        errors: dict = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        problem = self.lineage_problem()
        if problem and "continues" not in errors:
            field = NON_FIELD_ERRORS if exclude and "continues" in exclude else "continues"
            errors.setdefault(field, []).append(problem)
        if errors:
            raise ValidationError(errors)

    def lineage_problem(self) -> str | None:
        """Why `continues` is not allowed, if it is not.

        Lineage runs back in time, so that "then" and "now" mean something: a question carries
        on one asked before it, never one asked alongside it or after it. A draft copied from an
        edition keeps its year, so the same year in another edition is allowed.
        """
        earlier = self.continues
        edition = getattr(self, "edition", None)  # missing while a form's edition is invalid
        if earlier is None or edition is None:
            return None
        if earlier.edition_id == edition.pk:
            return (
                f"It cannot continue {earlier.key}, a question of this same edition: choose one "
                "from an earlier edition."
            )
        # An import's edition may have no year yet: the import reports that on its own item.
        if edition.year is not None and earlier.edition.year > edition.year:
            return (
                f"It cannot continue {earlier.key}: that is in {earlier.edition} "
                f"({earlier.edition.year}), later than {edition} ({edition.year}). Choose one "
                "from an earlier edition."
            )
        return None
