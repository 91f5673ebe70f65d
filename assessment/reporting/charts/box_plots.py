"""Box plots: how each trend's and index's scores are spread across organisations.

Drawn on a shared 0-100 axis by templates/reports/_box_plots.html in the sector overview, as
wide as the page: see ROW_FONT_SIZE for the width of the view box.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from django.utils.translation import ngettext

from assessment.reporting.charts.geometry import (
    FULL_WIDTH,
    PADDING,
    ROW_FONT_SIZE,
    TICK_FONT_SIZE,
    Box,
    Line,
    Point,
    RowChart,
    check_value,
    rounded,
    scaled,
    stack_rows,
    text_width,
    ticks,
)
from assessment.reporting.numbers import tenths

BOX_TICKS = (0, 25, 50, 75, 100)
WIDTH = 800
BOX_HEIGHT = 20
CAP_HEIGHT = 12


class Spread(Protocol):
    """How one score is spread across organisations: `sector.Distribution` is one."""

    @property
    def title(self) -> str: ...
    @property
    def count(self) -> int: ...
    @property
    def minimum(self) -> float: ...
    @property
    def lower_quartile(self) -> float: ...
    @property
    def median(self) -> float: ...
    @property
    def upper_quartile(self) -> float: ...
    @property
    def maximum(self) -> float: ...


@dataclass(frozen=True)
class BoxPlotRow:
    title: str
    summary: str  # the row in words, for the chart's text alternative
    label: Point  # the title's baseline, above its box
    whisker: Line  # lowest to highest, through the middle of the box
    low_cap: Line  # short upright lines that end the whisker
    high_cap: Line
    box: Box  # lower to upper quartile
    median: Line


@dataclass(frozen=True)
class BoxPlots(RowChart):
    rows: tuple[BoxPlotRow, ...]
    axis_title: Point  # baseline of "Score out of 100", anchored "middle"

    @property
    def description(self) -> str:
        return "; ".join(row.summary for row in self.rows) + "."


def box_plots(spreads: Sequence[Spread], *, width: int = WIDTH) -> BoxPlots:
    """Lay out one box plot per spread, on a shared 0-100 axis, each titled above its box.

    The whisker runs from the lowest score to the highest, the box covers the middle half
    (lower to upper quartile), and an upright line marks the median.
    """
    if not spreads:
        raise ValueError("Box plots need at least one spread of scores.")
    FULL_WIDTH.check_width(width, TICK_FONT_SIZE)
    for spread in spreads:
        _check_spread(spread)
    # Room for half of the "0" and "100" tick labels, which are centred on their ticks.
    plot_left = float(PADDING + 6)
    plot_right = width - PADDING - math.ceil(text_width("100", TICK_FONT_SIZE) / 2)
    plot_width = plot_right - plot_left

    def x(value: float) -> float:
        return scaled(value, plot_left, plot_width)

    layout = stack_rows(len(spreads), BOX_HEIGHT)
    rows = []
    for spread, title, top in zip(spreads, layout.titles, layout.tops, strict=True):
        middle = rounded(top + BOX_HEIGHT / 2)
        low, high = x(spread.minimum), x(spread.maximum)
        q1, median, q3 = x(spread.lower_quartile), x(spread.median), x(spread.upper_quartile)
        cap_top, cap_bottom = rounded(middle - CAP_HEIGHT / 2), rounded(middle + CAP_HEIGHT / 2)
        rows.append(
            BoxPlotRow(
                title=spread.title,
                summary=_spread_summary(spread),
                label=Point(plot_left, rounded(title)),
                whisker=Line(low, middle, high, middle),
                low_cap=Line(low, cap_top, low, cap_bottom),
                high_cap=Line(high, cap_top, high, cap_bottom),
                box=Box(q1, rounded(top), rounded(q3 - q1), BOX_HEIGHT),
                median=Line(median, rounded(top), median, rounded(top + BOX_HEIGHT)),
            )
        )
    axis_title_y = layout.tick_label_y + 8 + ROW_FONT_SIZE
    return BoxPlots(
        width=width,
        height=math.ceil(axis_title_y + ROW_FONT_SIZE * 0.3 + PADDING),
        plot_left=plot_left,
        plot_width=rounded(plot_width),
        plot_right=rounded(plot_right),
        ticks=ticks(BOX_TICKS, plot_left, plot_width),
        grid_top=layout.grid_top,
        axis_y=rounded(layout.axis_y),
        tick_label_y=rounded(layout.tick_label_y),
        rows=tuple(rows),
        axis_title=Point(rounded(plot_left + plot_width / 2), rounded(axis_title_y)),
    )


def _check_spread(spread: Spread) -> None:
    figures = (
        ("lowest score", spread.minimum),
        ("lower quartile", spread.lower_quartile),
        ("median", spread.median),
        ("upper quartile", spread.upper_quartile),
        ("highest score", spread.maximum),
    )
    for name, value in figures:
        check_value(spread.title, name, value)
    # Rounding in the quartiles can put two equal figures a hair out of order: not an error.
    values = [round(value, 6) for _, value in figures]
    if values != sorted(values):
        raise ValueError(
            f"{spread.title}: the figures must run lowest ≤ lower quartile ≤ median ≤ upper "
            f"quartile ≤ highest; they are {', '.join(tenths(v) for v in values)}."
        )


def _spread_summary(spread: Spread) -> str:
    who = ngettext("%(n)d organisation", "%(n)d organisations", spread.count) % {"n": spread.count}
    return (
        f"{spread.title}, {who}: lowest {tenths(spread.minimum)}, "
        f"lower quartile {tenths(spread.lower_quartile)}, median {tenths(spread.median)}, "
        f"upper quartile {tenths(spread.upper_quartile)}, highest {tenths(spread.maximum)}"
    )
