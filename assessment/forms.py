"""The forms of the officer's journey, and of signing in and resetting a password.

crispy-forms-gds draws them for the GOV.UK Design System, all but the section's questions (see
SectionForm).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.core.validators import MaxLengthValidator
from django.utils.html import escape, format_html
from django.utils.text import capfirst
from django.utils.translation import ngettext

from assessment.models import (
    EVIDENCE_MAX_CHARS,
    REASON_MAX_CHARS,
    ActionTracking,
    Answer,
    Organisation,
    PeerGroup,
    display_name,
)
from assessment.workflow import AnswerInput, Conflict, TrackingInput
from trends.maturity import POINTS, RESPONSE_LABELS, SCALE, Level, ScalePoint
from trends.models import Question, Trend

FIELD_NAME = re.compile(r"^q(\d+)-")
# The most saves an answer can count: Answer.version is a PositiveIntegerField.
MAX_VERSION = 2_147_483_647


class NoteField(forms.CharField):
    """Text typed in a textarea with a character count. Browsers send each line break as two
    characters (CR LF) while GOV.UK's count shows it as one; they are stored as one, so a note
    the count accepts is never refused for its line breaks."""

    def to_python(self, value: Any) -> str | None:
        text = super().to_python(value)
        return text.replace("\r\n", "\n") if text else text


def _helper(*fields: Field) -> FormHelper:
    """A crispy-forms-gds helper for a form whose template owns the <form> tag and buttons."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True  # the template's <form> has the token already
    helper.layout = Layout(*fields)
    return helper


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account has been switched off. Ask your administrator.",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # GOV.UK advises against autofocus: it skips the page's context for screen readers.
        self.fields["username"].widget.attrs.pop("autofocus", None)
        self.fields["username"].error_messages["required"] = "Enter your username"
        # Django sets the field's max_length after its validators are made, so a username of
        # any length reached authenticate(), and the sign-in throttle's 255-character column.
        longest = self.username_field.max_length or 150
        self.fields["username"].validators.append(
            MaxLengthValidator(longest, f"Username must be {longest} characters or fewer")
        )
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.helper = _helper(
            Field.text("username", field_width=20), Field.text("password", field_width=20)
        )


