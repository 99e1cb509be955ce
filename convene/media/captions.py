"""Captions, transcripts and chapters in and out: WebVTT, SRT and Teams transcripts.

A small strict reader of our own (decision 0031): every problem of a file is found
and reported at once, each naming its line; nothing half-read is returned. SRT is
recognised by its content (whatever the file is called) and converted; a Microsoft
Teams meeting transcript's voice tags (`<v Speaker Name>text</v>`) give each cue
its speaker. Cue text is kept as plain text: markup tags are removed and character
references decoded, and the writers escape it again.

Pure Python: no models, no database, no settings.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass

WEBVTT = "webvtt"
SRT = "srt"

# WebVTT: hours optional (two digits or more), minutes and seconds 00-59, milliseconds.
_VTT_TIME = re.compile(r"(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})", re.ASCII)
# SRT: hh:mm:ss,ttt (hours of one digit or more).
_SRT_TIME = re.compile(r"(\d+):([0-5]\d):([0-5]\d),(\d{3})", re.ASCII)
_SRT_NUMBER = re.compile(r"[0-9]+")
_TIMING = re.compile(r"(\S+)[ \t]+-->[ \t]+(\S+)(?:[ \t]+(.*))?")
_HEADER = re.compile(r"WEBVTT(?:[ \t].*)?")
_BLOCK_KEYWORD = re.compile(r"(NOTE|STYLE|REGION)(?:[ \t].*)?")
_LANGUAGE = re.compile(r"language[ \t]*:[ \t]*([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)", re.I)
_VOICE = re.compile(r"<v(?:\.[^ \t\n>]*)?[ \t]+([^>]+)>")
_TAG = re.compile(r"<[^>]*>")
_ENTITIES = {
    "&amp;": "&",
    "&lt;": "<",
    "&gt;": ">",
    "&nbsp;": "\u00a0",
    "&lrm;": "\u200e",
    "&rlm;": "\u200f",
    "&quot;": '"',
    "&apos;": "'",
}
_ENTITY = re.compile("|".join(re.escape(e) for e in _ENTITIES))


@dataclass(frozen=True, slots=True)
class Cue:
    """One caption: from `start_ms` to `end_ms`, plain text (lines joined by "\\n")."""

    start_ms: int
    end_ms: int
    text: str
    speaker: str | None = None


@dataclass(frozen=True, slots=True)
class Captions:
    """A whole captions file: its cues in start order, its language (a BCP 47 tag
    when the header gives one) and the format it came in (`"webvtt"` or `"srt"`)."""

    cues: tuple[Cue, ...]
    language: str | None = None
    source_format: str = WEBVTT


@dataclass(frozen=True, slots=True)
class Chapter:
    """One chapter of a recording: from `start_ms` to `end_ms`, with its title."""

    start_ms: int
    end_ms: int
    title: str


class CaptionsError(ValueError):
    """A file refused: `problems` lists every problem found, each starting with
    its line ("line 7: the cue ends (…) before it starts (…)")."""

    def __init__(self, problems: Iterable[str], *, filename: str = "") -> None:
        self.problems = tuple(problems)
        self.filename = filename
        name = filename or "The file"
        super().__init__(f"{name} could not be read: " + "; ".join(self.problems))


# --- Reading -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Block:
    first_line: int  # 1-based line number of the block's first line
    lines: tuple[str, ...]


def _decode(data: bytes, filename: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        offset_base = 3
    else:
        offset_base = 0
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        byte = data[error.start]
        raise CaptionsError(
            [
                f"line {line}: the file is not UTF-8 (byte 0x{byte:02X} at offset "
                f"{error.start + offset_base}); save it as UTF-8 and upload it again"
            ],
            filename=filename,
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _blocks(lines: list[str], start: int) -> Iterator[_Block]:
    """The blocks of lines separated by blank lines, from index `start`."""
    current: list[str] = []
    first = start
    for index in range(start, len(lines)):
        line = lines[index]
        if line.strip() == "":
            if current:
                yield _Block(first + 1, tuple(current))
                current = []
        else:
            if not current:
                first = index
            current.append(line)
    if current:
        yield _Block(first + 1, tuple(current))


def _milliseconds(match: re.Match[str]) -> int:
    hours, minutes, seconds, millis = match.groups()
    return ((int(hours or 0) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + int(millis)


def format_timestamp(ms: int, *, separator: str = ".") -> str:
    """`hh:mm:ss.ttt` (WebVTT; SRT with `separator=","`)."""
    seconds, millis = divmod(ms, 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{separator}{millis:03d}"


def _plain(payload: str) -> tuple[str, str | None]:
    """Cue payload to plain text and its speaker (the first voice tag's name)."""
    voice = _VOICE.search(payload)
    speaker = _ENTITY.sub(lambda m: _ENTITIES[m.group()], voice.group(1)).strip() if voice else None
    text = _ENTITY.sub(lambda m: _ENTITIES[m.group()], _TAG.sub("", payload))
    lines = [line.strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line), speaker or None


def _looks_like_srt(blocks: list[_Block]) -> bool:
    if not blocks:
        return False
    lines = blocks[0].lines
    return (
        len(lines) >= 2
        and _SRT_NUMBER.fullmatch(lines[0].strip()) is not None
        and (timing := _TIMING.fullmatch(lines[1].strip())) is not None
        and "," in timing.group(1)
    )


def _has_cues(blocks: list[_Block]) -> bool:
    return any("-->" in line for block in blocks for line in block.lines)


def _parse(data: bytes, *, filename: str, srt_allowed: bool) -> tuple[list[Cue], str | None, str]:
    text = _decode(data, filename)
    if text.strip() == "":
        raise CaptionsError(["line 1: the file is empty"], filename=filename)
    lines = text.split("\n")
    problems: list[str] = []
    language: str | None = None

    if _HEADER.fullmatch(lines[0]):
        source_format = WEBVTT
        # The header runs to the first blank line; a "Language: en" line in it names
        # the language (as YouTube and others write it).
        body = 1
        while body < len(lines) and lines[body].strip() != "":
            if "-->" in lines[body]:
                problems.append(
                    f"line {body + 1}: a blank line must follow the WEBVTT header "
                    "before the first cue"
                )
                break
            if found := _LANGUAGE.fullmatch(lines[body].strip()):
                language = found.group(1)
            body += 1
        blocks = list(_blocks(lines, body))
    else:
        blocks = list(_blocks(lines, 0))
        if srt_allowed and _looks_like_srt(blocks):
            source_format = SRT
        elif _has_cues(blocks):
            source_format = WEBVTT
            problems.append(
                'line 1: the WEBVTT header is missing (a WebVTT file starts with "WEBVTT")'
            )
        else:
            kind = "neither WebVTT nor SRT" if srt_allowed else "not WebVTT"
            raise CaptionsError(
                [f"line 1: the file is {kind} (no cue times found)"], filename=filename
            )

    cues: list[Cue] = []
    previous: tuple[int, int] | None = None  # (start_ms, line) of the cue above
    for block in blocks:
        cue_line, cue = (
            _srt_cue(block, problems) if source_format == SRT else _vtt_cue(block, problems)
        )
        if cue is None:
            continue
        if previous is not None and cue.start_ms < previous[0]:
            problems.append(
                f"line {cue_line}: the cue starts ({format_timestamp(cue.start_ms)}) before "
                f"the cue above it (line {previous[1]}, {format_timestamp(previous[0])}); "
                "cues must be in start order"
            )
        previous = (cue.start_ms, cue_line)
        cues.append(cue)

    if not cues and not problems:
        problems.append("line 1: the file has no cues")
    if problems:
        raise CaptionsError(problems, filename=filename)
    return cues, language, source_format


def _timing(
    line: str, number: int, pattern: re.Pattern[str], form: str, problems: list[str]
) -> tuple[int, int] | None:
    match = _TIMING.fullmatch(line.strip())
    if match is None:
        problems.append(f'line {number}: expected cue times ("{form} --> {form}"), found {line!r}')
        return None
    start_text, end_text = match.group(1), match.group(2)
    times = []
    for which, value in (("start", start_text), ("end", end_text)):
        found = pattern.fullmatch(value)
        if found is None:
            problems.append(
                f"line {number}: the {which} time {value!r} is not a timestamp ({form})"
            )
        else:
            times.append(_milliseconds(found))
    if len(times) != 2:
        return None
    start, end = times
    if end < start:
        problems.append(
            f"line {number}: the cue ends ({format_timestamp(end)}) before it starts "
            f"({format_timestamp(start)})"
        )
        return None
    if end == start:
        problems.append(
            f"line {number}: the cue ends when it starts ({format_timestamp(start)}); "
            "it must end after it starts"
        )
        return None
    return start, end


def _vtt_cue(block: _Block, problems: list[str]) -> tuple[int, Cue | None]:
    lines = block.lines
    if _BLOCK_KEYWORD.fullmatch(lines[0]):
        return block.first_line, None  # a NOTE, STYLE or REGION block
    timing_index = 0 if "-->" in lines[0] else 1  # an optional cue identifier first
    number = block.first_line + timing_index
    if timing_index >= len(lines) or "-->" not in lines[timing_index]:
        problems.append(
            f"line {block.first_line}: a block without cue times "
            '("00:00:01.000 --> 00:00:04.000"); a comment starts with "NOTE"'
        )
        return block.first_line, None
    times = _timing(lines[timing_index], number, _VTT_TIME, "hh:mm:ss.ttt", problems)
    payload = lines[timing_index + 1 :]
    for offset, line in enumerate(payload):
        if "-->" in line:
            problems.append(
                f'line {number + 1 + offset}: cue text cannot contain "-->" '
                "(is a blank line missing before this cue?)"
            )
            return number, None
    return _cue(times, payload, number, problems)


def _srt_cue(block: _Block, problems: list[str]) -> tuple[int, Cue | None]:
    lines = block.lines
    if not _SRT_NUMBER.fullmatch(lines[0].strip()):
        problems.append(
            f"line {block.first_line}: expected the cue's number (SRT), found {lines[0]!r}"
        )
        return block.first_line, None
    number = block.first_line + 1
    if len(lines) < 2:
        problems.append(f"line {block.first_line}: the cue has no times")
        return block.first_line, None
    times = _timing(lines[1], number, _SRT_TIME, "hh:mm:ss,ttt", problems)
    return _cue(times, lines[2:], number, problems)


def _cue(
    times: tuple[int, int] | None, payload: Iterable[str], number: int, problems: list[str]
) -> tuple[int, Cue | None]:
    if times is None:
        return number, None
    text, speaker = _plain("\n".join(payload))
    if not text:
        problems.append(f"line {number}: the cue has no text")
        return number, None
    return number, Cue(start_ms=times[0], end_ms=times[1], text=text, speaker=speaker)


def read_captions(data: bytes, *, filename: str = "") -> Captions:
    """Read a WebVTT file, an SRT file (recognised by its content) or a Teams transcript.

    Raises `CaptionsError` listing every problem (each with its line) when the file
    is not UTF-8, empty, neither WebVTT nor SRT, lacks the WEBVTT header, or has a
    malformed timestamp, a cue ending before it starts, or cues out of start order.
    `filename` only names the file in the error.
    """
    cues, language, source_format = _parse(data, filename=filename, srt_allowed=True)
    return Captions(cues=tuple(cues), language=language, source_format=source_format)


def read_chapters(data: bytes, *, filename: str = "") -> tuple[Chapter, ...]:
    """Read a WebVTT chapters file: each cue a chapter, its text the title (lines
    joined by a space). The same checks as `read_captions`; SRT is refused."""
    cues, _, _ = _parse(data, filename=filename, srt_allowed=False)
    return tuple(
        Chapter(start_ms=c.start_ms, end_ms=c.end_ms, title=" ".join(c.text.split("\n")))
        for c in cues
    )


# --- Writing -------------------------------------------------------------------------


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _shown(speaker: str | None, hide: Collection[str], label: str) -> str | None:
    if speaker is None:
        return None
    return label if speaker in hide else speaker


def _payload_lines(text: str) -> list[str]:
    return [_escape(line) for line in text.split("\n") if line.strip()]


def to_webvtt(
    captions: Captions, *, hide: Collection[str] = (), hidden_label: str = "Speaker"
) -> str:
    """Clean WebVTT: the header (with the language when known), then each cue's times
    and text, `<v Speaker>` before the text of a cue with a speaker. A speaker named in
    `hide` is written as `hidden_label` instead (an organiser hiding a name)."""
    out = ["WEBVTT"]
    if captions.language:
        out.append(f"Language: {captions.language}")
    for cue in captions.cues:
        out.append("")
        out.append(f"{format_timestamp(cue.start_ms)} --> {format_timestamp(cue.end_ms)}")
        lines = _payload_lines(cue.text)
        speaker = _shown(cue.speaker, hide, hidden_label)
        if speaker is not None:
            lines[0] = f"<v {_escape(speaker)}>{lines[0]}"
        out.extend(lines)
    return "\n".join(out) + "\n"


def to_text(
    captions: Captions, *, hide: Collection[str] = (), hidden_label: str = "Speaker"
) -> str:
    """A plain transcript: one line per turn, "Speaker: text", no times; consecutive
    cues of the same speaker joined. Cues without a speaker are a line each. Names in
    `hide` are written as `hidden_label`."""
    turns: list[tuple[str | None, list[str]]] = []
    for cue in captions.cues:
        words = " ".join(cue.text.split())
        if turns and cue.speaker is not None and turns[-1][0] == cue.speaker:
            turns[-1][1].append(words)
        else:
            turns.append((cue.speaker, [words]))
    lines = []
    for speaker, parts in turns:
        shown = _shown(speaker, hide, hidden_label)
        text = " ".join(parts)
        lines.append(f"{shown}: {text}" if shown is not None else text)
    return "\n".join(lines) + "\n" if lines else ""


def chapters_to_webvtt(chapters: Iterable[Chapter]) -> str:
    """A WebVTT chapters file: each chapter a cue, its title the text."""
    out = ["WEBVTT"]
    for chapter in chapters:
        out.append("")
        out.append(f"{format_timestamp(chapter.start_ms)} --> {format_timestamp(chapter.end_ms)}")
        out.append(_escape(" ".join(chapter.title.split())))
    return "\n".join(out) + "\n"
