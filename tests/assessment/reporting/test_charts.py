"""The SVG charts: their geometry without a database, and the templates that draw them."""

import json
import math
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.template.loader import render_to_string

from assessment.reporting.charts.bars import Bar, bars, bars_for
from assessment.reporting.charts.box_plots import box_plots
from assessment.reporting.charts.geometry import FAMILIES, Point, text_width
from assessment.reporting.charts.radar import (
    LABEL_CHARS,
    MAX_WIDTH,
    RADIUS,
    Label,
    RadarAxis,
    radar,
    radar_for,
)
from assessment.reporting.charts.strips import strip
from assessment.reporting.sector import Distribution
from assessment.scoring import (
    DIGITAL,
    TECHNOLOGY,
    Answer,
    Questionnaire,
    QuestionSpec,
    Result,
    TrendSpec,
    score_assessment,
)

SVG = "{http://www.w3.org/2000/svg}"
ROOT = Path(__file__).resolve().parents[3]
# The shipped trends in the report's order: the digital family, then technology.
TRENDS = (
    RadarAxis("Technology for public good", 62.5, 75, DIGITAL),
    RadarAxis("Reimagining services", 40, 75, DIGITAL),
    RadarAxis("Community resilience", 25, 75, DIGITAL),
    RadarAxis("Local and national leadership", 81.25, 100, DIGITAL),
    RadarAxis("Skills and capacity", 33.3, 75, DIGITAL),
    RadarAxis("Artificial intelligence", 12.5, 50, TECHNOLOGY),
    RadarAxis("Harnessing data", 55, 75, TECHNOLOGY),
    RadarAxis("Cyber protection", 90, 75, TECHNOLOGY),
    RadarAxis("Geospatial technologies", None, 75, TECHNOLOGY),
    RadarAxis("Infrastructure and cloud", 70, 75, TECHNOLOGY),
)


def points(polygon: str) -> list[tuple[float, float]]:
    """The coordinates in a polygon's points string."""
    return [(float(x), float(y)) for x, y in (pair.split(",") for pair in polygon.split())]


def label_box(label: Label) -> tuple[float, float, float, float]:
    """left, top, right, bottom of a radar label, as wide as the charts reckon text to be."""
    return (label.left, label.lines[0].y - 16, label.left + label.width, label.lines[-1].y + 5)


def overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


# The radar -----------------------------------------------------------------------------------


def test_without_families_the_first_axis_points_straight_up_from_the_centre():
    chart = radar([RadarAxis(name, 50, None) for name in "ABCDE"])
    first = chart.spokes[0]

    assert (first.x1, first.y1) == (chart.centre.x, chart.centre.y)
    assert first.x2 == chart.centre.x
    assert first.y2 == chart.centre.y - chart.radius
    assert chart.halves == () and chart.divider is None


def test_the_digital_trends_run_down_the_left_half_and_technology_down_the_right():
    chart = radar(TRENDS)
    ends = [(spoke.x2, spoke.y2) for spoke in chart.spokes]
    divider = chart.divider
    assert divider is not None

    assert divider.x1 == divider.x2 == chart.centre.x
    assert divider.y1 < chart.centre.y - chart.radius < chart.centre.y + chart.radius <= divider.y2
    assert all(x < chart.centre.x for x, _ in ends[:5])
    assert all(x > chart.centre.x for x, _ in ends[5:])
    # Each half from the top down, mirrored: the first of each family level with the other's.
    assert [y for _, y in ends[:5]] == sorted(y for _, y in ends[:5])
    assert [y for _, y in ends[:5]] == [y for _, y in ends[5:]]
    assert [(half.title, half.anchor) for half in chart.halves] == [
        ("Digital trends", "end"),
        ("Technology trends", "start"),
    ]


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
    # Local and national leadership has a target of 100: on the outer ring, at the end of its spoke.
    leadership = chart.spokes[3]
    assert (leadership.x2, leadership.y2) in points(chart.target_polygon)
    assert (leadership.x2, leadership.y2) in points(chart.rings[-1].points)


def test_without_any_target_there_is_no_target_outline():
    chart = radar([RadarAxis(name, 50, None) for name in "ABC"])

    assert chart.target_polygon is None


def test_without_families_labels_at_the_top_and_bottom_are_centred_the_rest_start_or_end():
    chart = radar([RadarAxis(axis.label, axis.score, axis.target) for axis in TRENDS])
    anchors = [label.anchor for label in chart.labels]

    assert anchors == ["middle"] + ["start"] * 4 + ["middle"] + ["end"] * 4


def test_labels_on_the_left_half_end_at_the_ring_and_on_the_right_half_start_there():
    chart = radar(TRENDS)
    anchors = [label.anchor for label in chart.labels]

    assert anchors == ["end"] * 5 + ["start"] * 5
    for label in chart.labels:
        if label.anchor == "start":
            assert label.x > chart.centre.x
        if label.anchor == "end":
            assert label.x < chart.centre.x