class PasswordResetRequestForm(PasswordResetForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Email address"
        self.fields["email"].error_messages.update(
            required="Enter your email address",
            invalid="Enter an email address in the correct format, like name@example.gov.uk",
        )
        self.helper = _helper(Field.text("email", field_width=20))


class NewPasswordForm(SetPasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = (
            "Use at least 12 characters. Do not use a common password, a password made only of "
            "numbers, or one like your name or username."
        )
        self.fields["new_password2"].label = "Confirm your new password"
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].error_messages["required"] = "Enter the new password again"
        self.error_messages = {
            **self.error_messages,
            "password_mismatch": "The two passwords do not match",
        }
        self.helper = _helper(
            Field.text("new_password1", field_width=20), Field.text("new_password2", field_width=20)
        )

    def validate_password_for_user(
        self, user: AbstractBaseUser, password_field_name: str = "new_password1", **kwargs: Any
    ) -> None:
        # Django reports a weak password on the confirmation field; GOV.UK points the error
        # at the field where the password was chosen.
        super().validate_password_for_user(user, password_field_name="new_password1", **kwargs)


@dataclass(frozen=True)
class Option:
    """One radio of a question: its GOV.UK ids, whether it is the answer shown, and whether
    GOV.UK's "or" divider comes before it (it does before the first answer that is not a
    level: Not applicable, Don't know)."""

    id: str
    point: ScalePoint
    checked: bool
    after_divider: bool

    @property
    def conditional_id(self) -> str:
        """The id of the box this radio reveals (the reason, under Not applicable), named as
        GOV.UK Frontend names it."""
        return f"conditional-{self.id}"


@dataclass(frozen=True)
class QuestionFields:
    """One question's fields, as assessment/_question_fields.html draws them."""

    number: int
    question: Question
    answer: Answer | None  # as saved, for who changed it last and whether it has a history
    response: forms.BoundField
    options: list[Option]
    reason: forms.BoundField
    evidence: forms.BoundField
    version: forms.BoundField


class SectionForm(forms.Form):
    """Every question of one trend: a rating, a reason when not applicable, an evidence note.

    Fields are named after the question's id (`q12-response`), and a hidden `q12-version`
    carries the answer version the page showed, so a later save can tell whether someone
    else has changed the answer in between.

    Unlike the other forms, this one is not drawn by crispy-forms-gds: the section page is
    the one officers load and post most, and drawing its 30-odd fields through crispy's
    layout and Django's widget templates took two thirds of the page's time. The template
    `assessment/_question_fields.html` draws the same GOV.UK radios, textareas and character
    counts from `question_fields()`, with the ids crispy gives (`id_q12-response_1` for the
    first radio), which the error summary links to.

    Each error names its question ("Question 3: Enter why…"), beside the field as in the
    error summary, which otherwise listed the same message once for each question.
    """

    def __init__(
        self, *args: Any, questions: list[Question], answers: dict[int, Answer], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.answers = answers
        for number, question in enumerate(questions, start=1):
            answer = answers.get(question.pk)
            prefix = f"q{question.pk}"
            self.fields[f"{prefix}-response"] = forms.ChoiceField(
                label=f"{number}. {question.statement}",
                help_text=question.guidance,
                choices=[(p.code, p.label) for p in SCALE],
                widget=forms.RadioSelect,
                required=False,
                initial=answer.response if answer else "",
                error_messages={
                    "invalid_choice": f"Question {number}: Select a level from 0 to 4, or Not "
                    "applicable, or Don't know"
                },
            )
            self.fields[f"{prefix}-not_applicable_reason"] = NoteField(
                label="If it does not apply to your organisation, say why",
                help_text="Only needed if you select Not applicable.",
                required=False,
                max_length=REASON_MAX_CHARS,
                widget=forms.Textarea,
                initial=answer.not_applicable_reason if answer else "",
                error_messages={
                    "max_length": f"Question {number}: The reason must be {REASON_MAX_CHARS:,} "
                    "characters or fewer"
                },
            )
            self.fields[f"{prefix}-evidence"] = NoteField(
                label="Evidence (optional)",
                help_text="What shows this: a policy, a decision, a measure, a report.",
                required=False,
                max_length=EVIDENCE_MAX_CHARS,
                widget=forms.Textarea,
                initial=answer.evidence if answer else "",
                error_messages={
                    "max_length": f"Question {number}: Evidence must be {EVIDENCE_MAX_CHARS:,} "
                    "characters or fewer"
                },
            )
            # Missing counts as "never seen": the save then treats any existing answer as
            # newer than the page, so a truncated or crafted post cannot blank it. Its errors
            # are reported for the whole form (see `clean`): nobody can see a hidden field.
            self.fields[f"{prefix}-version"] = forms.IntegerField(
                widget=forms.HiddenInput,
                min_value=0,
                max_value=MAX_VERSION,
                required=False,
                initial=answer.version if answer else 0,
            )
        # No layout: only for the error summary, which reads `helper.form_show_errors`.
        self.helper = _helper()

    def question_fields(self) -> list[QuestionFields]:
        first_other = next(point for point in SCALE if point.level is None)
        blocks = []
        for number, question in enumerate(self.questions, start=1):
            prefix = f"q{question.pk}"
            response = self[f"{prefix}-response"]
            shown = str(response.value() or "")
            blocks.append(
                QuestionFields(
                    number=number,
                    question=question,
                    answer=self.answers.get(question.pk),
                    response=response,
                    options=[
                        Option(
                            f"{response.auto_id}_{i}",
                            point,
                            checked=point.code == shown,
                            after_divider=point == first_other,
                        )
                        for i, point in enumerate(SCALE, start=1)
                    ],
                    reason=self[f"{prefix}-not_applicable_reason"],
                    evidence=self[f"{prefix}-evidence"],
                    version=self[f"{prefix}-version"],
                )
            )
        return blocks

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        # Field names come from this section's questions, so an answer to any other question
        # (another section, another edition, a made-up id) can only arrive by tampering.
        known = {str(q.pk) for q in self.questions}
        strangers = {m.group(1) for key in self.data if (m := FIELD_NAME.match(key))} - known
        if strangers:
            raise forms.ValidationError(
                "The page sent answers to questions that are not in this section, so nothing "
                "was saved. Reload the section and try again."
            )
        if any(f"q{q.pk}-version" in self.errors for q in self.questions):
            # Only tampering (or a broken page) sends a version that is not a count of saves.
            raise forms.ValidationError(
                "The page sent something this form does not expect, so nothing was saved. "
                "Reload the section and try again."
            )
        for number, question in enumerate(self.questions, start=1):
            prefix = f"q{question.pk}"
            point = POINTS.get(cleaned.get(f"{prefix}-response") or "")
            needs_reason = point is not None and point.requires_reason
            reason = (cleaned.get(f"{prefix}-not_applicable_reason") or "").strip()
            if needs_reason and not reason:
                self.add_error(
                    f"{prefix}-not_applicable_reason",
                    f"Question {number}: Enter why this does not apply to your organisation",
                )
            elif reason and not needs_reason:
                self.add_error(
                    f"{prefix}-not_applicable_reason",
                    f"Question {number}: Select Not applicable for this question, or delete "
                    "the reason",
                )
        return cleaned

    def inputs(self) -> list[AnswerInput]:
        return [
            AnswerInput(
                question=q,
                response=self.cleaned_data[f"q{q.pk}-response"],
                not_applicable_reason=self.cleaned_data[f"q{q.pk}-not_applicable_reason"].strip(),
                evidence=self.cleaned_data[f"q{q.pk}-evidence"].strip(),
                seen_version=self.cleaned_data[f"q{q.pk}-version"] or 0,
            )
            for q in self.questions
        ]

    def show_conflicts(self, conflicts: list[Conflict]) -> None:
        """Explain each conflict on its question and accept the newer version on the next save.

        The officer's own values stay in the form; saving again keeps them, or they can pick
        the other person's, which the message spells out.
        """
        data = dict(self.data.items())  # every field here has a single value
        for conflict in conflicts:
            theirs = conflict.theirs
            prefix = f"q{conflict.question.pk}"
            data[f"{prefix}-version"] = str(theirs.version)
            self.add_error(
                f"{prefix}-response",
                format_html(
                    "Question {}: {} changed this answer while you were editing it, to “{}”{}{}. "
                    "Your answer is shown below: save again to keep yours, or change it to "
                    "theirs.",
                    self.questions.index(conflict.question) + 1,
                    display_name(theirs.updated_by),
                    RESPONSE_LABELS.get(theirs.response, "no answer"),
                    f", because “{theirs.not_applicable_reason}”"
                    if theirs.not_applicable_reason
                    else "",
                    f", with the evidence “{theirs.evidence}”"
                    if theirs.evidence
                    else ", with no evidence",
                ),
            )
        self.data = data


class ReopenForm(forms.Form):
    reason = NoteField(
        label="Why are you reopening the assessment?",
        help_text="This is recorded in the assessment's history.",
        max_length=REASON_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter why you are reopening the assessment",
            "max_length": f"The reason must be {REASON_MAX_CHARS} characters or fewer",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.textarea("reason", max_characters=REASON_MAX_CHARS))


class TargetsForm(forms.Form):
    """The lead's target level for each trend: "good enough for us"."""

    def __init__(
        self, *args: Any, trends: list[Trend], targets: dict[str, int], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.trends = trends
        for trend in trends:
            self.fields[f"target-{trend.slug}"] = forms.TypedChoiceField(
                label=escape(trend.title),  # crispy-forms-gds renders labels and hints as HTML
                help_text=escape(_pace(trend)),
                choices=[(level.value, level.with_score) for level in Level],
                coerce=int,
                initial=targets.get(trend.slug, trend.default_target),
                error_messages={
                    "required": f"Select a target for {trend.title}",
                    "invalid_choice": f"Select a target from 0 to 4 for {trend.title}",
                },
            )
        self.helper = _helper(*(Field.select(f"target-{t.slug}") for t in trends))

    def targets(self) -> dict[Trend, int]:
        return {t: self.cleaned_data[f"target-{t.slug}"] for t in self.trends}


def _pace(trend: Trend) -> str:
    default = Level(trend.default_target)
    pace = f"Starts at {default.with_score}"
    return f"{pace}: {trend.default_target_reason}" if trend.default_target_reason else f"{pace}."


class DueDateField(DateInputField):
    def compress(self, data_list: list[str]) -> date | None:
        day, month, year = data_list
        if not (day or month or year):
            return None
        if not (day and month and year):
            # Half a date is not "no date": saving it as none would quietly drop what was typed.
            raise forms.ValidationError("Due date must include a day, month and year")
        try:
            due = date(day=int(day), month=int(month), year=int(year))
        except (ValueError, OverflowError):  # OverflowError: a number too big for a date
            raise forms.ValidationError("Due date must be a real date, like 31 3 2027") from None
        if not 2000 <= due.year <= 2100:
            raise forms.ValidationError("Due date must be between the years 2000 and 2100")
        return due


class TrackingForm(forms.ModelForm):
    due_date = DueDateField(
        label="Due date (optional)", help_text="For example, 31 3 2027", required=False
    )
    status = forms.ChoiceField(
        choices=ActionTracking.Status.choices,  # no blank choice: every action has a status
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select a status",
            "invalid_choice": "Select a status from the list",
        },
    )

    class Meta:
        model = ActionTracking
        fields = ["owner", "due_date", "status", "reason"]
        labels = {
            "owner": "Owner (optional)",
            "reason": "If the council won't do this, say why",
        }
        help_texts = {
            "owner": "The person or team responsible, for example Head of Digital.",
            "reason": "Only needed if the status is Won't do.",
        }
        widgets = {"reason": forms.Textarea(attrs={"rows": 3})}
        field_classes = {"reason": NoteField}
        error_messages = {
            "owner": {"max_length": "Owner must be 100 characters or fewer"},
            "reason": {"max_length": f"The reason must be {REASON_MAX_CHARS} characters or fewer"},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("owner", field_width=20),
            Field("due_date"),
            Field.radios("status", legend_size=Size.SMALL),
            Field.textarea("reason", max_characters=REASON_MAX_CHARS),
        )

    def tracking_input(self) -> TrackingInput:
        return TrackingInput(
            owner=self.cleaned_data["owner"],
            due_date=self.cleaned_data["due_date"],
            status=self.cleaned_data["status"],
            reason=self.cleaned_data["reason"],
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        status = self.cleaned_data.get("status")
        reason = (self.cleaned_data.get("reason") or "").strip()
        if status == ActionTracking.Status.WONT_DO and not reason:
            self.add_error("reason", "Enter why the council won't do this action")
        self.cleaned_data["reason"] = reason if status == ActionTracking.Status.WONT_DO else ""
        return self.cleaned_data


class PeerGroupForm(forms.Form):
    """Whom the report compares the organisation with: the lead's choice."""

    group = forms.ChoiceField(
        label="Who should your report compare you with?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select who your report should compare you with",
            "invalid_choice": "Select one of the groups listed",
        },
    )

    def __init__(
        self, *args: Any, organisation: Organisation, peers: dict[str, int], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        group_field = cast(forms.ChoiceField, self.fields["group"])
        group_field.initial = organisation.peer_group
        group_field.choices = [
            Choice(
                group,
                escape(capfirst(organisation.describe_peers(group))),
                hint=ngettext(
                    "%(n)d other organisation has submitted this edition.",
                    "%(n)d other organisations have submitted this edition.",
                    peers[group],
                )
                % {"n": peers[group]},
            )
            for group in PeerGroup.values
        ]
        self.helper = _helper(Field.radios("group", legend_size=Size.LARGE, legend_tag="h1"))
