"""The sector overview page and the sector-wide data download, for admins."""

import io
import re
from itertools import cycle

import pandas as pd
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessment.models import Answer, Assessment
from assessment.reporting import statistics
from assessment.reporting.scores import result_for
from assessment.reporting.sector import pseudonym
from tests.factories import PASSWORD, make_edition, make_organisation, make_question
from tests.pages import attribute_values, table_rows, texts
from trends.models import Edition, Question, Trend

pytestmark = pytest.mark.django_db

SECTOR = reverse("assessment:sector")
EXPORT = reverse("assessment:sector_export")


@pytest.fixture
def staff_client(client, django_user_model):
    admin = django_user_model.objects.create_user("curator", password=PASSWORD, is_staff=True)
    client.force_login(admin)
    return client


def submitted(edition, levels: dict[str, str], **organisation) -> Assessment:
    """A submitted assessment answering every question of each named trend with one response."""
    assessment = Assessment.objects.create(
        organisation=make_organisation(**organisation),
        edition=edition,
        status=Assessment.Status.SUBMITTED,
        submitted_at=timezone.now(),
    )
    Answer.objects.bulk_create(
        Answer(
            assessment=assessment,
            question=q,
            response=levels[q.trend.slug],
            not_applicable_reason="Not ours." if levels[q.trend.slug] == "na" else "",
        )
        for q in edition.questions.select_related("trend")
        if q.trend.slug in levels
    )
    return assessment


def submitted_with_every_kind_of_answer(edition, start: int, **organisation) -> Assessment:
    """Every question answered, cycling through every response from a different start, so
    weights, "not applicable" and "don't know" all count."""
    assessment = Assessment.objects.create(
        organisation=make_organisation(**organisation),
        edition=edition,
        status=Assessment.Status.SUBMITTED,
        submitted_at=timezone.now(),
    )
    responses = ["0", "1", "2", "3", "4", "na", "dont_know"]
    answers = cycle(responses[start:] + responses[:start])
    Answer.objects.bulk_create(
        Answer(
            assessment=assessment,
            question=q,
            response=response,
            not_applicable_reason="We do not run this service." if response == "na" else "",
        )
        for q, response in zip(edition.questions.order_by("pk"), answers, strict=False)
    )
    return assessment


def read_csv(response) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(response.content), encoding="utf-8-sig", keep_default_na=False)


# The page ------------------------------------------------------------------------------------


def test_take_up_and_the_spread_of_scores_by_hand(staff_client, council):
    edition = council.assessment.edition
    for level in "0124":
        submitted(edition, {"ai": level, "data": "4"})

    response = staff_client.get(SECTOR)

    assert response.status_code == 200
    text = " ".join(response.text.split())
    assert 'Organisations</dt> <dd class="govuk-summary-list__value">5</dd>' in text
    assert 'Started an assessment</dt> <dd class="govuk-summary-list__value">5</dd>' in text
    assert 'Submitted it</dt> <dd class="govuk-summary-list__value">4</dd>' in text
    # AI: 0, 25, 50, 100. Linear quartiles at positions 0.75, 1.5 and 2.25 of the sorted four:
    # 18.75, 37.5 and 62.5, written as the report writes scores, whole and rounded half up: 19,
    # 38 and 63. Data: 100 from everyone. The technology index is the mean of the two (no other
    # technology trend is answered): 50, 62.5, 75 and 100, so 59.375 (59), 68.75 (69) and 81.25
    # (81).
    assert table_rows(response.text, "sector-spread-table")[1:] == [
        ["Artificial intelligence", "4", "0", "19", "38", "63", "100"],
        ["Harnessing data", "4", "100", "100", "100", "100", "100"],
        ["Technology index", "4", "50", "59", "69", "81", "100"],
    ]
    assert texts(response.text, "#sector-spread-desc")[0].startswith(
        "Artificial intelligence, 4 organisations: lowest 0, lower quartile 19, median 38, "
        "upper quartile 63, highest 100; "
    )


