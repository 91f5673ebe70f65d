"""The officer's journey. Views are thin: check access, call the model or workflow, render.

Access is decided in one place (`assessment.access.get_assessment`): another organisation's
assessment is a 404 whatever its id, and viewers never see a form.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_POST

from assessment.access import Access, get_assessment, membership_of
from assessment.benchmarks import describe_group, peer_counts
from assessment.forms import PeerGroupForm, ReopenForm, SectionForm, TargetsForm, TrackingForm
from assessment.models import ActionTracking, Answer, Assessment, Membership
from assessment.reports import pdf_filename, report_context, report_fingerprint, report_pdf
from assessment.responses import attachment
from assessment.results import plan_with_tracking, result_for, targets_for
from assessment.scoring import DEFAULT_TARGET
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


@dataclass(frozen=True)
class SectionStatus:
    trend: Trend
    answered: int
    total: int

    @property
    def status(self) -> str:
        if self.answered == 0:
            return "Not started"
        return "Completed" if self.answered >= self.total else "In progress"


def section_statuses(assessment: Assessment) -> list[SectionStatus]:
    """Each trend's progress in three queries, whatever the number of questions."""
    totals = dict(assessment.edition.questions.values_list("trend_id").annotate(n=Count("pk")))
    answered = assessment.answered_counts()
    return [
        SectionStatus(trend, answered.get(trend.pk, 0), totals[trend.pk])
        for trend in Trend.objects.filter(pk__in=totals)
    ]


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    membership = membership_of(request.user)
    assessments = list(
        Assessment.objects.visible_to(request.user)
        .select_related("organisation", "edition")
        # distinct: the two joins multiply rows, so plain counts would inflate each other.
        .annotate(
            answered=Count("answers", filter=~Q(answers__response=""), distinct=True),
            total=Count("edition__questions", distinct=True),
        )
        .order_by("organisation__name", "-edition__year")
    )
    startable: list[Edition] = []
    if membership and membership.role == Membership.Role.LEAD:
        started = {a.edition_id for a in assessments}
        startable = [
            e
            for e in Edition.objects.filter(status=Edition.Status.PUBLISHED)
            if e.pk not in started
        ]
    return render(
        request,
        "assessment/dashboard.html",
        {"membership": membership, "assessments": assessments, "startable": startable},
    )


@login_required
@require_POST
def start(request: HttpRequest, edition_slug: str) -> HttpResponse:
    membership = membership_of(request.user)
    if membership is None or membership.role != Membership.Role.LEAD:
        raise PermissionDenied("Only your organisation's lead can start an assessment.")
    edition = get_object_or_404(Edition, slug=edition_slug, status=Edition.Status.PUBLISHED)
    assessment = start_assessment(
        organisation=membership.organisation, edition=edition, user=request.user
    )
    return redirect("assessment:task_list", pk=assessment.pk)


@login_required
def task_list(request: HttpRequest, pk: int) -> HttpResponse:
    assessment, access = get_assessment(request.user, pk)
    sections = section_statuses(assessment)
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
            "completed": sum(s.status == "Completed" for s in sections),
            "answered": sum(s.answered for s in sections),
            "total": sum(s.total for s in sections),
            "section_count": len(sections),
        },
    )


@login_required
def section(request: HttpRequest, pk: int, trend_slug: str) -> HttpResponse:
    assessment, access = get_assessment(request.user, pk)
    trend = get_object_or_404(Trend, slug=trend_slug)
    questions = list(assessment.edition.questions.filter(trend=trend).order_by("order"))
    if not questions:
        raise Http404("This edition has no such section.")
    answers = {
        a.question_id: a
        for a in assessment.answers.filter(question__trend=trend).select_related("updated_by")
    }
    if request.method == "POST":
        if not access.can_answer:
            return _refuse_change(request, assessment, access)
        form = SectionForm(request.POST, questions=questions, answers=answers)
        if form.is_valid():
            try:
                changed, conflicts = save_answers(
                    assessment=assessment, inputs=form.inputs(), user=request.user
                )
            except WorkflowError as error:
                messages.error(request, str(error))
                return redirect("assessment:task_list", pk=assessment.pk)
            if not conflicts:
                messages.success(
                    request,
                    f"{trend.title}: {changed} answer{'s' if changed != 1 else ''} saved."
                    if changed
                    else f"{trend.title}: no changes to save.",
                )
                return redirect(_after_save(request, assessment, trend))
            form.show_conflicts(conflicts)
    else:
        form = SectionForm(questions=questions, answers=answers)

    trends = list(assessment.edition.trends())
    position = trends.index(trend)
    return render(
        request,
        "assessment/section.html",
        {
            "assessment": assessment,
            "access": access,
            "trend": trend,
            "form": form,
            "rows": [(q, answers.get(q.pk)) for q in questions],
            "position": position + 1,
            "section_count": len(trends),
            "is_last": position == len(trends) - 1,
        },
    )


def _after_save(request: HttpRequest, assessment: Assessment, trend: Trend) -> str:
    if "save_and_continue" in request.POST:
        following = (
            assessment.edition.trends()
            .filter(Q(family=trend.family, number__gt=trend.number) | Q(family__gt=trend.family))
            .first()
        )
        if following is not None:
            return reverse("assessment:section", args=[assessment.pk, following.slug])
        return reverse("assessment:check_answers", args=[assessment.pk])
    return reverse("assessment:task_list", args=[assessment.pk])


