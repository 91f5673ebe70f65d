"""The trend radar: one axis per trend, with the scores and the targets as outlines.

The digital trends fill the left half and the technology trends the right, each half tinted
and titled, with a line between them: good technology can mask weak digital ways of working,
so the radar must never read as one undivided shape. Drawn by templates/reports/_radar.html in
the report page and the PDF.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import Literal

from assessment.reporting.charts.geometry import (
    FAMILIES,
    HALF_COLUMN,
    PADDING,
    Box,
    Family,
    Line,
    Point,
    TextLine,
    check_value,
    rounded,
    text_width,
)
from assessment.reporting.numbers import whole
from assessment.scoring import TOP_LEVEL, Result

RINGS = (25, 50, 75, 100)
# All the radar's words are one size. The radar is shown no narrower than a half-width column
# (450 px) on screen and 120 mm (340 pt) in the PDF (`HALF_COLUMN`), so with text this size its
# view box may be up to 600 wide (`MAX_WIDTH`): shown, the text is at least 12 px and 9 pt.
FONT_SIZE = 16
MAX_WIDTH = math.floor(HALF_COLUMN.widest_view_box(FONT_SIZE))
# The plot's radius: the shipped trends' labels fit around it in MAX_WIDTH, even when every
# trend adds "(not scored)". Other labels that would not fit make it smaller.
RADIUS = 156
MIN_RADIUS = 80
LINE_HEIGHT = 19  # between the baselines of a label's lines
LABEL_GAP = 10  # from the outer ring to the nearest edge of a label
# A longer trend title wraps: "Local and national / leadership". The view box grows with the
# widest line, so titles break into lines as even as they go, as few as fit this many characters.
LABEL_CHARS = 18
HALF_TITLE_GAP = 8  # from the divider to a half's title, and from the title to the labels below
LEGEND_GAP = 16
SWATCH = Box(0, 0, 20, 14)  # the legend's key to the score outline
NOT_SCORED = "not scored"

Anchor = Literal["start", "middle", "end"]  # SVG text-anchor


@dataclass(frozen=True)
class Label:
    x: float
    anchor: Anchor
    lines: tuple[TextLine, ...]

    @property
    def width(self) -> float:
        return max(text_width(line.text, FONT_SIZE) for line in self.lines)

    @property
    def left(self) -> float:
        return {"start": self.x, "middle": self.x - self.width / 2, "end": self.x - self.width}[
            self.anchor
        ]

    @property
    def top(self) -> float:
        return self.lines[0].y - FONT_SIZE

    @property
    def bottom(self) -> float:
        return self.lines[-1].y + FONT_SIZE * 0.3


@dataclass(frozen=True)
class Legend:
    """The key to the radar's two outlines: a filled swatch for the score, a dash for the target."""

    swatch: Box
    score_text: Point
    target_line: Line
    target_text: Point


@dataclass(frozen=True)
class Ring:
    value: int
    points: str  # "x,y x,y …" for <polygon points>
    label: Point  # the baseline of the ring's value, just right of where the ring crosses the top
    backing: Box  # a white box behind the value, so the outlines crossing it do not hide it


@dataclass(frozen=True)
class Half:
    """One trend family's half of the radar: a tinted sector, outlined, with a title on top."""

    title: str
    colour: str
    tint: str
    sector: str  # "x,y x,y …": the centre, the outer ring's edge on this side, back to the centre
    title_at: Point  # the title's baseline, beside the top of the divider
    anchor: Anchor


@dataclass(frozen=True)
class RadarAxis:
    label: str
    score: float | None
    target: float | None
    family: str | None = None  # `scoring.DIGITAL` or `TECHNOLOGY`: which half the axis is in

    @property
    def summary(self) -> str:
        """The axis in words, for the chart's text alternative."""
        score = f"{whole(self.score)} out of 100" if self.score is not None else NOT_SCORED
        target = f", target {whole(self.target)}" if self.target is not None else ""
        return f"{self.label} {score}{target}"


@dataclass(frozen=True)
class Radar:
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
    halves: tuple[Half, ...]  # the digital half and the technology half, or none
    divider: Line | None  # between the halves, top to bottom
    legend: Legend

    @property
    def font_size(self) -> int:
        return FONT_SIZE

    @property
    def description(self) -> str:
        """Every axis in words; with halves, each half's axes after its title."""
        if not self.halves:
            return "; ".join(axis.summary for axis in self.axes) + "."
        return " ".join(
            f"{half.title}: " + "; ".join(self.axes[i].summary for i in indices) + "."
            for half, (_, indices) in zip(self.halves, _runs(self.axes), strict=True)
        )


