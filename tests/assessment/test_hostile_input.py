"""Hostile input, tried the way an attacker or a broken client would send it.

Each case is refused with a message a person can act on (or a 403/404 that gives nothing away),
and leaves the database exactly as it was. Cases already tested elsewhere are not repeated here:
levels off the scale, over-long evidence and reopen reasons, answers to another section's or
edition's questions, targets of 5/-1/x, a bad tracking status, 31 February and the year 99999,
an owner of 101 characters, an unknown peer group, another council's ids on GET, and the
edition file checks in tests/trends.
"""

import csv
import io
import json
import zipfile

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from assessment import urls as assessment_urls
from assessment.models import (
    ActionChange,
    ActionTracking,
    Answer,
    AnswerChange,
    Assessment,
    AssessmentEvent,
    Organisation,
    Snapshot,
    TargetChange,
    TrendTarget,
)
from assessment.reporting import report
from assessment.workflow import (
    AnswerInput,
    TrackingInput,
    save_answers,
    submit_assessment,
    update_tracking,
)
from tests.factories import PASSWORD
from tests.reports import download, pdf_text
from tests.trends.test_editions import minimal_file
from trends.editions import export_edition
from trends.models import Edition, Question, Trend

pytestmark = pytest.mark.django_db

SQL = "'); DROP TABLE assessment_answer; --"
HTML = "<script>alert(1)</script><img src=x onerror=alert(1)>"
ESCAPED_HTML = "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"

STATE_MODELS = [
    Answer,
    AnswerChange,
    ActionTracking,
    ActionChange,
    TrendTarget,
    TargetChange,
    Assessment,
    AssessmentEvent,
    Snapshot,
    Organisation,
    Edition,
    Question,
]


def database_state() -> dict[str, list[dict]]:
    """Every row a hostile request could touch, to prove afterwards that it touched none."""
    return {
        model.__name__: list(model._default_manager.order_by("pk").values())
        for model in STATE_MODELS
    }


@pytest.fixture
def unchanged():
    """Take the state now; calling the result asserts it is the same."""
    before = database_state()

    def check() -> None:
        after = database_state()
        for name, rows in before.items():
            assert after[name] == rows, f"{name} changed"

    return check


def q(council, key) -> Question:
    return council.assessment.edition.questions.get(key=key)


def section_url(council, trend="ai") -> str:
    return reverse("assessment:section", args=[council.assessment.pk, trend])


def track_url(council, key="data-01") -> str:
    return reverse("assessment:track_action", args=[council.assessment.pk, key])


def error_summary(response) -> str:
    start = response.text.index('<div class="govuk-error-summary"')
    return response.text[start : response.text.index("</ul>", start)]


def answer_all(council, response="1") -> None:
    save_answers(
        assessment=council.assessment,
        inputs=[
            AnswerInput(x, response, "", "", 0) for x in council.assessment.edition.questions.all()
        ],
        user=council.officer,
    )


# Oversized and malformed form fields ----------------------------------------------------------


@pytest.fixture
def answered(council):
    """ai-01 answered once (version 1), so a refused save has something it could have damaged."""
    save_answers(
        assessment=council.assessment,
        inputs=[AnswerInput(q(council, "ai-01"), "2", "", "Board paper 12.", 0)],
        user=council.officer,
    )
    return q(council, "ai-01")


def test_a_not_applicable_reason_over_the_limit_is_refused(client, council, answered, unchanged):
    geo = q(council, "geospatial-01")
    client.force_login(council.officer)

    response = client.post(
        section_url(council, "geospatial"),
        {f"q{geo.pk}-response": "na", f"q{geo.pk}-not_applicable_reason": "x" * 501},
    )

    assert response.status_code == 200
    assert "The reason must be 500 characters or fewer" in error_summary(response)
    unchanged()


