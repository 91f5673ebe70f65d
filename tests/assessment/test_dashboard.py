"""The dashboard: a member's own assessments as cards; every organisation's, for admins, as a
table to filter, sort and page through."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessment.models import Answer, Assessment, AssessmentEvent, Organisation
from assessment.reporting.assessment_table import PAGE_SIZE
from tests.factories import PASSWORD, answer_and_submit, make_assessment, make_organisation
from tests.pages import attribute_values, links, table_rows, texts, title

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("assessment:dashboard")
HEADINGS = ["Organisation", "Edition", "Type", "Region", "Status", "Last change"]


# A member's dashboard -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "role"),
    [("lead", "lead (CIO or digital lead)"), ("officer", "officer"), ("viewer", "viewer")],
)
def test_the_role_is_named_as_its_label_reads_in_a_sentence(client, council, who, role):
    client.force_login(getattr(council, who))

    [sentence] = texts(client.get(DASHBOARD).text, "#signed-in-as")

    assert sentence.endswith(f", {role} for Ashdown District Council.")


@pytest.mark.parametrize(
    ("who", "plan"),
    [
        ("lead", "Work on the action plan"),
        ("officer", "Read the action plan"),
        ("viewer", "Read the action plan"),
    ],
)
def test_a_submitted_assessment_leads_to_its_report_plan_and_answers(client, council, who, plan):
    answer_and_submit(council)
    client.force_login(getattr(council, who))
    pk = council.assessment.pk

    page = client.get(DASHBOARD).text

    # The report first, as the one primary button; then the plan made from it; then the answers.
    edition = council.assessment.edition.title
    assert links(page, "main .govuk-summary-card .govuk-button-group") == {
        f"View the report for {edition}": reverse("assessment:report", args=[pk]),
        f"{plan} for {edition}": reverse("assessment:action_plan", args=[pk]),
        f"Read the submitted answers for {edition}": reverse("assessment:check_answers", args=[pk]),
    }
    assert attribute_values(page, "main .govuk-button-group a", "class")[0] == "govuk-button"
    # Said once: not again as the card's "next step".
    assert texts(page, "main .govuk-summary-list__key") == ["Status", "Progress"]


def test_an_assessment_in_progress_offers_only_its_next_step(client, council):
    client.force_login(council.officer)

    page = client.get(DASHBOARD).text

    assert texts(page, "main .govuk-button-group") == []
    assert texts(page, "main .govuk-summary-list__key")[-1] == "What you can do next"
    assert list(links(page, "main .govuk-summary-card")) == [
        "Continue the assessment for Digital Trends 2024"
    ]


def test_members_see_neither_the_table_nor_the_sector_overview_in_the_navigation(client, council):
    client.force_login(council.lead)

    page = client.get(DASHBOARD).text

    assert title(page).startswith("Your assessments – ")
    assert texts(page, "table#assessments") == []
    assert "Sector" not in links(page, ".govuk-service-navigation")


# The admins' table --------------------------------------------------------------------------


@pytest.fixture
def staff_client(client, django_user_model):
    client.force_login(
        django_user_model.objects.create_user("curator", password=PASSWORD, is_staff=True)
    )
    return client


def rows_of(response) -> list[list[str]]:
    """The table's body rows, as a reader sees them."""
    assert response.status_code == 200
    return table_rows(response.text, "assessments")[1:]


def organisations_in(response) -> list[str]:
    return [row[0].split(":")[0] for row in rows_of(response)]


@pytest.fixture
def three(content) -> dict[str, Assessment]:
    """A district in the South East, in progress; a county in the East Midlands and a unitary
    in the South East, both submitted."""
    now = timezone.now()
    made = {
        "Ashdown District Council": make_assessment(
            content,
            organisation=make_organisation(name="Ashdown District Council"),
        ),
        "Brackley County Council": make_assessment(
            content,
            organisation=make_organisation(
                name="Brackley County Council",
                kind=Organisation.Kind.COUNTY,
                region="East Midlands",
            ),
            status=Assessment.Status.SUBMITTED,
            submitted_at=now - timedelta(days=3),
        ),
        "Corfe Unitary Council": make_assessment(
            content,
            organisation=make_organisation(
                name="Corfe Unitary Council", kind=Organisation.Kind.UNITARY
            ),
            status=Assessment.Status.SUBMITTED,
            submitted_at=now - timedelta(days=9),
        ),
    }
    Assessment.objects.filter(pk__in=[a.pk for a in made.values()]).update(
        created_at=now - timedelta(days=30)
    )
    for assessment in made.values():
        if assessment.submitted_at:
            AssessmentEvent.objects.create(
                assessment=assessment,
                kind=AssessmentEvent.Kind.SUBMITTED,
                at=assessment.submitted_at,
            )
    # Ashdown's answer, saved a day ago, is the latest change of all.
    Answer.objects.create(
        assessment=made["Ashdown District Council"],
        question=content.questions.first(),
        response="2",
        updated_at=now - timedelta(days=1),
    )
    return made