def test_labels_fit_in_the_view_box_clear_of_the_plot_the_divider_and_each_other():
    chart = radar(TRENDS)
    boxes = [label_box(label) for label in chart.labels]
    titles = [
        (half.title_at.x, half.title_at.y - 16, text_width(half.title, 16, bold=True), half.anchor)
        for half in chart.halves
    ]

    for left, top, right, bottom in boxes:
        assert 0 <= left < right <= chart.width
        assert 0 <= top < bottom <= chart.legend.swatch.y
        assert right < chart.centre.x or left > chart.centre.x  # never across the divider
        # Clear of the outer ring: the box's nearest point is outside the plot.
        nearest = (min(max(chart.centre.x, left), right), min(max(chart.centre.y, top), bottom))
        assert math.dist(nearest, (chart.centre.x, chart.centre.y)) > chart.radius
    for i, box in enumerate(boxes):
        assert not any(overlap(box, other) for other in boxes[i + 1 :])
    for x, top, width, anchor in titles:
        assert (x - width >= 0) if anchor == "end" else (x + width <= chart.width)
        assert top >= 0
        assert all(top + 20 <= box[1] for box in boxes)  # the halves' titles above every label


def test_long_labels_wrap_and_a_missing_score_says_not_scored():
    chart = radar(TRENDS)

    assert [line.text for line in chart.labels[0].lines] == ["Technology for", "public good"]
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


def test_a_title_too_long_for_two_lines_takes_more_and_the_plot_shrinks_to_keep_text_readable():
    long = "Partnerships, procurement and the commercial management of suppliers"
    chart = radar([RadarAxis(long, 50, 75, DIGITAL), *TRENDS[1:]])
    lines = [line.text for line in chart.labels[0].lines]

    assert " ".join(lines) == long and len(lines) > 2
    assert all(len(line) <= LABEL_CHARS for line in lines)
    assert chart.width <= MAX_WIDTH
    assert long in chart.description


def test_wide_labels_on_every_axis_shrink_the_plot_rather_than_the_text():
    axes = [
        RadarAxis(f"Telecommunication{i}", 50, 75, DIGITAL if i < 5 else TECHNOLOGY)
        for i in range(10)
    ]
    chart = radar(axes)

    assert chart.radius < RADIUS
    assert chart.width <= MAX_WIDTH


@pytest.mark.parametrize(
    ("families", "message"),
    [
        ((DIGITAL, TECHNOLOGY, DIGITAL), "they run digital, technology, digital"),
        ((DIGITAL, TECHNOLOGY, "other"), "they run digital, technology, other"),
    ],
)
def test_axes_must_come_in_at_most_two_families_each_together(families, message):
    with pytest.raises(ValueError, match=message):
        radar([RadarAxis(f"Trend {f}", 50, 75, f) for f in families])


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


def scored() -> Result:
    """Three trends scored: skills and AI (digital) and cyber (technology), skills unanswered."""
    skills = TrendSpec("skills", "Skills and capacity", DIGITAL, 5)
    ai = TrendSpec("ai", "Artificial intelligence", DIGITAL, 6)
    cyber = TrendSpec("cyber", "Cyber protection", TECHNOLOGY, 3)
    questionnaire = Questionnaire(
        trends=(cyber, ai, skills),
        questions=tuple(
            QuestionSpec(t.slug, t.slug, 1, "We do it.", "Do it.", "Section 1") for t in (cyber, ai)
        ),
    )
    return score_assessment(
        questionnaire,
        [Answer("cyber", level=3), Answer("ai", level=1)],
        targets={"cyber": 4},
    )


def test_a_result_becomes_a_radar_in_trend_order_and_two_index_bars():
    result = scored()

    chart = radar_for(result)

    assert [(a.label, a.score, a.target, a.family) for a in chart.axes] == [
        ("Skills and capacity", None, 75, DIGITAL),
        ("Artificial intelligence", 25, 75, DIGITAL),
        ("Cyber protection", 75, 100, TECHNOLOGY),
    ]
    assert [half.title for half in chart.halves] == ["Digital trends", "Technology trends"]
    assert bars_for(result).description == (
        "Digital index 25 out of 100; Technology index 75 out of 100."
    )


def test_each_index_bar_is_in_its_familys_colour_as_on_the_radar():
    chart = bars_for(scored())

    assert [(row.bar.label, row.bar.colour) for row in chart.rows] == [
        ("Digital index", FAMILIES[DIGITAL].colour),
        ("Technology index", FAMILIES[TECHNOLOGY].colour),
    ]
    assert [half.colour for half in radar_for(scored()).halves] == [
        FAMILIES[DIGITAL].colour,
        FAMILIES[TECHNOLOGY].colour,
    ]


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


