"""The running total per day the dashboard draws as an SVG (console/charts.py)."""

from datetime import date, timedelta

from convene.console.charts import BOTTOM, HEIGHT, LEFT, RIGHT, TOP, WIDTH, day_chart

MAY = date(2030, 5, 1)


def _chart(counts, start=MAY, end=MAY + timedelta(days=4)):
    return day_chart(
        key="test", title="Things over time", counts=counts, start=start, end=end,
        singular="thing", plural="things",
    )  # fmt: skip


def test_nothing_counted_draws_nothing():
    assert _chart({}) is None
    assert _chart({MAY: 0}) is None


def test_every_day_from_start_to_end_has_its_count_and_running_total():
    chart = _chart({MAY: 2, MAY + timedelta(days=3): 5})

    assert [(d.day.day, d.count, d.total) for d in chart.days] == [
        (1, 2, 2), (2, 0, 2), (3, 0, 2), (4, 5, 7), (5, 0, 7),
    ]  # fmt: skip
    assert (chart.first_day, chart.last_day, chart.total) == (MAY, date(2030, 5, 5), 7)
    assert chart.summary == (
        "Things over time, 1 May 2030 to 5 May 2030: 7 things in all, 2 by the end of "
        "the first day; the most in one day was 5, on 4 May 2030."
    )
    assert (chart.count_header, chart.total_header) == ("New things", "Things so far")


def test_a_day_counted_after_the_end_extends_the_chart():
    chart = _chart({MAY: 1, date(2030, 5, 9): 1})

    assert chart.last_day == date(2030, 5, 9)
    assert len(chart.days) == 9


def test_the_line_runs_from_the_left_edge_to_the_right_and_the_scale_is_round():
    chart = _chart({MAY: 2, MAY + timedelta(days=3): 5})

    # 7 rounds up to 8, in steps of 2; the line starts at 2 and ends at 7.
    assert [(t.label, t.position) for t in chart.y_ticks] == [
        ("0", HEIGHT - BOTTOM), ("2", 166.0), ("4", 116.0), ("6", 66.0), ("8", TOP),
    ]  # fmt: skip
    assert chart.line == "M56 166 L196 166 L336 166 L476 41 L616 41"
    assert (LEFT, WIDTH - RIGHT) == (56, 616)
    assert chart.area == f"{chart.line} L616 216 L56 216 Z"
    # A marker on each day something was counted, not on the others.
    assert [(p.x, p.y, p.day.count) for p in chart.points] == [(56, 166, 2), (476, 41, 5)]


def test_at_most_six_day_labels_the_first_and_the_last_among_them():
    chart = _chart({MAY: 1}, end=MAY + timedelta(days=29))

    assert [t.label for t in chart.x_ticks] == [
        "1 May", "7 May", "13 May", "18 May", "24 May", "30 May",
    ]  # fmt: skip
    assert [t.position for t in chart.x_ticks][::5] == [LEFT, WIDTH - RIGHT]


def test_one_day_is_drawn_in_the_middle_and_said_in_a_short_sentence():
    chart = _chart({MAY: 1}, end=MAY)

    assert [p.x for p in chart.points] == [(LEFT + WIDTH - RIGHT) / 2]
    assert chart.summary == "Things over time, 1 May 2030: 1 thing."


def test_large_totals_get_round_steps():
    chart = _chart({MAY: 2345})

    # At most five steps of 1, 2 or 5 times a power of ten: 500s up to 2,500.
    assert [t.label for t in chart.y_ticks] == ["0", "500", "1000", "1500", "2000", "2500"]