def test_admins_see_every_assessment_as_a_table_row_not_a_card(staff_client, three):
    response = staff_client.get(DASHBOARD)

    assert title(response.text).startswith("All assessments – ")
    assert texts(response.text, "#assessments thead a") == HEADINGS
    assert rows_of(response) == [
        [
            "Ashdown District Council: Digital Trends 2024",
            "2024",
            "District council",
            "South East",
            "In progress",
            f"{timezone.localdate() - timedelta(days=1):%-d %b %Y}",
        ],
        [
            "Brackley County Council: Digital Trends 2024",
            "2024",
            "County council",
            "East Midlands",
            "Submitted",
            f"{timezone.localdate() - timedelta(days=3):%-d %b %Y}",
        ],
        [
            "Corfe Unitary Council: Digital Trends 2024",
            "2024",
            "Unitary authority",
            "South East",
            "Submitted",
            f"{timezone.localdate() - timedelta(days=9):%-d %b %Y}",
        ],
    ]
    assert texts(response.text, ".govuk-summary-card") == []
    # What "last change" means is said on the page.
    assert any(t.startswith("Last change is the latest of") for t in texts(response.text, "p"))


def test_each_row_leads_to_the_report_once_submitted_else_to_the_task_list(staff_client, three):
    page = staff_client.get(DASHBOARD).text

    assert attribute_values(page, "#assessments tbody a", "href") == [
        reverse("assessment:task_list", args=[three["Ashdown District Council"].pk]),
        reverse("assessment:report", args=[three["Brackley County Council"].pk]),
        reverse("assessment:report", args=[three["Corfe Unitary Council"].pk]),
    ]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"type": "county"}, ["Brackley County Council"]),
        ({"region": "South East"}, ["Ashdown District Council", "Corfe Unitary Council"]),
        ({"status": "submitted"}, ["Brackley County Council", "Corfe Unitary Council"]),
        ({"status": "submitted", "region": "South East"}, ["Corfe Unitary Council"]),
    ],
)
def test_filters_by_type_region_and_status(staff_client, three, params, expected):
    response = staff_client.get(DASHBOARD, params)

    assert organisations_in(response) == expected
    # The form shows what is chosen, and applying it again keeps the same filters.
    chosen = dict(
        zip(
            attribute_values(response.text, "form select", "name"),
            attribute_values(response.text, "form select option[selected]", "value"),
            strict=True,
        )
    )
    assert {k: v for k, v in chosen.items() if v} == params


def test_the_filter_form_works_without_javascript(staff_client, three):
    page = staff_client.get(DASHBOARD).text

    assert attribute_values(page, "main form", "method") == ["get"]
    assert attribute_values(page, "main form", "action") == [DASHBOARD]
    assert attribute_values(page, "main form select", "name") == ["type", "region", "status"]
    assert texts(page, "main form button") == ["Apply filters"]
    # Only regions somebody is in are offered.
    assert texts(page, "#filter-region option") == ["All regions", "East Midlands", "South East"]


def test_a_filter_that_matches_nothing_says_so(staff_client, three):
    response = staff_client.get(DASHBOARD, {"type": "scottish"})

    assert "No assessments match these filters" in texts(response.text, "h2")
    assert texts(response.text, "table#assessments") == []
    assert links(response.text, "main")["Clear filters"] == "?"


@pytest.mark.parametrize(
    ("sort", "expected", "aria_sort"),
    [
        ("organisation", ["Ashdown", "Brackley", "Corfe"], "ascending"),
        ("-organisation", ["Corfe", "Brackley", "Ashdown"], "descending"),
        ("type", ["Brackley", "Ashdown", "Corfe"], "ascending"),  # County, District, Unitary
        ("-last_change", ["Ashdown", "Brackley", "Corfe"], "descending"),
        ("last_change", ["Corfe", "Brackley", "Ashdown"], "ascending"),
        ("status", ["Ashdown", "Brackley", "Corfe"], "ascending"),  # In progress first
        ("-region", ["Ashdown", "Corfe", "Brackley"], "descending"),
    ],
)
def test_sorts_by_a_column_and_marks_its_heading(staff_client, three, sort, expected, aria_sort):
    response = staff_client.get(DASHBOARD, {"sort": sort})

    assert [name.split()[0] for name in organisations_in(response)] == expected
    column = HEADINGS[[h.lower().replace(" ", "_") for h in HEADINGS].index(sort.lstrip("-"))]
    sorts = dict(
        zip(
            texts(response.text, "#assessments th[scope=col] a"),
            attribute_values(response.text, "#assessments th[scope=col]", "aria-sort"),
            strict=True,
        )
    )
    assert sorts == {h: aria_sort if h == column else "none" for h in HEADINGS}


