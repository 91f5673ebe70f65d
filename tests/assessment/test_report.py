"""The maturity report: the page, the full report PDF read back as text, and what makes its
documents stale."""

import subprocess

import pytest
from django.urls import reverse

from assessment.models import ActionTracking, Organisation
from assessment.reporting import pdf, report
from assessment.reporting.peers import refresh_peer_scores
from assessment.reporting.scores import result_for
from assessment.workflow import (
    AnswerInput,
    reopen_assessment,
    save_answers,
    set_targets,
    submit_assessment,
)
from tests.pages import attribute_values, links, table_rows, texts
from tests.reports import document_url, download, pdf_text
from trends.models import Trend, TrendDependency

pytestmark = pytest.mark.django_db


def answer_everything(council) -> dict[str, str]:
    """Varied answers, a not-applicable with its reason, and evidence on every fifth."""
    notes = {}
    inputs = []
    for n, q in enumerate(council.assessment.edition.questions.select_related("trend")):
        evidence = ""
        if n % 5 == 0:
            evidence = f"Evidence note {n}: board paper {1000 + n}."
            notes[q.key] = evidence
        if q.key == "geospatial-02":
            inputs.append(AnswerInput(q, "na", "Shared county GIS service.", evidence, 0))
        else:
            inputs.append(AnswerInput(q, str(n % 5), "", evidence, 0))
    save_answers(assessment=council.assessment, inputs=inputs, user=council.officer)
    return notes


def questions(council) -> int:
    return council.assessment.edition.questions.count()


def report_url(council) -> str:
    return reverse("assessment:report", args=[council.assessment.pk])


def pdf_url(council) -> str:
    return document_url(council.assessment, "full-report")


def test_a_draft_report_says_draft_and_scores_what_is_answered(client, council):
    question = council.assessment.edition.questions.get(key="ai-01")
    save_answers(
        assessment=council.assessment,
        inputs=[AnswerInput(question, "4", "", "", 0)],
        user=council.officer,
    )
    client.force_login(council.viewer)

    page = client.get(report_url(council))

    assert '<strong class="govuk-tag govuk-tag--yellow app-draft-tag">Draft</strong>' in page.text
    assert f"It scores the 1 of {questions(council)} questions answered so far." in page.text
    assert page.context["report"]["result"].trend("ai").score == 100


def test_the_report_page_has_the_summary_charts_tables_and_plan(client, council):
    answer_everything(council)
    submit_assessment(assessment=council.assessment, user=council.lead)
    client.force_login(council.lead)

    page = client.get(report_url(council))

    for trend in Trend.objects.all():
        assert trend.title in page.text
    assert page.text.count('role="img"') == 2  # the radar and the bars
    assert 'id="trend-scores"' in page.text and 'id="index-scores"' in page.text
    assert texts(page.text, ".app-summary h3") == [
        "Key messages",
        "Top actions for now",
        "The board is asked to agree",
    ]
    assert "Now: the next three months" in page.text
    assert "govuk-tag--yellow app-draft-tag" not in page.text


def test_the_contents_list_leads_to_every_section_of_the_report(client, council):
    answer_everything(council)
    client.force_login(council.viewer)

    page = client.get(report_url(council)).text

    contents = links(page, 'nav[aria-label="Contents"]')
    assert list(contents) == [
        "Download the report and data",
        "Summary",
        "Scores",
        "How you compare",
        "Progress",
        "Trend by trend",
        "Action plan",
    ]
    headings = dict(zip(attribute_values(page, "h2[id]", "id"), texts(page, "h2[id]"), strict=True))
    assert {href: headings.get(href.removeprefix("#")) for href in contents.values()} == {
        href: text for text, href in contents.items()
    }


def test_targets_read_on_the_scale_of_the_scores(client, council):
    answer_everything(council)
    client.force_login(council.viewer)

    page = client.get(report_url(council)).text

    ai, data = (f"#trend-{slug} p" for slug in ("ai", "data"))
    assert "Target: Developing (50)." in texts(page, ai)[0]  # AI's pace is level 2
    assert "Target: Established (75)." in texts(page, data)[0]
    rows = {row[0]: row for row in table_rows(page, "trend-scores")[1:]}
    assert rows["Artificial intelligence (technology)"][3] == "Developing (50)"
    assert rows["Harnessing data (technology)"][3] == "Established (75)"


