"""Answering a section: save and come back, bad input refused with nothing lost, history kept,
and two officers' saves never silently overwriting each other."""

import pytest
from django.urls import reverse

from assessment.models import (
    EVIDENCE_MAX_CHARS,
    REASON_MAX_CHARS,
    Answer,
    AnswerChange,
    Assessment,
    SectionStatus,
)
from assessment.workflow import AnswerInput, save_answers
from tests.factories import make_edition, make_question
from tests.pages import attribute_values, form_state, links, texts

pytestmark = pytest.mark.django_db


def section_url(council, trend="ai") -> str:
    return reverse("assessment:section", args=[council.assessment.pk, trend])


def q(council, key):
    return council.assessment.edition.questions.get(key=key)


def answer(council, key) -> Answer:
    return Answer.objects.get(assessment=council.assessment, question=q(council, key))


def test_an_officer_saves_part_of_a_section_and_finds_it_after_signing_in_again(client, council):
    client.force_login(council.officer)
    ai1, ai2 = q(council, "ai-01"), q(council, "ai-02")

    response = client.post(
        section_url(council),
        {
            f"q{ai1.pk}-response": "3",
            f"q{ai1.pk}-evidence": "AI policy approved in May.",
            f"q{ai2.pk}-response": "dont_know",
            "save_and_return": "",
        },
    )
    client.logout()
    client.force_login(council.officer)
    page = client.get(section_url(council))

    assert response["Location"] == reverse("assessment:task_list", args=[council.assessment.pk])
    state = form_state(page.text)
    assert state[f"q{ai1.pk}-response"] == "3"
    assert state[f"q{ai1.pk}-evidence"] == "AI policy approved in May."
    assert state[f"q{ai2.pk}-response"] == "dont_know"
    assert f"q{q(council, 'ai-03').pk}-response" not in state  # untouched stays unanswered


def test_save_and_continue_goes_to_the_next_section(client, council):
    client.force_login(council.officer)

    response = client.post(section_url(council, "ai"), {"save_and_continue": ""})

    assert response["Location"] == section_url(council, "data")


def test_save_and_continue_from_the_last_section_goes_to_check_answers(client, council):
    client.force_login(council.officer)

    response = client.post(section_url(council, "infrastructure-cloud"), {"save_and_continue": ""})

    assert response["Location"] == reverse("assessment:check_answers", args=[council.assessment.pk])


def test_every_save_records_who_when_and_old_to_new(client, council):
    client.force_login(council.officer)
    ai1 = q(council, "ai-01")
    client.post(section_url(council), {f"q{ai1.pk}-response": "1"})
    client.force_login(council.lead)

    client.post(section_url(council), {f"q{ai1.pk}-response": "2", f"q{ai1.pk}-version": "1"})

    saved = answer(council, "ai-01")
    assert (saved.response, saved.updated_by, saved.version) == ("2", council.lead, 2)
    history = [(c.changed_by, c.old_response, c.new_response) for c in saved.changes.all()]
    assert history == [(council.lead, "1", "2"), (council.officer, "", "1")]
    page = client.get(reverse("assessment:answer_history", args=[council.assessment.pk, "ai-01"]))
    assert "Emerging → Developing" in page.text
    assert "No answer → Emerging" in page.text


def test_not_applicable_needs_a_reason_and_nothing_is_saved_without_one(client, council):
    client.force_login(council.officer)
    ai1, ai2 = q(council, "ai-01"), q(council, "ai-02")

    response = client.post(
        section_url(council),
        {
            f"q{ai1.pk}-response": "na",
            f"q{ai2.pk}-response": "4",
            f"q{ai2.pk}-evidence": "Risk register, item 12.",
        },
    )

    assert response.status_code == 200
    assert "Enter why this does not apply to your organisation" in response.text
    assert f'href="#id_q{ai1.pk}-not_applicable_reason"' in response.text
    assert response.text.count("<title>Error: ") == 1
    assert not Answer.objects.filter(assessment=council.assessment).exists()
    # What the officer typed is still on the page, to fix and save again.
    state = form_state(response.text)
    assert state[f"q{ai2.pk}-response"] == "4"
    assert state[f"q{ai2.pk}-evidence"] == "Risk register, item 12."


def test_not_applicable_with_a_reason_is_saved(client, council):
    client.force_login(council.officer)
    geo = q(council, "geospatial-01")

    client.post(
        section_url(council, "geospatial"),
        {
            f"q{geo.pk}-response": "na",
            f"q{geo.pk}-not_applicable_reason": "The county council provides our GIS service.",
        },
    )

    saved = answer(council, "geospatial-01")
    assert saved.response == "na"
    assert saved.not_applicable_reason == "The county council provides our GIS service."


