"""Admin for organisations, their people and their assessments' read-only histories."""

from typing import Any
from urllib.parse import urlencode

from django.contrib import admin, messages
from django.contrib.admin.options import ActionLocation
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import ngettext

from assessment.models import (
    ActionChange,
    Answer,
    AnswerChange,
    Assessment,
    AssessmentEvent,
    Membership,
    Organisation,
    ReportDocument,
    TargetChange,
    display_name,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Answers and their history are written by the service as things change: admins read
    them, for support and audit, and never edit them."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class HistoryInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


def _filtered_changelist(model: type[Model], label: str, **filters: object) -> str:
    url = reverse(f"admin:assessment_{model._meta.model_name}_changelist")
    return format_html('<a href="{}?{}">{}</a>', url, urlencode(filters), label)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


class TargetChangeInline(HistoryInline):
    model = TargetChange
    verbose_name_plural = "changes to targets (newest first)"
    fields = readonly_fields = ("changed_at", "changed_by", "trend", "old_level", "new_level")

    def get_queryset(self, request: HttpRequest) -> QuerySet[TargetChange]:
        return super().get_queryset(request).select_related("trend", "changed_by")


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "nation", "region", "population_band"]
    list_filter = ["kind", "nation", "population_band"]
    search_fields = ["name", "region"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline, TargetChangeInline]


class UserMembershipInline(admin.StackedInline):
    model = Membership
    can_delete = True
    verbose_name_plural = "Organisation and role"
    help_text = "Council users belong to one organisation. Leave empty for administrators."


# Admins invite council users by creating them here: the user, then their organisation and role.
admin.site.unregister(User)


