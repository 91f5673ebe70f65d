"""Peer strips: one trend or index against the peers' scores (templates/reports/_strip.html)."""

from __future__ import annotations

from dataclasses import dataclass

from assessment.reporting.charts.geometry import Box, Line, Point, check_value, rounded
from assessment.reporting.numbers import whole

STRIP_DOT_RADIUS = 5


@dataclass(frozen=True)
class Strip:
    """One trend against its peers: the middle half of their scores as a band, their median
    as a line, this organisation's score as a dot, on a 0-100 track."""

    width: int  # the view box's: the SVG itself is as wide as its container
    height: int
    track_left: float
    track_right: float
    track_y: float
    band: Box | None  # the peers' lower to upper quartile; None when not shown
    median: Line | None
    dot: Point | None  # this organisation's score; None when not scored
    description: str


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
        check_value(label, name, value)
    left, right = float(STRIP_DOT_RADIUS + 1), float(width - STRIP_DOT_RADIUS - 1)
    middle = height / 2

    def x(value: float) -> float:
        return rounded(left + (right - left) * value / 100)

    band = median_line = None
    if lower is not None and median is not None and upper is not None:
        if not lower <= median <= upper:
            raise ValueError(f"{label}: the quartiles must run lower ≤ median ≤ upper.")
        band = Box(x(lower), rounded(middle - 7), rounded(x(upper) - x(lower)), 14.0)
        median_line = Line(x(median), rounded(middle - 9), x(median), rounded(middle + 9))
        peers = f"peers' median {whole(median)}, middle half {whole(lower)} to {whole(upper)}"
    else:
        peers = "not enough peers yet"
    you = (
        f"this organisation {whole(score)}" if score is not None else "this organisation not scored"
    )
    return Strip(
        width=width,
        height=height,
        track_left=left,
        track_right=right,
        track_y=rounded(middle),
        band=band,
        median=median_line,
        dot=Point(x(score), rounded(middle)) if score is not None else None,
        description=f"{label}: {you}; {peers}.",
    )