@pytest.mark.parametrize("version", ["-1", str(10**20), "abc"], ids=["negative", "huge", "text"])
def test_a_forged_answer_version_is_refused_with_a_message_on_the_page(
    client, council, answered, unchanged, version
):
    client.force_login(council.officer)

    response = client.post(
        section_url(council),
        {f"q{answered.pk}-response": "4", f"q{answered.pk}-version": version},
    )

    # The version is a hidden field: its error must reach the summary, not vanish with it.
    assert response.status_code == 200
    assert "The page sent something this form does not expect, so nothing was saved." in (
        error_summary(response)
    )
    unchanged()


def test_an_answer_to_a_made_up_question_id_is_refused(client, council, answered, unchanged):
    client.force_login(council.officer)

    response = client.post(
        section_url(council),
        {
            f"q{answered.pk}-response": "4",
            f"q{answered.pk}-version": "1",
            "q99999999-response": "4",
        },
    )

    assert "answers to questions that are not in this section, so nothing was saved" in (
        error_summary(response)
    )
    unchanged()


def test_a_null_character_in_evidence_is_refused(client, council, answered, unchanged):
    client.force_login(council.officer)

    response = client.post(
        section_url(council),
        {
            f"q{answered.pk}-response": "2",
            f"q{answered.pk}-version": "1",
            f"q{answered.pk}-evidence": "Board paper\x00 12.",
        },
    )

    assert "Null characters are not allowed." in error_summary(response)
    unchanged()


@pytest.fixture
def tracked(council):
    """An action in the plan, already tracked, so a refused save could have damaged it."""
    answer_all(council)
    update_tracking(
        assessment=council.assessment,
        question=q(council, "data-01"),
        tracking=TrackingInput("Head of Data", None, "in_progress", ""),
        user=council.lead,
    )


@pytest.mark.parametrize(
    ("post", "message"),
    [
        ({"owner": "x" * 10_000}, "Owner must be 100 characters or fewer"),
        (
            {"due_date_0": "31", "due_date_1": "", "due_date_2": "2027"},
            "Due date must include a day, month and year",
        ),
        (
            {"due_date_0": "thirty-first", "due_date_1": "3", "due_date_2": "2027"},
            "Enter a valid date",
        ),
        (
            {"due_date_0": "0", "due_date_1": "0", "due_date_2": "0"},
            "Due date must be a real date, like 31 3 2027",
        ),
        (
            {"due_date_0": "31", "due_date_1": "3", "due_date_2": "99999999999"},
            "Due date must be a real date, like 31 3 2027",
        ),
        ({"owner": "Head\x00of Data"}, "Null characters are not allowed."),
        (
            {"status": "done'; DROP TABLE assessment_actiontracking; --"},
            "Select a status from the list",
        ),
    ],
    ids=["owner-10000", "no-month", "day-in-words", "all-zero", "huge-year", "nul", "sql-status"],
)
def test_bad_tracking_leaves_the_tracking_as_it_was(
    client, council, tracked, unchanged, post, message
):
    client.force_login(council.lead)

    response = client.post(track_url(council), {"status": "in_progress"} | post)

    assert response.status_code == 200
    assert message in error_summary(response)
    unchanged()


@pytest.mark.parametrize(
    "value", ["9", "４", "3 OR 1=1", "3.0"], ids=["nine", "full-width-four", "sql", "decimal"]
)
def test_a_target_that_is_not_a_level_is_refused(client, council, unchanged, value):
    client.force_login(council.lead)
    data = {f"target-{t.slug}": "3" for t in Trend.objects.all()} | {"target-ai": value}

    response = client.post(reverse("assessment:targets", args=[council.assessment.pk]), data)

    assert response.status_code == 200
    assert "Select a target from 0 to 4 for Artificial intelligence" in error_summary(response)
    unchanged()


# Forged ids -----------------------------------------------------------------------------------


def assessment_routes():
    """Every URL of the app that names an assessment, so a route added later is tried too."""
    return [
        pattern
        for pattern in assessment_urls.urlpatterns
        if "pk" in getattr(pattern.pattern, "converters", {})
    ]


EXAMPLE_ARGS = {
    "trend_slug": "ai",
    "key": "ai-01",
    "dataset": "answers",
    "document": "full-report",
}


