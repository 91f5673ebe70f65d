"""Admin for the questionnaire's content: trends, dependencies, editions and questions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db.models import Count, ForeignKey, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import SafeString
from django.utils.text import slugify

from trends.editions import (
    QUESTION_FIELDS,
    EditionError,
    clone_edition,
    export_edition,
    import_edition,
    publish_edition,
    retire_edition,
    too_big,
)
from trends.models import Edition, Question, Trend, TrendDependency

COPY_ACTION = "Create a new draft edition from this one"
# Why an edition in use cannot change, and what to do instead: one wording for the forms'
# errors and for the notice on the edition's page and its questions' pages.
LOCKED_MESSAGE = (
    "{edition} is in use by assessments, so its questions cannot change. Use “{action}” on "
    "{editions_list} and edit the copy."
)
EDITIONS_LIST = "the editions list"


def locked_message(edition: Edition) -> str:
    """Why the edition's questions cannot change, as a form's error says it."""
    return LOCKED_MESSAGE.format(edition=edition, action=COPY_ACTION, editions_list=EDITIONS_LIST)


def locked_notice(edition: Edition) -> SafeString:
    """The same, with the editions list linked, showing this edition alone to tick and copy."""
    url = f"{reverse('admin:trends_edition_changelist')}?{urlencode({'id__exact': edition.pk})}"
    editions_list = format_html('<a href="{}">{}</a>', url, EDITIONS_LIST)
    return format_html(
        LOCKED_MESSAGE, edition=edition, action=COPY_ACTION, editions_list=editions_list
    )


class QuestionForm(forms.ModelForm):
    """Refuses changes to a question whose edition assessments already answer."""

    class Meta:
        model = Question
        fields = QUESTION_FIELDS

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        if self.instance.pk and not self.has_changed():
            # Saving a page unchanged must not cost a lock check per question on it.
            return cleaned
        editions = {self.instance.edition if self.instance.pk else None, cleaned.get("edition")}
        for edition in filter(None, editions):
            if edition.is_locked():
                raise forms.ValidationError(locked_message(edition))
        return cleaned


class LoadedRowField(forms.ModelChoiceField):
    """A formset row's hidden id, found among the rows the formset has already loaded."""

    def __init__(self, rows: dict[int, Question], **kwargs: Any) -> None:
        self.rows = rows
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Question | None:
        try:
            return self.rows[int(value)]
        except (KeyError, TypeError, ValueError):
            return super().to_python(value)


class QuestionFormSet(forms.BaseInlineFormSet):
    @cached_property
    def loaded_rows(self) -> dict[int, Question]:
        return {row.pk: row for row in self.get_queryset()}

    def add_fields(self, form: forms.ModelForm[Question], index: int | None) -> None:
        super().add_fields(form, index)
        # Django checks each row's hidden id with a query of its own; the rows are already
        # loaded, so look them up there and the page saves in the same queries however long.
        loaded = cast(forms.ModelChoiceField, form.fields["id"])
        form.fields["id"] = LoadedRowField(
            self.loaded_rows,
            queryset=loaded.queryset,
            initial=loaded.initial,
            required=False,
            widget=forms.HiddenInput,
        )

    def clean(self) -> None:
        super().clean()
        if any(form.instance.pk is None for form in self.initial_forms):
            # A row this page showed is no longer editable here: Django would drop its changes
            # silently, so say so instead.
            raise forms.ValidationError(
                "Some of these questions were deleted, or their edition came into use by an "
                "assessment, since you opened this page. Reload the page and make your changes "
                "again."
            )
        for form in self.deleted_forms:
            if form.instance.edition.is_locked():
                raise forms.ValidationError(locked_message(form.instance.edition))


class QuestionInline(admin.StackedInline):
    """Questions admins can still change, edited in place; new ones start on the add page."""

    model = Question
    form = QuestionForm
    formset = QuestionFormSet
    verbose_name_plural = "questions in editions open to change"
    extra = 0
    show_change_link = True
    fields = [
        ("edition", "key", "order"),
        ("source", "weight"),
        "statement",
        "guidance",
        "action",
        "citation",
        "continues",
    ]
    # Shown, not offered as a choice: a <select> of editions on every row costs a query each.
    # Lineage is chosen on the question's own page, where the question list helps find it.
    readonly_fields = ["edition", "key", "continues"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Question]:
        # Locked editions' questions are read-only; they stay in the Questions list.
        return (
            super()
            .get_queryset(request)
            .filter(edition__in=Edition.objects.editable())
            .select_related("edition", "continues__edition")
            .order_by("-edition__year", "edition__title", "order")
        )

    def has_add_permission(self, request: HttpRequest, obj: Trend | None = None) -> bool:
        # A new question needs an edition and a key chosen once: the Questions add page asks.
        return False


