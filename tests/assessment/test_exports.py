"""An organisation's own data as CSV and Excel: read back with pandas and held to the engine."""

import csv
import io
import re

import openpyxl
import pandas as pd
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessment.models import ActionTracking
from assessment.reporting.scores import result_for
from assessment.workflow import AnswerInput, save_answers, submit_assessment
from tests.assessment.test_report import answer_everything

pytestmark = pytest.mark.django_db

DATASETS = ["answers", "scores", "plan"]
INJECTION = '=HYPERLINK("https://attacker.example/","Open the board paper")'


def csv_url(council, dataset: str) -> str:
    return reverse("assessment:export_csv", args=[council.assessment.pk, dataset])


def xlsx_url(council) -> str:
    return reverse("assessment:export_xlsx", args=[council.assessment.pk])


def export_urls(council) -> list[str]:
    return [*(csv_url(council, d) for d in DATASETS), xlsx_url(council)]


def as_shown(score: float | None) -> int:
    """A score as the report shows it: a whole number, rounded half up."""
    assert score is not None
    return int(score + 0.5)


def read_csv(response) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(response.content), encoding="utf-8-sig")


def read_workbook(response) -> dict[str, pd.DataFrame]:
    return pd.read_excel(io.BytesIO(response.content), sheet_name=None)


@pytest.fixture
def submitted(client, council):
    notes = answer_everything(council)
    submit_assessment(assessment=council.assessment, user=council.lead)
    client.force_login(council.lead)
    return notes


def test_the_scores_csv_has_the_engines_scores_rounded(client, council, submitted):
    result = result_for(council.assessment)

    scores = read_csv(client.get(csv_url(council, "scores"))).set_index("Trend")

    for trend in result.trends:
        row = scores.loc[trend.trend.title]
        assert row["Score (0-100)"] == as_shown(trend.score), trend.trend.slug
        assert row["Level"] == trend.label
        assert row["Target level (0-4)"] == trend.target
        assert (row["Answered"], row["Questions"]) == (trend.answered, trend.questions)
        assert row["Evidence gaps"] == len(trend.evidence_gaps)
    ai = result.trend("ai")
    assert scores.loc[ai.trend.title, "Family"] == "Technology"
    assert scores.loc["Digital index", "Score (0-100)"] == as_shown(result.digital_index)
    assert scores.loc["Technology index", "Score (0-100)"] == as_shown(result.technology_index)
    assert scores.loc["Overall", "Score (0-100)"] == as_shown(result.overall)
    assert scores.loc["Overall", "Level"] == result.overall_label
    assert scores.loc["Overall", "Questions"] == council.assessment.edition.questions.count()
    # An index has no target. (pandas-stubs type a cell as any scalar, isna takes fewer.)
    assert pd.isna(scores.loc["Digital index", "Target level (0-4)"])  # type: ignore[arg-type]


def test_a_draft_with_nothing_answered_has_blank_scores_not_zeros(client, council):
    client.force_login(council.officer)

    scores = read_csv(client.get(csv_url(council, "scores"))).set_index("Trend")

    assert scores["Score (0-100)"].isna().all()  # blank cells, never 0
    assert scores["Level"].isna().all()
    assert scores.loc["Overall", "Answered"] == 0


def test_the_answers_csv_has_every_answer_its_evidence_and_who_changed_it(
    client, council, submitted
):
    response = client.get(csv_url(council, "answers"))
    answers = read_csv(response).set_index("Question")

    assert len(answers) == council.assessment.edition.questions.count()
    for key, note in submitted.items():
        assert answers.loc[key, "Evidence"] == note
    geospatial = answers.loc["geospatial-02"]
    assert geospatial["Answer"] == "Not applicable"
    assert geospatial["Not applicable reason"] == "Shared county GIS service."
    assert answers.loc["ai-01", "Statement"] == (
        council.assessment.edition.questions.get(key="ai-01").statement
    )
    assert set(answers["Last changed by"]) == {"Olu Officer"}  # as the pages name people
    changed = answers["Last changed (UK time)"]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", t) for t in changed)


def test_the_plan_csv_is_the_engines_plan_with_the_leads_tracking(client, council, submitted):
    result = result_for(council.assessment)
    top = result.actions[0]
    ActionTracking.objects.create(
        assessment=council.assessment,
        question=council.assessment.edition.questions.get(key=top.question.key),
        owner="Priya Patel, Head of Digital",
        due_date="2025-03-31",
        status=ActionTracking.Status.IN_PROGRESS,
    )

    plan = read_csv(client.get(csv_url(council, "plan")))

    assert list(plan["Rank"]) == [a.rank for a in result.actions]
    assert list(plan["Horizon"]) == [a.horizon for a in result.actions]
    assert list(plan["Action"]) == [a.what for a in result.actions]
    assert list(plan["Target level"]) == [a.target for a in result.actions]
    waits = [", ".join(t.title for t in a.after) for a in result.actions]
    assert list(plan["After"].fillna("")) == waits
    first = plan.iloc[0]
    assert first["Citation"] == top.question.citation
    assert (first["Owner"], first["Due date"], first["Status"]) == (
        "Priya Patel, Head of Digital",
        "2025-03-31",
        "In progress",
    )
    assert plan.iloc[1]["Status"] == "Not started"