def test_the_radar_description_lists_each_halfs_trends_their_scores_and_targets():
    desc = svg_of(render_radar()).find(f"{SVG}desc")
    assert desc is not None

    assert desc.text == (
        "Digital trends: "
        "Technology for public good 63 out of 100, target 75; "
        "Reimagining services 40 out of 100, target 75; "
        "Community resilience 25 out of 100, target 75; "
        "Local and national leadership 81 out of 100, target 100; "
        "Skills and capacity 33 out of 100, target 75. "
        "Technology trends: "
        "Artificial intelligence 13 out of 100, target 50; "
        "Harnessing data 55 out of 100, target 75; "
        "Cyber protection 90 out of 100, target 75; "
        "Geospatial technologies not scored, target 75; "
        "Infrastructure and cloud 70 out of 100, target 75."
    )


def test_the_radar_titles_tints_and_outlines_its_halves_with_a_line_between():
    chart = radar(TRENDS)
    svg = svg_of(render_radar())
    titles = {text.text: text for text in svg.iter(f"{SVG}text") if text.text}
    sectors = [
        (polygon.get("fill"), polygon.get("stroke"))
        for polygon in svg.iter(f"{SVG}polygon")
        if polygon.get("points") in {half.sector for half in chart.halves}
    ]
    divider = [
        line
        for line in svg.iter(f"{SVG}line")
        if line.get("x1") == line.get("x2") == str(chart.centre.x)
        and float(line.get("y1", "")) < chart.centre.y - chart.radius
    ]
    digital, technology = FAMILIES[DIGITAL], FAMILIES[TECHNOLOGY]

    assert titles["Digital trends"].get("fill") == digital.colour
    assert titles["Technology trends"].get("fill") == technology.colour
    assert float(titles["Digital trends"].get("x", "")) < chart.centre.x
    assert float(titles["Technology trends"].get("x", "")) > chart.centre.x
    assert sectors == [
        (digital.tint, None),
        (technology.tint, None),
        ("none", digital.colour),
        ("none", technology.colour),
    ]
    assert len(divider) == 1 and divider[0].get("stroke") == "#0b0c0c"


def contrast_with_white(colour: str) -> float:
    """WCAG 2's contrast ratio of a #rrggbb colour against white."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)


@pytest.mark.parametrize("family", [DIGITAL, TECHNOLOGY])
def test_each_familys_colour_stands_out_from_white_and_its_tint_is_pale(family):
    style = FAMILIES[family]

    assert contrast_with_white(style.colour) >= 4.5  # its lines and bars (3:1), and its title
    assert contrast_with_white(style.tint) < 1.5  # behind the outlines, which stay clear on it


def test_every_trends_full_title_is_in_the_text_alternative_and_drawn_whole_across_lines():
    long = "Partnerships, procurement and the commercial management of suppliers"
    axes = [RadarAxis(long, 50, 75, DIGITAL), *TRENDS[1:]]
    svg = svg_of(render_radar(axes))
    desc = svg.find(f"{SVG}desc")
    drawn = [
        " ".join(tspan.text or "" for tspan in text.iter(f"{SVG}tspan"))
        for text in svg.iter(f"{SVG}text")
        if text.find(f"{SVG}tspan") is not None
    ]

    assert desc is not None and desc.text
    for axis in axes:
        assert axis.label in desc.text
    assert drawn[0] == long
    assert drawn[3] == "Local and national leadership"
    assert drawn[8] == "Geospatial technologies (not scored)"


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


def test_in_a_pdf_120_mm_wide_every_word_of_the_radar_is_at_least_8_pt(tmp_path):
    from weasyprint import HTML

    pdf = tmp_path / "radar.pdf"
    # The narrowest the PDF may show the radar; a style attribute is fine outside the site's CSP.
    HTML(
        string="<!doctype html><html lang='en'><body>"
        f"<div style='width: 120mm'><style>svg {{ width: 100%; height: auto }}</style>"
        f"{render_radar()}</div></body></html>"
    ).write_pdf(pdf)

    words = words_in(pdf)
    assert {"Digital", "Technology", "trends", "Local", "leadership", "100"} <= set(words)
    # pdftotext's box is as tall as DejaVu's ascent and descent: 1.164 × the font size.
    assert min(words.values()) / 1.164 >= 8


def words_in(pdf: Path) -> dict[str, float]:
    """Each word pdftotext finds in the PDF, with the height of its smallest box, in points."""
    boxes = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    words: dict[str, float] = {}
    for word in BeautifulSoup(boxes, "html.parser").find_all("word"):
        height = float(str(word.get("ymax"))) - float(str(word.get("ymin")))
        words[word.text] = min(height, words.get(word.text, height))
    return words


# Readable wherever they are shown --------------------------------------------------------------
# Text at least 12 px on the report page at a 1024 px viewport and 8 pt in the PDF. A chart that
# keeps its own width (radar, bars) is shown at that width or its column's, whichever is less;
# one 100% wide (box plots, strips) at its container's.

HALF_COLUMN_PX, RADAR_PDF_PT = 450, 340  # half a GOV.UK page at 1024 px; 120 mm
FULL_WIDTH_PX, FULL_WIDTH_PT = 960, 480  # the whole page at 1024 px; A4 less margins, 170 mm


def font_sizes(svg: ET.Element) -> list[tuple[str, float]]:
    """Each text element's words and font size, in view box units (all are given in px)."""
    sizes = []
    for text in svg.iter(f"{SVG}text"):
        size = text.get("font-size", "")
        assert size.endswith("px"), f"{text.text!r} has no font size of its own"
        sizes.append(("".join(text.itertext()), float(size.removesuffix("px"))))
    return sizes


