"""Who may do what with an assessment. Every view asks here; nothing else decides.

Another organisation's assessment is answered with 404, never 403, so that ids reveal nothing.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404

from assessment.models import Assessment, Membership


@dataclass(frozen=True)
class Access:
    can_answer: bool  # officers and leads, while the assessment is not submitted
    can_lead: bool  # leads: submit, reopen
    # Download the organisation's own answers, scores and plan as CSV or Excel: everyone who
    # may read the assessment (its members of every role, and staff). The PDF they can already
    # download carries every answer and evidence note, so the files show them nothing new; and
    # councils expect officers to work on the plan in a spreadsheet, not only the lead.
    can_export: bool


def membership_of(user) -> Membership | None:
    if not user.is_authenticated or user.is_staff:
        return None
    try:
        return user.membership
    except Membership.DoesNotExist:
        return None


def get_assessment(user, pk: int) -> tuple[Assessment, Access]:
    """The assessment if `user` may see it, with what they may do; otherwise 404."""
    try:
        assessment = (
            Assessment.objects.visible_to(user).select_related("organisation", "edition").get(pk=pk)
        )
    except Assessment.DoesNotExist:
        raise Http404("No such assessment.") from None
    membership = membership_of(user)
    role = membership.role if membership else None
    is_lead = role == Membership.Role.LEAD
    return assessment, Access(
        can_answer=role in (Membership.Role.OFFICER, Membership.Role.LEAD)
        and not assessment.is_submitted,
        can_lead=is_lead,
        can_export=role is not None or user.is_staff,
    )


def require_staff(user) -> None:
    """Figures across every organisation are for admins (staff) only. Anyone else signed in is
    refused with 403, as for any action their role does not allow: the page's address is no
    secret, so a 404 would hide nothing."""
    if not user.is_staff:
        raise PermissionDenied("Only administrators can see figures for the whole sector.")