def test_every_figure_is_written_one_way_in_the_table_the_chart_and_the_weakest_trends(
    staff_client, council
):
    # AI's questions weigh 1, 3, 5, 5, 5, 5, 4, 4 and 4 (36 in all); the first answered at
    # level 1 and the second at level 4: 100 × (1 × 1 + 3 × 4) / (4 × 36) = 9.03 for AI; data
    # at level 2 is 50. A figure a hair over a whole number was "9.0" in the table but "9" in
    # the chart's text, beside a "50": every place writes 9 and 50 now.
    edition = council.assessment.edition
    ai = list(edition.questions.filter(trend__slug="ai").order_by("order"))
    for question, weight in zip(ai, [1, 3, 5, 5, 5, 5, 4, 4, 4], strict=True):
        Question.objects.filter(pk=question.pk).update(weight=weight)
    assessment = submitted(edition, {"ai": "0", "data": "2"})
    assessment.answers.filter(question=ai[0]).update(response="1")
    assessment.answers.filter(question=ai[1]).update(response="4")
    assert result_for(assessment).trend("ai").score == pytest.approx(100 * 13 / 144)

    response = staff_client.get(SECTOR)

    rows = {row[0]: row[2:] for row in table_rows(response.text, "sector-spread-table")[1:]}
    assert rows["Artificial intelligence"] == ["9"] * 5
    assert rows["Harnessing data"] == ["50"] * 5
    description = texts(response.text, "#sector-spread-desc")[0]
    assert (
        "Artificial intelligence, 1 organisation: lowest 9, lower quartile 9, median 9, "
        "upper quartile 9, highest 9; Harnessing data, 1 organisation: lowest 50, "
        "lower quartile 50, median 50, upper quartile 50, highest 50;"
    ) in description
    assert texts(response.text, "#weakest-trends > li") == [
        "Artificial intelligence: median 9 out of 100",
        "Harnessing data: median 50 out of 100",
    ]


def test_the_weakest_trends_and_the_commonest_now_actions(staff_client, council):
    edition = council.assessment.edition
    for level in "0124":
        submitted(edition, {"ai": level, "data": "4"})

    response = staff_client.get(SECTOR)

    assert texts(response.text, "#weakest-trends > li") == [
        "Artificial intelligence: median 38 out of 100",
        "Harnessing data: median 100 out of 100",
    ]
    rows = table_rows(response.text, "top-now-actions")
    assert rows[0] == ["Action", "Trend", "Organisations"]
    # Every AI answer below the default target (2 Developing: the 0 and the 1) puts AI actions
    # in every such plan's Now: each row is an action in words, with its trend, never its key.
    overview = response.context["overview"]
    questions = {q.key: q for q in edition.questions.select_related("trend")}
    assert rows[1:] == [
        [" ".join(questions[a.key].action.split()), questions[a.key].trend.title, str(a.count)]
        for a in overview.top_now
    ]
    assert rows[1][1:] == ["Artificial intelligence", "2"]
    assert not {cell for row in rows for cell in row} & set(questions)


def test_with_nothing_submitted_the_page_says_so_instead_of_drawing_charts(staff_client, council):
    response = staff_client.get(SECTOR)

    text = " ".join(response.text.split())
    assert response.status_code == 200
    assert "No organisation has submitted an assessment for Digital Trends 2024 yet" in text
    assert "app-chart--box-plots" not in text
    assert "sector-spread-table" not in response.text
    assert "Download sector data (CSV)" not in response.text


def test_another_published_or_retired_edition_can_be_chosen_by_its_slug(staff_client, council):
    retired = make_edition(title="Digital Trends 2019", slug="dt-2019", year=2019, status="retired")
    make_edition(title="Draft 2026", slug="draft-2026", year=2026)
    question = make_question(retired, Trend.objects.get(slug="ai"))
    assessment = submitted(retired, {})
    Answer.objects.create(assessment=assessment, question=question, response="3")

    default = staff_client.get(SECTOR)
    chosen = staff_client.get(SECTOR, {"edition": "dt-2019"})

    assert default.context["edition"].slug == "digital-trends-2024"
    options = attribute_values(default.text, "option", "value")
    assert options[0] == "digital-trends-2024" and options[-1] == "dt-2019"  # newest first
    assert "draft-2026" not in options
    assert "Digital Trends 2019 (retired)" in default.text
    assert chosen.context["edition"] == retired
    assert table_rows(chosen.text, "sector-spread-table")[1] == [
        "Artificial intelligence",
        "1",
        "75",
        "75",
        "75",
        "75",
        "75",
    ]


