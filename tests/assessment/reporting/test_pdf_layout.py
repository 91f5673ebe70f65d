"""The two PDFs as printed, read back with pdfminer: every character at least 8 pt and inside
the content box (A4 less the stylesheet's @page margins) but for the margins' own lines (the
marking, the council, the running "(continued)" header and "Page N of M"); no page ending with
a heading; the contents giving the right pages; a table that carries over saying so; the board
summary short.

Each PDF takes seconds to render, so the submitted council's pair is made once for the module,
in a transaction rolled back afterwards, and every test reads it."""

import datetime
import io
import re
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.test import override_settings
from pdfminer.high_level import extract_pages
from pdfminer.layout import LAParams, LTChar, LTCurve, LTTextLine

from assessment.models import ActionTracking, Assessment, Membership
from assessment.reporting import pdf
from assessment.reporting.report import report_context
from assessment.reporting.scores import result_for
from assessment.scoring import Horizon
from assessment.workflow import (
    AnswerInput,
    TrackingInput,
    save_answers,
    start_assessment,
    submit_assessment,
    update_tracking,
)
from tests.factories import (
    continue_from_an_earlier_edition,
    make_member,
    make_organisation,
    make_submitted_assessment,
)
from trends.models import Edition, Trend

# Every test reads the database only through the fixtures, but the mark is what makes
# pytest-django set the test database up: without it the module's fixture would reach the
# real one.
pytestmark = pytest.mark.django_db

COUNCIL = "Ashdown District Council"
MM = 72 / 25.4  # points in a millimetre
A4 = (210 * MM, 297 * MM)
# static/css/report-pdf.css: @page { margin: 20mm 15mm 18mm 15mm }
TOP, RIGHT, BOTTOM, LEFT = (20 * MM, 15 * MM, 18 * MM, 15 * MM)
SLACK = 0.5  # points: a glyph's box may graze the edge it is set against
VERSION = 3

HEADINGS = {
    "Contents",
    "Executive summary",
    "Scores",
    "How you compare",
    "Progress",
    "Trend by trend",
    "Action plan",
    "Appendix: every question and answer",
    "Key messages",
    "Top actions for now",
    "The board is asked to agree",
    "Who owns the actions",
    "Strongest",
    "Weakest",
    "Actions",
    "Score by trend",
    "Digital and technology indexes",
    "Your scores against your peers', out of 100",
    "Change by trend, on the questions asked both years, out of 100",
}


@dataclass(frozen=True)
class Line:
    """One row of a page: the text lines pdfminer finds at one height, left to right."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def in_content_box(self) -> bool:
        return inside_content_box(self.x0, self.y0, self.x1, self.y1)


@dataclass(frozen=True)
class Document:
    pages: list[list[Line]]  # each page's rows, top to bottom
    sizes: list[float]  # of every character
    shapes: list[tuple[int, tuple[float, float, float, float]]]  # page and box of each

    def text(self, number: int) -> str:
        return " ".join(line.text for line in self.pages[number - 1])

    def body(self, number: int) -> list[Line]:
        """A page's rows inside the content box: everything but the margins' lines."""
        return [line for line in self.pages[number - 1] if line.in_content_box]

    def header(self, number: int) -> str:
        """What the top margin of a page says."""
        return " ".join(line.text for line in self.pages[number - 1] if line.y0 >= A4[1] - TOP)

    @property
    def flat(self) -> str:
        return " ".join(self.text(n) for n in range(1, len(self.pages) + 1))


@dataclass(frozen=True)
class Printed:
    """A council's two PDFs, and what they should say."""

    pack: Document
    board: Document
    marking: str
    owner: str
    trends: list[str]
    actions: list[tuple[int, str]]  # rank and what, in the plan's order
    horizons: dict[str, int]  # how many actions in each
    messages: list[str]  # the key findings, as the executive summary words them

    @property
    def documents(self) -> list[tuple[str, Document]]:
        return [("full pack", self.pack), ("board summary", self.board)]

    def margin_words(self, page: int, pages: int) -> set[str]:
        """What the page margins may print: the marking, the council (after the cover), the
        page number, and the running "(continued)" header of a trend or a part of the plan.
        Word by word, as a long running header may wrap onto two lines."""
        parts = [*self.trends, *(f"Action plan: {h}" for h in self.horizons)]
        texts = [self.marking, f"Page {page} of {pages}", *(f"{p} (continued)" for p in parts)]
        if page > 1:
            texts.append(COUNCIL)
        return {word for text in texts for word in text.split()}


@pytest.fixture(scope="module")
def submitted(django_db_setup, django_db_blocker) -> Printed:
    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
            printed = print_a_submitted_council_with_a_plan()
        transaction.set_rollback(True)
    return printed