class DependsOnInline(admin.StackedInline):
    model = TrendDependency
    fk_name = "dependent"
    extra = 0
    verbose_name = "foundation this trend depends on"
    verbose_name_plural = "foundations this trend depends on"
    fields = ["foundation", "kind", "rationale", "citation"]


@admin.register(Trend)
class TrendAdmin(admin.ModelAdmin):
    list_display = ["title", "family", "number", "default_target", "question_count"]
    list_filter = ["family"]
    search_fields = ["title", "nutshell", "overview"]
    prepopulated_fields = {"slug": ["title"]}
    fieldsets = [
        (None, {"fields": ["title", "slug", ("family", "number"), "citation"]}),
        (
            "From the report, in our words",
            {"fields": ["nutshell", "overview", "risks", "early_benefits"]},
        ),
        (
            "Pace",
            {
                "fields": ["default_target", "default_target_reason"],
                "description": "The target a council starts with for this trend. Its lead can "
                "set another; changing it here changes the plans of every council that has not.",
            },
        ),
    ]
    inlines = [DependsOnInline, QuestionInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Trend]:
        return super().get_queryset(request).annotate(question_total=Count("questions"))

    @admin.display(description="Questions (all editions)", ordering="question_total")
    def question_count(self, trend: Trend) -> int:
        return trend.question_total  # type: ignore[attr-defined]


