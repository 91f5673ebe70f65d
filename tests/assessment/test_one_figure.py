"""One figure, everywhere: the report page, the PDF, the CSV and the Excel workbook give each
trend, and each index, the same score and the same level."""

import io
import re

import pandas as pd
import pytest
from django.urls import reverse

from assessment.reporting.scores import result_for
from assessment.scoring import LEVEL_LABELS
from assessment.workflow import submit_assessment
from tests.assessment.test_report import answer_everything
from tests.pages import table_rows, texts
from tests.reports import download
from tests.reports import pdf_text as read_pdf

pytestmark = pytest.mark.django_db

LEVEL = "(" + "|".join(LEVEL_LABELS) + ")"


def pdf_text(content: bytes, tmp_path) -> str:
    return " ".join(read_pdf(content, tmp_path).split())


def test_every_trend_and_index_has_one_score_and_level_in_all_four(client, council, tmp_path):
    answer_everything(council)
    submit_assessment(assessment=council.assessment, user=council.lead)
    result = result_for(council.assessment)
    pk = council.assessment.pk
    client.force_login(council.lead)

    page = client.get(reverse("assessment:report", args=[pk])).text
    plan_page = client.get(reverse("assessment:action_plan", args=[pk])).text
    pdf = pdf_text(download(client, council.assessment).content, tmp_path)
    csv = pd.read_csv(
        io.BytesIO(client.get(reverse("assessment:export_csv", args=[pk, "scores"])).content)
    ).set_index("Trend")
    xlsx = pd.read_excel(
        io.BytesIO(client.get(reverse("assessment:export_xlsx", args=[pk])).content),
        sheet_name="Scores",
    ).set_index("Trend")

    # Each trend: its row of the score table on the page and on the plan page, its own
    # section of the report page ("54, Developing"), the same table in the PDF, its page of
    # the PDF, and the Scores sheet of both downloads.
    page_rows = {row[0]: row[1:3] for row in table_rows(page, "trend-scores")[1:]}
    plan_rows = {row[0]: row[1:3] for row in table_rows(plan_page, "trend-scores")[1:]}
    for trend in result.trends:
        title, family, slug = trend.trend.title, trend.trend.family, trend.trend.slug
        section = texts(page, f"#trend-{slug} p")[0]
        shown = {
            "page": tuple(page_rows[f"{title} ({family})"]),
            "plan page": tuple(plan_rows[f"{title} ({family})"]),
            "page, its section": matched(rf"^(\d+), {LEVEL}\.", section),
            "pdf": matched(rf"{re.escape(title)} \({family}\) (\d+) {LEVEL} ", pdf),
            "pdf, its page": matched(rf"{re.escape(title)} (\d+), {LEVEL} · target", pdf),
            "csv": cells(csv, title),
            "xlsx": cells(xlsx, title),
        }
        assert set(shown.values()) == {as_shown(trend.score, trend.label)}, (title, shown)

    # Each index: the headline on the page and in the PDF, and both downloads.
    headlines = texts(page, ".app-headline")
    indexes = {
        "Digital index": as_shown(result.digital_index, result.digital_label),
        "Technology index": as_shown(result.technology_index, result.technology_label),
    }
    for name, expected in indexes.items():
        headline = next(h for h in headlines if h.startswith(name))
        shown = {
            "page": matched(rf"(\d+) out of 100, {LEVEL}", headline),
            "pdf": matched(rf"{name} (\d+) out of 100, {LEVEL}", pdf),
            "csv": cells(csv, name),
            "xlsx": cells(xlsx, name),
        }
        assert set(shown.values()) == {expected}, (name, shown)

    # The overall figure: second to the indexes, the same wherever it is given.
    overall = as_shown(result.overall, result.overall_label)
    shown = {
        "page": matched(rf"average of the two indexes: (\d+) out of 100, {LEVEL}", page),
        "plan page": matched(rf"average of the two indexes: (\d+) out of 100, {LEVEL}", plan_page),
        "pdf": matched(rf"average of the two indexes: (\d+) out of 100, {LEVEL}", pdf),
        "csv": cells(csv, "Overall"),
        "xlsx": cells(xlsx, "Overall"),
    }
    assert set(shown.values()) == {overall}, shown


def as_shown(score: float | None, label: str | None) -> tuple[str, ...]:
    assert score is not None and label is not None
    return (str(int(score + 0.5)), label)


def matched(pattern: str, text: str) -> tuple[str, ...]:
    found = re.search(pattern, text)
    assert found, pattern
    return found.groups()


def cells(frame: pd.DataFrame, row: str) -> tuple[str, ...]:
    return (str(frame.loc[row, "Score (0-100)"]), str(frame.loc[row, "Level"]))
