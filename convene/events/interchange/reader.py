"""Reading a schedule file (pretalx JSON or frab XML) into plain, checked data.

Nothing here touches the database. `read_schedule` returns a complete
`ParsedSchedule` or raises `ScheduleFileError` naming every problem (up to
`MAX_PROBLEMS`) with where it is: a JSON path such as
`schedule.conference.days[0].rooms["Room A"][3].date`, or an XML line and
element such as `line 12: <event guid="…">: missing <date>`. The format is
told by the content (`{` or `<`), never by the file name.
"""

from convene.events.dates import SessionWindow
from convene.events.interchange import reader_json, reader_xml
from convene.events.interchange.checks import (
    MAX_BYTES,
    ParsedConference,
    ParsedSchedule,
    ScheduleFileError,
    too_large,
)


def _format(data: bytes):
    """The reader module for the file's format (told by its first character)."""
    if len(data) > MAX_BYTES:
        raise ScheduleFileError([too_large(len(data))])
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if not head:
        raise ScheduleFileError(["The file is empty."])
    if head == b"{":
        return reader_json
    if head == b"<":
        return reader_xml
    raise ScheduleFileError(
        [
            "This is not a schedule file Convene can read: choose the JSON or XML schedule "
            "exported by pretalx or frab (it starts with { or <)."
        ]
    )


def read_conference(data: bytes) -> ParsedConference:
    """The file's conference block (title, acronym, first and last day, time zone), for
    an event made from it; ScheduleFileError naming what is missing or wrong."""
    return _format(data).read_conference(data)


def read_schedule(data: bytes, *, default_zone: str, window: SessionWindow) -> ParsedSchedule:
    """Read a pretalx JSON or frab XML schedule; raise ScheduleFileError if it is unusable.

    Times with an offset keep their instant; times without one are read in the
    file's time zone (`time_zone_name`), else in `default_zone`. A talk that starts
    or ends outside `window` (the event's dates, events/dates.py) is a problem.
    """
    return _format(data).read(data, default_zone=default_zone, window=window)