def radar(axes: Sequence[RadarAxis], *, radius: float = RADIUS) -> Radar:
    """Lay out a radar, clockwise on screen (SVG's y runs down).

    Axes of two families split the radar into halves: the first family's axes run down the left
    half and the second's down the right, each from the top, evenly spaced within its half, so a
    vertical line divides them. Otherwise axis i points at -90° + i × 360°/n, the first straight
    up. A missing score is drawn at the centre and its label says "not scored"; a missing target
    is drawn at the centre too, unless no axis has one, when there is no target outline at all.
    """
    if len(axes) < 3:
        raise ValueError(f"A radar needs at least 3 axes; there are {len(axes)}.")
    for axis in axes:
        check_value(axis.label, "score", axis.score)
        check_value(axis.label, "target", axis.target)
    runs = _runs(axes)
    families = [family for family, _ in runs]
    if len(set(families)) != len(families) or len(families) > 2:
        raise ValueError(
            "A radar's axes must come in at most two families, each family's axes together; "
            f"they run {', '.join(str(family) for family in families)}."
        )
    styles = [FAMILIES[family] for family in families if family in FAMILIES]
    halves = len(styles) == 2
    angles = _half_angles(len(runs[0][1]), len(runs[1][1])) if halves else _circle_angles(len(axes))
    # The labels set the width: the plot shrinks, if it must, to keep the text readable.
    while True:
        labels = [
            _label(axis, angle, radius, halves) for axis, angle in zip(axes, angles, strict=True)
        ]
        left = max(radius, *(-label.left for label in labels))
        right = max(radius, *(label.left + label.width for label in labels))
        if halves:
            left = max(left, HALF_TITLE_GAP + _title_width(styles[0]))
            right = max(right, HALF_TITLE_GAP + _title_width(styles[1]))
        width = math.ceil(left) + math.ceil(right) + 2 * PADDING
        if width <= MAX_WIDTH or radius <= MIN_RADIUS:
            break
        radius = max(MIN_RADIUS, radius - math.ceil((width - MAX_WIDTH) / 2))

    # Laid out around (0, 0) so far; now moved so that everything fits in the view box.
    top = min(-radius, *(label.top for label in labels))
    title_y = top - HALF_TITLE_GAP
    if halves:
        top = title_y - FONT_SIZE
    bottom = max(radius, *(label.bottom for label in labels))
    dx, dy = math.ceil(left) + PADDING, math.ceil(-top) + PADDING
    legend_y = dy + bottom + LEGEND_GAP
    height = math.ceil(legend_y + SWATCH.height) + PADDING

    def at(r: float, angle: float) -> Point:
        return Point(rounded(dx + r * math.cos(angle)), rounded(dy + r * math.sin(angle)))

    # Outlines join the axes in the order they go round, which with halves is not the axes' own.
    around = sorted(range(len(axes)), key=lambda i: (math.degrees(angles[i]) + 90) % 360)

    def polygon(values: Sequence[float]) -> str:
        return _points(at(radius * values[i] / 100, angles[i]) for i in around)

    # Where the outline of each ring crosses the vertical above and below the centre.
    top_reach, bottom_reach = _vertical_reach([angles[i] for i in around])
    centre = Point(dx, dy)
    return Radar(
        width=width,
        height=height,
        centre=centre,
        radius=radius,
        axes=tuple(axes),
        rings=tuple(
            _ring(
                value,
                polygon([value] * len(axes)),
                Point(dx, dy - radius * top_reach * value / 100),
            )
            for value in RINGS
        ),
        spokes=tuple(Line(centre.x, centre.y, (end := at(radius, a)).x, end.y) for a in angles),
        score_polygon=polygon([axis.score or 0 for axis in axes]),
        target_polygon=(
            polygon([axis.target or 0 for axis in axes])
            if any(axis.target is not None for axis in axes)
            else None
        ),
        dots=tuple(
            at(radius * (axis.score or 0) / 100, a) for axis, a in zip(axes, angles, strict=True)
        ),
        labels=tuple(_moved(label, dx, dy) for label in labels),
        halves=(
            tuple(
                _half(
                    style,
                    [at(radius, angles[i]) for i in indices],
                    centre,
                    Point(dx, rounded(dy - radius * top_reach)),
                    Point(dx, rounded(dy + radius * bottom_reach)),
                    title_y=rounded(dy + title_y),
                    left=side == 0,
                )
                for side, (style, (_, indices)) in enumerate(zip(styles, runs, strict=True))
            )
            if halves
            else ()
        ),
        divider=(
            Line(dx, rounded(dy + title_y - FONT_SIZE * 0.75), dx, rounded(dy + bottom))
            if halves
            else None
        ),
        legend=_legend(PADDING, rounded(legend_y)),
    )


def _runs(axes: Sequence[RadarAxis]) -> list[tuple[str | None, list[int]]]:
    """The axes, by their indexes, in runs of one family, in order."""
    return [
        (family, [i for i, _ in run])
        for family, run in groupby(enumerate(axes), key=lambda item: item[1].family)
    ]


def _circle_angles(count: int) -> list[float]:
    return [math.radians(-90 + i * 360 / count) for i in range(count)]


def _half_angles(left: int, right: int) -> list[float]:
    """Down the left half from the top, then down the right half from the top: the halves stay
    halves whatever their numbers of axes, as each family counts equally in the indexes."""
    return [math.radians(-90 - (i + 0.5) * 180 / left) for i in range(left)] + [
        math.radians(-90 + (i + 0.5) * 180 / right) for i in range(right)
    ]


