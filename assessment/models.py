"""Organisations, their people and their assessments.

An organisation assesses itself once per edition of the questionnaire. Each user belongs to at
most one organisation, with a role; staff users are admins, not members of any organisation.
Every answer, target and tracked action keeps its whole history: who changed what, and when.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone

from trends.maturity import NOT_APPLICABLE, RESPONSE_LABELS, RESPONSES, Level
from trends.models import Edition, Question, Trend

EVIDENCE_MAX_CHARS = 2000
REASON_MAX_CHARS = 500
# Who a change is credited to once its author's account has been deleted (people who leave
# should be deactivated instead: their names then stay in the history).
DELETED_USER = "a former user"


def display_name(user: AbstractUser | None) -> str:
    """How the service names a person wherever it shows who did something: their full name,
    else their username. Their rows outlive a deleted user, who is "a former user"."""
    if user is None:
        return DELETED_USER
    return user.get_full_name() or user.username


class PeerGroup(models.TextChoices):
    """Whom a report compares an organisation with: others sharing one of its attributes."""

    KIND = "kind", "Organisations of the same type"
    REGION = "region", "Organisations in the same region"
    POPULATION_BAND = "population_band", "Organisations of a similar population"
    ALL = "all", "All organisations"


class Organisation(models.Model):
    class Kind(models.TextChoices):
        COUNTY = "county", "County council"
        DISTRICT = "district", "District council"
        UNITARY = "unitary", "Unitary authority"
        METROPOLITAN = "metropolitan", "Metropolitan borough"
        LONDON_BOROUGH = "london_borough", "London borough"
        WELSH = "welsh", "Welsh principal council"
        SCOTTISH = "scottish", "Scottish council"
        NORTHERN_IRELAND = "northern_ireland", "Northern Ireland council"
        COMBINED_AUTHORITY = "combined_authority", "Combined authority"
        OTHER = "other", "Other public body"

    class Nation(models.TextChoices):
        ENGLAND = "england", "England"
        WALES = "wales", "Wales"
        SCOTLAND = "scotland", "Scotland"
        NORTHERN_IRELAND = "northern_ireland", "Northern Ireland"

    class PopulationBand(models.TextChoices):
        UNDER_100K = "under_100k", "Under 100,000"
        FROM_100K = "100k_250k", "100,000 to 250,000"
        FROM_250K = "250k_500k", "250,000 to 500,000"
        FROM_500K = "500k_1m", "500,000 to 1 million"
        OVER_1M = "over_1m", "Over 1 million"

    name = models.CharField(max_length=150, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField("type", max_length=30, choices=Kind.choices)
    nation = models.CharField(max_length=20, choices=Nation.choices)
    region = models.CharField(
        max_length=60, help_text="English region, or the nation's name elsewhere."
    )
    population_band = models.CharField(max_length=20, choices=PopulationBand.choices)
    protective_marking = models.CharField(
        max_length=60,
        default="OFFICIAL",
        help_text="Printed on every page of the PDF report, for example OFFICIAL or "
        "OFFICIAL-SENSITIVE.",
    )
    peer_group = models.CharField(
        max_length=20,
        choices=PeerGroup,
        default=PeerGroup.KIND,
        help_text="The organisations the report compares this one with. The lead chooses.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def describe_peers(self, group: str) -> str:
        """How a sentence names the organisations of its peer group (a `PeerGroup` value):
        "Compared with district councils", "… with organisations in the South East"."""
        if group == PeerGroup.KIND:
            return _KIND_PLURALS[Organisation.Kind(self.kind)]
        if group == PeerGroup.REGION:
            return f"organisations in {self.region}"
        if group == PeerGroup.POPULATION_BAND:
            band = _BAND_PHRASES[Organisation.PopulationBand(self.population_band)]
            return f"organisations with a population {band}"
        return "all organisations"


_KIND_PLURALS = {
    Organisation.Kind.COUNTY: "county councils",
    Organisation.Kind.DISTRICT: "district councils",
    Organisation.Kind.UNITARY: "unitary authorities",
    Organisation.Kind.METROPOLITAN: "metropolitan boroughs",
    Organisation.Kind.LONDON_BOROUGH: "London boroughs",
    Organisation.Kind.WELSH: "Welsh principal councils",
    Organisation.Kind.SCOTTISH: "Scottish councils",
    Organisation.Kind.NORTHERN_IRELAND: "Northern Ireland councils",
    Organisation.Kind.COMBINED_AUTHORITY: "combined authorities",
    Organisation.Kind.OTHER: "other public bodies",
}
_BAND_PHRASES = {
    Organisation.PopulationBand.UNDER_100K: "under 100,000",
    Organisation.PopulationBand.FROM_100K: "of 100,000 to 250,000",
    Organisation.PopulationBand.FROM_250K: "of 250,000 to 500,000",
    Organisation.PopulationBand.FROM_500K: "of 500,000 to 1 million",
    Organisation.PopulationBand.OVER_1M: "over 1 million",
}


class Membership(models.Model):
    class Role(models.TextChoices):
        OFFICER = "officer", "Officer"
        LEAD = "lead", "Lead (CIO or digital lead)"
        VIEWER = "viewer", "Viewer"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices)

    class Meta:
        ordering = ["organisation", "role", "user__username"]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.organisation})"


class Assessment(models.Model):
    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        SUBMITTED = "submitted", "Submitted"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="assessments"
    )
    # PROTECT: an edition that has been answered is history and must never vanish with it.
    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="assessments")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.IN_PROGRESS)
    created_at = models.DateTimeField(auto_now_add=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "edition"], name="one_assessment_per_edition"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.edition}"

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED

    def section(self, trend_slug: str) -> SectionAnswers | None:
        """One trend's section, its questions in order with their answers, and its place among
        the edition's sections (three queries); None when the edition has no such section."""
        trends = list(self.edition.trends())
        trend = next((t for t in trends if t.slug == trend_slug), None)
        if trend is None:
            return None
        return SectionAnswers(
            trend=trend,
            questions=list(self.edition.questions.filter(trend=trend).order_by("order")),
            answers={
                a.question_id: a
                for a in self.answers.filter(question__trend=trend).select_related("updated_by")
            },
            trends=trends,
        )

    def sections(self) -> list[Section]:
        """Each trend's section and how far it is answered, in three queries whatever the
        number of questions."""
        totals = dict(self.edition.questions.values_list("trend_id").annotate(n=Count("pk")))
        answered = dict(
            self.answers.exclude(response="")
            .values_list("question__trend_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
        return [
            Section(trend, answered.get(trend.pk, 0), totals[trend.pk])
            for trend in Trend.objects.filter(pk__in=totals)
        ]


@dataclass(frozen=True)
class SectionAnswers:
    """One trend's questions in an assessment with their answers, as its page needs them."""

    trend: Trend
    questions: list[Question]
    answers: dict[int, Answer]  # by question id
    trends: list[Trend]  # every section of the edition, in order

    @property
    def position(self) -> int:
        return self.trends.index(self.trend) + 1

    @property
    def count(self) -> int:
        return len(self.trends)

    @property
    def following(self) -> Trend | None:
        """The next section, or None after the last."""
        return self.trends[self.position] if self.position < self.count else None

    @property
    def rows(self) -> list[tuple[Question, Answer | None]]:
        return [(q, self.answers.get(q.pk)) for q in self.questions]


class SectionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"

    @property
    def tag(self) -> str:
        """The GOV.UK tag's colour class; none for Completed, which the task list shows as
        plain text."""
        return _STATUS_TAGS[self]


_STATUS_TAGS = {
    SectionStatus.NOT_STARTED: "govuk-tag--blue",
    SectionStatus.IN_PROGRESS: "govuk-tag--light-blue",
    SectionStatus.COMPLETED: "",
}


@dataclass(frozen=True)
class Section:
    """One trend's questions in an assessment, as the task list shows it."""

    trend: Trend
    answered: int
    total: int

    @property
    def status(self) -> SectionStatus:
        if self.answered == 0:
            return SectionStatus.NOT_STARTED
        if self.answered >= self.total:
            return SectionStatus.COMPLETED
        return SectionStatus.IN_PROGRESS


class Answer(models.Model):
    """One question's answer in one assessment. `version` counts saves, to catch lost updates."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    response = models.CharField(max_length=10, choices=RESPONSES, blank=True)
    not_applicable_reason = models.TextField(
        blank=True, validators=[MaxLengthValidator(REASON_MAX_CHARS)]
    )
    evidence = models.TextField(blank=True, validators=[MaxLengthValidator(EVIDENCE_MAX_CHARS)])
    version = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["question__order"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "question"], name="one_answer_each"),
            models.CheckConstraint(
                condition=Q(response__in=["", *(code for code, _ in RESPONSES)]),
                name="response_on_the_scale",
            ),
            models.CheckConstraint(
                condition=~Q(response=NOT_APPLICABLE) | ~Q(not_applicable_reason=""),
                name="not_applicable_needs_a_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment}: {self.question.key} = {self.response or '(none)'}"


class AnswerChange(models.Model):
    """One save that changed an answer: who, when, and each field's old and new value."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="changes")
    version = models.PositiveIntegerField(help_text="The answer's version this change made.")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)
    old_response = models.CharField(max_length=10, blank=True)
    new_response = models.CharField(max_length=10, blank=True)
    old_reason = models.TextField(blank=True)
    new_reason = models.TextField(blank=True)
    old_evidence = models.TextField(blank=True)
    new_evidence = models.TextField(blank=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.answer.question.key}: {self.old_label} → {self.new_label}"

    @property
    def old_label(self) -> str:
        return RESPONSE_LABELS.get(self.old_response, "No answer")

    @property
    def new_label(self) -> str:
        return RESPONSE_LABELS.get(self.new_response, "No answer")


class AssessmentEvent(models.Model):
    """Milestones of an assessment: started, submitted, reopened (with the lead's reason)."""

    class Kind(models.TextChoices):
        STARTED = "started", "Started"
        SUBMITTED = "submitted", "Submitted"
        REOPENED = "reopened", "Reopened"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(blank=True, validators=[MaxLengthValidator(REASON_MAX_CHARS)])

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


class TrendTarget(models.Model):
    """The level a council aims for in a trend, when not the trend's default target."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="targets")
    trend = models.ForeignKey(Trend, on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    set_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "trend"], name="one_target_per_trend"),
            models.CheckConstraint(condition=Q(level__lte=4), name="target_on_the_scale"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.trend} → {self.get_level_display()}"


class ActionTracking(models.Model):
    """The lead's tracking of one action. Its identity is its question, so re-scoring and
    reopening keep it, whatever rank the action has today."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        WONT_DO = "wont_do", "Won't do"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="tracking")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    owner = models.CharField(max_length=100, blank=True)
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    reason = models.TextField(blank=True, validators=[MaxLengthValidator(REASON_MAX_CHARS)])
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "question"], name="one_tracking_each"),
            models.CheckConstraint(
                condition=~Q(status="wont_do") | ~Q(reason=""), name="wont_do_needs_a_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question.key}: {self.get_status_display()}"


class TargetChange(models.Model):
    """One change to an organisation's target for a trend: who, when, and the old and new level.

    A trend without a target of its own aims for its default target, so that is the old
    level of the first change.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="target_changes"
    )
    trend = models.ForeignKey(Trend, on_delete=models.CASCADE, related_name="+")
    old_level = models.PositiveSmallIntegerField(choices=Level.choices)
    new_level = models.PositiveSmallIntegerField(choices=Level.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.trend}: {self.get_old_level_display()} → {self.get_new_level_display()}"


class ActionChange(models.Model):
    """One save that changed an action's tracking: who, when, and each field's old and new value.

    The first change of an action starts from an untracked action: no owner, no due date, not
    started.
    """

    tracking = models.ForeignKey(ActionTracking, on_delete=models.CASCADE, related_name="changes")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)
    old_owner = models.CharField(max_length=100, blank=True)
    new_owner = models.CharField(max_length=100, blank=True)
    old_due_date = models.DateField(null=True, blank=True)
    new_due_date = models.DateField(null=True, blank=True)
    old_status = models.CharField(max_length=20, choices=ActionTracking.Status.choices)
    new_status = models.CharField(max_length=20, choices=ActionTracking.Status.choices)
    old_reason = models.TextField(blank=True)
    new_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return "; ".join(f"{what}: {old} → {new}" for what, old, new in self.differences())

    def differences(self) -> list[tuple[str, str, str]]:
        """What this change altered, in words: (field, old value, new value) for each field."""
        return [
            (what, old, new)
            for what, old, new in [
                ("Owner", self.old_owner or "None", self.new_owner or "None"),
                ("Due date", _day(self.old_due_date), _day(self.new_due_date)),
                ("Status", self.get_old_status_display(), self.get_new_status_display()),
                ("Reason", self.old_reason or "None", self.new_reason or "None"),
            ]
            if old != new
        ]


def _day(value: date | None) -> str:
    return f"{value.day} {value:%b %Y}" if value else "None"


class Snapshot(models.Model):
    """What was submitted: the questionnaire as it was, the answers, and the result then.

    Reports of a submitted assessment are scored from here, so later edits to questions in
    admin never change them; targets still apply as they are today.
    """

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="snapshots")
    taken_at = models.DateTimeField(default=timezone.now)
    questionnaire = models.JSONField()
    answers = models.JSONField()
    result = models.JSONField()

    class Meta:
        ordering = ["-taken_at", "-pk"]
        get_latest_by = ["taken_at", "pk"]

    def __str__(self) -> str:
        return f"{self.assessment} at {self.taken_at:%Y-%m-%d %H:%M}"


class PeerScores(models.Model):
    """Every submitted assessment's scores for one edition, as at a moment: what peer
    comparisons read (`reporting.peers`).

    Refreshed nightly in the background, not at each submission, so one council's submission
    does not make every other council's report out of date at once; each report says the date
    its peer figures are as at. Rows hold no names: the assessment, its organisation's
    peer-group attributes and its scores.
    """

    edition = models.OneToOneField(Edition, on_delete=models.CASCADE, related_name="peer_scores")
    as_at = models.DateTimeField()
    rows = models.JSONField()

    class Meta:
        verbose_name_plural = "peer scores"

    def __str__(self) -> str:
        return f"{self.edition}: peer scores as at {self.as_at:%Y-%m-%d %H:%M}"


class EditionStatistics(models.Model):
    """Every submitted assessment of one edition, scored: its trend and index scores, the
    actions its plan puts first (Now) and its organisation's peer-group attributes, as pandas
    works them out (`reporting.statistics`). The sector overview, the sector data, the open
    data and the nightly peer scores read them, so no page scores every answer of an edition.

    Refreshed in the background moments after a submission, a reopening or a change of
    targets, and each night; `stamp` says what they were worked out from, so a page can tell
    when they are behind. Stored by column (a list per column, one value per assessment),
    which pandas reads back in one step; no names.
    """

    edition = models.OneToOneField(Edition, on_delete=models.CASCADE, related_name="statistics")
    as_at = models.DateTimeField()
    stamp = models.CharField(max_length=200)
    columns = models.JSONField()

    class Meta:
        verbose_name_plural = "edition statistics"

    def __str__(self) -> str:
        return f"{self.edition}: statistics as at {self.as_at:%Y-%m-%d %H:%M}"


class ReportDocument(models.Model):
    """One of an assessment's report documents, as made in the background, with the report
    fingerprint it was made from: a download is served from here only while that fingerprint
    is current (`reporting.documents`)."""

    class Kind(models.TextChoices):
        BOARD_SUMMARY = "board-summary", "Board summary (PDF)"
        FULL_REPORT = "full-report", "Full report (PDF)"
        BOARD_PAPER = "board-paper", "Board paper (Word)"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # What is stored: its fingerprint ("" until the first render), content, and when it was made.
    fingerprint = models.CharField(max_length=64, blank=True)
    content = models.BinaryField(blank=True, editable=False)
    version = models.PositiveIntegerField(default=0)
    pages = models.PositiveSmallIntegerField(null=True, blank=True)
    rendered_at = models.DateTimeField(null=True, blank=True)
    render_seconds = models.FloatField(null=True, blank=True)
    # What was last asked for: a render of this fingerprint, first asked for at requested_at,
    # last queued at queued_at (queued again when the worker has not answered in time).
    requested = models.CharField(max_length=64, blank=True)
    requested_at = models.DateTimeField(null=True, blank=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    # The fingerprint whose render of this document last failed ("" when none has).
    failed = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "kind"], name="one_document_each"),
        ]

    def __str__(self) -> str:
        return f"{self.assessment}: {self.get_kind_display()}, version {self.version}"
