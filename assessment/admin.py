from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from assessment.models import (
    Answer,
    AnswerChange,
    Assessment,
    AssessmentEvent,
    Membership,
    Organisation,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "nation", "region", "population_band"]
    list_filter = ["kind", "nation", "population_band"]
    search_fields = ["name", "region"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


class UserMembershipInline(admin.StackedInline):
    model = Membership
    can_delete = True
    verbose_name_plural = "Organisation and role"
    help_text = "Council users belong to one organisation. Leave empty for administrators."


# Admins invite council users by creating them here: the user, then their organisation and role.
User = get_user_model()
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

    @admin.display(ordering="membership__organisation__name")
    def organisation(self, user) -> str:
        membership = getattr(user, "membership", None)
        return membership.organisation.name if membership else "—"

    @admin.display(ordering="membership__role")
    def role(self, user) -> str:
        membership = getattr(user, "membership", None)
        return membership.get_role_display() if membership else "—"


class AssessmentEventInline(admin.TabularInline):
    model = AssessmentEvent
    extra = 0
    can_delete = False
    fields = readonly_fields = ("kind", "by", "at", "reason")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["organisation", "edition", "status", "created_at", "submitted_at"]
    list_filter = ["status", "edition"]
    list_select_related = ["organisation", "edition"]
    search_fields = ["organisation__name"]
    # View only: assessments start, submit and reopen in the service, which records each step.
    inlines = [AssessmentEventInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        # A submitted assessment is a council's record; reopen it in the service instead.
        if obj is not None and obj.is_submitted:
            return False
        return super().has_delete_permission(request, obj)


class AnswerChangeInline(admin.TabularInline):
    model = AnswerChange
    extra = 0
    can_delete = False
    fields = readonly_fields = (
        "version",
        "changed_at",
        "changed_by",
        "old_response",
        "new_response",
        "new_reason",
        "new_evidence",
    )

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    """Read-only: who changed what, and when, for support and audit."""

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

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
