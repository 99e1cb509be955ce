"""Development email, readable: `EMAIL_URL=console://` prints each message decoded.

Django's console backend prints the raw MIME message, where quoted-printable
encoding breaks long links over lines (`=\n`) and turns `=` into `=3D`, so a
confirmation link cannot be copied from the terminal. This backend prints the
headers a person reads, the plain-text body as text, and the names of other
parts (the HTML body, calendar attachments). Production mail never comes here.
"""

from email.message import EmailMessage as MimeMessage
from email.policy import default

from django.core.mail.backends.console import EmailBackend as ConsoleBackend

HEADERS = ("From", "To", "Cc", "Reply-To", "Subject", "Date", "List-Unsubscribe")


def readable(message: MimeMessage) -> str:
    """Headers, the decoded text/plain body, and a line for every other part."""
    lines = [f"{name}: {message[name]}" for name in HEADERS if message[name]]
    body = message.get_body(preferencelist=("plain",))
    others = []
    for part in message.walk():
        if part.is_multipart() or part is body:
            continue
        name = part.get_filename()
        others.append(f"[{part.get_content_type()}{f': {name}' if name else ''}]")
    lines.append("")
    lines.append(body.get_content().rstrip("\n") if body is not None else "(no plain-text body)")
    if others:
        lines += ["", "Also in this email: " + ", ".join(others)]
    return "\n".join(lines)


class EmailBackend(ConsoleBackend):
    def write_message(self, message) -> None:
        self.stream.write(readable(message.message(policy=default)) + "\n")
        self.stream.write("-" * 79 + "\n")