def view_box_width(svg: ET.Element) -> float:
    return float(svg.get("viewBox", "").split()[2])


def render_box_plots(spreads) -> str:
    return render_to_string(
        "reports/_box_plots.html", {"box_plots": box_plots(spreads), "chart_id": "spread"}
    )


def shipped_trends(score: float | None = 50) -> list[RadarAxis]:
    """The trends as shipped in fixtures/trends.json, in the report's order."""
    rows = json.loads((ROOT / "fixtures" / "trends.json").read_text())
    fields = [row["fields"] for row in rows if row["model"] == "trends.trend"]
    fields.sort(key=lambda f: ((f["family"] != DIGITAL), f["number"]))
    return [RadarAxis(f["title"], score, 75, f["family"]) for f in fields]


SPREADS = [
    Distribution("ai", "Artificial intelligence", 4, 0, 18.75, 37.5, 62.5, 100),
    Distribution("digital", "Digital index", 1, 50, 50, 50, 50, 50),
]


@pytest.mark.parametrize(
    "html",
    [
        pytest.param(lambda: render_radar(), id="radar"),
        pytest.param(
            lambda: render_radar(shipped_trends(None)), id="radar of the shipped trends, unscored"
        ),
        pytest.param(
            lambda: render_radar(
                [RadarAxis(f"A very long trend title {i}", 5, 9) for i in range(12)]
            ),
            id="radar of long titles",
        ),
        pytest.param(lambda: render_bars(INDEXES), id="bars"),
    ],
)
def test_radar_and_bar_text_is_12_px_in_a_half_column_and_8_pt_at_120_mm(html):
    svg = svg_of(html())
    width = view_box_width(svg)
    shown = min(width, HALF_COLUMN_PX)  # CSS shrinks it to its column, never stretches it

    assert svg.get("width") == str(int(width))
    for words, size in font_sizes(svg):
        assert size * shown / width >= 12, words
        assert size * RADAR_PDF_PT / width >= 8, words


@pytest.mark.parametrize(
    ("draw", "message"),
    [
        (lambda: bars(INDEXES, width=600), "A chart 600 wide is too wide for its text"),
        (lambda: box_plots(SPREADS, width=1000), "A chart 1000 wide is too wide for its text"),
    ],
)
def test_a_chart_too_wide_for_its_text_to_be_read_is_refused(draw, message):
    with pytest.raises(ValueError, match=message):
        draw()


def test_box_plot_text_is_12_px_and_8_pt_at_the_full_width_of_the_page():
    svg = svg_of(render_box_plots(SPREADS))
    width = view_box_width(svg)

    for words, size in font_sizes(svg):
        assert size * FULL_WIDTH_PX / width >= 12, words
        assert size * FULL_WIDTH_PT / width >= 8, words


@pytest.mark.parametrize("score", [50, None])
def test_the_shipped_trends_fit_the_radar_in_two_lines_each_at_its_full_size(score):
    chart = radar(shipped_trends(score))

    assert chart.radius == RADIUS and chart.width <= MAX_WIDTH
    for label in chart.labels:
        assert len(label.lines) == (2 if score is not None else 3)  # and "(not scored)"
        assert all(len(line.text) <= LABEL_CHARS for line in label.lines)


@pytest.mark.parametrize(
    "html",
    [
        pytest.param(lambda: render_box_plots(SPREADS), id="box plots"),
        pytest.param(
            lambda: render_to_string(
                "reports/_strip.html",
                {"strip": strip("Harnessing data", 90, 25, 50, 75), "chart_id": "strip"},
            ),
            id="strip",
        ),
    ],
)
def test_box_plots_and_strips_are_as_wide_as_their_container_never_wider(html):
    svg = svg_of(html())

    assert svg.get("width") == "100%"
    assert svg.get("height") is None  # the view box gives the height for the width
    assert view_box_width(svg) > 0


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