def test_a_reason_without_not_applicable_is_questioned(client, council):
    client.force_login(council.officer)
    ai1 = q(council, "ai-01")

    response = client.post(
        section_url(council),
        {
            f"q{ai1.pk}-response": "2",
            f"q{ai1.pk}-not_applicable_reason": "Because.",
        },
    )

    assert "Select Not applicable for this question, or delete the reason" in response.text
    assert not Answer.objects.exists()


@pytest.mark.parametrize("value", ["5", "-1", "3.5", "", "established", "<script>"])
def test_a_level_outside_the_scale_is_refused(client, council, value):
    client.force_login(council.officer)
    ai1 = q(council, "ai-01")

    response = client.post(section_url(council), {f"q{ai1.pk}-response": value})

    if value == "":
        assert response.status_code == 302  # an empty choice is simply "not answered yet"
        assert not Answer.objects.exists()
    else:
        assert "Select a level from 0 to 4, or Not applicable, or Don&#x27;t know" in (
            response.text
        )
        assert f'href="#id_q{ai1.pk}-response_1"' in response.text  # first radio, not the group
        assert not Answer.objects.exists()


def test_an_over_long_evidence_note_is_refused_and_kept_on_the_page(client, council):
    client.force_login(council.officer)
    ai1 = q(council, "ai-01")
    note = "x" * 2001

    response = client.post(
        section_url(council), {f"q{ai1.pk}-response": "2", f"q{ai1.pk}-evidence": note}
    )

    assert "Evidence must be 2,000 characters or fewer" in response.text
    assert note in response.text
    assert not Answer.objects.exists()


def test_every_error_is_announced_with_its_field(client, council):
    """Screen readers hear an error when they reach its field: each GOV.UK error message is
    named by the aria-describedby of the radios' fieldset or the textarea it belongs to."""
    client.force_login(council.officer)
    ai1, ai2 = q(council, "ai-01"), q(council, "ai-02")

    response = client.post(
        section_url(council),
        {
            f"q{ai1.pk}-response": "7",
            f"q{ai2.pk}-response": "na",
            f"q{ai2.pk}-evidence": "x" * 2001,
        },
    )

    error_ids = attribute_values(response.text, "p.govuk-error-message", "id")
    described = {
        error_id
        for ids in attribute_values(response.text, "[aria-describedby]", "aria-describedby")
        for error_id in ids.split()
    }
    # The "Error:" prefix is visually hidden: there for screen readers, as GOV.UK does it.
    assert sorted(texts(response.text, "p.govuk-error-message")) == [
        "Error: Question 1: Select a level from 0 to 4, or Not applicable, or Don't know",
        "Error: Question 2: Enter why this does not apply to your organisation",
        "Error: Question 2: Evidence must be 2,000 characters or fewer",
    ]
    assert texts(response.text, "p.govuk-error-message > span.govuk-visually-hidden") == [
        "Error:"
    ] * len(error_ids)
    assert set(error_ids) <= described
    assert response.text.count("govuk-form-group--error") == 3


def test_notes_have_character_counts_that_never_cut_text_off(client, council):
    client.force_login(council.officer)
    ai1 = q(council, "ai-01")

    page = client.get(section_url(council)).text

    reason = attribute_values(
        page,
        f'[data-maxlength]:has(> label[for="id_q{ai1.pk}-not_applicable_reason"])',
        "data-maxlength",
    )
    evidence = attribute_values(
        page, f'[data-maxlength]:has(> label[for="id_q{ai1.pk}-evidence"])', "data-maxlength"
    )
    assert [int(n) for n in reason] == [REASON_MAX_CHARS]
    assert [int(n) for n in evidence] == [EVIDENCE_MAX_CHARS]
    assert "You can enter up to 2,000 characters" in page
    # A maxlength attribute would make the browser drop whatever is typed past the limit.
    assert " maxlength=" not in page


