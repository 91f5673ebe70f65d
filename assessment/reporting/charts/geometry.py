"""What every chart shares: plain geometry, text measures, and the 0-100 axis under rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# Only DejaVu is installed where the PDF is made. Its glyphs average 0.50-0.55 em in ordinary
# words, so n characters are taken to be n × 0.6 × the font size wide: labels are never clipped.
CHAR_WIDTH_EM = 0.6
PADDING = 4
ROW_FONT_SIZE = 14  # a row's title, above its mark
ROW_TITLE_GAP = 6  # between a title's baseline and its mark
ROW_GAP = 14  # between one row's mark and the next row's title


@dataclass(frozen=True)
class Point:
    x: float
    y: float


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class TextLine:
    y: float  # the baseline
    text: str


@dataclass(frozen=True)
class Tick:
    value: int
    x: float


@dataclass(frozen=True)
class RowChart:
    """A chart of rows stacked down a 0-100 scale, each titled above its mark (bars, box plots),
    with gridlines at the ticks and the axis under the last row: templates/reports/_row_grid.html
    draws this part."""

    width: int
    height: int
    plot_left: float
    plot_width: float
    plot_right: float
    ticks: tuple[Tick, ...]
    grid_top: float  # gridlines run from here down to the axis
    axis_y: float
    tick_label_y: float


@dataclass(frozen=True)
class RowLayout:
    """Where each row of a `RowChart` goes, before rounding."""

    titles: tuple[float, ...]  # each row's title baseline
    tops: tuple[float, ...]  # the top of each row's mark
    axis_y: float
    tick_label_y: float

    @property
    def grid_top(self) -> float:
        return rounded(rounded(self.tops[0]) - 4)


def stack_rows(count: int, mark_height: float) -> RowLayout:
    """Lay `count` rows of marks `mark_height` tall down the chart, with the axis below them."""
    titles, tops = [], []
    y = float(PADDING)
    for _ in range(count):
        title = y + ROW_FONT_SIZE
        top = title + ROW_TITLE_GAP
        titles.append(title)
        tops.append(top)
        y = top + mark_height + ROW_GAP
    axis_y = y - ROW_GAP + 6
    return RowLayout(tuple(titles), tuple(tops), axis_y, axis_y + 6 + ROW_FONT_SIZE)


def ticks(values: Sequence[int], plot_left: float, plot_width: float) -> tuple[Tick, ...]:
    return tuple(Tick(value, scaled(value, plot_left, plot_width)) for value in values)


def scaled(value: float, plot_left: float, plot_width: float) -> float:
    """Where `value` (0-100) sits across a plot. float(): figures may come from NumPy."""
    return rounded(plot_left + plot_width * float(value) / 100)


def text_width(text: str, font_size: float) -> float:
    return len(text) * font_size * CHAR_WIDTH_EM


def check_value(label: str, name: str, value: float | None) -> None:
    if value is not None and not 0 <= value <= 100:
        raise ValueError(f"{label}: the {name} is {value!r}; it must be from 0 to 100.")


def rounded(value: float) -> float:
    """To one decimal, as every coordinate is; + 0.0 turns -0.0 into 0.0."""
    return round(value, 1) + 0.0