@pytest.mark.parametrize("route", assessment_routes(), ids=lambda route: route.name)
def test_another_councils_assessment_id_is_404_on_every_route_and_changes_nothing(
    client, council, other_council, route
):
    # Their plan has actions and their assessment questions share our question ids (same
    # edition), so only the assessment id stands between us and their data.
    answer_all(other_council)
    client.force_login(council.lead)
    kwargs = {
        name: other_council.assessment.pk if name == "pk" else EXAMPLE_ARGS[name]
        for name in route.pattern.converters
    }
    url = reverse(f"assessment:{route.name}", kwargs=kwargs)
    ai01 = q(other_council, "ai-01")
    post = {
        f"q{ai01.pk}-response": "4",
        f"q{ai01.pk}-version": "1",
        "target-ai": "4",
        "status": "done",
        "group": "all",
        "reason": "Forged.",
    }
    before = database_state()

    got, posted = client.get(url), client.post(url, post)

    # A GET of a route that only takes POST is 405 whatever the id, so it reveals nothing.
    assert got.status_code in (404, 405), url
    assert posted.status_code == 404, url
    assert "Page not found" in posted.text
    assert database_state() == before


def test_an_assessment_id_too_big_for_the_database_is_404(client, council, unchanged):
    client.force_login(council.lead)
    too_big = 10**20

    got = client.get(reverse("assessment:task_list", args=[too_big]))
    posted = client.post(reverse("assessment:section", args=[too_big, "ai"]), {})

    assert (got.status_code, posted.status_code) == (404, 404)
    unchanged()


def test_a_post_to_a_section_that_does_not_exist_is_404(client, council, answered, unchanged):
    client.force_login(council.officer)

    response = client.post(
        section_url(council, "blockchain"),
        {f"q{answered.pk}-response": "4", f"q{answered.pk}-version": "1"},
    )

    assert response.status_code == 404
    unchanged()


@pytest.mark.parametrize("key", ["2023-ai-01", "ai-99"], ids=["other-edition", "made-up"])
def test_tracking_a_question_outside_the_assessment_is_404(
    client, council, tracked, unchanged, key
):
    client.force_login(council.lead)

    got = client.get(track_url(council, key))
    posted = client.post(track_url(council, key), {"status": "done", "owner": "Mallory"})

    assert (got.status_code, posted.status_code) == (404, 404)
    assert "Page not found" in posted.text
    unchanged()


def test_the_history_of_another_editions_question_is_404(client, council):
    client.force_login(council.lead)

    response = client.get(
        reverse("assessment:answer_history", args=[council.assessment.pk, "2023-ai-01"])
    )

    assert response.status_code == 404


# Posts without a CSRF token -------------------------------------------------------------------


@pytest.fixture
def forger():
    """A browser that sends the user's cookies with a form made on another site: no token."""
    return Client(enforce_csrf_checks=True)


def refused_for_csrf(response) -> None:
    assert response.status_code == 403
    assert "Your form could not be sent" in response.text
    assert "Nothing was saved." in response.text
    assert f'class="govuk-generic-header__homepage-link">{settings.SERVICE_NAME}</a>' in (
        response.text
    )


def test_a_section_save_without_a_token_is_refused(forger, council, answered, unchanged):
    forger.force_login(council.officer)
    forger.get(section_url(council))  # the CSRF cookie is set; the forged form has no token

    response = forger.post(
        section_url(council), {f"q{answered.pk}-response": "4", f"q{answered.pk}-version": "1"}
    )

    refused_for_csrf(response)
    unchanged()


def test_a_submit_without_a_token_is_refused(forger, council):
    answer_all(council)
    before = database_state()
    forger.force_login(council.lead)

    response = forger.post(reverse("assessment:submit", args=[council.assessment.pk]))

    refused_for_csrf(response)
    assert database_state() == before


def test_a_reopen_without_a_token_is_refused(forger, council):
    answer_all(council)
    submit_assessment(assessment=council.assessment, user=council.lead)
    before = database_state()
    forger.force_login(council.lead)

    response = forger.post(
        reverse("assessment:reopen", args=[council.assessment.pk]), {"reason": "Forged."}
    )

    refused_for_csrf(response)
    assert database_state() == before


