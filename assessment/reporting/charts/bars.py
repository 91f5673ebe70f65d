"""The bar chart: the digital index against the technology index, on a 0-100 scale.

Drawn by templates/reports/_bars.html in the report page and the PDF. Each index's bar is in
its family's colour, the colour of its half of the radar, and titled with its name.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from assessment.reporting.charts.geometry import (
    FAMILIES,
    HALF_COLUMN,
    PADDING,
    ROW_FONT_SIZE,
    TICK_FONT_SIZE,
    Point,
    RowChart,
    check_value,
    rounded,
    stack_rows,
    ticks,
)
from assessment.reporting.numbers import whole
from assessment.scoring import DIGITAL, TECHNOLOGY, Result

NOT_ENOUGH_ANSWERS = "not enough answers"
TICKS = (0, 50, 100)
# As wide as the half-width column the bars are shown in on the report page: see ROW_FONT_SIZE.
WIDTH = 450
VALUE_ROOM = 44  # right of the plot: room for "100" after a full bar
BLUE = "#1d70b8"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None
    colour: str = BLUE  # at least 3:1 against white

    @property
    def summary(self) -> str:
        value = f"{whole(self.value)} out of 100" if self.value is not None else NOT_ENOUGH_ANSWERS
        return f"{self.label} {value}"


@dataclass(frozen=True)
class BarRow:
    bar: Bar
    label: Point  # the label's baseline, above its bar
    x: float
    y: float
    length: float  # 0 when there is no value
    height: float
    track: float  # the full length, outlined when there is no value
    value_text: str
    value_at: Point  # baseline of value_text (anchored "start")

    @property
    def empty(self) -> bool:
        return self.bar.value is None


@dataclass(frozen=True)
class Bars(RowChart):
    rows: tuple[BarRow, ...]

    @property
    def description(self) -> str:
        return "; ".join(row.bar.summary for row in self.rows) + "."


def bars(items: Sequence[Bar], *, width: int = WIDTH, bar_height: int = 28) -> Bars:
    """Lay out horizontal bars on a 0-100 scale, each labelled above and valued at its end."""
    if not items:
        raise ValueError("A bar chart needs at least one bar.")
    HALF_COLUMN.check_width(width, TICK_FONT_SIZE)
    for item in items:
        check_value(item.label, "value", item.value)
    plot_left = float(PADDING + 6)  # half of the "0" tick label
    plot_width = width - plot_left - VALUE_ROOM
    layout = stack_rows(len(items), bar_height)
    rows = []
    for item, title, top in zip(items, layout.titles, layout.tops, strict=True):
        length = plot_width * (item.value or 0) / 100
        if item.value is None:
            value_text, value_x = NOT_ENOUGH_ANSWERS, plot_left + 8
        else:
            value_text, value_x = str(whole(item.value)), plot_left + length + 6
        rows.append(
            BarRow(
                bar=item,
                label=Point(plot_left, rounded(title)),
                x=plot_left,
                y=rounded(top),
                length=rounded(length),
                height=bar_height,
                track=rounded(plot_width),
                value_text=value_text,
                value_at=Point(
                    rounded(value_x), rounded(top + bar_height / 2 + ROW_FONT_SIZE * 0.35)
                ),
            )
        )
    return Bars(
        width=width,
        height=math.ceil(layout.tick_label_y + PADDING + 2),
        plot_left=plot_left,
        plot_width=rounded(plot_width),
        plot_right=rounded(plot_left + plot_width),
        ticks=ticks(TICKS, plot_left, plot_width),
        grid_top=layout.grid_top,
        axis_y=rounded(layout.axis_y),
        tick_label_y=rounded(layout.tick_label_y),
        rows=tuple(rows),
    )


def bars_for(result: Result) -> Bars:
    """Digital against technology maturity, each in its family's colour."""
    return bars(
        [
            Bar("Digital index", result.digital_index, FAMILIES[DIGITAL].colour),
            Bar("Technology index", result.technology_index, FAMILIES[TECHNOLOGY].colour),
        ]
    )