def print_a_submitted_council_with_a_plan() -> Printed:
    """A submitted district council, every question answered, long evidence on half of them,
    six district peers, progress since an earlier edition, and two tracked actions."""
    edition = Edition.objects.get(slug="digital-trends-2024")
    older, _ = continue_from_an_earlier_edition(edition, "cyber")
    organisation = make_organisation(
        name=COUNCIL, slug="ashdown", protective_marking="OFFICIAL-SENSITIVE"
    )
    lead = make_member(organisation, Membership.Role.LEAD, first_name="Lena", last_name="Okafor")
    before = make_submitted_assessment(older, {"cyber": "1"})
    Assessment.objects.filter(pk=before.pk).update(organisation=organisation)
    slugs = list(Trend.objects.values_list("slug", flat=True))
    for n in range(6):
        make_submitted_assessment(edition, {slug: str((n + i) % 5) for i, slug in enumerate(slugs)})
    assessment = start_assessment(organisation=organisation, edition=edition, user=lead)
    inputs = []
    for n, question in enumerate(edition.questions.order_by("trend__number", "order")):
        evidence = ""
        if n % 2 == 0:  # long enough that the appendix's tables run over pages
            evidence = (
                f"Evidence note {n}: minutes of the digital board, item {n}, with the "
                "business case, the benefits register and the risk log it refers to. "
                "Stored at https://intranet.ashdown.example.gov.uk/governance/"
                f"digital-board/papers/2024/evidence-{n}-of-the-self-assessment.pdf"
            )
        inputs.append(AnswerInput(question, str(n % 5), "", evidence, 0))
    save_answers(assessment=assessment, inputs=inputs, user=lead)
    submit_assessment(assessment=assessment, user=lead)
    assessment.refresh_from_db()
    result = result_for(assessment)
    questions = {q.key: q for q in edition.questions.all()}
    tracking = TrackingInput(
        "Priya Shah", datetime.date(2027, 3, 31), ActionTracking.Status.IN_PROGRESS, ""
    )
    for action in result.actions[:2]:
        update_tracking(
            assessment=assessment,
            question=questions[action.question.key],
            tracking=tracking,
            user=lead,
        )
    return print_both(assessment, version=VERSION)


def print_both(assessment: Assessment, **extra: object) -> Printed:
    context = report_context(assessment) | extra
    result = context["result"]
    return Printed(
        pack=read(pdf.render_pdf(context, pdf.FULL_PACK)),
        board=read(pdf.render_pdf(context, pdf.BOARD_SUMMARY)),
        marking=assessment.organisation.protective_marking,
        owner=context["owner"],
        trends=[t.trend.title for t in result.trends],
        actions=[(a.rank, a.what) for a in result.actions],
        horizons={h.value: len(result.horizon(h)) for h in Horizon},
        messages=[m.text for m in context["summary"].messages],
    )


def read(content: bytes) -> Document:
    pages, sizes, shapes = [], [], []
    # A small character margin, so that margin boxes on one baseline stay apart.
    params = LAParams(char_margin=1.0)
    for number, page in enumerate(extract_pages(io.BytesIO(content), laparams=params), 1):
        lines = []
        for item in _descendants(page):
            if isinstance(item, LTTextLine) and item.get_text().strip():
                lines.append(item)
            elif isinstance(item, LTChar):
                sizes.append(item.size)
            elif isinstance(item, LTCurve):  # rectangles and lines are curves too
                shapes.append((number, item.bbox))
        pages.append(_rows(lines))
    return Document(pages, sizes, shapes)


def _descendants(item):
    yield item
    if hasattr(item, "__iter__"):
        for child in item:
            yield from _descendants(child)


def _rows(lines: list[LTTextLine]) -> list[Line]:
    """Text lines whose baselines are within a point of each other, joined left to right; the
    rows top to bottom."""
    rows: list[list[LTTextLine]] = []
    for line in sorted(lines, key=lambda line: -line.y0):
        if rows and rows[-1][0].y0 - line.y0 <= 1:
            rows[-1].append(line)
        else:
            rows.append([line])
    return [
        Line(
            " ".join(" ".join(line.get_text().split()) for line in sorted(row, key=_left)),
            min(line.x0 for line in row),
            min(line.y0 for line in row),
            max(line.x1 for line in row),
            max(line.y1 for line in row),
        )
        for row in rows
    ]


def _left(line: LTTextLine) -> float:
    return line.x0


def inside_content_box(x0: float, y0: float, x1: float, y1: float) -> bool:
    width, height = A4
    return (
        x0 >= LEFT - SLACK
        and x1 <= width - RIGHT + SLACK
        and y0 >= BOTTOM - SLACK
        and y1 <= height - TOP + SLACK
    )


def assert_printable(printed: Printed) -> None:
    """No text under 8 pt; nothing past the content box but the margins' own lines; the
    marking at the top and foot of every page and never in the body; "Page N of M"; and no
    page ending with a heading."""
    headings = HEADINGS | set(printed.trends)
    for name, document in printed.documents:
        assert min(document.sizes) >= 8 - 0.01, (name, min(document.sizes))
        pages = len(document.pages)
        for number, rows in enumerate(document.pages, start=1):
            where = (name, number)
            allowed = printed.margin_words(number, pages)
            for line in rows:
                if not line.in_content_box:
                    assert line.y0 >= A4[1] - TOP or line.y1 <= BOTTOM, (*where, line)
                    assert set(line.text.split()) <= allowed, (*where, line.text)
            marked = [line for line in rows if printed.marking in line.text.split()]
            assert len(marked) == 2, (*where, marked)
            assert marked[0].y0 >= A4[1] - TOP and marked[1].y1 <= BOTTOM, where
            assert f"Page {number} of {pages}" in document.text(number), where
            last = document.body(number)[-1].text
            assert last not in headings, (*where, last)
            assert not re.fullmatch(r"(Now|Next|Later)\b.*\((\d+|no) actions?\)", last), where
        for number, box in document.shapes:
            assert inside_content_box(*box), (name, number, box)


