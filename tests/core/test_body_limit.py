"""Request bodies over MAX_UPLOAD_MB are refused before Django reads them
(decision 0011): a real server, started as `make run` starts it, answers 413
while the client is still sending, and ordinary posts still reach the site."""

import socket

import pytest

from tests.core.served import served
from tests.live import e2e

MB = 1024 * 1024
LIMIT_MB = 25  # MAX_UPLOAD_MB's default


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("body-limit")
    running = served(e2e.migrated_database(folder), folder)
    yield running
    running.stop()


def _connect(server) -> socket.socket:
    return socket.create_connection((e2e.HOST, server.port), timeout=10)


def _head(server, *lines: str) -> bytes:
    return "\r\n".join(
        ["POST /accounts/login/ HTTP/1.1", f"Host: {e2e.HOST}:{server.port}", *lines, "", ""]
    ).encode()


def _status_line(client: socket.socket) -> bytes:
    answer = b""
    while b"\r\n" not in answer:
        chunk = client.recv(4096)
        if not chunk:
            break
        answer += chunk
    return answer.split(b"\r\n", 1)[0]


def test_a_50_mb_body_is_refused_before_it_is_sent(server):
    with _connect(server) as client:
        # Only the head: a server that read the body first would wait for it (and the
        # client's timeout would end the test) instead of answering.
        client.sendall(_head(server, f"Content-Length: {50 * MB}", "Content-Type: text/plain"))

        status = _status_line(client)

    assert status.startswith(b"HTTP/1.1 413 ")
    assert server.alive()


def test_a_streamed_body_is_stopped_once_it_passes_the_limit(server):
    chunk = b"%x\r\n%s\r\n" % (MB, b"x" * MB)
    with _connect(server) as client:
        client.sendall(_head(server, "Transfer-Encoding: chunked", "Content-Type: text/plain"))
        for _ in range(LIMIT_MB + 1):
            try:
                client.sendall(chunk)
            except (BrokenPipeError, ConnectionResetError):
                break  # the server stopped reading at the limit, as it should
        # No last chunk: the body never ends, yet the answer comes.

        status = _status_line(client)

    assert status.startswith(b"HTTP/1.1 413 ")
    assert server.alive()


def test_a_body_under_the_limit_reaches_the_site(server):
    body = b"login=a%40example.org&password=x"
    with _connect(server) as client:
        client.sendall(
            _head(
                server,
                f"Content-Length: {len(body)}",
                "Content-Type: application/x-www-form-urlencoded",
                "Connection: close",
            )
            + body
        )

        status = _status_line(client)

    assert status == b"HTTP/1.1 403 Forbidden"  # Django's CSRF check: the body was read
