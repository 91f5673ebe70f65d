"""The SVG charts: their geometry without a database, and the templates that draw them."""

import math
import subprocess
import xml.etree.ElementTree as ET

import pytest
from django.template.loader import render_to_string

from assessment.reporting.charts.bars import Bar, bars, bars_for
from assessment.reporting.charts.geometry import Point, text_width
from assessment.reporting.charts.radar import RadarAxis, radar, radar_for
from assessment.reporting.charts.strips import strip
from assessment.scoring import (
    DIGITAL,
    TECHNOLOGY,
    Answer,
    Questionnaire,
    QuestionSpec,
    TrendSpec,
    score_assessment,
)

SVG = "{http://www.w3.org/2000/svg}"
TRENDS = (
    RadarAxis("Technology for public good", 62.5, 75),
    RadarAxis("Reimagining services", 40, 75),
    RadarAxis("Community resilience", 25, 75),
    RadarAxis("Local and national leadership", 81.25, 100),
    RadarAxis("Skills and capacity", 33.3, 75),
    RadarAxis("Artificial intelligence", 12.5, 50),
    RadarAxis("Harnessing data", 55, 75),
    RadarAxis("Cyber protection", 90, 75),
    RadarAxis("Geospatial technologies", None, 75),
    RadarAxis("Infrastructure and cloud", 70, 75),
)


def points(polygon: str) -> list[tuple[float, float]]:
    """The coordinates in a polygon's points string."""
    return [(float(x), float(y)) for x, y in (pair.split(",") for pair in polygon.split())]


# The radar -----------------------------------------------------------------------------------


def test_the_first_axis_points_straight_up_from_the_centre():
    chart = radar(TRENDS)
    first = chart.spokes[0]

    assert (first.x1, first.y1) == (chart.centre.x, chart.centre.y)
    assert first.x2 == chart.centre.x
    assert first.y2 == chart.centre.y - chart.radius


def test_a_score_of_100_lands_on_the_outer_ring_and_0_at_the_centre():
    chart = radar([RadarAxis("A", 100, None), RadarAxis("B", 0, None), RadarAxis("C", 50, None)])
    centre = (chart.centre.x, chart.centre.y)
    outer_ring = points(chart.rings[-1].points)

    assert chart.rings[-1].value == 100
    assert points(chart.score_polygon)[0] == outer_ring[0]
    assert (chart.dots[0].x, chart.dots[0].y) == outer_ring[0]
    assert (chart.dots[1].x, chart.dots[1].y) == centre
    assert math.dist(centre, (chart.dots[2].x, chart.dots[2].y)) == pytest.approx(
        chart.radius / 2, abs=0.1
    )


def test_the_target_outline_differs_from_the_score_outline():
    chart = radar(TRENDS)

    assert chart.target_polygon is not None
    assert chart.target_polygon != chart.score_polygon
    # Local and national leadership has a target of 100: on the outer ring.
    assert points(chart.target_polygon)[3] == points(chart.rings[-1].points)[3]


def test_without_any_target_there_is_no_target_outline():
    chart = radar([RadarAxis(name, 50, None) for name in "ABC"])

    assert chart.target_polygon is None


def test_labels_on_the_left_half_end_at_the_ring_and_on_the_right_half_start_there():
    chart = radar(TRENDS)
    anchors = [label.anchor for label in chart.labels]

    assert anchors == ["middle"] + ["start"] * 4 + ["middle"] + ["end"] * 4
    for label in chart.labels:
        if label.anchor == "start":
            assert label.x > chart.centre.x + chart.radius / 2
        if label.anchor == "end":
            assert label.x < chart.centre.x - chart.radius / 2


def test_labels_fit_in_the_view_box_with_room_to_spare():
    chart = radar(TRENDS)

    for label in chart.labels:
        widest = max(text_width(line.text, 12) for line in label.lines)
        left = {"start": label.x, "middle": label.x - widest / 2, "end": label.x - widest}
        assert 0 <= left[label.anchor] <= chart.width - widest
        assert 12 <= label.lines[0].y <= label.lines[-1].y <= chart.legend.swatch.y