def test_the_reason_opens_under_not_applicable_as_a_gov_uk_conditional_reveal(client, council):
    client.force_login(council.officer)
    ai1 = q(council, "ai-01")
    na = f"id_q{ai1.pk}-response_6"

    page = client.get(section_url(council)).text

    # GOV.UK Frontend's script links the radio to the box it reveals, which comes straight
    # after the radio's item and holds the reason, with the ids the error summary links to.
    assert attribute_values(page, f"#{na}", "data-aria-controls") == [f"conditional-{na}"]
    revealed = f".govuk-radios__item:has(> #{na}) + div.govuk-radios__conditional"
    assert attribute_values(page, revealed, "id") == [f"conditional-{na}"]
    assert attribute_values(page, f"{revealed} textarea", "id") == [
        f"id_q{ai1.pk}-not_applicable_reason"
    ]
    assert attribute_values(page, f"{revealed} textarea", "name") == [
        f"q{ai1.pk}-not_applicable_reason"
    ]
    assert attribute_values(page, f"{revealed} label", "for") == [
        f"id_q{ai1.pk}-not_applicable_reason"
    ]
    # The evidence is asked whatever the answer, so it is never inside the radios.
    assert attribute_values(page, "#question-ai-01 .govuk-radios textarea", "name") == [
        f"q{ai1.pk}-not_applicable_reason"
    ]
    assert attribute_values(page, "#question-ai-01 > * > textarea", "name") == [
        f"q{ai1.pk}-evidence"
    ]
    # "or" sets Not applicable and Don't know apart from the five levels, in each question.
    divider = ".govuk-radios__item:has(> input[value='4']) + .govuk-radios__divider"
    assert texts(page, divider) == ["or"] * len(texts(page, ".app-question"))
    assert texts(page, ".govuk-radios__divider") == texts(page, divider)
    assert attribute_values(
        page, f"#question-ai-01 {divider} ~ .govuk-radios__item > input", "value"
    ) == ["na", "dont_know"]
    # Hidden only by the script: without JavaScript every reason box stays open and usable.
    assert attribute_values(page, ".govuk-radios__conditional--hidden", "id") == []


@pytest.mark.parametrize(
    ("response", "reason"),
    [("na", ""), ("2", "Because.")],
    ids=["not applicable without a reason", "a reason without not applicable"],
)
def test_an_error_on_the_reason_shows_it_open(client, council, response, reason):
    client.force_login(council.officer)
    ai1 = q(council, "ai-01")
    na = f"id_q{ai1.pk}-response_6"

    page = client.post(
        section_url(council),
        {f"q{ai1.pk}-response": response, f"q{ai1.pk}-not_applicable_reason": reason},
    ).text

    revealed = f"#conditional-{na}"
    assert texts(page, f"{revealed} p.govuk-error-message") != []
    assert attribute_values(page, f"{revealed} textarea", "id") == [
        f"id_q{ai1.pk}-not_applicable_reason"
    ]
    assert form_state(page)[f"q{ai1.pk}-not_applicable_reason"] == reason
    # Not controlled by the radio, so GOV.UK's script cannot hide the message whatever is
    # selected; and the server never hides it.
    assert attribute_values(page, f"#{na}[data-aria-controls]", "id") == []
    assert attribute_values(page, ".govuk-radios__conditional--hidden", "id") == []


def test_each_error_names_its_question_and_links_to_its_field(client, council):
    client.force_login(council.officer)
    ai = list(council.assessment.edition.questions.filter(trend__slug="ai").order_by("order"))

    response = client.post(
        section_url(council),
        {
            f"q{ai[1].pk}-response": "na",
            f"q{ai[2].pk}-response": "2",
            f"q{ai[2].pk}-evidence": "x" * 2001,
            f"q{ai[4].pk}-response": "7",
        },
    )

    assert links(response.text, ".govuk-error-summary") == {
        "Question 2: Enter why this does not apply to your organisation": (
            f"#id_q{ai[1].pk}-not_applicable_reason"
        ),
        "Question 3: Evidence must be 2,000 characters or fewer": f"#id_q{ai[2].pk}-evidence",
        "Question 5: Select a level from 0 to 4, or Not applicable, or Don't know": (
            f"#id_q{ai[4].pk}-response_1"
        ),
    }
    # Worded the same beside each field, as GOV.UK asks.
    assert texts(response.text, "p.govuk-error-message") == [
        "Error: Question 2: Enter why this does not apply to your organisation",
        "Error: Question 3: Evidence must be 2,000 characters or fewer",
        "Error: Question 5: Select a level from 0 to 4, or Not applicable, or Don't know",
    ]


def test_a_conflict_names_its_question(client, council):
    ai2 = q(council, "ai-02")
    client.force_login(council.officer)
    officer_page = form_state(client.get(section_url(council)).text)
    save_answers(
        assessment=council.assessment, inputs=[AnswerInput(ai2, "3", "", "", 0)], user=council.lead
    )

    response = client.post(section_url(council), officer_page | {f"q{ai2.pk}-response": "1"})

    [conflict] = links(response.text, ".govuk-error-summary").items()
    assert conflict[0].startswith("Question 2: lead changed this answer while you were editing")
    assert conflict[1] == f"#id_q{ai2.pk}-response_1"


