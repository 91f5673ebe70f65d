"""Chart geometry: scores in, coordinates out, for templates/reports/_radar.html and _bars.html.

Pure on purpose, like `assessment.scoring`: frozen dataclasses, nothing from Django. The same
SVG is drawn in the report page and, by WeasyPrint, in the PDF, so everything the templates
need (points, anchors, the text alternative) is worked out here and rounded to one decimal,
which keeps the output stable and testable. Scores and targets are on the 0-100 scale.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal, Protocol

from assessment.scoring import TOP_LEVEL, Result

RINGS = (25, 50, 75, 100)
TICKS = (0, 50, 100)
# Only DejaVu is installed where the PDF is made. Its glyphs average 0.50-0.55 em in ordinary
# words, so n characters are taken to be n × 0.6 × the font size wide: labels are never clipped.
CHAR_WIDTH_EM = 0.6
LABEL_FONT_SIZE = 12
RING_FONT_SIZE = 10
LABEL_LINE_HEIGHT = 14
LABEL_GAP = 10  # from the outer ring to the nearest edge of a label
LABEL_CHARS = 18  # longer labels wrap: "Local and national / leadership"
LEGEND_GAP = 16
LEGEND_HEIGHT = 14
PADDING = 4
NOT_SCORED = "not scored"
NOT_ENOUGH_ANSWERS = "not enough answers"

Anchor = Literal["start", "middle", "end"]  # SVG text-anchor


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
class Label:
    x: float
    anchor: Anchor
    lines: tuple[TextLine, ...]


@dataclass(frozen=True)
class Legend:
    """The key to the radar's two outlines: a filled swatch for the score, a dash for the target."""

    swatch: Point  # top left of an 18 × 12 swatch
    score_text: Point
    target_line: Line
    target_text: Point


@dataclass(frozen=True)
class Ring:
    value: int
    points: str  # "x,y x,y …" for <polygon points>
    label: Point  # the baseline of the ring's value, on the ring just right of the first spoke
    backing: Box  # a white box behind the value, so the outlines crossing it do not hide it


# The radar -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RadarAxis:
    label: str
    score: float | None
    target: float | None

    @property
    def summary(self) -> str:
        """The axis in words, for the chart's text alternative."""
        score = f"{whole(self.score)} out of 100" if self.score is not None else NOT_SCORED
        target = f", target {whole(self.target)}" if self.target is not None else ""
        return f"{self.label} {score}{target}"


@dataclass(frozen=True)
class Radar:
    size: int  # the plot's diameter; width and height add room for the labels and legend
    width: int
    height: int
    centre: Point
    radius: float
    axes: tuple[RadarAxis, ...]
    rings: tuple[Ring, ...]
    spokes: tuple[Line, ...]
    score_polygon: str
    target_polygon: str | None  # None when no axis has a target
    dots: tuple[Point, ...]  # one per axis, on the score polygon
    labels: tuple[Label, ...]  # one per axis
    legend: Legend

    @property
    def description(self) -> str:
        return "; ".join(axis.summary for axis in self.axes) + "."


def radar(axes: Sequence[RadarAxis], *, size: int = 360) -> Radar:
    """Lay out a radar: axis i points at -90° + i × 360°/n, the first straight up, clockwise.

    A missing score is drawn at the centre and its label says "not scored"; a missing target is
    drawn at the centre too, unless no axis has one, when there is no target outline at all.
    """
    if len(axes) < 3:
        raise ValueError(f"A radar needs at least 3 axes; there are {len(axes)}.")
    for axis in axes:
        _check_value(axis.label, "score", axis.score)
        _check_value(axis.label, "target", axis.target)
    radius = size / 2
    angles = [math.radians(-90 + i * 360 / len(axes)) for i in range(len(axes))]

    # Lay out around (0, 0) first, then move everything so the labels fit in the view box.
    labels = [_radar_label(axis, angle, radius) for axis, angle in zip(axes, angles, strict=True)]
    half_width = max(radius, *(_reach(label) for label in labels))
    top = min(-radius, *(label.lines[0].y - LABEL_FONT_SIZE for label in labels))
    bottom = max(radius, *(label.lines[-1].y + LABEL_FONT_SIZE * 0.3 for label in labels))
    dx = math.ceil(half_width) + PADDING
    dy = math.ceil(-top) + PADDING
    width = 2 * dx
    legend_y = bottom + LEGEND_GAP
    height = math.ceil(legend_y + LEGEND_HEIGHT) + dy + PADDING

    def at(r: float, angle: float) -> Point:
        return Point(_round(dx + r * math.cos(angle)), _round(dy + r * math.sin(angle)))

    def polygon(values: Sequence[float]) -> str:
        return " ".join(
            f"{p.x},{p.y}"
            for p in (at(radius * v / 100, a) for v, a in zip(values, angles, strict=True))
        )

    centre = Point(dx, dy)
    dots = tuple(
        at(radius * (axis.score or 0) / 100, a) for axis, a in zip(axes, angles, strict=True)
    )
    return Radar(
        size=size,
        width=width,
        height=height,
        centre=centre,
        radius=radius,
        axes=tuple(axes),
        rings=tuple(
            _ring(value, polygon([value] * len(axes)), at(radius * value / 100, angles[0]))
            for value in RINGS
        ),
        spokes=tuple(Line(centre.x, centre.y, (end := at(radius, a)).x, end.y) for a in angles),
        score_polygon=polygon([axis.score or 0 for axis in axes]),
        target_polygon=(
            polygon([axis.target or 0 for axis in axes])
            if any(axis.target is not None for axis in axes)
            else None
        ),
        dots=dots,
        labels=tuple(_moved(label, dx, dy) for label in labels),
        legend=_legend(PADDING, _round(dy + legend_y)),
    )