@admin.register(TrendDependency)
class TrendDependencyAdmin(admin.ModelAdmin):
    list_display = ["foundation", "dependent", "kind", "rationale"]
    list_filter = ["kind", "foundation", "dependent"]
    list_select_related = ["foundation", "dependent"]
    search_fields = ["rationale"]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    form = QuestionForm
    list_display = ["key", "short_statement", "trend", "edition", "source", "order", "weight"]
    list_filter = ["edition", "trend", "source"]
    list_select_related = ["trend", "edition"]
    search_fields = ["key", "statement", "guidance", "action", "citation"]
    ordering = ["edition", "trend", "order"]
    fieldsets = [
        (None, {"fields": [("edition", "trend"), ("key", "order"), ("source", "weight")]}),
        ("Content", {"fields": ["statement", "guidance", "action", "citation"]}),
        ("Lineage", {"fields": ["continues"]}),
    ]
    # The lookup opens the question list, where questions can be filtered by edition.
    raw_id_fields = ["continues"]

    @admin.display(description="Statement")
    def short_statement(self, question: Question) -> str:
        text = question.statement
        return text if len(text) <= 90 else f"{text[:87]}…"

    def has_change_permission(self, request: HttpRequest, obj: Question | None = None) -> bool:
        # A locked edition's questions open read-only, so the admin sees why, not a failed save.
        if obj is not None and obj.edition.is_locked():
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Question | None = None) -> bool:
        if obj is not None and obj.edition.is_locked():
            return False
        return super().has_delete_permission(request, obj)

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Question | None = None,
    ) -> HttpResponse:
        # Read-only pages never say why on their own: give the edition's reason and way out.
        if obj is not None and obj.edition.is_locked():
            self.message_user(request, locked_notice(obj.edition), messages.INFO)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def formfield_for_foreignkey(
        self, db_field: ForeignKey, request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField | None:
        if db_field.name == "edition":
            kwargs["queryset"] = Edition.objects.editable()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class EditionImportForm(forms.Form):
    file = forms.FileField(
        label="Edition file (JSON)",
        help_text="A file exported from this admin, or in the same fixture format.",
    )


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    list_display = ["title", "year", "status", "question_total", "assessment_total", "published_at"]
    list_filter = ["status", "year"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    fields = ["title", "slug", "year", "status", "based_on", "published_at"]
    # Status changes only through the actions below, which validate before publishing.
    readonly_fields = ["status", "based_on", "published_at"]
    actions = ["create_draft_copy", "publish", "retire", "export"]
    change_list_template = "admin/trends/edition/change_list.html"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Edition]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                question_count=Count("questions", distinct=True),
                assessment_count=Count("assessments", distinct=True),
            )
        )

    @admin.display(description="Questions", ordering="question_count")
    def question_total(self, edition: Edition) -> int:
        return edition.question_count  # type: ignore[attr-defined]

    @admin.display(description="Assessments", ordering="assessment_count")
    def assessment_total(self, edition: Edition) -> int:
        return edition.assessment_count  # type: ignore[attr-defined]

    def has_change_permission(self, request: HttpRequest, obj: Edition | None = None) -> bool:
        if obj is not None and obj.is_locked():
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Edition | None = None) -> bool:
        if obj is not None and obj.has_assessments():
            return False
        return super().has_delete_permission(request, obj)

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Edition | None = None,
    ) -> HttpResponse:
        if obj is not None and obj.is_locked():
            self.message_user(request, locked_notice(obj), messages.INFO)
        return super().render_change_form(request, context, add, change, form_url, obj)

    @admin.action(description=COPY_ACTION, permissions=["add"])
    def create_draft_copy(self, request: HttpRequest, queryset: QuerySet[Edition]) -> None:
        for edition in queryset:
            try:
                draft = clone_edition(edition)
            except EditionError as error:
                self.message_user(
                    request,
                    f"“{edition}” was not copied: {' '.join(error.problems)}",
                    messages.ERROR,
                )
                continue
            self.message_user(
                request,
                f"Created “{draft}” with {draft.questions.count()} questions copied from "
                f"“{edition}”. It is a draft: edit it, then publish it.",
                messages.SUCCESS,
            )

    @admin.action(description="Publish", permissions=["change"])
    def publish(self, request: HttpRequest, queryset: QuerySet[Edition]) -> None:
        self._apply_to_each(request, queryset, publish_edition, "published")

    @admin.action(description="Retire (stop new assessments using it)", permissions=["change"])
    def retire(self, request: HttpRequest, queryset: QuerySet[Edition]) -> None:
        self._apply_to_each(request, queryset, retire_edition, "retired")

    def _apply_to_each(
        self,
        request: HttpRequest,
        queryset: QuerySet[Edition],
        operation: Callable[[Edition], object],
        done: str,
    ) -> None:
        # One message per edition, so a refusal says which edition and why.
        for edition in queryset:
            try:
                operation(edition)
            except EditionError as error:
                self.message_user(
                    request,
                    f"“{edition}” was not {done}: {' '.join(error.problems)}",
                    messages.ERROR,
                )
            else:
                self.message_user(request, f"{done.capitalize()} “{edition}”.", messages.SUCCESS)

    @admin.action(description="Export as a file (JSON)", permissions=["view"])
    def export(self, request: HttpRequest, queryset: QuerySet[Edition]) -> HttpResponse | None:
        if queryset.count() != 1:
            self.message_user(request, "Choose one edition to export.", messages.ERROR)
            return None
        edition = queryset.get()
        response = HttpResponse(export_edition(edition), content_type="application/json")
        response["Content-Disposition"] = f'attachment; filename="{slugify(edition.slug)}.json"'
        return response

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="trends_edition_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request):
            return HttpResponse(status=403)
        problems: list[str] = []
        bound = request.method == "POST"
        form = EditionImportForm(request.POST if bound else None, request.FILES if bound else None)
        if bound and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                # Refused by its size as uploaded, so the message gives the file's real size;
                # otherwise read one byte past the limit, never more.
                if problem := too_big(upload.size):
                    raise EditionError([problem])
                edition = import_edition(upload.read(settings.EDITION_IMPORT_MAX_BYTES + 1))
            except EditionError as error:
                problems = error.problems
            else:
                self.message_user(
                    request,
                    f"Imported “{edition}” ({edition.get_status_display().lower()}) with "
                    f"{edition.questions.count()} questions.",
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse("admin:trends_edition_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Import an edition",
            "form": form,
            "problems": problems,
        }
        return render(request, "admin/trends/edition/import.html", context)