def test_long_labels_wrap_and_a_missing_score_says_not_scored():
    chart = radar(TRENDS)

    assert [line.text for line in chart.labels[3].lines] == ["Local and national", "leadership"]
    assert [line.text for line in chart.labels[8].lines] == [
        "Geospatial",
        "technologies",
        "(not scored)",
    ]
    assert (chart.dots[8].x, chart.dots[8].y) == (chart.centre.x, chart.centre.y)


def test_coordinates_are_rounded_to_one_decimal():
    chart = radar(TRENDS)

    for x, y in points(chart.score_polygon) + points(chart.rings[0].points):
        assert round(x, 1) == x and round(y, 1) == y


@pytest.mark.parametrize(
    ("axis", "message"),
    [
        (RadarAxis("Harnessing data", 100.5, 75), "Harnessing data: the score is 100.5"),
        (RadarAxis("Cyber protection", -1, 75), "Cyber protection: the score is -1"),
        (
            RadarAxis("Artificial intelligence", 50, 125),
            "Artificial intelligence: the target is 125",
        ),
        (RadarAxis("Skills and capacity", math.nan, 75), "Skills and capacity: the score is nan"),
    ],
)
def test_values_outside_0_to_100_are_refused_naming_the_axis(axis, message):
    with pytest.raises(ValueError, match=message):
        radar([*TRENDS[:3], axis])


def test_fewer_than_three_axes_are_refused():
    with pytest.raises(ValueError, match="at least 3 axes; there are 2"):
        radar(TRENDS[:2])


# The bars ------------------------------------------------------------------------------------


def test_bars_are_proportional_to_their_values():
    chart = bars([Bar("Digital index", 50), Bar("Technology index", 100), Bar("Nothing", 0)])
    half, full, empty = chart.rows

    assert half.length * 2 == full.length == chart.plot_width
    assert empty.length == 0
    assert [row.value_text for row in chart.rows] == ["50", "100", "0"]
    assert [tick.value for tick in chart.ticks] == [0, 50, 100]
    assert chart.ticks[1].x == half.x + half.length


def test_a_missing_value_is_an_empty_bar_saying_not_enough_answers():
    chart = bars([Bar("Digital index", None)])
    row = chart.rows[0]

    assert row.empty and row.length == 0
    assert row.value_text == "not enough answers"
    assert chart.description == "Digital index not enough answers."


def test_bar_values_outside_0_to_100_are_refused_naming_the_bar():
    with pytest.raises(ValueError, match="Technology index: the value is 101"):
        bars([Bar("Digital index", 50), Bar("Technology index", 101)])


# From a scored assessment --------------------------------------------------------------------


def test_a_result_becomes_a_radar_in_trend_order_and_two_index_bars():
    skills = TrendSpec("skills", "Skills and capacity", DIGITAL, 5)
    ai = TrendSpec("ai", "Artificial intelligence", DIGITAL, 6)
    cyber = TrendSpec("cyber", "Cyber protection", TECHNOLOGY, 3)
    questionnaire = Questionnaire(
        trends=(cyber, ai, skills),
        questions=tuple(
            QuestionSpec(t.slug, t.slug, 1, "We do it.", "Do it.", "Section 1") for t in (cyber, ai)
        ),
    )
    result = score_assessment(
        questionnaire,
        [Answer("cyber", level=3), Answer("ai", level=1)],
        targets={"cyber": 4},
    )

    chart = radar_for(result)

    assert [(a.label, a.score, a.target) for a in chart.axes] == [
        ("Skills and capacity", None, 75),
        ("Artificial intelligence", 25, 75),
        ("Cyber protection", 75, 100),
    ]
    assert bars_for(result).description == (
        "Digital index 25 out of 100; Technology index 75 out of 100."
    )


# The templates -------------------------------------------------------------------------------


def svg_of(html: str) -> ET.Element:
    return ET.fromstring(html[html.index("<svg") : html.index("</svg>") + len("</svg>")])


def render_radar(axes=TRENDS) -> str:
    return render_to_string("reports/_radar.html", {"radar": radar(axes), "chart_id": "trends"})


def render_bars(items) -> str:
    return render_to_string("reports/_bars.html", {"bars": bars(items), "chart_id": "indexes"})


INDEXES = (Bar("Digital index", 43.6), Bar("Technology index", None))


