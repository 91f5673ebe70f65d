"""The officer's journey: the dashboard, each section, submitting, targets and the plan.

Access is decided in one place (`assessment.access`): another organisation's assessment is a
404 whatever its id, and viewers never see a form.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from assessment.access import (
    SignedInRequest,
    access_for,
    get_assessment,
    membership_of,
    visible_assessments,
)
from assessment.forms import ReopenForm, SectionForm, TargetsForm, TrackingForm
from assessment.models import Answer, Assessment, SectionAnswers, SectionStatus
from assessment.reporting import assessment_table
from assessment.reporting.assessment_table import TableQuery
from assessment.reporting.scores import plan_with_tracking, result_for, targets_for, tracked_action
from assessment.workflow import (
    WorkflowError,
    reopen_assessment,
    save_answers,
    set_targets,
    start_assessment,
    submit_assessment,
    update_tracking,
)
from trends.models import Edition, Family, Question, Trend


def home(request: HttpRequest) -> HttpResponse:
    # The front door says what the service is for and shows the trends it assesses, so a
    # council officer arriving from an email link knows they are in the right place.
    trends = list(Trend.objects.all())
    edition = Edition.objects.filter(status=Edition.Status.PUBLISHED).order_by("-year").first()
    return render(
        request,
        "assessment/home.html",
        {
            "edition": edition,
            "digital_trends": [t for t in trends if t.family == Family.DIGITAL],
            "technology_trends": [t for t in trends if t.family == Family.TECHNOLOGY],
        },
    )


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "assessment/accessibility.html")


@login_required
def dashboard(request: SignedInRequest) -> HttpResponse:
    access = access_for(request.user)
    if access.is_staff:
        # Every organisation's assessments: a table to filter and sort, not a card for each,
        # which at eighty organisations made a page 25,000 px long.
        return _every_assessment(request)
    membership = membership_of(request.user)
    assessments = list(
        visible_assessments(request.user)
        .select_related("organisation", "edition")
        # distinct: the two joins multiply rows, so plain counts would inflate each other.
        .annotate(
            answered=Count("answers", filter=~Q(answers__response=""), distinct=True),
            total=Count("edition__questions", distinct=True),
        )
        .order_by("organisation__name", "-edition__year")
    )
    started = {a.edition_id for a in assessments}
    startable = (
        [e for e in Edition.objects.filter(status=Edition.Status.PUBLISHED) if e.pk not in started]
        if access.can_start
        else []
    )
    return render(
        request,
        "assessment/dashboard.html",
        {
            "membership": membership,
            "role": _in_a_sentence(membership.get_role_display()) if membership else "",
            "access": access,
            "assessments": assessments,
            "startable": startable,
        },
    )


def _in_a_sentence(label: str) -> str:
    """A label as it reads within a sentence: "Lead (CIO or digital lead)" becomes "lead (CIO
    or digital lead)"; its acronyms keep their capitals, and so does one that leads it."""
    first_word = label.split(" ", 1)[0]
    return label if first_word.isupper() else label[:1].lower() + label[1:]


def _every_assessment(request: SignedInRequest) -> HttpResponse:
    """The admins' dashboard: what the address asks for is read, never trusted (a value the
    page does not offer is ignored, and the page says so)."""
    regions = assessment_table.regions()
    query, ignored = TableQuery.read(request.GET, regions=regions)
    rows = assessment_table.assessment_rows(visible_assessments(request.user), query)
    page = assessment_table.page_of(rows, request.GET.get("page"))
    return render(
        request,
        "assessment/dashboard_admin.html",
        {
            "query": query,
            "ignored": ignored,
            "page": page,
            "assessments": list(page.object_list),
            "pagination": query.pagination(page),
            "kinds": assessment_table.KINDS,
            "regions": regions,
            "statuses": assessment_table.STATUSES,
        },
    )


@login_required
@require_POST
def start(request: SignedInRequest, edition_slug: str) -> HttpResponse:
    membership = membership_of(request.user)
    if membership is None or not access_for(request.user).can_start:
        raise PermissionDenied("Only your organisation's lead can start an assessment.")
    edition = get_object_or_404(Edition, slug=edition_slug, status=Edition.Status.PUBLISHED)
    assessment = start_assessment(
        organisation=membership.organisation, edition=edition, user=request.user
    )
    return redirect("assessment:task_list", pk=assessment.pk)