@pytest.mark.parametrize("who", ["officer", "viewer"])  # the form, and the read-only answers
def test_each_answer_with_a_history_links_to_it(client, council, who):
    ai1, ai2 = q(council, "ai-01"), q(council, "ai-02")
    save_answers(
        assessment=council.assessment,
        inputs=[AnswerInput(ai1, "3", "", "Signed off.", 0)],
        user=council.lead,
    )
    # An answer with no change recorded (as the demo's peers were once seeded) has no history.
    Answer.objects.create(assessment=council.assessment, question=ai2, response="2")
    client.force_login(getattr(council, who))

    page = client.get(section_url(council)).text

    history = {text: href for text, href in links(page, "main").items() if "history" in text}
    assert history == {
        "See its history for question 1": reverse(
            "assessment:answer_history", args=[council.assessment.pk, "ai-01"]
        )
    }
    assert texts(page, "#question-ai-01 p.govuk-body-s a span.govuk-visually-hidden") == [
        "for question 1"
    ]


def test_line_breaks_count_once_as_the_character_count_shows(client, council):
    """Browsers send a line break as CR LF; GOV.UK's count, and the limit, count it once."""
    client.force_login(council.officer)
    ai1 = q(council, "ai-01")
    lines = ["x" * 190] * 10
    note = "\r\n".join(lines)  # 1,900 letters and 9 breaks: 1,909 by the count, 1,918 sent
    assert len(note) == 1918 and len(note.replace("\r\n", "\n")) <= EVIDENCE_MAX_CHARS

    response = client.post(
        section_url(council), {f"q{ai1.pk}-response": "2", f"q{ai1.pk}-evidence": note + "y" * 91}
    )

    assert response.status_code == 302  # 2,000 by the count: accepted
    assert answer(council, "ai-01").evidence == "\n".join(lines) + "y" * 91


def test_answers_to_questions_of_another_section_are_refused(client, council):
    client.force_login(council.officer)
    ai1, data1 = q(council, "ai-01"), q(council, "data-01")

    response = client.post(
        section_url(council, "ai"),
        {
            f"q{ai1.pk}-response": "2",
            f"q{data1.pk}-response": "4",
        },
    )

    assert "answers to questions that are not in this section, so nothing was saved" in (
        response.text
    )
    assert not Answer.objects.exists()


def test_answers_to_questions_of_another_edition_are_refused(client, council, content):
    other = make_question(make_edition(), content.questions.first().trend)
    client.force_login(council.officer)

    response = client.post(section_url(council, other.trend.slug), {f"q{other.pk}-response": "4"})

    assert "not in this section" in response.text
    assert not Answer.objects.exists()


def test_html_in_a_note_is_shown_as_text(client, council):
    client.force_login(council.officer)
    ai1 = q(council, "ai-01")
    client.post(
        section_url(council),
        {f"q{ai1.pk}-response": "2", f"q{ai1.pk}-evidence": "<script>alert(1)</script>"},
    )

    page = client.get(reverse("assessment:check_answers", args=[council.assessment.pk]))

    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text


def test_a_double_submit_of_the_same_save_changes_nothing_the_second_time(client, council):
    client.force_login(council.officer)
    ai1 = q(council, "ai-01")
    post = {f"q{ai1.pk}-response": "2", f"q{ai1.pk}-version": "0"}

    first = client.post(section_url(council), post)
    second = client.post(section_url(council), post)

    assert first.status_code == second.status_code == 302
    assert AnswerChange.objects.count() == 1
    assert answer(council, "ai-01").version == 1


def test_a_later_save_never_silently_overwrites_an_earlier_one(client, council):
    ai1 = q(council, "ai-01")
    client.force_login(council.officer)
    officer_page = form_state(client.get(section_url(council)).text)  # opened, not saved yet
    # Meanwhile the lead saves the same question.
    save_answers(
        assessment=council.assessment,
        inputs=[AnswerInput(ai1, "3", "", "Policy approved by cabinet.", 0)],
        user=council.lead,
    )

    response = client.post(section_url(council), officer_page | {f"q{ai1.pk}-response": "1"})

    assert response.status_code == 200
    assert "lead changed this answer while you were editing it, to “Established”, with the" in (
        response.text
    )
    assert "Policy approved by cabinet." in response.text
    assert answer(council, "ai-01").response == "3"  # the lead's answer is intact
    # The officer's own choice is still selected; saving again keeps it deliberately.
    retry = form_state(response.text)
    assert retry[f"q{ai1.pk}-response"] == "1"
    assert client.post(section_url(council), retry).status_code == 302
    assert answer(council, "ai-01").response == "1"