@pytest.mark.parametrize("slug", ["no-such-edition", "draft-2026"])
def test_an_unknown_or_draft_edition_is_404(staff_client, council, slug):
    make_edition(title="Draft 2026", slug="draft-2026", year=2026)

    assert staff_client.get(SECTOR, {"edition": slug}).status_code == 404
    assert staff_client.get(EXPORT, {"edition": slug}).status_code == 404


def test_the_number_of_queries_does_not_grow_with_the_number_of_organisations(
    staff_client, council, django_assert_max_num_queries
):
    edition = council.assessment.edition
    for level in "01":
        submitted(edition, {"ai": level, "data": level})
    statistics.refresh(edition)  # as the worker does, moments after each submission
    # The session and user; the editions; then the overview's own (sector.sector_overview):
    # the counts, the statistics (whether they are behind, then themselves), the trends and
    # the commonest actions' wording. Never the answers.
    with django_assert_max_num_queries(10), CaptureQueriesContext(connection) as few:
        assert staff_client.get(SECTOR).status_code == 200
    # The session and user; the edition; the trends, the assessments, the statistics (three).
    with django_assert_max_num_queries(8), CaptureQueriesContext(connection) as few_rows:
        assert staff_client.get(EXPORT, {"edition": edition.slug}).status_code == 200

    for level in "0123401234":
        submitted(edition, {"ai": level, "data": level, "cyber": level})
    statistics.refresh(edition)
    with CaptureQueriesContext(connection) as more:
        response = staff_client.get(SECTOR)
    with CaptureQueriesContext(connection) as more_rows:
        rows = read_csv(staff_client.get(EXPORT, {"edition": edition.slug}))

    assert response.context["overview"].submitted == 12
    assert len(rows) == 12 * 10
    assert len(more) == len(few)
    assert len(more_rows) == len(few_rows)


def test_an_admin_finds_the_sector_overview_from_the_admin_index(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", password=PASSWORD)
    client.force_login(admin)

    response = client.get(reverse("admin:index"))

    assert f'href="{SECTOR}"' in response.text
    # Still Django's own index around it, with every model listed.
    assert reverse("admin:trends_trend_changelist") in response.text


# The download --------------------------------------------------------------------------------


def test_one_row_per_submitted_assessment_and_trend_with_the_engines_scores(staff_client, council):
    edition = council.assessment.edition
    assessments = [
        submitted_with_every_kind_of_answer(edition, start, name=f"Council {start}")
        for start in range(3)
    ]

    response = staff_client.get(EXPORT, {"edition": edition.slug})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="sector-data-digital-trends-2024.csv"'
    )
    assert response.content.startswith("\ufeff".encode())
    frame = read_csv(response)
    trends = list(edition.trends())
    assert len(frame) == len(assessments) * len(trends) == 30  # Ashdown has not submitted
    assert list(frame.columns) == [
        "edition",
        "organisation",
        "organisation_type",
        "region",
        "population_band",
        "trend_slug",
        "trend_title",
        "family",
        "score",
        "level",
        "submitted_on",
    ]
    for assessment in assessments:
        rows = frame[frame["organisation"] == assessment.organisation.name]
        result = result_for(assessment)
        assert list(rows["trend_slug"]) == [t.slug for t in trends]
        # The engine's scores to one decimal, so at most half a tenth away; blank if none.
        expected = [
            (None if t.score is None else pytest.approx(t.score, abs=0.05 + 1e-9), t.label or "")
            for t in result.trends
        ]
        got = [
            (None if s == "" else float(s), level)
            for s, level in zip(rows["score"], rows["level"], strict=True)
        ]
        assert got == expected
        assert all(s == "" or round(float(s), 1) == float(s) for s in rows["score"])
        assert set(rows["submitted_on"]) == {
            timezone.localdate(assessment.submitted_at).isoformat()
        }
    first = frame.iloc[0]
    assert (first["edition"], first["organisation_type"], first["region"]) == (
        "digital-trends-2024",
        "District council",
        "South East",
    )
    assert first["population_band"] == "100,000 to 250,000"
    assert set(frame["family"]) == {"Digital", "Technology"}


