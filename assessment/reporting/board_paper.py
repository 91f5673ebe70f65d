"""The board paper as a Word document: the board summary's content, to edit into a council's
committee template. The only module that imports python-docx.

The same words as the summary on the page and in the PDFs (`reporting.summary`), with the
protective marking at the top and bottom of each page, as in the PDFs.
"""

from __future__ import annotations

import io
from typing import Any

from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import ngettext

from assessment.reporting.numbers import level_with_score, whole


def render_docx(context: dict[str, Any]) -> bytes:
    """The board paper for a report's context (`report.report_context`)."""
    from docx import Document
    from docx.shared import Pt

    organisation = context["organisation"]
    assessment = context["assessment"]
    result = context["result"]
    summary = context["summary"]
    document = Document()
    document.core_properties.title = f"Digital maturity: {organisation.name}"
    document.core_properties.author = organisation.name
    document.styles["Normal"].font.size = Pt(11)
    for part in (document.sections[0].header, document.sections[0].footer):
        part.paragraphs[0].text = organisation.protective_marking

    draft = "Draft: " if context["is_draft"] else ""
    document.add_heading(f"{draft}Digital maturity: {organisation.name}", level=0)
    facts = [
        ("Edition", assessment.edition.title),
        ("Status", _status(context)),
        ("Date of the data", date_format(localtime(context["data_as_at"]), "j F Y")),
        ("Version", str(context["version"] or "")),
        ("Owner", context["owner"] or "No lead named yet"),
    ]
    _table(document, ["", ""], [list(f) for f in facts], header=False)

    document.add_heading("Summary", level=1)
    document.add_paragraph(
        f"Digital index: {_score(result.digital_index, result.digital_label)}. "
        f"Technology index: {_score(result.technology_index, result.technology_label)}. "
        "The two are kept apart: good IT management can mask poor digital maturity."
    )
    document.add_heading("Key messages", level=2)
    for message in summary.messages:
        paragraph = document.add_paragraph(style="List Bullet")
        paragraph.add_run(f"{message.title}: ").bold = True
        paragraph.add_run(message.text)

    document.add_heading("Top actions for now", level=2)
    if summary.now:
        _table(
            document,
            ["Rank", "Action", "Level now → target", "Owner", "Due"],
            [
                [
                    str(action.rank),
                    f"{action.what} ({action.trend.title})",
                    f"{_current(action)} → {level_with_score(action.target)}",
                    (tracking.owner if tracking else "") or "No owner yet",
                    date_format(tracking.due_date, "j M Y")
                    if tracking and tracking.due_date
                    else "",
                ]
                for action, tracking in summary.now
            ],
        )
    else:
        document.add_paragraph("There are no actions: every answer meets its target.")

    document.add_heading("The board is asked to agree", level=2)
    document.add_paragraph("The target for each trend:", style="List Number")
    _table(
        document,
        ["Trend", "Score now", "Target"],
        [
            [t.trend.title, _score(t.score, t.label), level_with_score(t.target)]
            for t in summary.targets
        ],
    )
    if summary.now:
        unowned = summary.now_unowned
        document.add_paragraph(
            ngettext(
                "The plan for the next three months: the %(n)d action above",
                "The plan for the next three months: the %(n)d actions above",
                summary.now_total,
            )
            % {"n": summary.now_total}
            + (
                ngettext(
                    ", each with an owner and a due date (%(u)d has none yet).",
                    ", each with an owner and a due date (%(u)d have none yet).",
                    unowned,
                )
                % {"u": unowned}
                if unowned
                else "."
            ),
            style="List Number",
        )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _status(context: dict[str, Any]) -> str:
    if context["is_draft"]:
        return (
            f"Draft: not submitted; {context['answered']} of {context['questions']} "
            "questions answered"
        )
    return f"Submitted on {date_format(localtime(context['assessment'].submitted_at), 'j F Y')}"


def _score(score: float | None, label: str | None) -> str:
    return "not scored yet" if score is None else f"{whole(score)} out of 100, {label}"


def _current(action: Any) -> str:
    return "Don't know" if action.establish_facts_first else level_with_score(action.current)


def _table(document: Any, headings: list[str], rows: list[list[str]], header: bool = True) -> None:
    table = document.add_table(rows=0, cols=len(headings))
    table.style = "Table Grid"
    if header:
        cells = table.add_row().cells
        for cell, heading in zip(cells, headings, strict=True):
            cell.paragraphs[0].add_run(heading).bold = True
    for row in rows:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = value
