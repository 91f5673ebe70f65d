"""What every chart shares: how small its text may be, the trend families' colours, plain
geometry, text measures, and the 0-100 axis under rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from assessment.scoring import DIGITAL, TECHNOLOGY

# How big a chart's text is depends on how wide the chart is shown: an SVG scales as a whole.
# Text must be at least 12 px on screen and 8 pt in the PDF wherever a chart is shown, so each
# chart's font sizes, in the units of its view box, are chosen for the narrowest place it goes.
SMALLEST_TEXT_PX = 12
SMALLEST_TEXT_PT = 8


@dataclass(frozen=True)
class Showing:
    """The narrowest a chart is shown: on the report page at a 1024 px wide viewport, and in
    the PDF. Charts narrower than `px` are shown at their own width (CSS only shrinks them)."""

    px: float
    pt: float

    def widest_view_box(self, font_size: float) -> float:
        """The widest view box in which text of `font_size` (at least 12) is still readable."""
        return min(font_size * self.px / SMALLEST_TEXT_PX, font_size * self.pt / SMALLEST_TEXT_PT)

    def check_width(self, width: float, font_size: float) -> None:
        if width > self.widest_view_box(font_size):
            raise ValueError(
                f"A chart {width} wide is too wide for its text: shown {self.px:g} px or "
                f"{self.pt:g} pt wide, text {font_size:g} wide would be smaller than "
                f"{SMALLEST_TEXT_PX} px or {SMALLEST_TEXT_PT} pt."
            )


# The radar and the bars: in a half-width GOV.UK column on the report page (450 px), and in the
# PDF no narrower than 120 mm (340 pt).
HALF_COLUMN = Showing(px=450, pt=340)
# The box plots: the full width of the sector page (960 px), and of an A4 page's content (170 mm,
# 480 pt) should a PDF show them. (Peer strips have no text: they fit any width.)
FULL_WIDTH = Showing(px=960, pt=480)

# Only DejaVu is installed where the PDF is made. Its glyphs average 0.50-0.55 em in ordinary
# words (0.55-0.62 em in bold), so n characters are taken to be n × 0.6 (bold: 0.7) × the font
# size wide: labels are never clipped.
CHAR_WIDTH_EM = 0.6
BOLD_CHAR_WIDTH_EM = 0.7
PADDING = 4
# Rows of bars (a 450-wide view box, `HALF_COLUMN`: text at least 12) and of box plots (800
# wide, `FULL_WIDTH`: at least 13.3). Shown, that is 14-19 px on screen and 8.4-12 pt in the
# PDF at its narrowest.
ROW_FONT_SIZE = 16  # a row's title, above its mark, and a bar's value
TICK_FONT_SIZE = 14  # the 0-100 scale under the rows
ROW_TITLE_GAP = 6  # between a title's baseline and its mark
ROW_GAP = 16  # between one row's mark and the next row's title


@dataclass(frozen=True)
class Family:
    """How the charts set a trend family apart. The colour draws its lines and bars, so it has
    at least 3:1 contrast against white (WCAG 1.4.11); the tint, behind its half of the radar,
    is only decoration. The title always goes with them: colour never says it alone."""

    title: str
    colour: str
    tint: str


# GOV.UK Frontend's purple and green (9.1:1 and 5.4:1 against white), with their 80% tints.
FAMILIES = {
    DIGITAL: Family("Digital trends", "#54319f", "#ddd6ec"),
    TECHNOLOGY: Family("Technology trends", "#0f7a52", "#cfe4dc"),
}


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

    @property
    def font_size(self) -> int:
        return ROW_FONT_SIZE

    @property
    def tick_font_size(self) -> int:
        return TICK_FONT_SIZE


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
    return RowLayout(tuple(titles), tuple(tops), axis_y, axis_y + 6 + TICK_FONT_SIZE)


def ticks(values: Sequence[int], plot_left: float, plot_width: float) -> tuple[Tick, ...]:
    return tuple(Tick(value, scaled(value, plot_left, plot_width)) for value in values)


def scaled(value: float, plot_left: float, plot_width: float) -> float:
    """Where `value` (0-100) sits across a plot. float(): figures may come from NumPy."""
    return rounded(plot_left + plot_width * float(value) / 100)


def text_width(text: str, font_size: float, *, bold: bool = False) -> float:
    return len(text) * font_size * (BOLD_CHAR_WIDTH_EM if bold else CHAR_WIDTH_EM)


def check_value(label: str, name: str, value: float | None) -> None:
    if value is not None and not 0 <= value <= 100:
        raise ValueError(f"{label}: the {name} is {value!r}; it must be from 0 to 100.")


def rounded(value: float) -> float:
    """To one decimal, as every coordinate is; + 0.0 turns -0.0 into 0.0."""
    return round(value, 1) + 0.0
