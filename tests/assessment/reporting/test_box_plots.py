"""The sector overview's box plots: their geometry without a database, and the template."""

import xml.etree.ElementTree as ET

import numpy as np
import pytest
from django.template.loader import render_to_string

from assessment.reporting.charts.box_plots import box_plots
from assessment.reporting.numbers import tenths
from assessment.reporting.sector import Distribution

SVG = "{http://www.w3.org/2000/svg}"
# At this width the plot runs from x=10 to x=410: 4 units a point, so figures are easy to check.
WIDTH = 427
AI = Distribution("ai", "Artificial intelligence", 4, 0, 18.75, 37.5, 62.5, 100)
DATA = Distribution("data", "Harnessing data", 4, 100, 100, 100, 100, 100)
DIGITAL = Distribution("digital", "Digital index", 1, 50, 50, 50, 50, 50)


def x(value: float) -> float:
    return 10 + 4 * value


def test_the_whisker_spans_lowest_to_highest_and_the_box_the_middle_half():
    row = box_plots([AI], width=WIDTH).rows[0]

    assert (row.whisker.x1, row.whisker.x2) == (x(0), x(100))
    assert (row.low_cap.x1, row.high_cap.x1) == (x(0), x(100))
    assert (row.box.x, row.box.width) == (x(18.75), 4 * (62.5 - 18.75))
    assert row.median.x1 == row.median.x2 == x(37.5)
    # The whisker runs through the middle of the box; the median crosses the whole box.
    assert row.whisker.y1 == row.whisker.y2 == row.box.y + row.box.height / 2
    assert (row.median.y1, row.median.y2) == (row.box.y, row.box.y + row.box.height)
    assert row.low_cap.y1 < row.whisker.y1 < row.low_cap.y2


def test_equal_scores_collapse_to_one_upright_line():
    row = box_plots([DATA], width=WIDTH).rows[0]

    assert row.box.width == 0
    assert row.low_cap.x1 == row.high_cap.x1 == row.median.x1 == row.box.x == x(100)


def test_rows_stack_in_order_each_titled_above_its_box_over_a_labelled_axis():
    chart = box_plots([AI, DATA, DIGITAL], width=WIDTH)

    assert [row.title for row in chart.rows] == [
        "Artificial intelligence",
        "Harnessing data",
        "Digital index",
    ]
    for above, below in zip(chart.rows, chart.rows[1:], strict=False):
        assert above.label.y < above.box.y
        assert above.box.y + above.box.height < below.label.y - 14  # room for the title
    last = chart.rows[-1]
    assert last.box.y + last.box.height < chart.axis_y < chart.tick_label_y
    assert chart.tick_label_y < chart.axis_title.y <= chart.height
    assert [(t.value, t.x) for t in chart.ticks] == [(v, x(v)) for v in (0, 25, 50, 75, 100)]
    assert (chart.plot_left, chart.plot_right, chart.width) == (10, 410, WIDTH)


def test_the_description_gives_every_rows_figures_to_one_decimal():
    chart = box_plots([AI, DIGITAL], width=WIDTH)

    assert chart.description == (
        "Artificial intelligence, 4 organisations: lowest 0, lower quartile 18.8, median 37.5, "
        "upper quartile 62.5, highest 100; "
        "Digital index, 1 organisation: lowest 50, lower quartile 50, median 50, "
        "upper quartile 50, highest 50."
    )


def test_numpy_figures_are_drawn_as_plain_numbers():
    values = np.quantile(np.array([0.0, 25, 50, 100]), (0, 0.25, 0.5, 0.75, 1))
    chart = box_plots([Distribution("ai", "AI", 4, *values)], width=WIDTH)

    assert chart.rows[0].box == box_plots([AI], width=WIDTH).rows[0].box
    assert type(chart.rows[0].box.x) is float


@pytest.mark.parametrize(
    ("spread", "message"),
    [
        (
            Distribution("ai", "Artificial intelligence", 2, -1, 0, 10, 20, 30),
            "Artificial intelligence: the lowest score is -1",
        ),
        (
            Distribution("data", "Harnessing data", 2, 0, 0, 10, 20, 100.5),
            "Harnessing data: the highest score is 100.5",
        ),
        (
            Distribution("cyber", "Cyber protection", 2, 0, 50, 40, 60, 70),
            "Cyber protection: the figures must run lowest ≤ lower quartile ≤ median ≤ upper "
            "quartile ≤ highest; they are 0, 50, 40, 60, 70.",
        ),
    ],
)
def test_impossible_figures_are_refused_naming_the_row(spread, message):
    with pytest.raises(ValueError, match=message):
        box_plots([AI, spread])


def test_no_spread_at_all_is_refused():
    with pytest.raises(ValueError, match="at least one spread"):
        box_plots([])


@pytest.mark.parametrize(
    ("value", "text"),
    [(18.75, "18.8"), (31.25, "31.3"), (25.0, "25"), (0, "0"), (100.0, "100"), (100 / 3, "33.3")],
)
def test_figures_are_written_to_one_decimal_rounded_half_up(value, text):
    assert tenths(value) == text


# The template --------------------------------------------------------------------------------


def render(spreads) -> ET.Element:
    html = render_to_string(
        "reports/_box_plots.html", {"box_plots": box_plots(spreads), "chart_id": "spread"}
    )
    assert "foreignObject" not in html and "var(" not in html and "<script" not in html
    return ET.fromstring(html[html.index("<svg") : html.index("</svg>") + len("</svg>")])


def test_the_svg_is_an_image_labelled_by_its_title_and_description():
    svg = render([AI, DATA])
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")

    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "spread-title spread-desc"
    assert title is not None and title.get("id") == "spread-title" and title.text
    assert desc is not None and desc.get("id") == "spread-desc"
    assert desc.text == box_plots([AI, DATA]).description


def test_the_svg_draws_a_box_and_median_per_row_and_labels_the_axis():
    svg = render([AI, DATA])
    texts = [text.text for text in svg.iter(f"{SVG}text")]
    boxes = svg.findall(f"{SVG}rect")

    assert texts == [
        "0",
        "25",
        "50",
        "75",
        "100",
        "Artificial intelligence",
        "Harnessing data",
        "Score out of 100",
    ]
    assert [(float(b.get("x", "")), float(b.get("width", ""))) for b in boxes] == [
        (box_plots([AI]).rows[0].box.x, box_plots([AI]).rows[0].box.width),
        (box_plots([DATA]).rows[0].box.x, 0.0),
    ]


def test_a_title_with_markup_is_escaped_not_run():
    spread = Distribution("x", "<script>alert(1)</script>", 1, 10, 10, 10, 10, 10)
    svg = render([spread])

    assert svg.find(f".//{SVG}script") is None
    assert "<script>alert(1)</script>" in [text.text for text in svg.iter(f"{SVG}text")]
