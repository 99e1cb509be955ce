"""Time-points of a recording: "listen from 22:30" as links (decision 0031).

`parse_timepoint` reads what people write and what deep links carry (`22m30s`,
`1h2m3s`, `1350`, `22:30`, `1:02:03`, with or without a `t=` in front); the
formatters write the time for people and for players: Media Fragments for files
(`#t=1350`), YouTube's `start=` and Vimeo's `#t=…s`.

Pure Python: no models, no database, no settings.
"""

from __future__ import annotations

import re

# The longest value read: far above any recording, short enough to refuse junk early.
_MAX_LENGTH = 20
_UNITS = re.compile(r"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?", re.ASCII)
_CLOCK = re.compile(r"(?:(\d+):)?(\d+):(\d{2})", re.ASCII)
_PREFIX = re.compile(r"^[#?&]?t=")
_FORMS = "22m30s, 1h2m3s, 22:30, 1:02:03 or 1350 (seconds)"


def parse_timepoint(value: str) -> int:
    """Seconds from the start for a time-point as written; ValueError otherwise.

    Accepted: `1350` (seconds), `22m30s`, `1h2m3s`, `90m`, `45s` (units, in that
    order), `22:30` and `1:02:03` (minutes and seconds of 00-59 after a larger
    unit), each optionally after `t=` (`?t=`, `#t=`). Upper or lower case, spaces
    around ignored.
    """
    text = _PREFIX.sub("", value.strip().lower()).strip()
    if not text:
        raise ValueError(f"The time-point is empty: write {_FORMS}.")
    if text.startswith("-"):
        raise ValueError(
            f"The time-point {value!r} is negative: a time-point counts from the start."
        )
    if len(text) > _MAX_LENGTH:
        raise ValueError(f"The time-point {value[:_MAX_LENGTH]!r}… is too long: write {_FORMS}.")
    if text.isascii() and text.isdigit():
        return int(text)
    units = _UNITS.fullmatch(text)
    if units is not None and any(units.groups()):
        hours, minutes, seconds = (int(part) if part else None for part in units.groups())
        if (hours is not None and minutes is not None and minutes > 59) or (
            (hours is not None or minutes is not None) and seconds is not None and seconds > 59
        ):
            raise ValueError(
                f"The time-point {value!r} has more than 59 minutes or seconds after a "
                f"larger unit: write {_FORMS}."
            )
        return (hours or 0) * 3600 + (minutes or 0) * 60 + (seconds or 0)
    clock = _CLOCK.fullmatch(text)
    if clock is not None:
        hours_text, minutes_text, seconds_text = clock.groups()
        minutes, seconds = int(minutes_text), int(seconds_text)
        if seconds > 59 or (hours_text is not None and minutes > 59):
            raise ValueError(
                f"The time-point {value!r} has more than 59 minutes or seconds after a "
                f"larger unit: write {_FORMS}."
            )
        return int(hours_text or 0) * 3600 + minutes * 60 + seconds
    raise ValueError(f"{value!r} is not a time-point: write {_FORMS}.")


def _checked(seconds: int) -> int:
    if isinstance(seconds, bool) or not isinstance(seconds, int):
        raise TypeError(f"A time-point is a whole number of seconds, not {seconds!r}.")
    if seconds < 0:
        raise ValueError(f"A time-point cannot be negative ({seconds}).")
    return seconds


def format_timepoint(seconds: int) -> str:
    """The time as people write it: `4:30`, `22:30`, `1:02:03` (`0:45` under a minute)."""
    minutes, secs = divmod(_checked(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


def media_fragment(seconds: int) -> str:
    """The Media Fragments address part for a file's player: `#t=1350`."""
    return f"#t={_checked(seconds)}"


def youtube_start(seconds: int) -> str:
    """The query parameter of a YouTube embed address starting there: `start=1350`."""
    return f"start={_checked(seconds)}"


def vimeo_fragment(seconds: int) -> str:
    """The address part of a Vimeo embed starting there: `#t=1350s`."""
    return f"#t={_checked(seconds)}s"
