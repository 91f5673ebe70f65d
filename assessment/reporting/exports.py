"""Files to download: an organisation's own data as CSV and Excel, and every download's name.

The answers, scores and action plan are CSV files or one Excel workbook; `attachment` is the
response that sends any download, and `export_filename` names each one.

Scores and the plan come from the scoring engine (`scores.result_for`, `plan_with_tracking`),
the one definition of both, so the files always say what the report says. Each dataset is a
pandas frame built in a fixed number of queries, whatever the number of questions or actions.

Every text cell that a spreadsheet would read as a formula (one beginning with =, +, -, @, a
tab or a carriage return) is prefixed with a single quote: answers and evidence notes are
typed by people, and a note such as `=HYPERLINK(...)` must stay words, not run.
"""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO

import pandas as pd
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from assessment.models import Assessment, display_name
from assessment.reporting.datasets import INDEXES
from assessment.reporting.numbers import whole
from assessment.reporting.report import Item
from assessment.reporting.scores import plan_with_tracking, result_for
from assessment.scoring import DIGITAL, FAMILIES, TECHNOLOGY, Result, TrendScore, label_for
from trends.models import Family

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
WIDEST_COLUMN = 60  # characters: long evidence notes wrap in Excel's cell, not across the screen
WRAP = Alignment(wrap_text=True, vertical="top")


def answers_frame(assessment: Assessment, result: Result) -> pd.DataFrame:
    """Every question of the edition in report order, with its answer: one query."""
    answers = {
        a.question.key: a
        for a in assessment.answers.select_related("question", "updated_by").only(
            "question__key",
            "response",
            "not_applicable_reason",
            "evidence",
            "updated_at",
            "assessment_id",
            "updated_by__username",
            "updated_by__first_name",
            "updated_by__last_name",
        )
    }
    rows = []
    for score in result.trends:
        questions = sorted(
            (q for q in result.questionnaire.questions if q.trend == score.trend.slug),
            key=lambda q: q.order,
        )
        for question in questions:
            answer = answers.get(question.key)
            rows.append(
                {
                    "Trend": score.trend.title,
                    "Question": question.key,
                    "Statement": question.statement,
                    "Answer": Item(question, answer).label,
                    "Not applicable reason": answer.not_applicable_reason if answer else "",
                    "Evidence": answer.evidence if answer else "",
                    "Last changed by": display_name(answer.updated_by) if answer else "",
                    "Last changed (UK time)": (
                        timezone.localtime(answer.updated_at).strftime("%Y-%m-%d %H:%M")
                        if answer
                        else ""
                    ),
                }
            )
    return pd.DataFrame(rows, columns=_ANSWER_COLUMNS)


_ANSWER_COLUMNS = [
    "Trend",
    "Question",
    "Statement",
    "Answer",
    "Not applicable reason",
    "Evidence",
    "Last changed by",
    "Last changed (UK time)",
]


def scores_frame(assessment: Assessment, result: Result) -> pd.DataFrame:
    """Each trend, then the digital and technology indexes and the overall: no query."""
    rows = [
        _score_row(t.trend.title, Family(t.trend.family).label, t.score, [t], target=t.target)
        for t in result.trends
    ]
    index_scores = {DIGITAL: result.digital_index, TECHNOLOGY: result.technology_index}
    for family in FAMILIES:
        members = [t for t in result.trends if t.trend.family == family]
        rows.append(
            _score_row(INDEXES[family], Family(family).label, index_scores[family], members)
        )
    rows.append(_score_row("Overall", "", result.overall, list(result.trends)))
    frame = pd.DataFrame(rows)
    # Whole numbers, blank where there is none (no score yet; an index has no target).
    for column in ("Score (0-100)", "Target level (0-4)"):
        frame[column] = frame[column].astype("Int64")
    return frame


def _score_row(
    title: str,
    family: str,
    score: float | None,
    trends: list[TrendScore],
    target: int | None = None,
) -> dict:
    return {
        "Trend": title,
        "Family": family,
        "Score (0-100)": whole(score),  # as the report page and the PDF show it
        "Level": label_for(score) or "",
        "Target level (0-4)": target,
        "Answered": sum(t.answered for t in trends),
        "Questions": sum(t.questions for t in trends),
        "Evidence gaps": sum(len(t.evidence_gaps) for t in trends),
    }