def test_targets_without_a_token_are_refused(forger, council, unchanged):
    forger.force_login(council.lead)

    response = forger.post(
        reverse("assessment:targets", args=[council.assessment.pk]),
        {f"target-{t.slug}": "0" for t in Trend.objects.all()},
    )

    refused_for_csrf(response)
    unchanged()


def test_tracking_without_a_token_is_refused(forger, council, tracked, unchanged):
    forger.force_login(council.lead)

    response = forger.post(track_url(council), {"status": "wont_do", "reason": "Forged."})

    refused_for_csrf(response)
    unchanged()


def test_a_peer_group_choice_without_a_token_is_refused(forger, council, unchanged):
    forger.force_login(council.lead)

    response = forger.post(
        reverse("assessment:peer_group", args=[council.assessment.pk]), {"group": "all"}
    )

    refused_for_csrf(response)
    unchanged()


def test_a_sign_in_without_a_token_is_refused(forger, council):
    response = forger.post(
        reverse("assessment:sign_in"), {"username": "officer", "password": PASSWORD}
    )

    refused_for_csrf(response)
    assert "_auth_user_id" not in forger.session


def test_starting_an_assessment_without_a_token_is_refused(forger, council, content):
    council.assessment.delete()
    before = database_state()
    forger.force_login(council.lead)

    response = forger.post(reverse("assessment:start", args=[content.slug]))

    refused_for_csrf(response)
    assert database_state() == before


def test_signing_out_without_a_token_is_refused(forger, council):
    forger.force_login(council.officer)

    response = forger.post(reverse("assessment:sign_out"))

    refused_for_csrf(response)
    assert forger.get(reverse("assessment:dashboard")).status_code == 200  # still signed in


# SQL and HTML in free text --------------------------------------------------------------------


@pytest.fixture
def injected(client, council):
    """SQL and HTML typed into the forms as evidence, a reason, an owner: saved, then read."""
    ai01, geo = q(council, "ai-01"), q(council, "geospatial-01")
    client.force_login(council.officer)
    client.post(
        section_url(council),
        {f"q{ai01.pk}-response": "1", f"q{ai01.pk}-evidence": f"{SQL}\n{HTML}"},
    )
    client.post(
        section_url(council, "geospatial"),
        {f"q{geo.pk}-response": "na", f"q{geo.pk}-not_applicable_reason": f"{HTML} {SQL}"},
    )
    client.force_login(council.lead)
    client.post(track_url(council, "ai-01"), {"owner": HTML, "status": "wont_do", "reason": SQL})
    return client


def assert_shown_as_text(html: str, where: str = "") -> None:
    assert ESCAPED_HTML in html, where
    assert "<script>alert" not in html and "<img src=x" not in html, where


def test_sql_and_html_are_saved_verbatim_as_text(council, injected):
    assert Answer.objects.get(question__key="ai-01").evidence == f"{SQL}\n{HTML}"
    assert Answer.objects.get(question__key="geospatial-01").not_applicable_reason == (
        f"{HTML} {SQL}"
    )
    tracking = ActionTracking.objects.get()
    assert (tracking.owner, tracking.reason) == (HTML, SQL)
    assert Answer.objects.count() == 2  # the table is still there, and nothing else was made


def test_sql_and_html_are_shown_as_text_on_every_page(council, injected):
    client = injected
    pk = council.assessment.pk
    client.force_login(council.officer)
    form_page = client.get(section_url(council)).text
    client.force_login(council.viewer)
    pages = {
        "section form": form_page,
        "section, read only": client.get(section_url(council)).text,
        "section, not applicable": client.get(section_url(council, "geospatial")).text,
        "check answers": client.get(reverse("assessment:check_answers", args=[pk])).text,
        "answer history": client.get(reverse("assessment:answer_history", args=[pk, "ai-01"])).text,
        "action plan": client.get(reverse("assessment:action_plan", args=[pk])).text,
        "report": client.get(reverse("assessment:report", args=[pk])).text,
    }
    client.force_login(council.lead)
    pages["tracking, with its history"] = client.get(track_url(council, "ai-01")).text

    for name, html in pages.items():
        assert_shown_as_text(html, name)
    assert "&#x27;); DROP TABLE assessment_answer; --" in pages["check answers"]