def test_the_report_offers_its_three_documents_and_its_data(client, council):
    client.force_login(council.viewer)
    pk = council.assessment.pk

    page = client.get(report_url(council)).text

    assert {
        "Board summary (PDF, 2 to 4 pages)": reverse(
            "assessment:report_document", args=[pk, "board-summary"]
        ),
        "Full report with every answer (PDF)": reverse(
            "assessment:report_document", args=[pk, "full-report"]
        ),
        "Board paper to edit (Word, DOCX)": reverse(
            "assessment:report_document", args=[pk, "board-paper"]
        ),
        "Answers, scores and action plan (Excel workbook, XLSX)": reverse(
            "assessment:export_xlsx", args=[pk]
        ),
        "Answers, with evidence and who last changed each (CSV)": reverse(
            "assessment:export_csv", args=[pk, "answers"]
        ),
        "Scores for each trend and index (CSV)": reverse(
            "assessment:export_csv", args=[pk, "scores"]
        ),
        "Action plan, with owners and status (CSV)": reverse(
            "assessment:export_csv", args=[pk, "plan"]
        ),
    }.items() <= links(page, "main").items()


def test_the_report_page_query_count_is_fixed(client, council, django_assert_max_num_queries):
    client.force_login(council.lead)
    refresh_peer_scores(council.assessment.edition)  # as the nightly job leaves them
    with django_assert_max_num_queries(25) as empty:
        client.get(report_url(council))
    answer_everything(council)
    for question in council.assessment.edition.questions.all()[:30]:
        ActionTracking.objects.create(assessment=council.assessment, question=question, owner="Ann")

    with django_assert_max_num_queries(len(empty.captured_queries)):
        client.get(report_url(council))


def test_the_pdf_carries_everything_a_cio_needs(client, council, tmp_path):
    notes = answer_everything(council)
    Organisation.objects.filter(pk=council.organisation.pk).update(
        protective_marking="OFFICIAL-SENSITIVE"
    )
    submit_assessment(assessment=council.assessment, user=council.lead)
    top_action = result_for(council.assessment).actions[0]
    client.force_login(council.lead)

    response = download(client, council.assessment, "full-report")

    assert response["Content-Type"] == "application/pdf"
    day = response["Content-Disposition"].split("-2024-")[-1][:10]
    assert response["Content-Disposition"] == (
        f'attachment; filename="ashdown-digital-maturity-digital-trends-2024-{day}-full-report.pdf"'
    )
    text = pdf_text(response.content, tmp_path)
    path = tmp_path / "report.pdf"
    path.write_bytes(response.content)
    flat = " ".join(text.split())
    assert "Ashdown District Council" in flat
    assert "OFFICIAL-SENSITIVE" in flat
    assert "Page 1 of" in flat
    for trend in Trend.objects.all():
        assert trend.title in flat, trend.title
    assert " ".join(top_action.what.split())[:60] in flat
    for note in notes.values():
        assert note in flat, note
    assert "Not applicable because: Shared county GIS service." in flat
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Digital maturity report: Ashdown District Council" in info
    assert "Tagged:          yes" in info
    pages = text.rstrip("\f").split("\f")  # pdftotext ends each page with a form feed
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
        assert page.count("OFFICIAL-SENSITIVE") >= 2, number  # at the top and the foot
        if number > 1:  # the cover names the organisation in large type instead
            assert "Ashdown District Council OFFICIAL-SENSITIVE" in page, number  # header


def test_a_pdf_render_fetches_nothing():
    from weasyprint.urls import URLFetchingError, fetch

    for url in ("file:///etc/passwd", "http://127.0.0.1:8000/", "data:text/plain,x"):
        with pytest.raises(URLFetchingError), fetch(pdf._no_fetching(), url):
            pass


def test_another_organisation_gets_404_for_the_report_and_the_pdf(client, council, other_council):
    client.force_login(other_council.lead)

    assert client.get(report_url(council)).status_code == 404
    assert client.get(pdf_url(council)).status_code == 404


def test_anonymous_users_are_sent_to_sign_in(client, council):
    response = client.get(pdf_url(council))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("assessment:sign_in"))


@pytest.mark.parametrize("change", ["target", "tracking", "reopen", "resubmit", "marking"])
def test_anything_the_report_shows_changing_makes_its_documents_stale(client, council, change):
    answer_everything(council)
    submit_assessment(assessment=council.assessment, user=council.lead)
    client.force_login(council.lead)
    download(client, council.assessment)

    if change == "target":
        set_targets(
            organisation=council.organisation,
            targets={Trend.objects.get(slug="ai"): 4},
            user=council.lead,
        )
    elif change == "tracking":
        question = council.assessment.edition.questions.get(key="ai-01")
        ActionTracking.objects.create(
            assessment=council.assessment, question=question, owner="Head of Digital"
        )
    elif change == "reopen":
        reopen_assessment(assessment=council.assessment, user=council.lead, reason="Fix.")
    elif change == "resubmit":
        reopen_assessment(assessment=council.assessment, user=council.lead, reason="Fix.")
        submit_assessment(assessment=council.assessment, user=council.lead)
    elif change == "marking":
        Organisation.objects.filter(pk=council.organisation.pk).update(
            protective_marking="OFFICIAL-SENSITIVE"
        )

    assert "Content-Disposition" not in client.get(pdf_url(council))  # "preparing" instead
    assert download(client, council.assessment).status_code == 200