@admin.register(User)
class CouncilUserAdmin(UserAdmin):
    inlines = [UserMembershipInline]
    list_display = [
        "username",
        "email",
        "first_name",
        "last_name",
        "organisation",
        "role",
        "is_staff",
        "is_active",
    ]
    list_select_related = ["membership__organisation"]
    list_filter = ["is_staff", "is_active", "membership__role", "membership__organisation"]
    # Deactivating comes first: someone who leaves can no longer sign in, and their name
    # stays on every answer and change they made. Deleting loses the name for good.
    actions = ["deactivate"]
    delete_confirmation_template = "admin/auth/user/delete_confirmation.html"
    delete_selected_confirmation_template = "admin/auth/user/delete_selected_confirmation.html"

    def get_actions(
        self, request: HttpRequest, action_location: ActionLocation = ActionLocation.CHANGE_LIST
    ) -> dict[str, Any]:
        actions = super().get_actions(request, action_location)
        return {name: actions[name] for name in sorted(actions, key=lambda n: n != "deactivate")}

    @admin.action(description="Deactivate the selected users (they keep their history)")
    def deactivate(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        count = queryset.filter(is_active=True).update(is_active=False)
        self.message_user(
            request,
            ngettext(
                "%(n)d user deactivated: they can no longer sign in, and their name stays "
                "in the history.",
                "%(n)d users deactivated: they can no longer sign in, and their names stay "
                "in the history.",
                count,
            )
            % {"n": count},
            messages.SUCCESS,
        )

    @admin.display(ordering="membership__organisation__name")
    def organisation(self, user: User) -> str:
        membership = getattr(user, "membership", None)
        return membership.organisation.name if membership else "—"

    @admin.display(ordering="membership__role")
    def role(self, user: User) -> str:
        membership = getattr(user, "membership", None)
        return membership.get_role_display() if membership else "—"


class AssessmentEventInline(HistoryInline):
    model = AssessmentEvent
    fields = readonly_fields = ("kind", "by", "at", "reason")


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["organisation", "edition", "status", "created_at", "submitted_at"]
    list_filter = ["status", "edition"]
    list_select_related = ["organisation", "edition"]
    search_fields = ["organisation__name"]
    # View only: assessments start, submit and reopen in the service, which records each step.
    inlines = [AssessmentEventInline]
    readonly_fields = ["history"]

    @admin.display(description="History")
    def history(self, assessment: Assessment) -> str:
        # Links, not inlines: an assessment's answers can change thousands of times.
        return format_html(
            "{}<br>{}",
            _filtered_changelist(
                AnswerChange,
                "Changes to its answers",
                answer__assessment__organisation__id__exact=assessment.organisation_id,
                answer__assessment__edition__id__exact=assessment.edition_id,
            ),
            _filtered_changelist(
                ActionChange,
                "Changes to its action plan",
                tracking__assessment__organisation__id__exact=assessment.organisation_id,
                tracking__assessment__edition__id__exact=assessment.edition_id,
            ),
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Assessment | None = None) -> bool:
        # A submitted assessment is a council's record; reopen it in the service instead.
        if obj is not None and obj.is_submitted:
            return False
        return super().has_delete_permission(request, obj)


class AnswerChangeInline(HistoryInline):
    model = AnswerChange
    fields = readonly_fields = (
        "version",
        "changed_at",
        "changed_by",
        "old_response",
        "new_response",
        "new_reason",
        "new_evidence",
    )


@admin.register(Answer)
class AnswerAdmin(ReadOnlyAdmin):
    """Who changed what, and when."""

    list_display = ["assessment", "question", "response", "updated_by", "updated_at"]
    list_filter = ["assessment__organisation", "question__trend", "response"]
    list_select_related = [
        "assessment__organisation",
        "assessment__edition",
        "question",
        "updated_by",
    ]
    search_fields = ["assessment__organisation__name", "question__key", "evidence"]
    inlines = [AnswerChangeInline]


@admin.register(AnswerChange)
class AnswerChangeAdmin(ReadOnlyAdmin):
    list_display = ["changed_at", "organisation", "question", "who", "what"]
    list_filter = [
        "answer__assessment__organisation",
        "answer__assessment__edition",
        ("changed_by", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = [
        "answer__assessment__organisation",
        "answer__question",
        "changed_by",
    ]
    search_fields = [
        "answer__assessment__organisation__name",
        "answer__question__key",
        "changed_by__username",
        "new_evidence",
        "new_reason",
    ]
    date_hierarchy = "changed_at"

    @admin.display(ordering="answer__assessment__organisation__name")
    def organisation(self, change: AnswerChange) -> str:
        return change.answer.assessment.organisation.name

    @admin.display(ordering="answer__question__key")
    def question(self, change: AnswerChange) -> str:
        return change.answer.question.key

    @admin.display(description="Who", ordering="changed_by__username")
    def who(self, change: AnswerChange) -> str:
        return display_name(change.changed_by)

    @admin.display(description="What changed")
    def what(self, change: AnswerChange) -> str:
        return format_html_join(
            "",
            "<div>{}: {} → {}</div>",
            [
                (what, old or "None", new or "None")
                for what, old, new in [
                    ("Answer", change.old_label, change.new_label),
                    ("Reason", change.old_reason, change.new_reason),
                    ("Evidence", change.old_evidence, change.new_evidence),
                ]
                if old != new
            ],
        )


@admin.register(TargetChange)
class TargetChangeAdmin(ReadOnlyAdmin):
    list_display = ["changed_at", "organisation", "trend", "who", "what"]
    list_filter = ["organisation", "trend", ("changed_by", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["organisation", "trend", "changed_by"]
    search_fields = ["organisation__name", "trend__title", "changed_by__username"]
    date_hierarchy = "changed_at"

    @admin.display(description="Who", ordering="changed_by__username")
    def who(self, change: TargetChange) -> str:
        return display_name(change.changed_by)

    @admin.display(description="What changed")
    def what(self, change: TargetChange) -> str:
        return f"Target: {change.get_old_level_display()} → {change.get_new_level_display()}"


@admin.register(ActionChange)
class ActionChangeAdmin(ReadOnlyAdmin):
    list_display = ["changed_at", "organisation", "action", "who", "what"]
    list_filter = [
        "tracking__assessment__organisation",
        "tracking__assessment__edition",
        ("changed_by", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = [
        "tracking__assessment__organisation",
        "tracking__question",
        "changed_by",
    ]
    search_fields = [
        "tracking__assessment__organisation__name",
        "tracking__question__key",
        "changed_by__username",
        "new_owner",
        "new_reason",
    ]
    date_hierarchy = "changed_at"

    @admin.display(ordering="tracking__assessment__organisation__name")
    def organisation(self, change: ActionChange) -> str:
        return change.tracking.assessment.organisation.name

    @admin.display(description="Action for question", ordering="tracking__question__key")
    def action(self, change: ActionChange) -> str:
        return change.tracking.question.key

    @admin.display(description="Who", ordering="changed_by__username")
    def who(self, change: ActionChange) -> str:
        return display_name(change.changed_by)

    @admin.display(description="What changed")
    def what(self, change: ActionChange) -> str:
        return format_html_join("", "<div>{}: {} → {}</div>", change.differences())


@admin.register(AssessmentEvent)
class AssessmentEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "organisation", "edition", "kind", "who", "reason"]
    list_filter = [
        "kind",
        "assessment__organisation",
        "assessment__edition",
        ("by", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["assessment__organisation", "assessment__edition", "by"]
    search_fields = ["assessment__organisation__name", "by__username", "reason"]
    date_hierarchy = "at"

    @admin.display(ordering="assessment__organisation__name")
    def organisation(self, event: AssessmentEvent) -> str:
        return event.assessment.organisation.name

    @admin.display(ordering="assessment__edition__year")
    def edition(self, event: AssessmentEvent) -> str:
        return str(event.assessment.edition)

    @admin.display(description="Who", ordering="by__username")
    def who(self, event: AssessmentEvent) -> str:
        return display_name(event.by)


@admin.register(ReportDocument)
class ReportDocumentAdmin(ReadOnlyAdmin):
    """The report documents the worker has made, for support: which version is stored, when it
    was made and how long it took, and whether the last try failed (the worker's log says why).
    The files themselves are downloaded from the report, by those who may read it."""

    list_display = ["assessment", "kind", "version", "pages", "rendered_at", "render_seconds"]
    list_filter = ["kind"]
    list_select_related = ["assessment__organisation", "assessment__edition"]
    search_fields = ["assessment__organisation__name"]
    exclude = ["content"]