def test_sql_and_html_are_plain_text_in_the_pdf(council, injected, tmp_path):
    text = pdf_text(download(injected, council.assessment).content, tmp_path)

    # Long unbroken strings may wrap in a table cell: compare without whitespace.
    flat = "".join(text.split())
    for literal in (SQL, HTML, f"Notapplicablebecause:{HTML}"):
        assert "".join(literal.split()) in flat, literal
    # …because the HTML WeasyPrint laid out had it escaped, as text, not as markup.
    assert_shown_as_text(
        render_to_string("reports/report_pdf.html", report.report_context(council.assessment))
    )


def test_sql_and_html_are_inert_text_in_the_csv_exports(council, injected):
    def rows(dataset):
        response = injected.get(
            reverse("assessment:export_csv", args=[council.assessment.pk, dataset])
        )
        return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))

    cells = [cell for dataset in ("answers", "plan") for row in rows(dataset) for cell in row]

    assert f"{SQL}\n{HTML}" in cells
    assert f"{HTML} {SQL}" in cells
    assert HTML in cells and SQL in cells  # the owner and the won't-do reason
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]


def test_sql_and_html_are_shown_as_text_in_the_admin_history(admin_client, council, injected):
    answers = admin_client.get(reverse("admin:assessment_answerchange_changelist")).text
    actions = admin_client.get(reverse("admin:assessment_actionchange_changelist")).text

    assert_shown_as_text(answers)
    assert_shown_as_text(actions)


# Hostile edition files in admin ---------------------------------------------------------------


def upload(client, raw: bytes, name="edition.json"):
    return client.post(
        reverse("admin:trends_edition_import"),
        {"file": SimpleUploadedFile(name, raw, content_type="application/json")},
    )


def zipped(raw: bytes) -> bytes:
    """An edition file as someone might send it: compressed into a ZIP archive."""
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zip_file:
        zip_file.writestr("edition.json", raw)
    return archive.getvalue()


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "nests lists or objects too deeply"),
        (
            b'[{"model": "trends.edition", "fields": {"year": ' + b"9" * 5000 + b"}}]",
            "has a number too long to read",
        ),
        (zipped(json.dumps(minimal_file()).encode()), "not UTF-8 text"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not UTF-8 text (byte 1 cannot be read)"),
        (b"\xff\xfe[\x00{\x00}\x00]\x00", "not UTF-8 text"),
        (
            json.dumps(minimal_file()).replace("Test edition", "Test\\u0000edition").encode(),
            "holds a character that cannot be stored",
        ),
        (
            json.dumps(minimal_file()).replace("Test edition", "Test \\ud800").encode(),
            "holds a character that cannot be stored",
        ),
    ],
    ids=["deeply-nested", "5000-digit-number", "zip", "png", "utf-16", "nul", "lone-surrogate"],
)
def test_a_hostile_edition_file_is_refused_in_admin(admin_client, content, unchanged, raw, message):
    response = upload(admin_client, raw)

    assert response.status_code == 200
    assert "The file was not imported." in response.text
    assert message in response.text
    unchanged()


