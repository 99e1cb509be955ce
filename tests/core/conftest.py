"""A real SMTP server (aiosmtpd) on a free local port, for tests that send mail."""

import socket
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage


@dataclass
class SMTPServer:
    """What the server accepted, in order; `url` is an EMAIL_URL pointing at it."""

    host: str
    port: int
    received: list[Received] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"smtp://{self.host}:{self.port}"

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's hook name
        # SMTP carries CRLF line ends; parse the message as the program wrote it.
        content = envelope.content.replace(b"\r\n", b"\n")
        message = message_from_bytes(content, policy=policy.default)
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted"


def _free_port(host: str) -> int:
    # aiosmtpd checks readiness by connecting to its port, so it cannot use port 0.
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    host = "127.0.0.1"
    server = SMTPServer(host=host, port=_free_port(host))
    controller = Controller(server, hostname=host, port=server.port)
    controller.start()
    yield server
    controller.stop()
