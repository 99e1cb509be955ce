"""Deep-link time-points (convene.media.timepoints, decision 0031)."""

import pytest

from convene.media.timepoints import (
    format_timepoint,
    media_fragment,
    parse_timepoint,
    vimeo_fragment,
    youtube_start,
)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("22m30s", 1350),
        ("1h2m3s", 3723),
        ("1h", 3600),
        ("90m", 5400),
        ("45s", 45),
        ("2h30s", 7230),
        ("1350", 1350),
        ("0", 0),
        ("22:30", 1350),
        ("4:30", 270),
        ("90:00", 5400),
        ("1:02:03", 3723),
        ("61:00:00", 219600),
        ("t=22m30s", 1350),
        ("?t=1350", 1350),
        ("#t=22:30", 1350),
        (" T=22M30S ", 1350),
    ],
)
def test_parse_timepoint_reads_every_written_form(value, seconds):
    assert parse_timepoint(value) == seconds


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "The time-point is empty"),
        ("t=", "The time-point is empty"),
        ("-30", "is negative"),
        ("t=-1:00", "is negative"),
        ("61:00:00x", "'61:00:00x' is not a time-point"),
        ("22:3", "'22:3' is not a time-point"),
        ("22:61", "more than 59 minutes or seconds"),
        ("1:60:00", "more than 59 minutes or seconds"),
        ("1h60m", "more than 59 minutes or seconds"),
        ("2m75s", "more than 59 minutes or seconds"),
        ("30s22m", "'30s22m' is not a time-point"),
        ("1.5", "'1.5' is not a time-point"),
        ("\u0661\u0662", "'\u0661\u0662' is not a time-point"),
        ("\u0661\u0662m", "'\u0661\u0662m' is not a time-point"),
        ("\u0661:\u0663\u0660", "'\u0661:\u0663\u0660' is not a time-point"),
        ("1" * 21, "is too long"),
    ],
)
def test_parse_timepoint_refuses_anything_else_saying_what_to_write(value, message):
    with pytest.raises(ValueError, match="time-point") as caught:
        parse_timepoint(value)

    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("seconds", "written"),
    [(0, "0:00"), (45, "0:45"), (270, "4:30"), (1350, "22:30"), (1845, "30:45"), (3723, "1:02:03")],
)
def test_format_timepoint_writes_what_people_write_and_parse_reads_it_back(seconds, written):
    assert format_timepoint(seconds) == written
    assert parse_timepoint(written) == seconds


def test_player_addresses_for_files_youtube_and_vimeo():
    assert media_fragment(1350) == "#t=1350"
    assert youtube_start(1350) == "start=1350"
    assert vimeo_fragment(1350) == "#t=1350s"


@pytest.mark.parametrize("write", [format_timepoint, media_fragment, youtube_start, vimeo_fragment])
def test_the_writers_refuse_negative_and_non_whole_seconds(write):
    with pytest.raises(ValueError, match="cannot be negative"):
        write(-1)
    with pytest.raises(TypeError, match="whole number of seconds"):
        write(1.5)
    with pytest.raises(TypeError, match="whole number of seconds"):
        write(True)