def test_a_truncated_export_is_refused_in_admin(admin_client, content, unchanged):
    raw = export_edition(content).encode()

    response = upload(admin_client, raw[: len(raw) // 2])

    assert "The file was not imported." in response.text
    assert "The file is not valid JSON: " in response.text
    unchanged()


def test_a_ten_megabyte_file_is_refused_in_admin(admin_client, content, unchanged):
    raw = b"[" + b" " * (10 * 1024 * 1024) + b"]"

    response = upload(admin_client, raw)

    limit = settings.EDITION_IMPORT_MAX_BYTES // 1000
    assert f"the largest edition file we accept is {limit:,} KB" in response.text
    unchanged()


def test_an_oversized_file_is_refused_with_its_real_size(admin_client, content, unchanged):
    response = upload(admin_client, b"[" + b" " * 2_100_000 + b"]")

    assert "The file is 2,101 KB; the largest edition file we accept is 2,000 KB." in response.text
    unchanged()


def test_html_in_a_refused_file_is_shown_as_text(admin_client, content, unchanged):
    data = minimal_file()
    data[1]["fields"]["trend"] = [HTML]

    response = upload(admin_client, json.dumps(data).encode())

    assert "The file was not imported." in response.text
    assert_shown_as_text(response.text)
    unchanged()


def test_html_in_an_imported_question_is_kept_as_text_and_shown_as_text(admin_client, content):
    data = minimal_file()
    data[1]["fields"]["statement"] = HTML

    upload(admin_client, json.dumps(data).encode())
    listing = admin_client.get(reverse("admin:trends_question_changelist"), {"q": "alert"})

    assert Question.objects.get(edition__slug="test-edition").statement == HTML
    assert_shown_as_text(listing.text)


# Huge posts -----------------------------------------------------------------------------------


def refused_as_bad_request(response) -> None:
    assert response.status_code == 400
    assert "Sorry, we could not accept what was sent" in response.text
    assert "Nothing was saved." in response.text
    assert f'class="govuk-generic-header__homepage-link">{settings.SERVICE_NAME}</a>' in (
        response.text
    )  # our layout, not Django's bare page


def test_a_post_bigger_than_the_limit_is_a_clear_400(client, council, answered, unchanged):
    client.force_login(council.officer)
    evidence = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)

    response = client.post(
        section_url(council),
        {f"q{answered.pk}-response": "2", f"q{answered.pk}-evidence": evidence},
    )

    refused_as_bad_request(response)
    unchanged()


def test_a_post_with_too_many_fields_is_a_clear_400(client, council, answered, unchanged):
    client.force_login(council.officer)
    fields = {
        f"q{answered.pk}-x{n}": "1" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)
    }

    response = client.post(section_url(council), {f"q{answered.pk}-response": "4"} | fields)

    refused_as_bad_request(response)
    unchanged()


def test_an_oversized_sign_in_is_a_clear_400_before_any_check(forger, council):
    forger.get(reverse("assessment:sign_in"))  # the CSRF cookie, as a browser would have it

    # Reading the body for the CSRF token is what refuses it, before any password is tried.
    response = forger.post(
        reverse("assessment:sign_in"),
        {"username": "officer", "password": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)},
    )

    refused_as_bad_request(response)
    assert "_auth_user_id" not in forger.session


# Double submits -------------------------------------------------------------------------------


def test_a_second_submit_says_it_was_already_submitted_and_changes_nothing(client, council):
    answer_all(council)
    client.force_login(council.lead)
    client.post(reverse("assessment:submit", args=[council.assessment.pk]))
    before = database_state()

    second = client.post(reverse("assessment:submit", args=[council.assessment.pk]), follow=True)

    assert "This assessment was already submitted." in second.text
    assert database_state() == before
    assert Snapshot.objects.count() == 1


def test_a_second_reopen_says_it_is_open_already_and_changes_nothing(client, council):
    answer_all(council)
    submit_assessment(assessment=council.assessment, user=council.lead)
    client.force_login(council.lead)
    url = reverse("assessment:reopen", args=[council.assessment.pk])
    client.post(url, {"reason": "New evidence."})
    before = database_state()

    second = client.post(url, {"reason": "New evidence."}, follow=True)

    assert "This assessment is open for answers already." in second.text
    assert database_state() == before
    assert AssessmentEvent.objects.filter(kind="reopened").count() == 1


def test_a_ten_thousand_character_username_gets_a_message_on_both_databases(client, council):
    response = client.post(
        reverse("assessment:sign_in"), {"username": "x" * 10_000, "password": "anything"}
    )

    assert response.status_code == 200
    assert "Username must be 150 characters or fewer" in error_summary(response)
    assert "_auth_user_id" not in client.session
