"""The report's pages: the report, its PDF, the choice of peers, and the data to download.

Thin views: access is decided in `assessment.access`; the report, the PDF and the files are
built in `assessment.reporting`.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.views.decorators.cache import never_cache

from assessment import tasks
from assessment.access import SignedInRequest, get_assessment
from assessment.forms import PeerGroupForm
from assessment.models import Assessment, ReportDocument
from assessment.reporting import documents, exports
from assessment.reporting.exports import attachment
from assessment.reporting.peers import peer_counts
from assessment.reporting.report import report_context, report_fingerprint


# never_cache: the report can be OFFICIAL-SENSITIVE, so no shared or browser cache keeps it.
@never_cache
@login_required
def report(request: SignedInRequest, pk: int) -> HttpResponse:
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
def peer_group(request: SignedInRequest, pk: int) -> HttpResponse:
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
        tasks.prepare_all(list(organisation.assessments.filter(status=Assessment.Status.SUBMITTED)))
        group = organisation.describe_peers(organisation.peer_group)
        messages.success(request, f"Your report now compares you with {group}.")
        return redirect(reverse("assessment:report", args=[assessment.pk]) + "#peers")
    return render(
        request,
        "reports/peer_group.html",
        {
            "assessment": assessment,
            "access": access,
            "form": form,
            "current": organisation.describe_peers(organisation.peer_group),
            "minimum": settings.PEER_MINIMUM,
        },
    )


# never_cache: the documents can be OFFICIAL-SENSITIVE, and the "preparing" page must be
# asked again, not replayed from a cache.
@never_cache
@login_required
def report_document(request: SignedInRequest, pk: int, document: str) -> HttpResponse:
    """A report document from storage, or, while it is being made, a page that says so and
    checks back. A download never waits on a render."""
    assessment, access = get_assessment(request.user, pk)
    kind = _document_kind(document)
    found = documents.current(assessment, kind)
    if found is not None:
        return attachment(
            found.content,
            documents.CONTENT_TYPES[kind],
            exports.export_filename(assessment, kind, documents.EXTENSIONS[kind]),
        )
    return render(
        request,
        "reports/preparing.html",
        {
            "assessment": assessment,
            "access": access,
            "document": documents.NAMES[kind],
            "waiting": tasks.prepare(assessment),
            "status_url": reverse("assessment:report_document_status", args=[pk, kind]),
        },
    )


@never_cache
@login_required
def report_document_status(request: SignedInRequest, pk: int, document: str) -> JsonResponse:
    """Whether a document is ready, for the "preparing" page to check back (no render)."""
    assessment, _ = get_assessment(request.user, pk)
    if documents.current(assessment, _document_kind(document), content=False):
        return JsonResponse({"ready": True, "overdue": False, "failed": False})
    waiting = tasks.prepare(assessment)
    return JsonResponse({"ready": False, "overdue": waiting.overdue, "failed": waiting.failed})


def _document_kind(document: str) -> ReportDocument.Kind:
    if document not in ReportDocument.Kind.values:
        raise Http404("There is no such document.")
    return ReportDocument.Kind(document)


def _exportable(request: SignedInRequest, pk: int) -> Assessment:
    assessment, access = get_assessment(request.user, pk)
    if not access.can_export:
        raise PermissionDenied("You cannot download this assessment's data.")
    return assessment


# never_cache: the files can be OFFICIAL-SENSITIVE, so no shared or browser cache keeps them.
@never_cache
@login_required
def export_csv(request: SignedInRequest, pk: int, dataset: str) -> HttpResponse:
    assessment = _exportable(request, pk)
    if dataset not in exports.DATASETS:
        raise Http404("There is no such dataset.")
    return attachment(
        exports.csv_bytes(exports.dataset_frame(assessment, dataset)),
        "text/csv; charset=utf-8",
        exports.export_filename(assessment, dataset, "csv"),
    )


@never_cache
@login_required
def export_workbook(request: SignedInRequest, pk: int) -> HttpResponse:
    assessment = _exportable(request, pk)
    return attachment(
        exports.workbook_bytes(exports.workbook_frames(assessment)),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        exports.export_filename(assessment, None, "xlsx"),
    )