def _radar_label(axis: RadarAxis, angle: float, radius: float) -> Label:
    lines = textwrap.wrap(axis.label, LABEL_CHARS, break_long_words=False) or [""]
    if axis.score is None:
        lines.append(f"({NOT_SCORED})")
    cos, sin = math.cos(angle), math.sin(angle)
    # Labels near the top and bottom are centred on their spoke; the rest start (right half) or
    # end (left half) just outside the ring, so they never run back over the plot.
    anchor: Anchor = "middle" if abs(cos) < 0.2 else ("start" if cos > 0 else "end")
    x = (radius + LABEL_GAP) * cos
    y = (radius + LABEL_GAP) * sin
    block = (len(lines) - 1) * LABEL_LINE_HEIGHT + LABEL_FONT_SIZE
    # Slide the block from wholly above the point (top axis) through centred on it (sides) to
    # wholly below it (bottom axis), so it always sits outside the ring.
    block_top = y - block / 2 + sin * block / 2
    first_baseline = block_top + LABEL_FONT_SIZE * 0.8
    return Label(
        x=x,
        anchor=anchor,
        lines=tuple(
            TextLine(first_baseline + i * LABEL_LINE_HEIGHT, text) for i, text in enumerate(lines)
        ),
    )


def _ring(value: int, points: str, top: Point) -> Ring:
    text = text_width(str(value), RING_FONT_SIZE)
    return Ring(
        value=value,
        points=points,
        label=Point(_round(top.x + 5), _round(top.y + RING_FONT_SIZE * 0.35)),
        backing=Box(_round(top.x + 3), _round(top.y - 6), _round(text + 4), 12),
    )


def _legend(x: float, y: float) -> Legend:
    def at(right: float, down: float) -> Point:
        return Point(_round(x + right), _round(y + down))

    line_start, line_end = at(80, 6), at(104, 6)
    return Legend(
        swatch=at(0, 0),
        score_text=at(26, 11),
        target_line=Line(line_start.x, line_start.y, line_end.x, line_end.y),
        target_text=at(112, 11),
    )


def _reach(label: Label) -> float:
    """How far from the centre the label reaches, left or right."""
    widest = max(text_width(line.text, LABEL_FONT_SIZE) for line in label.lines)
    left = {"start": label.x, "middle": label.x - widest / 2, "end": label.x - widest}[label.anchor]
    return max(abs(left), abs(left + widest))


def _moved(label: Label, dx: float, dy: float) -> Label:
    return Label(
        x=_round(label.x + dx),
        anchor=label.anchor,
        lines=tuple(TextLine(_round(line.y + dy), line.text) for line in label.lines),
    )


# The bar chart -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None

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
class Tick:
    value: int
    x: float


@dataclass(frozen=True)
class Bars:
    width: int
    height: int
    plot_left: float
    plot_width: float
    plot_right: float
    rows: tuple[BarRow, ...]
    ticks: tuple[Tick, ...]
    grid_top: float  # gridlines run from here down to the axis
    axis_y: float
    tick_label_y: float

    @property
    def description(self) -> str:
        return "; ".join(row.bar.summary for row in self.rows) + "."


BAR_FONT_SIZE = 14
BAR_LABEL_GAP = 6  # between a label's baseline and its bar
BAR_ROW_GAP = 14
VALUE_ROOM = 40  # right of the plot: room for "100" after a full bar


