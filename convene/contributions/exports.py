"""A board as data, then as CSV (for spreadsheets) or Markdown (for the follow-up
blog): what the board shows, nothing hidden, anonymous people anonymous.

Data and format are split (pretalx's exporters): `board_rows` reads, the
writers only format, and the API serialises the same rows as JSON.
"""

import csv
import io
import re
from collections.abc import Iterable
from datetime import datetime

from django.utils import timezone

from convene.contributions.models import Contribution
from convene.contributions.selectors import Board, BoardFilter, Row, Sort, row_for
from convene.core.spreadsheet import csv_safe


def board_rows(board: Board, filters: BoardFilter | None = None) -> list[Row]:
    """Every visible contribution of the board, most votes first."""
    filters = filters or BoardFilter(sort=Sort.VOTES)
    return [row_for(c) for c in board.contributions(filters)]


CSV_HEADER = [
    "id", "kind", "text", "link", "author", "session", "principles", "votes", "shared_at",
    "answer", "answered_at", "chat_message", "url",
]  # fmt: skip


def _iso(moment: datetime | None) -> str:
    return moment.isoformat() if moment else ""


def board_csv(rows: Iterable[Row]) -> str:
    """CSV with every text cell made safe from spreadsheet formulas (core.spreadsheet)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for row in rows:
        values = [
            row.id, row.kind_label, row.text, row.link, row.author, row.session,
            "; ".join(row.principles), row.votes, _iso(row.created_at), row.answer,
            _iso(row.answered_at), row.chat_message_url, row.url,
        ]  # fmt: skip
        writer.writerow(csv_safe(value) for value in values)
    return out.getvalue()


# Inline Markdown anywhere, and what starts a block at the start of a line.
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>|~#])")
_BLOCK_START = re.compile(r"^(\s*\d*)([+\-=]|(?<=\d)[.)])")


def md_text(text: str) -> str:
    """People's words shown literally in Markdown: specials escaped, lines kept."""
    lines = []
    for line in text.strip().splitlines():
        line = _INLINE_SPECIAL.sub(r"\\\1", line.strip())
        lines.append(_BLOCK_START.sub(lambda m: m.group(1) + "\\" + m.group(2), line))
    return "  \n".join(lines)


def _votes(n: int) -> str:
    return f"{n} vote{'s' if n != 1 else ''}"


def _item(row: Row) -> str:
    details = [row.author, _votes(row.votes)]
    if row.principles:
        details.append(", ".join(row.principles))
    text = md_text(row.text).replace("\n", "\n  ")
    line = f"- {text} ({'; '.join(md_text(d) for d in details)})"
    if row.link:
        line += f"  \n  <{row.link}>"
    return line


SECTIONS = [
    (Contribution.Kind.TIP, "Top tips"),
    (Contribution.Kind.IDEA, "Ideas"),
    (Contribution.Kind.QUESTION, "Questions"),
]


def board_markdown(board: Board, rows: list[Row], *, now: datetime | None = None) -> str:
    """The board for a follow-up post: tips, ideas, open questions, then answers.

    People's words are escaped (they appear as written); hosts' answers are
    Markdown already and are kept as they are."""
    now = now or timezone.now()
    lines = [f"# Top tips, ideas and questions: {md_text(board.title)}", ""]
    if board.session is not None:
        lines += [f"From {md_text(board.event.title)}.", ""]
    lines += [f"Exported on {timezone.localtime(now, board.event.tz):%-d %B %Y}.", ""]
    for kind, heading in SECTIONS:
        items = [r for r in rows if r.kind == kind and not (kind == "question" and r.answer)]
        if not items:
            continue
        lines += [f"## {heading}", "", *(_item(r) for r in items), ""]
    answered = [r for r in rows if r.kind == Contribution.Kind.QUESTION and r.answer]
    if answered:
        lines += ["## Questions we didn't have time for", ""]
        for row in answered:
            heading = md_text(" ".join(row.text.split()))
            lines += [f"### {heading}", "", f"*Asked by {md_text(row.author)}*", ""]
            lines += [row.answer.strip(), ""]
    if not rows:
        lines += ["Nothing has been shared yet.", ""]
    return "\n".join(lines)