def test_a_heading_sorts_by_its_column_then_reverses_keeping_the_filters(staff_client, three):
    page = staff_client.get(DASHBOARD, {"status": "submitted"}).text
    headings = links(page, "#assessments thead")

    assert headings["Organisation"] == "?status=submitted&sort=-organisation#results"
    assert headings["Region"] == "?status=submitted&sort=region#results"
    assert headings["Last change"] == "?status=submitted&sort=-last_change#results"
    # The sort stays when the filters change.
    sorted_page = staff_client.get(DASHBOARD, {"sort": "region"}).text
    assert attribute_values(sorted_page, "main form input[name=sort]", "value") == ["region"]


@pytest.mark.parametrize(
    "params",
    [
        {"type": "parish"},
        {"region": "Atlantis"},
        {"status": "lost"},
        {"sort": "password"},
        {"sort": "-"},
        {"page": "many"},
        {"page": "999"},
        {"type": "x" * 5000, "region": "<script>", "status": "' OR 1=1 --"},
    ],
)
def test_values_the_page_does_not_offer_are_ignored_and_said_to_be(staff_client, three, params):
    response = staff_client.get(DASHBOARD, params)

    assert sorted(organisations_in(response)) == sorted(three)
    if "page" not in params:  # a page out of range is the nearest page, as everywhere
        notes = texts(response.text, "main .govuk-inset-text")
        assert notes and all(note.startswith("The address asked") for note in notes)
    assert "<script>" not in response.text


def test_pages_of_fifty_with_govuk_pagination(staff_client, content):
    for n in range(PAGE_SIZE + 3):
        make_assessment(content, organisation=make_organisation(name=f"Council {n:03}"))

    first = staff_client.get(DASHBOARD, {"status": "in_progress"})
    last = staff_client.get(DASHBOARD, {"status": "in_progress", "page": "2"})

    assert len(rows_of(first)) == PAGE_SIZE
    assert organisations_in(last) == ["Council 050", "Council 051", "Council 052"]
    assert "Showing 51 to 53 of 53 assessments" in texts(last.text, "h2")
    assert links(first.text, "nav.govuk-pagination") == {
        "1": "?status=in_progress",
        "2": "?status=in_progress&page=2",
        "Next page": "?status=in_progress&page=2",
    }
    assert attribute_values(last.text, ".govuk-pagination [aria-current=page]", "href") == [
        "?status=in_progress&page=2"
    ]
    assert title(last.text).startswith("All assessments (page 2 of 2) – ")


def table_with_queries(client, params=None) -> tuple[list[list[str]], int]:
    """The table's body rows, and how many queries the page took."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(DASHBOARD, params or {})
    return rows_of(response), len(queries)


@pytest.mark.parametrize("params", [{}, {"sort": "-last_change", "status": "in_progress"}])
def test_the_number_of_queries_does_not_grow_with_the_number_of_organisations(
    staff_client, three, content, params
):
    few_rows, few = table_with_queries(staff_client, params)
    for _ in range(2 * PAGE_SIZE):
        assessment = make_assessment(content, organisation=make_organisation())
        Answer.objects.create(
            assessment=assessment, question=content.questions.first(), response="1"
        )
    many_rows, many = table_with_queries(staff_client, params)
    last_rows, last = table_with_queries(staff_client, {**params, "page": "3"})

    # A page of the table each time: 2 × PAGE_SIZE more make two more pages, the first full.
    assert len(many_rows) == PAGE_SIZE
    assert len(last_rows) == len(few_rows)
    # The session and user; the regions; the count; the page's rows.
    assert few <= 5
    assert many == few
    assert last == few


def test_the_navigation_offers_admins_the_sector_overview(staff_client, three):
    nav = links(staff_client.get(DASHBOARD).text, ".govuk-service-navigation")

    assert nav["All assessments"] == DASHBOARD
    assert nav["Sector"] == reverse("assessment:sector")
    sector_page = staff_client.get(reverse("assessment:sector")).text
    assert attribute_values(
        sector_page, ".govuk-service-navigation [aria-current=page]", "href"
    ) == [reverse("assessment:sector")]