def bars(items: Sequence[Bar], *, width: int = 360, bar_height: int = 28) -> Bars:
    """Lay out horizontal bars on a 0-100 scale, each labelled above and valued at its end."""
    if not items:
        raise ValueError("A bar chart needs at least one bar.")
    for item in items:
        _check_value(item.label, "value", item.value)
    plot_left = float(PADDING + 6)  # half of the "0" tick label
    plot_width = width - plot_left - VALUE_ROOM
    rows = []
    y = float(PADDING)
    for item in items:
        label_y = y + BAR_FONT_SIZE
        bar_y = label_y + BAR_LABEL_GAP
        length = plot_width * (item.value or 0) / 100
        text_y = bar_y + bar_height / 2 + BAR_FONT_SIZE * 0.35
        if item.value is None:
            value_text, value_x = NOT_ENOUGH_ANSWERS, plot_left + 8
        else:
            value_text, value_x = str(whole(item.value)), plot_left + length + 6
        rows.append(
            BarRow(
                bar=item,
                label=Point(plot_left, _round(label_y)),
                x=plot_left,
                y=_round(bar_y),
                length=_round(length),
                height=bar_height,
                track=_round(plot_width),
                value_text=value_text,
                value_at=Point(_round(value_x), _round(text_y)),
            )
        )
        y = bar_y + bar_height + BAR_ROW_GAP
    axis_y = y - BAR_ROW_GAP + 6
    tick_label_y = axis_y + 6 + BAR_FONT_SIZE
    return Bars(
        width=width,
        height=math.ceil(tick_label_y + PADDING + 2),
        plot_left=plot_left,
        plot_width=_round(plot_width),
        plot_right=_round(plot_left + plot_width),
        rows=tuple(rows),
        ticks=tuple(Tick(value, _round(plot_left + plot_width * value / 100)) for value in TICKS),
        grid_top=_round(rows[0].y - 4),
        axis_y=_round(axis_y),
        tick_label_y=_round(tick_label_y),
    )


# Peer strips ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Strip:
    """One trend against its peers: the middle half of their scores as a band, their median
    as a line, this organisation's score as a dot, on a 0-100 track."""

    width: int
    height: int
    track_left: float
    track_right: float
    track_y: float
    band: Box | None  # the peers' lower to upper quartile; None when not shown
    median: Line | None
    dot: Point | None  # this organisation's score; None when not scored
    description: str


STRIP_DOT_RADIUS = 5


def strip(
    label: str,
    score: float | None,
    lower: float | None,
    median: float | None,
    upper: float | None,
    *,
    width: int = 200,
    height: int = 24,
) -> Strip:
    for name, value in (
        ("score", score),
        ("lower quartile", lower),
        ("median", median),
        ("upper quartile", upper),
    ):
        _check_value(label, name, value)
    shown = lower is not None and median is not None and upper is not None
    if shown and not lower <= median <= upper:  # type: ignore[operator]
        raise ValueError(f"{label}: the quartiles must run lower ≤ median ≤ upper.")
    left, right = float(STRIP_DOT_RADIUS + 1), float(width - STRIP_DOT_RADIUS - 1)
    middle = height / 2

    def x(value: float) -> float:
        return _round(left + (right - left) * value / 100)

    band = median_line = None
    if shown:
        band = Box(x(lower), _round(middle - 7), _round(x(upper) - x(lower)), 14.0)  # type: ignore[arg-type]
        median_line = Line(x(median), _round(middle - 9), x(median), _round(middle + 9))  # type: ignore[arg-type]
    you = (
        f"this organisation {whole(score)}" if score is not None else "this organisation not scored"
    )
    peers = (
        f"peers' median {whole(median)}, middle half {whole(lower)} to {whole(upper)}"
        if shown
        else "not enough peers yet"
    )
    return Strip(
        width=width,
        height=height,
        track_left=left,
        track_right=right,
        track_y=_round(middle),
        band=band,
        median=median_line,
        dot=Point(x(score), _round(middle)) if score is not None else None,
        description=f"{label}: {you}; {peers}.",
    )


# Box plots -----------------------------------------------------------------------------------


class Spread(Protocol):
    """How one score is spread across organisations: `benchmarks.Distribution` is one."""

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
class BoxPlots:
    width: int
    height: int
    plot_left: float
    plot_width: float
    plot_right: float
    rows: tuple[BoxPlotRow, ...]
    ticks: tuple[Tick, ...]
    grid_top: float
    axis_y: float
    tick_label_y: float
    axis_title: Point  # baseline of "Score out of 100", anchored "middle"

    @property
    def description(self) -> str:
        return "; ".join(row.summary for row in self.rows) + "."


BOX_TICKS = (0, 25, 50, 75, 100)
BOX_HEIGHT = 20
CAP_HEIGHT = 12