def _vertical_reach(angles: Sequence[float]) -> tuple[float, float]:
    """How far up and down the vertical through the centre a ring's outline crosses it, as a
    share of the ring's radius. `angles` go round clockwise from the top."""

    def crossing(upwards: bool) -> float:
        corners = [(math.cos(a), math.sin(a)) for a in angles]
        for (x1, y1), (x2, y2) in zip(corners, corners[1:] + corners[:1], strict=True):
            if abs(x1) < 1e-9 and (y1 < 0) == upwards:
                return abs(y1)
            if x1 * x2 < 0 and (y1 + y2 < 0) == upwards:
                return abs(y1 + (y2 - y1) * x1 / (x1 - x2))
        return 0.0  # not reached: the axes go all the way round

    return crossing(upwards=True), crossing(upwards=False)


def _wrapped(text: str) -> list[str]:
    """The text in lines: two when it has two words or more (one when it has one), as even as
    they go, so the widest line is as short as it can be; more only when two lines would run
    past LABEL_CHARS."""
    words = len(text.split())
    if not words:
        return [""]
    for count in range(min(2, words), words + 1):
        for chars in range(max(1, math.ceil(len(text) / count)), LABEL_CHARS + 1):
            lines = textwrap.wrap(text, chars, break_long_words=False)
            if len(lines) <= count:
                return lines
    return textwrap.wrap(text, LABEL_CHARS, break_long_words=False) or [""]


def _label(axis: RadarAxis, angle: float, radius: float, halves: bool) -> Label:
    lines = _wrapped(axis.label)
    if axis.score is None:
        lines.append(f"({NOT_SCORED})")
    cos, sin = math.cos(angle), math.sin(angle)
    # The labels of a whole circle's top and bottom axes are centred on their spoke; the rest
    # start (right half) or end (left half) just outside the ring, so they never run back over
    # the plot, nor, with halves, across the divider.
    centred = abs(cos) < 0.2 and not halves
    anchor: Anchor = "middle" if centred else ("start" if cos > 0 else "end")
    x = (radius + LABEL_GAP) * cos
    y = (radius + LABEL_GAP) * sin
    block = (len(lines) - 1) * LINE_HEIGHT + FONT_SIZE
    # Slide the block from wholly above the point (top axis) through centred on it (sides) to
    # wholly below it (bottom axis), so it always sits outside the ring.
    block_top = y - block / 2 + sin * block / 2
    first_baseline = block_top + FONT_SIZE * 0.8
    return Label(
        x=x,
        anchor=anchor,
        lines=tuple(
            TextLine(first_baseline + i * LINE_HEIGHT, text) for i, text in enumerate(lines)
        ),
    )


def _title_width(style: Family) -> float:
    return text_width(style.title, FONT_SIZE, bold=True)


def _half(
    style: Family,
    corners: list[Point],
    centre: Point,
    top: Point,
    bottom: Point,
    *,
    title_y: float,
    left: bool,
) -> Half:
    return Half(
        title=style.title,
        colour=style.colour,
        tint=style.tint,
        sector=_points([centre, top, *corners, bottom]),
        title_at=Point(rounded(centre.x + (-1 if left else 1) * HALF_TITLE_GAP), title_y),
        anchor="end" if left else "start",
    )


def _ring(value: int, points: str, top: Point) -> Ring:
    text = text_width(str(value), FONT_SIZE)
    return Ring(
        value=value,
        points=points,
        label=Point(rounded(top.x + 5), rounded(top.y + FONT_SIZE * 0.35)),
        backing=Box(
            rounded(top.x + 3), rounded(top.y - FONT_SIZE * 0.55), rounded(text + 4), FONT_SIZE + 1
        ),
    )


def _legend(x: float, y: float) -> Legend:
    def at(right: float, down: float) -> Point:
        return Point(rounded(x + right), rounded(y + down))

    baseline = SWATCH.height / 2 + FONT_SIZE * 0.35
    score_x = SWATCH.width + 8
    line_x = score_x + text_width("Score", FONT_SIZE) + 24
    line_start, line_end = at(line_x, SWATCH.height / 2), at(line_x + 28, SWATCH.height / 2)
    return Legend(
        swatch=Box(rounded(x), rounded(y), SWATCH.width, SWATCH.height),
        score_text=at(score_x, baseline),
        target_line=Line(line_start.x, line_start.y, line_end.x, line_end.y),
        target_text=at(line_x + 36, baseline),
    )


def _points(points: Iterable[Point]) -> str:
    """As <polygon points> wants them: "x,y x,y …"."""
    return " ".join(f"{p.x},{p.y}" for p in points)


def _moved(label: Label, dx: float, dy: float) -> Label:
    return Label(
        x=rounded(label.x + dx),
        anchor=label.anchor,
        lines=tuple(TextLine(rounded(line.y + dy), line.text) for line in label.lines),
    )


def radar_for(result: Result) -> Radar:
    """The trend radar: one axis per trend in the result's order (the digital family first),
    targets as scores."""
    return radar(
        [
            RadarAxis(t.trend.title, t.score, t.target / TOP_LEVEL * 100, t.trend.family)
            for t in result.trends
        ]
    )