def _refuse_change(request: HttpRequest, assessment: Assessment, access: Access) -> HttpResponse:
    if assessment.is_submitted:
        messages.error(
            request,
            "This assessment has been submitted, so its answers cannot change. "
            "Your lead can reopen it.",
        )
        return redirect("assessment:task_list", pk=assessment.pk)
    raise PermissionDenied("You can read this assessment but not change it.")


@login_required
def check_answers(request: HttpRequest, pk: int) -> HttpResponse:
    assessment, access = get_assessment(request.user, pk)
    return _render_check_answers(request, assessment, access)


def _render_check_answers(
    request: HttpRequest, assessment: Assessment, access: Access, *, error: str = ""
) -> HttpResponse:
    questions = list(
        assessment.edition.questions.select_related("trend").order_by(
            "trend__family", "trend__number", "order"
        )
    )
    answers = {a.question_id: a for a in assessment.answers.all()}
    sections: dict[Trend, list[tuple[Question, Answer | None]]] = {}
    for question in questions:
        sections.setdefault(question.trend, []).append((question, answers.get(question.pk)))
    missing = [q for q in questions if not getattr(answers.get(q.pk), "response", "")]
    return render(
        request,
        "assessment/check_answers.html",
        {
            "assessment": assessment,
            "access": access,
            "sections": sections,
            "missing": missing,
            "error": error,
        },
    )


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    assessment, access = get_assessment(request.user, pk)
    if not access.can_lead:
        raise PermissionDenied("Only your organisation's lead can submit the assessment.")
    if assessment.is_submitted:
        messages.success(request, "This assessment was already submitted.")
        return redirect("assessment:task_list", pk=assessment.pk)
    try:
        submit_assessment(assessment=assessment, user=request.user)
    except WorkflowError as error:
        return _render_check_answers(request, assessment, access, error=str(error))
    messages.success(request, "Assessment submitted. It is now read-only.")
    return redirect("assessment:task_list", pk=assessment.pk)


@login_required
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
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
def answer_history(request: HttpRequest, pk: int, key: str) -> HttpResponse:
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
def targets(request: HttpRequest, pk: int) -> HttpResponse:
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
            "rows": [(t, current.get(t.slug, DEFAULT_TARGET)) for t in trends],
            "changes": assessment.organisation.target_changes.select_related("trend", "changed_by"),
        },
    )


@login_required
def action_plan(request: HttpRequest, pk: int) -> HttpResponse:
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
def track_action(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    assessment, access = get_assessment(request.user, pk)
    if not access.can_lead:
        raise PermissionDenied("Only your organisation's lead can update the action plan.")
    action = next((a for a in result_for(assessment).actions if a.question.key == key), None)
    if action is None:
        raise Http404("There is no such action in the plan.")
    question = get_object_or_404(assessment.edition.questions, key=key)
    tracking = ActionTracking.objects.filter(assessment=assessment, question=question).first()
    form = TrackingForm(
        request.POST if request.method == "POST" else None,
        instance=tracking or ActionTracking(assessment=assessment, question=question),
    )
    if request.method == "POST" and form.is_valid():
        changed = update_tracking(
            assessment=assessment,
            question=question,
            tracking=form.tracking_input(),
            user=request.user,
        )
        messages.success(
            request,
            f"Action {action.rank} updated."
            if changed
            else f"Action {action.rank}: no changes to save.",
        )
        return redirect(reverse("assessment:action_plan", args=[assessment.pk]) + f"#action-{key}")
    return render(
        request,
        "assessment/track_action.html",
        {
            "assessment": assessment,
            "action": action,
            "form": form,
            "changes": tracking.changes.select_related("changed_by") if tracking else [],
        },
    )


@login_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    assessment, access = get_assessment(request.user, pk)
    # The body is cached under the report's fingerprint, so the context is built lazily: a
    # cache hit never computes it.
    return render(
        request,
        "reports/report.html",
        {
            "assessment": assessment,
            "access": access,
            "fingerprint": report_fingerprint(assessment),
            "report": SimpleLazyObject(lambda: report_context(assessment)),
        },
    )


@login_required
def peer_group(request: HttpRequest, pk: int) -> HttpResponse:
    """The lead chooses whom the report compares the organisation with."""
    assessment, access = get_assessment(request.user, pk)
    organisation = assessment.organisation
    bound = request.method == "POST"
    if bound and not access.can_lead:
        raise PermissionDenied("Only your organisation's lead can choose the comparison.")
    form = PeerGroupForm(
        request.POST if bound else None,
        organisation=organisation,
        peers=peer_counts(assessment),
    )
    if bound and form.is_valid():
        organisation.peer_group = form.cleaned_data["group"]
        organisation.save(update_fields=["peer_group"])
        group = describe_group(organisation, organisation.peer_group)
        messages.success(request, f"Your report now compares you with {group}.")
        return redirect(reverse("assessment:report", args=[assessment.pk]) + "#peers")
    return render(
        request,
        "reports/peer_group.html",
        {
            "assessment": assessment,
            "access": access,
            "form": form,
            "current": describe_group(organisation, organisation.peer_group),
            "minimum": settings.PEER_MINIMUM,
        },
    )


@login_required
def report_download(request: HttpRequest, pk: int) -> HttpResponse:
    assessment, _ = get_assessment(request.user, pk)
    return attachment(report_pdf(assessment), "application/pdf", pdf_filename(assessment))
