"""The maturity report: what the page and the PDF show, and the PDF itself.

`report_context` gathers everything in a fixed number of queries, whatever the number of
questions and actions. This is the only module that imports WeasyPrint, and it does so only
when a PDF is made, so that pages never pay for loading it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max
from django.template.loader import render_to_string
from django.utils import timezone

from assessment.charts import bars_for, radar_for
from assessment.models import Answer, Assessment
from assessment.results import result_for
from assessment.scoring import Action, QuestionSpec, Result, TrendScore
from trends.maturity import RESPONSE_LABELS
from trends.models import Trend

STRENGTHS_SHOWN = 3  # strongest and weakest trends in the summary, and items per trend


@dataclass(frozen=True)
class Item:
    """One question with its answer, as the report shows it."""

    question: QuestionSpec
    answer: Answer | None

    @property
    def level(self) -> int | None:
        response = self.answer.response if self.answer else ""
        return int(response) if response.isdigit() else None

    @property
    def label(self) -> str:
        if self.answer is None or not self.answer.response:
            return "Not answered"
        return RESPONSE_LABELS[self.answer.response]


@dataclass(frozen=True)
class TrendSection:
    score: TrendScore
    nutshell: str
    strongest: list[Item]
    weakest: list[Item]
    items: list[Item]
    actions: list[Action]


def report_context(assessment: Assessment) -> dict:
    result = result_for(assessment)
    nutshells = dict(
        Trend.objects.filter(slug__in=[t.trend.slug for t in result.trends]).values_list(
            "slug", "nutshell"
        )
    )
    answers = {a.question.key: a for a in assessment.answers.select_related("question")}
    tracking = {t.question.key: t for t in assessment.tracking.select_related("question")}
    sections = [
        _section(t, result, answers, nutshells.get(t.trend.slug, "")) for t in result.trends
    ]
    scored = sorted(
        (t for t in result.trends if t.score is not None), key=lambda t: -(t.score or 0.0)
    )
    questions = sum(t.questions for t in result.trends)
    answered = sum(t.answered for t in result.trends)
    return {
        "assessment": assessment,
        "organisation": assessment.organisation,
        "result": result,
        "is_draft": not assessment.is_submitted,
        "sections": sections,
        "strongest_trends": scored[:STRENGTHS_SHOWN],
        "weakest_trends": scored[::-1][:STRENGTHS_SHOWN],
        "answered": answered,
        "questions": questions,
        "evidence_gaps": sum(len(t.evidence_gaps) for t in result.trends),
        "with_evidence": sum(t.with_evidence for t in result.trends),
        "horizons": [
            (name, [(a, tracking.get(a.question.key)) for a in result.horizon(name)])
            for name in ("Now", "Next", "Later")
        ],
        "radar": radar_for(result),
        "bars": bars_for(result),
        "generated_at": timezone.now(),
    }


def _section(
    score: TrendScore, result: Result, answers: dict[str, Answer], nutshell: str
) -> TrendSection:
    questions = sorted(
        (q for q in result.questionnaire.questions if q.trend == score.trend.slug),
        key=lambda q: q.order,
    )
    items = [Item(q, answers.get(q.key)) for q in questions]
    by_level = sorted(
        (i for i in items if i.level is not None), key=lambda i: (i.level, i.question.order)
    )
    return TrendSection(
        score=score,
        nutshell=nutshell,
        strongest=by_level[::-1][:2],
        weakest=by_level[:2],
        items=items,
        actions=[a for a in result.actions if a.trend.slug == score.trend.slug],
    )


def pdf_filename(assessment: Assessment) -> str:
    day = timezone.localdate().isoformat()
    return f"{assessment.organisation.slug}-digital-maturity-{assessment.edition.slug}-{day}.pdf"


def report_fingerprint(assessment: Assessment) -> str:
    """Everything a report depends on that can change, in two queries.

    Answers cannot change without their timestamp changing, and the edition's questions
    cannot change at all once an assessment uses it, so these cover every way a report goes
    stale: answers, submission, reopening, targets, tracking and the organisation's marking.
    """
    org = assessment.organisation
    figures = Assessment.objects.filter(pk=assessment.pk).aggregate(
        last_answer=Max("answers__updated_at"),
        last_snapshot=Max("snapshots__pk"),
        last_tracking=Max("tracking__updated_at"),
        tracked=Count("tracking", distinct=True),
    )
    targets = org.targets.aggregate(changed=Max("set_at"), count=Count("pk"))
    parts = [
        assessment.status,
        str(assessment.submitted_at),
        *(str(figures[k]) for k in ("last_answer", "last_snapshot", "last_tracking", "tracked")),
        str(targets["changed"]),
        str(targets["count"]),
        org.name,
        org.protective_marking,
        timezone.localdate().isoformat(),  # the cover and file name carry the date
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def report_pdf(assessment: Assessment) -> bytes:
    """The PDF, from the cache when nothing it shows has changed since it was made."""
    key = f"report-pdf:{assessment.pk}:{report_fingerprint(assessment)}"
    pdf = cache.get(key)
    if pdf is None:
        pdf = render_pdf(report_context(assessment))
        cache.set(key, pdf, timeout=settings.REPORT_CACHE_SECONDS)
    return pdf


def render_pdf(context: dict) -> bytes:
    from weasyprint import HTML  # ~0.5 s to import: only when a PDF is actually made

    html = render_to_string("reports/report_pdf.html", context)
    stylesheet = Path(settings.BASE_DIR) / "static" / "css" / "report-pdf.css"
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        stylesheets=[str(stylesheet)], pdf_variant="pdf/ua-1"
    )
