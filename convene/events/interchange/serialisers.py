"""Schedule data (see data.py) written as frab-compatible JSON, frab XML or CSV.

The JSON and XML follow what pretalx 2026.2 writes (reference files in
tests/events/interchange/samples/), key for key and element for element, so
tools built for pretalx and frab (c3voc, Giggity, ConfClerk, media players)
read ours. Fields we have no equivalent for carry pretalx's empty values.
"""

import csv
import io
import json
import re
import xml.etree.ElementTree as ET  # writing only; uploads are read with defusedxml
from datetime import timedelta

from convene.core.spreadsheet import csv_safe
from convene.events.interchange.data import ScheduleData, Talk
from convene.events.models import Session

SCHEMA = "https://c3voc.de/schedule/schema.json"
GENERATOR = "Convene"
LANGUAGE = "en"
TIMESLOT = "00:05"

# XML 1.0 cannot carry these at all, even escaped (pretalx strips them too).
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def frab_duration(duration: timedelta) -> str:
    """'HH:MM', hours past 24 if need be (frab's format)."""
    minutes = int(duration.total_seconds() // 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _talk_json(talk: Talk) -> dict:
    return {
        "guid": talk.guid,
        "code": talk.slug,
        "id": talk.id,
        "logo": None,
        "date": talk.start.isoformat(),
        "start": talk.start.strftime("%H:%M"),
        "end": talk.end.isoformat(),
        "duration": frab_duration(talk.duration),
        "room": talk.room,
        "slug": talk.slug,
        "url": talk.url,
        "title": talk.title,
        "subtitle": "",
        "track": talk.track,
        "type": talk.type,
        "language": LANGUAGE,
        "abstract": talk.summary,
        "description": talk.description,
        "recording_license": "",
        "do_not_record": talk.do_not_record,
        "persons": [
            {
                "code": person.code,
                "name": person.name,
                "avatar": None,
                "biography": person.biography,
                "public_name": person.name,
                "guid": person.guid,
                "url": person.url,
            }
            for person in talk.persons
        ],
        # Join links are left out: they are for registrants (docs/decisions/0008).
        "links": [],
        "feedback_url": None,
        "origin_url": talk.url,
        "attachments": [],
    }


def schedule_json(data: ScheduleData) -> bytes:
    document = {
        "$schema": SCHEMA,
        "generator": {"name": GENERATOR, "version": data.version, "url": data.base_url},
        "schedule": {
            "url": data.url,
            "version": data.version,
            "base_url": data.base_url,
            "conference": {
                "acronym": data.acronym,
                "title": data.title,
                "start": data.start.isoformat(),
                "end": data.end.isoformat(),
                "daysCount": data.days_count,
                "timeslot_duration": TIMESLOT,
                "time_zone_name": data.time_zone,
                "colors": {"primary": "#005eb8"},
                "rooms": [
                    {
                        "name": room.name,
                        "slug": room.slug,
                        "guid": room.guid,
                        "description": None,
                        "capacity": None,
                    }
                    for room in data.rooms
                ],
                "tracks": [
                    {"name": track.name, "slug": track.slug, "color": track.colour}
                    for track in data.tracks
                ],
                "days": [
                    {
                        "index": day.index,
                        "date": day.date.isoformat(),
                        "day_start": day.start.isoformat(),
                        "day_end": day.end.isoformat(),
                        "rooms": {
                            room.room.name: [_talk_json(talk) for talk in room.talks]
                            for room in day.rooms
                        },
                    }
                    for day in data.days
                ],
            },
        },
    }
    return json.dumps(document, ensure_ascii=False).encode()


def _text(value: object) -> str:
    return _CONTROL_CHARACTERS.sub("", "" if value is None else str(value))


def _sub(parent: ET.Element, tag: str, text: object = "", **attrs: object) -> ET.Element:
    element = ET.SubElement(parent, tag, {key: _text(value) for key, value in attrs.items()})
    element.text = _text(text)
    return element


def _talk_xml(parent: ET.Element, talk: Talk) -> None:
    event = _sub(parent, "event", None, guid=talk.guid, id=talk.id, code=talk.slug)
    for tag, value in (
        ("room", talk.room),
        ("title", talk.title),
        ("subtitle", ""),
        ("type", talk.type),
        ("date", talk.start.isoformat()),
        ("start", talk.start.strftime("%H:%M")),
        ("duration", frab_duration(talk.duration)),
        ("abstract", talk.summary),
        ("slug", talk.slug),
        ("track", talk.track),
    ):
        _sub(event, tag, value)
    persons = _sub(event, "persons")
    for person in talk.persons:
        _sub(persons, "person", person.name, id=person.id)
    _sub(event, "language", LANGUAGE)
    _sub(event, "description", talk.description)
    recording = _sub(event, "recording")
    _sub(recording, "license")
    _sub(recording, "optout", "true" if talk.do_not_record else "false")
    _sub(event, "links")
    _sub(event, "attachments")
    _sub(event, "url", talk.url)
    _sub(event, "feedback_url")


def schedule_xml(data: ScheduleData) -> bytes:
    root = ET.Element("schedule")
    _sub(root, "generator", None, name=GENERATOR, system=data.base_url, version=data.version)
    _sub(root, "version", data.version)
    conference = _sub(root, "conference")
    for tag, value in (
        ("title", data.title),
        ("acronym", data.acronym),
        ("start", data.start.isoformat()),
        ("end", data.end.isoformat()),
        ("days", data.days_count),
        ("timeslot_duration", TIMESLOT),
        ("base_url", data.base_url),
        ("time_zone_name", data.time_zone),
    ):
        _sub(conference, tag, value)
    for track in data.tracks:
        _sub(conference, "track", None, name=track.name, slug=track.slug, color=track.colour)
    for day in data.days:
        day_element = _sub(
            root,
            "day",
            None,
            index=day.index,
            date=day.date.isoformat(),
            start=day.start.isoformat(),
            end=day.end.isoformat(),
        )
        for day_room in day.rooms:
            room_element = _sub(
                day_element, "room", None, name=day_room.room.name, guid=day_room.room.guid
            )
            for talk in day_room.talks:
                _talk_xml(room_element, talk)
    ET.indent(root, space="    ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


CSV_HEADER = (
    "Date", "Start", "End", "Time zone", "Room", "Track", "Title", "Kind", "Status", "Hosts",
    "Join provider", "Join link", "Hashtags", "Summary",
)  # fmt: skip


def schedule_csv(data: ScheduleData) -> bytes:
    """One row per session, cancelled ones and breaks included, for organisers.

    UTF-8 with a byte-order mark, which Excel needs to read accents right.
    """
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for talk in sorted(data.talks, key=lambda talk: talk.start):
        hosts = "; ".join(f"{person.name} ({person.role})" for person in talk.persons)
        row = (
            talk.start.date().isoformat(),
            talk.start.strftime("%H:%M"),
            talk.end.strftime("%H:%M"),
            data.time_zone,
            talk.room,
            talk.track or "",
            talk.title,
            talk.type,
            Session.Status(talk.status).label,
            hosts,
            talk.join_provider,
            talk.join_address,
            talk.hashtags,
            talk.summary,
        )
        writer.writerow([csv_safe(cell) for cell in row])
    return ("\ufeff" + out.getvalue()).encode()
