"""Development email printed decoded: a link can be copied from the terminal."""

import io

from django.core.mail import EmailMultiAlternatives

from convene.core.mail import EmailBackend

LINK = "http://127.0.0.1:8811/register/confirm/" + "x" * 120 + "/?next=/events/big-conversation/"


def test_console_email_prints_the_text_body_decoded_with_links_whole():
    message = EmailMultiAlternatives(
        subject="Confirm your registration – Big Conversation",
        body=f"Hello Zoë,\n\nConfirm here:\n{LINK}\n",
        from_email="Convene <convene@localhost>",
        to=["zoe@example.org"],
        headers={"List-Unsubscribe": "<http://127.0.0.1:8811/unsubscribe/abc/>"},
    )
    message.attach_alternative(f'<p><a href="{LINK}">Confirm</a></p>', "text/html")
    message.attach("session.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")
    stream = io.StringIO()

    EmailBackend(stream=stream).send_messages([message])

    printed = stream.getvalue()
    assert f"\n{LINK}\n" in printed
    assert "=3D" not in printed
    assert "Hello Zoë," in printed
    assert "Subject: Confirm your registration – Big Conversation" in printed
    assert "To: zoe@example.org" in printed
    assert "List-Unsubscribe: <http://127.0.0.1:8811/unsubscribe/abc/>" in printed
    assert "Also in this email: [text/html], [text/calendar: session.ics]" in printed