@login_required
def task_list(request: SignedInRequest, pk: int) -> HttpResponse:
    assessment, access = get_assessment(request.user, pk)
    sections = assessment.sections()
    groups = [
        (family.label, [s for s in sections if s.trend.family == family]) for family in Family
    ]
    return render(
        request,
        "assessment/task_list.html",
        {
            "assessment": assessment,
            "access": access,
            "groups": groups,
            "completed": sum(s.status == SectionStatus.COMPLETED for s in sections),
            "answered": sum(s.answered for s in sections),
            "total": sum(s.total for s in sections),
            "section_count": len(sections),
        },
    )


@login_required
def section(request: SignedInRequest, pk: int, trend_slug: str) -> HttpResponse:
    assessment, access = get_assessment(request.user, pk)
    section = assessment.section(trend_slug)
    if section is None:
        raise Http404("This edition has no such section.")
    if request.method == "POST" and not access.can_answer:
        return _refuse_change(request, assessment)
    form = SectionForm(
        request.POST if request.method == "POST" else None,
        questions=section.questions,
        answers=section.answers,
    )
    if form.is_bound and form.is_valid():
        try:
            changed, conflicts = save_answers(
                assessment=assessment, inputs=form.inputs(), user=request.user
            )
        except WorkflowError as error:
            messages.error(request, str(error))
            return redirect("assessment:task_list", pk=assessment.pk)
        if not conflicts:
            messages.success(request, _saved(section.trend, changed))
            return redirect(_after_save(request, assessment, section))
        form.show_conflicts(conflicts)
    return render(
        request,
        "assessment/section.html",
        {"assessment": assessment, "access": access, "section": section, "form": form},
    )


def _saved(trend: Trend, changed: int) -> str:
    if not changed:
        return f"{trend.title}: no changes to save."
    return ngettext(
        "%(trend)s: %(n)d answer saved.", "%(trend)s: %(n)d answers saved.", changed
    ) % {"trend": trend.title, "n": changed}


def _after_save(request: SignedInRequest, assessment: Assessment, section: SectionAnswers) -> str:
    if "save_and_continue" not in request.POST:
        return reverse("assessment:task_list", args=[assessment.pk])
    if section.following is None:
        return reverse("assessment:check_answers", args=[assessment.pk])
    return reverse("assessment:section", args=[assessment.pk, section.following.slug])


def _refuse_change(request: SignedInRequest, assessment: Assessment) -> HttpResponse:
    if assessment.is_submitted:
        messages.error(
            request,
            "This assessment has been submitted, so its answers cannot change. "
            "Your lead can reopen it.",
        )
        return redirect("assessment:task_list", pk=assessment.pk)
    raise PermissionDenied("You can read this assessment but not change it.")


@login_required
def check_answers(request: SignedInRequest, pk: int) -> HttpResponse:
    assessment, access = get_assessment(request.user, pk)
    # How complete it is comes from the sections' counts, as on the task list: an unfinished
    # assessment is summed up by section, not by a link to every question left. The answers
    # are loaded only to be shown, each under its section.
    sections = assessment.sections()
    answers = {a.question_id: a for a in assessment.answers.order_by()}
    rows: dict[int, list[tuple[Question, Answer | None]]] = {s.trend.pk: [] for s in sections}
    for question in assessment.edition.questions.order_by("order", "key"):
        rows[question.trend_id].append((question, answers.get(question.pk)))
    unfinished = [
        (s, s.total - s.answered) for s in sections if s.status != SectionStatus.COMPLETED
    ]
    return render(
        request,
        "assessment/check_answers.html",
        {
            "assessment": assessment,
            "access": access,
            "sections": [(s, rows[s.trend.pk]) for s in sections],
            "answered": sum(s.answered for s in sections),
            "total": sum(s.total for s in sections),
            "completed": len(sections) - len(unfinished),
            "unfinished": unfinished,  # each with how many questions it has left
        },
    )


@login_required
@require_POST
def submit(request: SignedInRequest, pk: int) -> HttpResponse:
    assessment, access = get_assessment(request.user, pk)
    if not access.can_lead:
        raise PermissionDenied("Only your organisation's lead can submit the assessment.")
    if assessment.is_submitted:
        messages.success(request, "This assessment was already submitted.")
        return redirect("assessment:task_list", pk=assessment.pk)
    try:
        submit_assessment(assessment=assessment, user=request.user)
    except WorkflowError as error:
        # Redirect rather than render, so that reloading the page does not post again (a
        # stale tab's Submit lands here); the check answers page shows what is left.
        messages.error(request, f"The assessment cannot be submitted yet: {error}")
        return redirect("assessment:check_answers", pk=assessment.pk)
    messages.success(request, "Assessment submitted. It is now read-only.")
    return redirect("assessment:task_list", pk=assessment.pk)