def test_a_trend_without_a_scored_answer_has_a_blank_score_and_level(staff_client, council):
    edition = council.assessment.edition
    submitted(edition, {"ai": "3", "data": "na"})

    frame = read_csv(staff_client.get(EXPORT, {"edition": edition.slug})).set_index("trend_slug")

    assert len(frame) == 10
    assert (frame.loc["ai", "score"], frame.loc["ai", "level"]) == ("75.0", "Established")
    assert (frame.loc["data", "score"], frame.loc["data", "level"]) == ("", "")
    assert (frame["score"] == "").sum() == 9


def test_with_names_left_out_no_name_or_slug_appears_and_codes_are_stable(
    staff_client, council, other_council
):
    edition = council.assessment.edition
    for organisation in (council.organisation, other_council.organisation):
        Assessment.objects.filter(organisation=organisation).update(
            status=Assessment.Status.SUBMITTED, submitted_at=timezone.now()
        )
        Answer.objects.bulk_create(
            Answer(assessment=organisation.assessments.get(), question=q, response="2")
            for q in edition.questions.all()
        )
    query = {"edition": edition.slug, "leave_out_names": "yes"}

    first = staff_client.get(EXPORT, query)
    second = staff_client.get(EXPORT, query)

    text = first.content.decode("utf-8-sig").lower()
    for organisation in (council.organisation, other_council.organisation):
        assert organisation.name.lower() not in text
        assert organisation.slug not in text  # "ashdown", "brackley": nor any part of a name
    frame = read_csv(first)
    assert "organisation" not in frame.columns
    codes = frame.drop_duplicates("organisation_code")["organisation_code"].tolist()
    assert len(codes) == 2 and all(re.fullmatch(r"org-[0-9a-f]{12}", c) for c in codes)
    assert first.content == second.content
    assert first["Content-Disposition"].endswith('-pseudonymised.csv"')


def test_a_code_is_a_keyed_hash_of_the_organisation_not_its_name_or_id(settings):
    code = pseudonym(42)

    assert re.fullmatch(r"org-[0-9a-f]{12}", code)
    assert pseudonym(42) == code and pseudonym(43) != code
    settings.SECRET_KEY = "another-secret-key-" * 3
    assert pseudonym(42) != code  # without the key, nobody can work back from a code


def test_a_name_that_looks_like_a_formula_is_made_inert(staff_client, council):
    edition = council.assessment.edition
    submitted(edition, {"ai": "1"}, name='=HYPERLINK("http://example.com")', region="-Region")

    frame = read_csv(staff_client.get(EXPORT, {"edition": edition.slug}))

    assert set(frame["organisation"]) == {'\'=HYPERLINK("http://example.com")'}
    assert set(frame["region"]) == {"'-Region"}


@pytest.mark.parametrize("role", ["officer", "lead", "viewer"])
def test_members_of_an_organisation_are_refused_the_page_and_the_data(client, council, role):
    Assessment.objects.filter(pk=council.assessment.pk).update(
        status=Assessment.Status.SUBMITTED, submitted_at=timezone.now()
    )
    client.force_login(getattr(council, role))

    page = client.get(SECTOR)
    data = client.get(EXPORT, {"edition": council.assessment.edition.slug})

    assert page.status_code == data.status_code == 403
    assert "Ashdown" not in data.text and "text/csv" not in data["Content-Type"]


def test_editions_default_to_the_newest_published(staff_client, council):
    make_edition(title="Digital Trends 2025", slug="dt-2025", year=2025, status="published")
    make_edition(title="Digital Trends 2027", slug="dt-2027", year=2027, status="retired")

    response = staff_client.get(SECTOR)

    assert response.context["edition"] == Edition.objects.get(slug="dt-2025")