def box_plots(spreads: Sequence[Spread], *, width: int = 640) -> BoxPlots:
    """Lay out one box plot per spread, on a shared 0-100 axis, each titled above its box.

    The whisker runs from the lowest score to the highest, the box covers the middle half
    (lower to upper quartile), and an upright line marks the median.
    """
    if not spreads:
        raise ValueError("Box plots need at least one spread of scores.")
    for spread in spreads:
        _check_spread(spread)
    # Room for half of the "0" and "100" tick labels, which are centred on their ticks.
    plot_left = float(PADDING + 6)
    plot_right = width - PADDING - math.ceil(text_width("100", 12) / 2)
    plot_width = plot_right - plot_left

    def x(value: float) -> float:
        # float(): the figures come from NumPy, and the geometry is plain numbers.
        return _round(plot_left + plot_width * float(value) / 100)

    rows = []
    y = float(PADDING)
    for spread in spreads:
        label_y = y + BAR_FONT_SIZE
        top = label_y + BAR_LABEL_GAP
        middle = _round(top + BOX_HEIGHT / 2)
        low, high = x(spread.minimum), x(spread.maximum)
        q1, median, q3 = x(spread.lower_quartile), x(spread.median), x(spread.upper_quartile)
        cap_top, cap_bottom = _round(middle - CAP_HEIGHT / 2), _round(middle + CAP_HEIGHT / 2)
        rows.append(
            BoxPlotRow(
                title=spread.title,
                summary=_spread_summary(spread),
                label=Point(plot_left, _round(label_y)),
                whisker=Line(low, middle, high, middle),
                low_cap=Line(low, cap_top, low, cap_bottom),
                high_cap=Line(high, cap_top, high, cap_bottom),
                box=Box(q1, _round(top), _round(q3 - q1), BOX_HEIGHT),
                median=Line(median, _round(top), median, _round(top + BOX_HEIGHT)),
            )
        )
        y = top + BOX_HEIGHT + BAR_ROW_GAP
    axis_y = y - BAR_ROW_GAP + 6
    tick_label_y = axis_y + 6 + BAR_FONT_SIZE
    axis_title_y = tick_label_y + 8 + BAR_FONT_SIZE
    return BoxPlots(
        width=width,
        height=math.ceil(axis_title_y + BAR_FONT_SIZE * 0.3 + PADDING),
        plot_left=plot_left,
        plot_width=_round(plot_width),
        plot_right=_round(plot_right),
        rows=tuple(rows),
        ticks=tuple(Tick(value, x(value)) for value in BOX_TICKS),
        grid_top=_round(rows[0].box.y - 4),
        axis_y=_round(axis_y),
        tick_label_y=_round(tick_label_y),
        axis_title=Point(_round(plot_left + plot_width / 2), _round(axis_title_y)),
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
        _check_value(spread.title, name, value)
    # Rounding in the quartiles can put two equal figures a hair out of order: not an error.
    values = [round(value, 6) for _, value in figures]
    if values != sorted(values):
        raise ValueError(
            f"{spread.title}: the figures must run lowest ≤ lower quartile ≤ median ≤ upper "
            f"quartile ≤ highest; they are {', '.join(tenths(v) for v in values)}."
        )


def _spread_summary(spread: Spread) -> str:
    who = f"{spread.count} organisation{'s' * (spread.count != 1)}"
    return (
        f"{spread.title}, {who}: lowest {tenths(spread.minimum)}, "
        f"lower quartile {tenths(spread.lower_quartile)}, median {tenths(spread.median)}, "
        f"upper quartile {tenths(spread.upper_quartile)}, highest {tenths(spread.maximum)}"
    )


# From a scored assessment --------------------------------------------------------------------


def radar_for(result: Result, *, size: int = 360) -> Radar:
    """The trend radar: one axis per trend in the result's order, targets as scores."""
    return radar(
        [RadarAxis(t.trend.title, t.score, t.target / TOP_LEVEL * 100) for t in result.trends],
        size=size,
    )


def bars_for(result: Result, *, width: int = 360) -> Bars:
    """Digital against technology maturity."""
    return bars(
        [
            Bar("Digital index", result.digital_index),
            Bar("Technology index", result.technology_index),
        ],
        width=width,
    )


# Helpers -------------------------------------------------------------------------------------


def whole(value: float | None) -> int | None:
    """A score as people read it: rounded half up (62.5 is 63), as the level labels are."""
    return None if value is None else int(value + 0.5)


def tenths(value: float) -> str:
    """A figure to one decimal, rounded half up as Django's floatformat rounds: "18.8", "25"."""
    rounded = Decimal(str(float(value))).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return f"{rounded:f}".removesuffix(".0")


def text_width(text: str, font_size: float) -> float:
    return len(text) * font_size * CHAR_WIDTH_EM


def _check_value(label: str, name: str, value: float | None) -> None:
    if value is not None and not 0 <= value <= 100:
        raise ValueError(f"{label}: the {name} is {value!r}; it must be from 0 to 100.")


def _round(value: float) -> float:
    return round(value, 1) + 0.0  # + 0.0 turns -0.0 into 0.0