def test_the_workbook_has_one_sheet_per_dataset_with_the_same_figures(client, council, submitted):
    result = result_for(council.assessment)

    response = client.get(xlsx_url(council))
    sheets = read_workbook(response)

    assert list(sheets) == ["Answers", "Scores", "Action plan"]
    scores = sheets["Scores"].set_index("Trend")
    ai = result.trend("ai")
    assert scores.loc[ai.trend.title, "Score (0-100)"] == as_shown(ai.score)
    assert scores.loc["Overall", "Score (0-100)"] == as_shown(result.overall)
    answers = sheets["Answers"].set_index("Question")
    for key, note in submitted.items():
        assert answers.loc[key, "Evidence"] == note
    assert list(sheets["Action plan"]["Rank"]) == [a.rank for a in result.actions]
    for dataset, sheet in zip(DATASETS, sheets.values(), strict=True):
        assert list(sheet.columns) == list(read_csv(client.get(csv_url(council, dataset))).columns)


def test_files_are_named_like_the_pdf_and_typed_for_spreadsheets(client, council, submitted):
    for dataset in DATASETS:
        response = client.get(csv_url(council, dataset))
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert re.fullmatch(
            rf'attachment; filename="ashdown-digital-maturity-digital-trends-2024-'
            rf'\d{{4}}-\d\d-\d\d-{dataset}\.csv"',
            response["Content-Disposition"],
        )
        assert response.content.startswith("\ufeff".encode())  # so Excel reads it as UTF-8
        assert "no-store" in response["Cache-Control"]
    workbook = client.get(xlsx_url(council))
    assert workbook["Content-Type"].endswith("spreadsheetml.sheet")
    assert re.fullmatch(
        r'attachment; filename="ashdown-digital-maturity-digital-trends-2024-'
        r'\d{4}-\d\d-\d\d\.xlsx"',
        workbook["Content-Disposition"],
    )


def test_text_that_a_spreadsheet_would_run_is_made_inert(client, council):
    ai = council.assessment.edition.questions.get(key="ai-01")
    cyber = council.assessment.edition.questions.get(key="cyber-01")
    save_answers(
        assessment=council.assessment,
        inputs=[
            AnswerInput(ai, "1", "", INJECTION, 0),
            AnswerInput(cyber, "na", "+44 20 7946 0000 runs it", "@SUM(A1:A9)", 0),
        ],
        user=council.officer,
    )
    ActionTracking.objects.create(
        assessment=council.assessment, question=ai, owner="-2+3", reason="\tTabbed"
    )
    client.force_login(council.lead)

    answers = read_csv(client.get(csv_url(council, "answers"))).set_index("Question")
    plan = read_csv(client.get(csv_url(council, "plan"))).set_index("Trend")
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(xlsx_url(council)).content))

    assert answers.loc["ai-01", "Evidence"] == "'" + INJECTION
    assert answers.loc["cyber-01", "Evidence"] == "'@SUM(A1:A9)"
    assert answers.loc["cyber-01", "Not applicable reason"] == "'+44 20 7946 0000 runs it"
    ai_title = result_for(council.assessment).trend("ai").trend.title
    assert plan.loc[ai_title, "Owner"] == "'-2+3"
    assert plan.loc[ai_title, "Reason"] == "'\tTabbed"
    csv_text = client.get(csv_url(council, "answers")).content.decode("utf-8-sig")
    for row in csv.reader(io.StringIO(csv_text)):
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row), row
    cells = [c for sheet in workbook for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]  # no formula anywhere
    assert "'" + INJECTION in {c.value for c in cells}


def test_negative_numbers_are_numbers_not_text():
    from assessment.reporting.exports import neutralise_formulas

    frame = neutralise_formulas(pd.DataFrame({"a": [-1.5, 2], "b": ["-x", "y"]}))

    assert list(frame["a"]) == [-1.5, 2] and list(frame["b"]) == ["'-x", "y"]


def test_the_report_page_links_to_every_download(client, council):
    client.force_login(council.viewer)

    page = client.get(reverse("assessment:report", args=[council.assessment.pk]))

    assert "Download the data" in page.text
    for url in export_urls(council):
        assert f'href="{url}"' in page.text


def test_an_unknown_dataset_is_404(client, council):
    client.force_login(council.lead)

    assert client.get(csv_url(council, "passwords")).status_code == 404


def test_another_councils_lead_gets_404_for_every_export(client, council, other_council):
    client.force_login(other_council.lead)

    for url in export_urls(council):
        assert client.get(url).status_code == 404, url


def test_anonymous_users_are_sent_to_sign_in_for_every_export(client, council):
    for url in export_urls(council):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("assessment:sign_in"))


def test_the_query_count_does_not_grow_with_answers_or_tracking(client, council):
    client.force_login(council.lead)
    urls = export_urls(council)

    def queries() -> list[int]:
        counts = []
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            counts.append(len(captured))
        return counts

    empty = queries()
    answer_everything(council)
    for question in council.assessment.edition.questions.all()[:30]:
        ActionTracking.objects.create(assessment=council.assessment, question=question, owner="Ann")

    assert queries() == empty
    assert max(empty) <= 12
