"""A real SMTP server for tests that send email: aiosmtpd on 127.0.0.1, a free port.

Django sends through its real SMTP backend and the server records what arrives,
so a test sees the message a person would get (headers, encoding, links).

    # tests/<app>/conftest.py
    from tests.smtp import smtp_mailer, smtp_server  # noqa: F401 - fixtures

    def test_something(client, smtp_mailer):
        ...
        [message] = smtp_mailer.messages
        assert message.to == ["ann@example.org"]

`smtp_server` only runs the server; `smtp_mailer` also points Django's default
mailer (settings.MAILERS, Django 6.1) at it for the test.
"""

import re
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

HOST = "127.0.0.1"
_URL = re.compile(r"https?://\S+")


@dataclass(frozen=True)
class ReceivedMessage:
    """One message as the server received it: envelope and parsed content."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    message: EmailMessage

    @property
    def to(self) -> list[str]:
        return [address.addr_spec for address in self.message["To"].addresses]

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def body(self) -> str:
        """The plain-text body, line ends as the sender wrote them."""
        part = self.message.get_body(preferencelist=("plain",))
        assert part is not None, "the message has no text/plain part"
        return part.get_content()

    @property
    def links(self) -> list[str]:
        return _URL.findall(self.body)


@dataclass
class SMTPServer:
    host: str
    port: int
    messages: list[ReceivedMessage] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd hook
        # SMTP carries CRLF line ends; parse the message as the program wrote it.
        content = envelope.content.replace(b"\r\n", b"\n")
        message = message_from_bytes(content, policy=policy.default)
        received = ReceivedMessage(envelope.mail_from, tuple(envelope.rcpt_tos), message)
        with self._lock:
            self.messages.append(received)
        # The client's send() returns only after this reply, so a test can read
        # `messages` straight after the code under test has sent.
        return "250 Message accepted for delivery"


def _free_port() -> int:
    # aiosmtpd checks it is ready by connecting to its port, so port 0 will not do.
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server() -> Iterator[SMTPServer]:
    server = SMTPServer(host=HOST, port=_free_port())
    # server_hostname avoids a reverse DNS lookup of this machine's name.
    controller = Controller(server, hostname=HOST, port=server.port, server_hostname="localhost")
    controller.start()
    yield server
    controller.stop()


@pytest.fixture
def smtp_mailer(settings, smtp_server: SMTPServer) -> SMTPServer:
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": smtp_server.host, "port": smtp_server.port, "timeout": 10},
        }
    }
    return smtp_server
