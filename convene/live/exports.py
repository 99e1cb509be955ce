"""Transcripts for organisers: the data (rows grouped by prompt) apart from the formats.

CSV keeps everything, hidden messages included and marked (the audit copy).
Markdown is for publishing or summarising: prompts with their replies, then the
other messages, then the questions to answer later; hidden messages left out.
"""

import csv
import io
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from convene.core.spreadsheet import csv_safe
from convene.live import selectors
from convene.live.models import Badge, Message, Room

BADGES = dict(Badge.choices)


@dataclass
class Transcript:
    room: Room
    messages: list[Message]
    prompts: list[tuple[Message, list[Message]]]
    others: list[Message]
    questions: list[Message]


def transcript(*, room: Room, include_hidden: bool) -> Transcript:
    messages = list(selectors.transcript_messages(room=room, include_hidden=include_hidden))
    prompts = {m.pk: (m, []) for m in messages if m.kind == Message.Kind.PROMPT}
    others = []
    for message in messages:
        if message.kind == Message.Kind.PROMPT:
            continue
        if message.reply_to_id in prompts:
            prompts[message.reply_to_id][1].append(message)
        else:
            others.append(message)
    return Transcript(
        room=room,
        messages=messages,
        prompts=list(prompts.values()),
        others=others,
        questions=[m for m in messages if m.is_question and m.hidden_at is None],
    )


def _local(moment: datetime, room: Room) -> datetime:
    return timezone.localtime(moment, room.session.event.tz)


CSV_HEADER = [
    "number", "time", "author", "badge", "kind", "reply to prompt number", "text",
    "plus ones", "question to answer later", "hidden", "hidden at",
]  # fmt: skip


def transcript_csv(data: Transcript) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for m in data.messages:
        writer.writerow(
            csv_safe(value)
            for value in [
                m.seq,
                _local(m.created_at, data.room).isoformat(timespec="seconds"),
                m.author_name,
                BADGES.get(m.badge, ""),
                m.kind,
                m.reply_to.seq if m.reply_to_id and m.reply_to else "",
                m.text,
                m.plus_ones,
                "yes" if m.is_question else "",
                "yes" if m.hidden_at else "",
                _local(m.hidden_at, data.room).isoformat(timespec="seconds") if m.hidden_at else "",
            ]
        )
    return out.getvalue()


def _md_text(text: str) -> str:
    """One list item's text: later lines indented so they stay in the item."""
    escaped = text.replace("\\", "\\\\").replace("<", "&lt;")
    return "\n  ".join(escaped.splitlines())


def _md_line(m: Message, room: Room) -> str:
    badge = f" ({BADGES[m.badge]})" if m.badge in BADGES else ""
    plus = f" · +1 from {m.plus_ones}" if m.plus_ones else ""
    when = _local(m.created_at, room).strftime("%H:%M")
    return f"- **{m.author_name}**{badge}, {when}{plus}: {_md_text(m.text)}"


def transcript_markdown(data: Transcript) -> str:
    room, session = data.room, data.room.session
    day = _local(session.start, room).strftime("%-d %B %Y")
    lines = [
        f"# Chat: {session.title}",
        "",
        f"{session.event.title}, {day}. {len(data.messages)} messages.",
        "",
    ]
    if data.prompts:
        lines += ["## Prompts and replies", ""]
        for prompt, replies in data.prompts:
            lines += [f"### {_md_text(prompt.text)}", ""]
            lines += [
                f"Asked by {prompt.author_name} at {_local(prompt.created_at, room):%H:%M}.",
                "",
            ]
            lines += [_md_line(r, room) for r in replies] or ["No replies."]
            lines.append("")
    if data.others:
        lines += ["## Other messages", ""]
        lines += [_md_line(m, room) for m in data.others]
        lines.append("")
    if data.questions:
        lines += ["## Questions to answer later", ""]
        lines += [_md_line(m, room) for m in data.questions]
        lines.append("")
    return "\n".join(lines)
