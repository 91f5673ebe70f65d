"""Who may do what with an assessment. Every view asks here; nothing else decides.

Another organisation's assessment is answered with 404, never 403, so that ids reveal nothing.
"""

from dataclasses import dataclass

from django.http import Http404

from assessment.models import Assessment, Membership


@dataclass(frozen=True)
class Access:
    can_answer: bool  # officers and leads, while the assessment is not submitted
    can_lead: bool  # leads: submit, reopen


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
    )