@login_required
def reopen(request: SignedInRequest, pk: int) -> HttpResponse:
    assessment, access = get_assessment(request.user, pk)
    if not access.can_lead:
        raise PermissionDenied("Only your organisation's lead can reopen the assessment.")
    if not assessment.is_submitted:
        messages.success(request, "This assessment is open for answers already.")
        return redirect("assessment:task_list", pk=assessment.pk)
    bound = request.method == "POST"  # an empty POST must still show "Enter why …"
    form = ReopenForm(request.POST if bound else None)
    if bound and form.is_valid():
        reopen_assessment(
            assessment=assessment, user=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(request, "Assessment reopened. Officers can change answers again.")
        return redirect("assessment:task_list", pk=assessment.pk)
    return render(request, "assessment/reopen.html", {"assessment": assessment, "form": form})


@login_required
def answer_history(request: SignedInRequest, pk: int, key: str) -> HttpResponse:
    assessment, _ = get_assessment(request.user, pk)
    question = get_object_or_404(assessment.edition.questions.select_related("trend"), key=key)
    answer = assessment.answers.filter(question=question).select_related("updated_by").first()
    changes = list(answer.changes.select_related("changed_by")) if answer is not None else []
    return render(
        request,
        "assessment/answer_history.html",
        {
            "assessment": assessment,
            "question": question,
            "answer": answer,
            "changes": changes,
        },
    )


@login_required
def targets(request: SignedInRequest, pk: int) -> HttpResponse:
    assessment, access = get_assessment(request.user, pk)
    trends = list(assessment.edition.trends())
    current = targets_for(assessment.organisation)
    bound = request.method == "POST"
    if bound and not access.can_lead:
        raise PermissionDenied("Only your organisation's lead can set targets.")
    form = TargetsForm(request.POST if bound else None, trends=trends, targets=current)
    if bound and form.is_valid():
        changed = set_targets(
            organisation=assessment.organisation, targets=form.targets(), user=request.user
        )
        messages.success(
            request,
            "Targets saved. The action plan now follows them."
            if changed
            else "No targets changed, so there was nothing to save.",
        )
        return redirect("assessment:action_plan", pk=assessment.pk)
    return render(
        request,
        "assessment/targets.html",
        {
            "assessment": assessment,
            "access": access,
            "form": form,
            "rows": [(t, current.get(t.slug, t.default_target)) for t in trends],
            "changes": assessment.organisation.target_changes.select_related("trend", "changed_by"),
        },
    )


@login_required
def action_plan(request: SignedInRequest, pk: int) -> HttpResponse:
    assessment, access = get_assessment(request.user, pk)
    result = result_for(assessment)
    return render(
        request,
        "assessment/action_plan.html",
        {
            "assessment": assessment,
            "access": access,
            "result": result,
            "horizons": plan_with_tracking(assessment, result),
        },
    )


@login_required
def track_action(request: SignedInRequest, pk: int, key: str) -> HttpResponse:
    assessment, access = get_assessment(request.user, pk)
    if not access.can_lead:
        raise PermissionDenied("Only your organisation's lead can update the action plan.")
    tracked = tracked_action(assessment, key)
    if tracked is None:
        raise Http404("There is no such action in the plan.")
    form = TrackingForm(request.POST if request.method == "POST" else None, instance=tracked.row)
    if form.is_bound and form.is_valid():
        changed = update_tracking(
            assessment=assessment,
            question=tracked.question,
            tracking=form.tracking_input(),
            user=request.user,
        )
        rank = tracked.action.rank
        messages.success(
            request, f"Action {rank} updated." if changed else f"Action {rank}: no changes to save."
        )
        return redirect(reverse("assessment:action_plan", args=[assessment.pk]) + f"#action-{key}")
    return render(
        request,
        "assessment/track_action.html",
        {
            "assessment": assessment,
            "action": tracked.action,
            "form": form,
            "changes": tracked.changes(),
        },
    )