@pytest.mark.parametrize("chart_id", ["trends", "indexes"])
def test_each_chart_is_well_formed_svg_labelled_by_its_title_and_description(chart_id):
    html = render_radar() if chart_id == "trends" else render_bars(INDEXES)
    svg = svg_of(html)
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")

    assert svg.get("role") == "img"
    assert title is not None and title.text and title.get("id") == f"{chart_id}-title"
    assert desc is not None and desc.get("id") == f"{chart_id}-desc"
    assert svg.get("aria-labelledby") == f"{chart_id}-title {chart_id}-desc"
    assert "foreignObject" not in html and "var(" not in html and "<script" not in html


def test_the_radar_description_lists_every_trend_its_score_and_its_target():
    desc = svg_of(render_radar()).find(f"{SVG}desc")
    assert desc is not None

    assert desc.text == (
        "Technology for public good 63 out of 100, target 75; "
        "Reimagining services 40 out of 100, target 75; "
        "Community resilience 25 out of 100, target 75; "
        "Local and national leadership 81 out of 100, target 100; "
        "Skills and capacity 33 out of 100, target 75; "
        "Artificial intelligence 13 out of 100, target 50; "
        "Harnessing data 55 out of 100, target 75; "
        "Cyber protection 90 out of 100, target 75; "
        "Geospatial technologies not scored, target 75; "
        "Infrastructure and cloud 70 out of 100, target 75."
    )


def test_the_bars_description_lists_every_value_and_the_chart_says_not_enough_answers():
    svg = svg_of(render_bars(INDEXES))
    desc = svg.find(f"{SVG}desc")
    drawn = [text.text for text in svg.iter(f"{SVG}text")]

    assert desc is not None
    assert desc.text == "Digital index 44 out of 100; Technology index not enough answers."
    assert drawn == [
        "0",
        "50",
        "100",
        "Digital index",
        "44",
        "Technology index",
        "not enough answers",
    ]


def test_a_label_with_markup_is_escaped_not_run():
    html = render_radar([RadarAxis("<script>alert(1)</script>", 50, 75), *TRENDS[:2]])
    svg = svg_of(html)

    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert svg.find(f".//{SVG}script") is None
    assert "<script>alert(1)</script> 50 out of 100" in (svg.find(f"{SVG}desc").text or "")  # type: ignore[union-attr]


def test_weasyprint_draws_the_radar_labels_as_text_in_the_pdf(tmp_path):
    from weasyprint import HTML

    axes = [RadarAxis(name, 60, 75) for name in ("Skills", "Data", "Cyber", "Cloud", "Mapping")]
    pdf = tmp_path / "radar.pdf"
    HTML(
        string=f"<!doctype html><html lang='en'><body>{render_radar(axes)}</body></html>"
    ).write_pdf(pdf)

    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for name in ("Skills", "Data", "Cyber", "Cloud", "Mapping", "Score", "Target"):
        assert name in text


# Peer strips ---------------------------------------------------------------------------------


def test_a_strip_places_the_band_median_and_dot_on_the_track():
    # The track runs from x=6 to x=194 (188 wide): 25 → 53, 50 → 100, 75 → 147, 90 → 175.2.
    drawn = strip("Harnessing data", 90, 25, 50, 75)

    assert drawn.band is not None and drawn.median is not None
    assert (drawn.track_left, drawn.track_right) == (6, 194)
    assert (drawn.band.x, drawn.band.width) == (53, 94)
    assert drawn.median.x1 == drawn.median.x2 == 100
    assert drawn.dot == Point(175.2, 12)
    assert drawn.description == (
        "Harnessing data: this organisation 90; peers' median 50, middle half 25 to 75."
    )


def test_a_strip_without_peers_or_a_score_draws_only_what_it_has():
    drawn = strip("AI", None, None, None, None)

    assert drawn.band is None and drawn.median is None and drawn.dot is None
    assert drawn.description == "AI: this organisation not scored; not enough peers yet."


@pytest.mark.parametrize(
    ("values", "message"),
    [((101, 1, 2, 3), "the score is 101"), ((50, 60, 50, 70), "lower ≤ median ≤ upper")],
)
def test_a_strip_refuses_impossible_figures(values, message):
    with pytest.raises(ValueError, match=message):
        strip("AI", *values)