def test_both_pdfs_of_a_submitted_council_print_within_the_margins(submitted):
    assert_printable(submitted)


def test_both_pdfs_of_a_draft_with_nothing_answered_print_within_the_margins(council):
    printed = print_both(council.assessment)

    assert_printable(printed)
    for _, document in printed.documents:
        assert "Draft, not submitted: 0 of 80 questions answered" in document.text(1)
    assert 2 <= len(printed.board.pages) <= 4


def test_the_cover_says_whose_report_how_current_and_what_is_in_it(submitted):
    cover = submitted.pack.text(1)

    assert COUNCIL in cover and "Digital Trends 2024" in cover
    assert "Status Submitted on" in cover
    assert re.search(r"Data as at \d{1,2} \w+ \d{4}, \d\d:\d\d", cover)
    assert f"Version {VERSION}" in cover
    assert f"Owner {submitted.owner}" in cover
    assert "Contents" in cover


def test_the_contents_give_the_page_each_part_starts_on(submitted):
    rows = [re.fullmatch(r"(.+?) \.{3,} ?(\d+)", line.text) for line in submitted.pack.body(1)]
    contents = {row[1]: int(row[2]) for row in rows if row}

    assert {"Executive summary", "Action plan", *submitted.trends} <= contents.keys()
    for title, page in contents.items():
        assert title in [line.text for line in submitted.pack.body(page)], (title, page)


def test_trend_pages_number_each_action_by_its_rank_in_the_plan(submitted):
    flat = submitted.pack.flat

    assert submitted.actions[0][0] == 1
    for rank, what in submitted.actions:
        assert f"{rank}. {' '.join(what.split())[:40]}" in flat, rank
    for trend in submitted.trends:  # its score, and its target on the same scale
        assert re.search(rf"{re.escape(trend)} \d+, \w+ · target [\w ]+ \(\d+\)", flat), trend


def test_the_plan_is_grouped_now_next_and_later_with_counts_and_no_filler(submitted):
    flat = submitted.pack.flat

    assert f"Now: the next three months ({submitted.horizons['Now']} actions)" in flat
    assert f"Next: this year ({submitted.horizons['Next']} actions)" in flat
    assert f"Later ({submitted.horizons['Later']} actions)" in flat
    assert "Who owns the actions Owner Actions Of which now Priya Shah 2 2" in flat
    assert "In progress; owner: Priya Shah; due 31 Mar 2027" in flat
    assert "No owner yet; Not started" not in flat
    assert re.search(r"(Not started \(0\)|Emerging \(25\)) → Established \(75\)", flat)


def test_a_table_that_carries_over_repeats_its_header_and_names_its_trend(submitted):
    pack = submitted.pack
    carried_over = []
    for number in range(2, len(pack.pages) + 1):
        trend = next(
            (t for t in submitted.trends if f"{t} (continued)" in pack.header(number)), None
        )
        if trend and pack.body(number)[0].text == "Statement Answer Reason or evidence":
            carried_over.append(number)
            # The table began on an earlier page, under its caption: the trend's name.
            earlier = [line.text for n in range(1, number) for line in pack.body(n)]
            assert trend in earlier, (number, trend)

    assert carried_over


def test_the_pack_has_the_summary_peers_progress_and_appendix(submitted):
    flat = submitted.pack.flat

    assert "Key messages" in flat and "The board is asked to agree" in flat
    for message in submitted.messages:  # the start: the title column interleaves the rest
        assert " ".join(message.split()[:6]) in flat, message
    assert re.search(r"How you compare Peer figures as at \d{1,2} \w+ \d{4}\.", flat)
    assert "Change by trend" in flat
    assert "Appendix: every question and answer" in flat


def test_the_board_summary_is_two_to_four_pages_without_the_appendix(submitted):
    board = submitted.board
    flat = board.flat
    rank, what = submitted.actions[0]

    assert len(submitted.actions) >= 38
    assert 2 <= len(board.pages) <= 4
    assert COUNCIL in board.text(1) and f"Version {VERSION}" in board.text(1)
    assert "Digital index" in flat and "Key messages" in flat
    assert "Contents" in board.text(1) and "Page 1 of" in board.text(1)
    for message in submitted.messages:  # the key findings, as the summary words them
        assert " ".join(message.split()[:6]) in flat, message
    assert "The board is asked to agree" in flat
    assert f"{rank}. {' '.join(what.split())[:40]}" in flat
    assert "Owner: Priya Shah" in flat
    assert "Appendix" not in flat and "Statement Answer Reason or evidence" not in flat