def test_a_save_that_does_not_touch_the_other_officers_question_goes_through(client, council):
    ai1, ai2 = q(council, "ai-01"), q(council, "ai-02")
    client.force_login(council.officer)
    officer_page = form_state(client.get(section_url(council)).text)
    save_answers(
        assessment=council.assessment, inputs=[AnswerInput(ai1, "3", "", "", 0)], user=council.lead
    )

    response = client.post(section_url(council), officer_page | {f"q{ai2.pk}-response": "2"})

    assert response.status_code == 302
    assert answer(council, "ai-01").response == "3"
    assert answer(council, "ai-02").response == "2"


def test_a_post_to_a_submitted_assessment_changes_nothing(client, council):
    Assessment.objects.filter(pk=council.assessment.pk).update(status="submitted")
    client.force_login(council.officer)
    ai1 = q(council, "ai-01")

    response = client.post(section_url(council), {f"q{ai1.pk}-response": "4"}, follow=True)

    assert "This assessment has been submitted, so its answers cannot change" in response.text
    assert not Answer.objects.exists()


def test_a_submitted_section_is_shown_read_only(client, council):
    Assessment.objects.filter(pk=council.assessment.pk).update(status="submitted")
    client.force_login(council.officer)

    page = client.get(section_url(council))

    assert '<form method="post" novalidate>' not in page.text
    assert 'type="radio"' not in page.text


def test_viewers_see_answers_but_no_form(client, council):
    ai1 = q(council, "ai-01")
    save_answers(
        assessment=council.assessment,
        inputs=[AnswerInput(ai1, "3", "", "Signed off.", 0)],
        user=council.lead,
    )
    client.force_login(council.viewer)

    page = client.get(section_url(council))

    assert 'type="radio"' not in page.text
    assert "Established" in page.text
    assert "Signed off." in page.text


def test_the_section_page_query_count_does_not_grow_with_answers(
    client, council, django_assert_max_num_queries
):
    client.force_login(council.officer)
    with django_assert_max_num_queries(12) as empty:
        client.get(section_url(council))
    questions = council.assessment.edition.questions.filter(trend__slug="ai")
    save_answers(
        assessment=council.assessment,
        inputs=[AnswerInput(x, "2", "", "note", 0) for x in questions],
        user=council.lead,
    )

    with django_assert_max_num_queries(len(empty.captured_queries)):
        client.get(section_url(council))


def test_the_task_list_shows_each_sections_status(client, council):
    ai = council.assessment.edition.questions.filter(trend__slug="ai")
    save_answers(
        assessment=council.assessment,
        inputs=[AnswerInput(x, "2", "", "", 0) for x in ai],
        user=council.lead,
    )
    data1 = q(council, "data-01")
    save_answers(
        assessment=council.assessment,
        inputs=[AnswerInput(data1, "1", "", "", 0)],
        user=council.lead,
    )
    client.force_login(council.officer)

    page = client.get(reverse("assessment:task_list", args=[council.assessment.pk]))

    statuses = {s.trend.slug: s.status for _, group in page.context["groups"] for s in group}
    assert statuses["ai"] == SectionStatus.COMPLETED
    assert statuses["data"] == SectionStatus.IN_PROGRESS
    assert statuses["cyber"] == SectionStatus.NOT_STARTED
    total = council.assessment.edition.questions.count()
    assert (
        f"You have completed 1 of 10 sections ({ai.count() + 1} of {total} questions answered)"
        in (page.text)
    )


def test_the_task_list_query_count_is_fixed(client, council, django_assert_max_num_queries):
    client.force_login(council.officer)

    with django_assert_max_num_queries(10):
        client.get(reverse("assessment:task_list", args=[council.assessment.pk]))


@pytest.mark.parametrize("who", ["officer", "viewer"])  # the form, and the read-only answers
def test_the_section_page_query_count_is_fixed(client, council, django_assert_max_num_queries, who):
    client.force_login(getattr(council, who))
    with django_assert_max_num_queries(10) as before:
        client.get(section_url(council, "cyber"))
    cyber = list(council.assessment.edition.questions.filter(trend__slug="cyber"))
    save_answers(
        assessment=council.assessment,
        inputs=[AnswerInput(x, "2", "", "Board minutes.", 0) for x in cyber],
        user=council.lead,
    )

    # Answered, with who last changed each and a link to its history: still the same
    # queries, however many questions.
    with django_assert_max_num_queries(len(before.captured_queries)):
        page = client.get(section_url(council, "cyber"))
    history = [text for text in links(page.text, "main") if text.startswith("See its history")]
    assert history == [f"See its history for question {n}" for n in range(1, len(cyber) + 1)]