def plan_frame(assessment: Assessment, result: Result) -> pd.DataFrame:
    """The ranked plan, Now, Next then Later, with the lead's tracking: one query."""
    rows = [
        {
            "Rank": action.rank,
            "Horizon": horizon,
            "Trend": action.trend.title,
            "Action": action.what,
            "Citation": action.question.citation,
            # Why an action stands below others of higher priority: it waits for these.
            "After": ", ".join(trend.title for trend in action.after),
            "Level now": "Don't know" if action.establish_facts_first else action.current,
            "Target level": action.target,
            "Owner": tracking.owner if tracking else "",
            "Due date": tracking.due_date.isoformat() if tracking and tracking.due_date else "",
            "Status": tracking.get_status_display() if tracking else "Not started",
            "Reason": tracking.reason if tracking else "",
        }
        for horizon, actions in plan_with_tracking(assessment, result)
        for action, tracking in actions
    ]
    return pd.DataFrame(rows, columns=_PLAN_COLUMNS)


_PLAN_COLUMNS = [
    "Rank",
    "Horizon",
    "Trend",
    "Action",
    "Citation",
    "After",
    "Level now",
    "Target level",
    "Owner",
    "Due date",
    "Status",
    "Reason",
]

# URL name → (sheet name, builder), in the workbook's order.
DATASETS: dict[str, tuple[str, Callable[[Assessment, Result], pd.DataFrame]]] = {
    "answers": ("Answers", answers_frame),
    "scores": ("Scores", scores_frame),
    "plan": ("Action plan", plan_frame),
}


def dataset_frame(assessment: Assessment, dataset: str) -> pd.DataFrame:
    _, build = DATASETS[dataset]
    return neutralise_formulas(build(assessment, result_for(assessment)))


def workbook_frames(assessment: Assessment) -> dict[str, pd.DataFrame]:
    """Every dataset by sheet name, scored once."""
    result = result_for(assessment)
    return {
        sheet: neutralise_formulas(build(assessment, result)) for sheet, build in DATASETS.values()
    }


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every text cell that a spreadsheet would run as a formula made inert."""
    return frame.map(
        lambda value: (
            f"'{value}" if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value
        )
    )


def csv_bytes(frame: pd.DataFrame) -> bytes:
    # UTF-8 with a byte-order mark: without it Excel reads the file as Windows-1252 and garbles
    # curly quotes and accented names. CRLF line ends, as RFC 4180 has them.
    return ("\ufeff" + frame.to_csv(index=False, lineterminator="\r\n")).encode("utf-8")


def workbook_bytes(frames: dict[str, pd.DataFrame]) -> bytes:
    buffer = BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for sheet, frame in frames.items():
            frame.to_excel(writer, sheet_name=sheet, index=False)
            worksheet = writer.sheets[sheet]
            worksheet.freeze_panes = "A2"  # the headings stay in view
            for number, column in enumerate(frame.columns, start=1):
                longest = max([len(str(column)), *(len(str(v)) for v in frame[column])])
                letter = get_column_letter(number)
                worksheet.column_dimensions[letter].width = min(longest + 2, WIDEST_COLUMN)
                if longest + 2 > WIDEST_COLUMN:
                    for (cell,) in worksheet[f"{letter}2:{letter}{len(frame) + 1}"]:
                        cell.alignment = WRAP
    return buffer.getvalue()


def export_filename(assessment: Assessment, dataset: str | None, extension: str) -> str:
    """Every download is named alike, with its date and its dataset if it has one:
    ashdown-digital-maturity-digital-trends-2024-2025-01-31-plan.csv, or ….pdf for the report."""
    day = timezone.localdate().isoformat()
    stem = f"{assessment.organisation.slug}-digital-maturity-{assessment.edition.slug}-{day}"
    return f"{stem}-{dataset}.{extension}" if dataset else f"{stem}.{extension}"


def attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    """`content` as a download named `filename` (Django encodes a name that is not ASCII)."""
    return HttpResponse(
        content,
        content_type=content_type,
        headers={"Content-Disposition": content_disposition_header(True, filename)},
    )
