"""The trend radar: one axis per trend, with the scores and the targets as outlines.

Drawn by templates/reports/_radar.html in the report page and the PDF.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from assessment.reporting.charts.geometry import (
    PADDING,
    Box,
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
LABEL_FONT_SIZE = 12
RING_FONT_SIZE = 10
LABEL_LINE_HEIGHT = 14
LABEL_GAP = 10  # from the outer ring to the nearest edge of a label
LABEL_CHARS = 18  # longer labels wrap: "Local and national / leadership"
LEGEND_GAP = 16
LEGEND_HEIGHT = 14
NOT_SCORED = "not scored"

Anchor = Literal["start", "middle", "end"]  # SVG text-anchor


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
        check_value(axis.label, "score", axis.score)
        check_value(axis.label, "target", axis.target)
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
        return Point(rounded(dx + r * math.cos(angle)), rounded(dy + r * math.sin(angle)))

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
        legend=_legend(PADDING, rounded(dy + legend_y)),
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
        label=Point(rounded(top.x + 5), rounded(top.y + RING_FONT_SIZE * 0.35)),
        backing=Box(rounded(top.x + 3), rounded(top.y - 6), rounded(text + 4), 12),
    )


def _legend(x: float, y: float) -> Legend:
    def at(right: float, down: float) -> Point:
        return Point(rounded(x + right), rounded(y + down))

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
        x=rounded(label.x + dx),
        anchor=label.anchor,
        lines=tuple(TextLine(rounded(line.y + dy), line.text) for line in label.lines),
    )


def radar_for(result: Result, *, size: int = 360) -> Radar:
    """The trend radar: one axis per trend in the result's order, targets as scores."""
    return radar(
        [RadarAxis(t.trend.title, t.score, t.target / TOP_LEVEL * 100) for t in result.trends],
        size=size,
    )