def test_html_in_an_evidence_note_is_shown_as_text(client, council):
    question = council.assessment.edition.questions.get(key="ai-01")
    save_answers(
        assessment=council.assessment,
        inputs=[AnswerInput(question, "1", "", "<b>bold</b> & <script>x()</script>", 0)],
        user=council.officer,
    )
    client.force_login(council.lead)

    html = pdf.render_to_string(
        "reports/report_pdf.html", report.report_context(council.assessment)
    )

    assert "<script>x()</script>" not in html
    assert "&lt;script&gt;x()&lt;/script&gt;" in html


def test_a_repeat_view_of_an_unchanged_report_page_is_served_from_the_cache(
    client, council, django_assert_max_num_queries
):
    answer_everything(council)
    client.force_login(council.lead)
    first = client.get(report_url(council))

    # Session, user, membership, assessment and the fingerprint's queries: nothing else.
    with django_assert_max_num_queries(10):
        second = client.get(report_url(council))

    def main(page):  # the sign-out form's CSRF token differs per response, rightly
        return page.text.split('id="main-content"')[1]

    assert main(second) == main(first)


def test_the_report_page_changes_when_an_answer_does(client, council):
    client.force_login(council.lead)
    before = client.get(report_url(council)).text
    question = council.assessment.edition.questions.get(key="ai-01")
    save_answers(
        assessment=council.assessment,
        inputs=[AnswerInput(question, "4", "", "", 0)],
        user=council.officer,
    )

    after = client.get(report_url(council)).text

    assert f"It scores the 0 of {questions(council)} questions" in before
    assert f"It scores the 1 of {questions(council)} questions" in after


def test_the_cached_page_does_not_show_the_leads_links_to_a_viewer(client, council):
    answer_everything(council)
    client.force_login(council.lead)
    lead_page = client.get(report_url(council)).text
    client.force_login(council.viewer)

    viewer_page = client.get(report_url(council)).text

    assert "Update<span" in lead_page
    assert "Update<span" not in viewer_page


def test_a_submitted_report_keeps_its_words_when_admins_edit_a_trend(client, council):
    answer_everything(council)
    submit_assessment(assessment=council.assessment, user=council.lead)
    original = Trend.objects.get(slug="ai").nutshell
    Trend.objects.filter(slug="ai").update(nutshell="Rewritten after submission.")
    client.force_login(council.lead)

    page = client.get(report_url(council))

    assert original in page.text
    assert "Rewritten after submission." not in page.text


@pytest.mark.parametrize("change", ["nutshell", "dependency", "margin"])
def test_a_draft_report_changes_with_the_content_it_reads_live(council, settings, change):
    before = report.report_fingerprint(council.assessment)

    if change == "nutshell":
        Trend.objects.filter(slug="ai").update(nutshell="New words.")
    elif change == "dependency":
        TrendDependency.objects.filter(foundation__slug="data").delete()
    else:
        settings.BALANCE_MARGIN = 20

    assert report.report_fingerprint(council.assessment) != before


def test_strongest_and_weakest_items_never_overlap_and_dont_know_counts_as_weakest(council):
    ai = list(council.assessment.edition.questions.filter(trend__slug="ai").order_by("order"))
    save_answers(
        assessment=council.assessment,
        inputs=[
            AnswerInput(ai[0], "dont_know", "", "", 0),
            AnswerInput(ai[1], "4", "", "", 0),
            AnswerInput(ai[2], "2", "", "", 0),
        ],
        user=council.officer,
    )

    section = next(
        s
        for s in report.report_context(council.assessment)["sections"]
        if s.score.trend.slug == "ai"
    )

    assert [i.question.key for i in section.weakest] == [ai[0].key]
    assert [i.question.key for i in section.strongest] == [ai[1].key, ai[2].key]


def test_trend_titles_are_escaped_on_the_targets_form(client, council):
    Trend.objects.filter(slug="ai").update(title="AI <img src=x onerror=alert(1)>")
    client.force_login(council.lead)

    page = client.get(reverse("assessment:targets", args=[council.assessment.pk]))

    assert "<img src=x onerror=alert(1)>" not in page.text
    assert "AI &lt;img src=x onerror=alert(1)&gt;" in page.text
