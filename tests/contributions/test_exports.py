"""A board's CSV (safe in spreadsheets) and Markdown (for the follow-up post)."""

import csv
import io
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from convene.contributions import exports, services
from convene.contributions.selectors import Board
from tests.contributions.conftest import Kind, principle, share
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_csv_download_holds_the_board_most_votes_first(client, attendee, session, tip, question):
    services.contribution_vote_toggle(contribution=question, user=UserFactory())
    services.contribution_vote_toggle(contribution=question, user=UserFactory())
    url = reverse(
        "contributions:session_csv", kwargs={"event": session.event.slug, "session": session.slug}
    )

    response = client.get(url)

    rows = _csv_rows(response)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="big-conversation-spread-top-tips.csv"'
    )
    assert [(r["kind"], r["text"], r["votes"], r["author"]) for r in rows] == [
        ("Question", "How do we keep it going?", "2", "Ade Attendee"),
        ("Top tip", "Start small and share what you learn.", "0", "Ade Attendee"),
    ]
    assert rows[1]["principles"] == "Networks"
    assert rows[1]["url"].endswith(f"/top-tips/#contribution-{tip.pk}")


def test_csv_cells_never_start_a_formula(client, attendee, session):
    share(attendee, session, '=HYPERLINK("http://evil.example","Click")')
    share(attendee, session, "+1 from me", link="https://example.org/-x")
    share(attendee, session, "@SUM(1)")
    share(attendee, session, "-2+3")

    rows = _csv_rows(client.get(f"/events/{session.event.slug}/top-tips.csv"))

    assert sorted(r["text"] for r in rows) == [
        "'+1 from me",
        "'-2+3",
        '\'=HYPERLINK("http://evil.example","Click")',
        "'@SUM(1)",
    ]
    assert all(not r["text"].startswith(("=", "+", "-", "@")) for r in rows)


def test_exports_leave_out_hidden_items_and_keep_anonymous_people_anonymous(
    client, attendee, moderator, session
):
    gone = share(attendee, session, "Hidden text")
    share(attendee, session, "Secret author", is_anonymous=True)
    services.contribution_hide(contribution=gone, by=moderator)
    base = f"/events/{session.event.slug}/sessions/{session.slug}/top-tips"

    csv_text = client.get(f"{base}.csv").content.decode()
    markdown = client.get(f"{base}.md").content.decode()

    for body in (csv_text, markdown):
        assert "Hidden text" not in body
        assert "Ade Attendee" not in body
        assert "Anonymous" in body


def test_markdown_groups_by_kind_and_ends_with_the_answers(attendee, host, session):
    tip = share(
        attendee,
        session,
        "Use *your* networks_now",
        principles=[principle("networks")],
        link="https://example.org/story",
    )
    share(attendee, session, "An idea", kind=Kind.IDEA)
    share(attendee, session, "Still open?", kind=Kind.QUESTION)
    answered = share(attendee, session, "1. How?\n# Now", kind=Kind.QUESTION, is_anonymous=True)
    services.question_answer_publish(question=answered, by=host, answer="Like **this**.")
    services.contribution_vote_toggle(contribution=tip, user=UserFactory())
    board = Board(event=session.event, session=session)

    text = exports.board_markdown(
        board, exports.board_rows(board), now=datetime(2030, 5, 13, 9, tzinfo=UTC)
    )

    assert text == "\n".join(
        [
            "# Top tips, ideas and questions: Spreading improvement",
            "",
            "From The Big Conversation.",
            "",
            "Exported on 13 May 2030.",
            "",
            "## Top tips",
            "",
            "- Use \\*your\\* networks\\_now (Ade Attendee; 1 vote; Networks)  ",
            "  <https://example.org/story>",
            "",
            "## Ideas",
            "",
            "- An idea (Ade Attendee; 0 votes)",
            "",
            "## Questions",
            "",
            "- Still open? (Ade Attendee; 0 votes)",
            "",
            "## Questions we didn't have time for",
            "",
            "### 1\\. How? \\# Now",
            "",
            "*Asked by Anonymous*",
            "",
            "Like **this**.",
            "",
        ]
    )


def test_markdown_of_an_empty_event_board_says_so(client, event):
    response = client.get(reverse("contributions:event_markdown", kwargs={"event": event.slug}))

    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response.content.decode().endswith("Nothing has been shared yet.\n")


def test_md_text_escapes_markdown_but_keeps_words():
    assert exports.md_text("1. [link](x) <b>bold</b>\n- item") == (
        "1\\. \\[link\\](x) \\<b\\>bold\\</b\\>  \n\\- item"
    )
