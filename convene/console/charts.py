"""A running total per day, drawn as an SVG on the server (docs/decisions/0028).

`day_chart(...)` turns counts per day into what the template
"console/includes/day_chart.html" draws: the line of the running total in
viewBox coordinates, the axes' ticks and labels, a sentence that says what the
chart shows (its text alternative) and every day's numbers (the table under
"Show the numbers"). No JavaScript and no drawing library: the page is the
same with scripts off, and the numbers in the table are the numbers drawn.

Reached by other apps through `console.extensions` (re-exported there).
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.dateformat import format as format_date

# The drawing area, in viewBox units (the SVG scales to the width of the page).
WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 24, 16, 44
X_LABELS = 6  # at most, evenly spread, first and last day always
Y_TICKS = 5  # at most, from 0 to the top of the scale


@dataclass(frozen=True)
class ChartDay:
    day: date
    #: Counted on that day.
    count: int
    #: Counted on that day and every day before.
    total: int


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    day: ChartDay


@dataclass(frozen=True)
class DayChart:
    #: Prefix of the SVG's element ids (its <title> and <desc>).
    key: str
    title: str
    #: What the chart shows, in one sentence: the SVG's <desc>.
    summary: str
    #: Header of the table's "counted that day" column ("New registrations").
    count_header: str
    #: Header of the running total's column ("Registrations so far").
    total_header: str
    days: list[ChartDay]
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    #: The running total, as an SVG path (`d`), and the area under it.
    line: str
    area: str
    #: A marker on each day something was counted (the line's shape, not only its colour).
    points: list[Point]
    x_ticks: list[Tick]
    y_ticks: list[Tick]

    @property
    def first_day(self) -> date:
        return self.days[0].day

    @property
    def last_day(self) -> date:
        return self.days[-1].day

    @property
    def total(self) -> int:
        return self.days[-1].total

    @property
    def y_label_x(self) -> int:
        """Where the y axis's labels end (right-aligned, left of the axis)."""
        return self.left - 8

    @property
    def x_tick_end(self) -> int:
        return self.bottom + 6

    @property
    def x_label_y(self) -> int:
        return self.bottom + 24


def _step(top: int) -> int:
    """A round step (1, 2, 5, 10, 20, 50 ...) giving at most Y_TICKS steps up to `top`."""
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            step = factor * magnitude
            if math.ceil(top / step) <= Y_TICKS:
                return step
        magnitude *= 10


def _long(day: date) -> str:
    return format_date(day, "j F Y")


def _number(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def day_chart(
    *,
    key: str,
    title: str,
    counts: Mapping[date, int],
    start: date,
    end: date,
    singular: str,
    plural: str,
) -> DayChart | None:
    """The running total of `counts` for every day from `start` to `end` (both
    included; `end` is moved to the last counted day if that is later), or None
    when nothing was counted. `singular`/`plural` name what is counted
    ("registration", "registrations") in the sentence and the table."""
    if not any(counts.values()):
        return None
    end = max(end, start, *counts)
    days: list[ChartDay] = []
    total = 0
    for offset in range((end - start).days + 1):
        day = start + timedelta(days=offset)
        count = counts.get(day, 0)
        total += count
        days.append(ChartDay(day=day, count=count, total=total))

    right, bottom = WIDTH - RIGHT, HEIGHT - BOTTOM
    step = _step(total)
    scale_top = step * math.ceil(total / step)

    def x(index: int) -> float:
        if len(days) == 1:
            return (LEFT + right) / 2
        return LEFT + (right - LEFT) * index / (len(days) - 1)

    def y(value: int) -> float:
        return bottom - (bottom - TOP) * value / scale_top

    coordinates = [(x(i), y(d.total)) for i, d in enumerate(days)]
    line = "M" + " L".join(f"{_number(px)} {_number(py)}" for px, py in coordinates)
    first_x, last_x = _number(coordinates[0][0]), _number(coordinates[-1][0])
    area = f"{line} L{last_x} {bottom} L{first_x} {bottom} Z"
    label_indexes = sorted(
        {round(i * (len(days) - 1) / (X_LABELS - 1)) for i in range(X_LABELS)}
        if len(days) > X_LABELS
        else range(len(days))
    )
    what = singular if total == 1 else plural
    if len(days) == 1:
        summary = f"{title}, {_long(start)}: {total} {what}."
    else:
        busiest = max(days, key=lambda d: (d.count, -d.day.toordinal()))
        summary = (
            f"{title}, {_long(start)} to {_long(end)}: {total} {what} in all, "
            f"{days[0].total} by the end of the first day; the most in one day was "
            f"{busiest.count}, on {_long(busiest.day)}."
        )
    return DayChart(
        key=key,
        title=title,
        summary=summary,
        count_header=f"New {plural}",
        total_header=f"{plural.capitalize()} so far",
        days=days,
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right=right,
        top=TOP,
        bottom=bottom,
        line=line,
        area=area,
        points=[
            Point(x=round(px, 1), y=round(py, 1), day=d)
            for (px, py), d in zip(coordinates, days, strict=True)
            if d.count
        ],
        x_ticks=[Tick(round(x(i), 1), format_date(days[i].day, "j M")) for i in label_indexes],
        y_ticks=[Tick(round(y(value), 1), str(value)) for value in range(0, scale_top + 1, step)],
    )
