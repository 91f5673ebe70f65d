"""Who may do what with assessments: views and templates ask an `Access`; nothing else decides.

A member of an organisation has one role in it (`Membership.Role`); an admin (staff) is a member
of none, reads every organisation's assessments and changes none of them. Another
organisation's assessment is answered with 404, never 403, so that ids reveal nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db.models import F, QuerySet
from django.http import Http404, HttpRequest

from assessment.models import Assessment, Membership

Role = Membership.Role


class SignedInRequest(HttpRequest):
    """A request to a view behind `login_required`: its user is never anonymous."""

    user: User


@dataclass(frozen=True)
class NextStep:
    """Where the dashboard sends someone next with an assessment: a link and its words."""

    url_name: str  # takes the assessment's pk
    text: str
    hidden_text: str  # said after `text` to screen readers, naming the assessment


@dataclass(frozen=True)
class Access:
    """What one person may do, as a member of their organisation (in `role`) or as an admin;
    with one assessment, once `for_assessment` has said which."""

    role: Role | None  # None: an admin, or someone not (yet) in an organisation
    is_staff: bool
    submitted: bool | None = None  # whether the assessment in question is; None: no assessment

    def for_assessment(self, assessment: Assessment) -> Access:
        return replace(self, submitted=assessment.is_submitted)

    @property
    def can_start(self) -> bool:
        """Start an assessment of a published edition for their organisation."""
        return self.role == Role.LEAD

    @property
    def is_open(self) -> bool:
        """The assessment in question takes answers: it is not submitted."""
        if self.submitted is None:
            raise ValueError("This is a question about one assessment: ask for_assessment().")
        return not self.submitted

    @property
    def can_answer(self) -> bool:
        """Officers and leads, while the assessment is not submitted."""
        return self.role in (Role.OFFICER, Role.LEAD) and self.is_open

    @property
    def can_lead(self) -> bool:
        """Submit and reopen the assessment, set targets, track actions, choose peers."""
        return self.role == Role.LEAD

    @property
    def can_submit(self) -> bool:
        return self.can_lead and self.is_open

    @property
    def can_export(self) -> bool:
        # Download the organisation's own answers, scores and plan as CSV or Excel: everyone who
        # may read the assessment (its members of every role, and staff). The PDF they can
        # already download carries every answer and evidence note, so the files show them
        # nothing new; and councils expect officers to work on the plan in a spreadsheet.
        return self.role is not None or self.is_staff

    def next_step(self, *, answered: int, total: int) -> NextStep:
        """The dashboard's one link for an assessment with `answered` of `total` questions."""
        if not self.is_open:
            return NextStep("assessment:check_answers", "Read the submitted answers", " for")
        if self.role == Role.VIEWER or self.is_staff:
            return NextStep("assessment:task_list", "Follow its progress", " for")
        if answered == total and self.can_submit:
            return NextStep("assessment:check_answers", "Check the answers and submit", "")
        return NextStep("assessment:task_list", "Continue the assessment", " for")


def membership_of(user: User | AnonymousUser) -> Membership | None:
    if isinstance(user, AnonymousUser) or user.is_staff:
        return None
    try:
        return user.membership
    except Membership.DoesNotExist:
        return None


def access_for(user: User | AnonymousUser) -> Access:
    membership = membership_of(user)
    return Access(role=Role(membership.role) if membership else None, is_staff=user.is_staff)


def visible_assessments(user: User | AnonymousUser) -> QuerySet[Assessment]:
    """Staff see every assessment; a member sees only their organisation's; others none."""
    if isinstance(user, AnonymousUser):
        return Assessment.objects.none()
    if user.is_staff:
        return Assessment.objects.all()
    return Assessment.objects.filter(organisation__memberships__user=user)


def get_assessment(user: User | AnonymousUser, pk: int) -> tuple[Assessment, Access]:
    """The assessment if `user` may see it, with what they may do; otherwise 404. One query:
    a member's role comes from the same join that finds their organisation's assessment."""
    assessments = visible_assessments(user).select_related("organisation", "edition")
    member = not (isinstance(user, AnonymousUser) or user.is_staff)
    if member:
        assessments = assessments.annotate(member_role=F("organisation__memberships__role"))
    try:
        assessment = assessments.get(pk=pk)
    except Assessment.DoesNotExist:
        raise Http404("No such assessment.") from None
    role = Role(assessment.member_role) if member else None  # type: ignore[attr-defined]
    return assessment, Access(role=role, is_staff=user.is_staff).for_assessment(assessment)


def require_staff(user: User | AnonymousUser) -> None:
    """Figures across every organisation are for admins (staff) only. Anyone else signed in is
    refused with 403, as for any action their role does not allow: the page's address is no
    secret, so a 404 would hide nothing."""
    if not user.is_staff:
        raise PermissionDenied("Only administrators can see figures for the whole sector.")
