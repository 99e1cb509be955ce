"""The clients of a room in this process: WebSockets and SSE streams, each bounded.

A listener takes frames from the hub (`deliver`) and writes them to its client
without ever making the hub's loop wait. A WebSocket is written to directly
(wire.py) or through ASGI `send`; a write that would wait (the socket's buffer
is full) does not stop the loop: the client's further frames queue in a bounded
backlog, and a client whose backlog overflows is dropped ("slow": it is told to
resume by number). An SSE stream's frames wait in a bounded queue that its
response generator reads.
"""

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from convene.live.transport.wire import Frame, direct_writer

if TYPE_CHECKING:
    from convene.live.transport.hub import RoomHub


class _Continue:
    """Finish a coroutine that was started by hand and suspended.

    The direct fan-out starts each socket's send synchronously (almost always it
    completes at once). When one suspends (the socket's buffer is full), this
    awaitable hands the rest of that very coroutine to a task, exactly as if a
    task had run it from the start: it yields what the coroutine yields and
    passes results and exceptions (cancellation) back in.
    """

    __slots__ = ("coro", "yielded")

    def __init__(self, coro, yielded) -> None:
        self.coro = coro
        self.yielded = yielded

    def __await__(self):
        yielded = self.yielded
        while True:
            try:
                sent = yield yielded
            except BaseException as exc:
                try:
                    yielded = self.coro.throw(exc)
                except StopIteration as stop:
                    return stop.value
            else:
                try:
                    yielded = self.coro.send(sent)
                except StopIteration as stop:
                    return stop.value


class Listener:
    """A client of one room in this process: a WebSocket or an SSE stream.

    `limit`: frames that may wait for this client before it is dropped as slow
    (the LIVE_CLIENT_BACKLOG setting, which the caller passes in)."""

    __slots__ = ("buffer", "closed", "hub", "limit", "moderator", "on_drop", "user_key")

    def __init__(
        self,
        *,
        limit: int,
        user_key: str = "",
        moderator: bool = False,
        on_drop: Callable[[str], None] | None = None,
    ) -> None:
        self.user_key = user_key
        self.moderator = moderator
        self.on_drop = on_drop
        self.limit = limit
        # While joining: events the hub dispatched, kept until the batch is sent.
        self.buffer: list[Frame] | None = None
        self.closed = False
        self.hub: RoomHub | None = None

    def deliver(self, frame: Frame) -> None:
        if self.closed:
            return
        if self.buffer is not None:
            if len(self.buffer) >= self.limit:
                self.drop("slow")
            else:
                self.buffer.append(frame)
            return
        self._write(frame)

    def deliver_text(self, text: str) -> None:
        self.deliver(Frame(text))

    def _write(self, frame: Frame) -> None:
        raise NotImplementedError

    def drop(self, reason: str) -> None:
        """Stop sending to this client: "slow" (counted, told to resume) or "gone"."""
        if self.closed:
            return
        self.closed = True
        self._stop()
        if self.hub is not None:
            self.hub.leave(self, reason=reason)
        if self.on_drop is not None:
            self.on_drop(reason)

    def _stop(self) -> None:
        pass


class SocketListener(Listener):
    """A WebSocket, written to directly; a bounded backlog only while it is slow.

    With a `direct` writer (wire.py) the frame's bytes, encoded once for
    everyone, go straight to the socket; otherwise, and whenever the direct
    write declines (the socket is full or closing), through ASGI `send`."""

    __slots__ = ("backlog", "direct", "send", "writer")

    def __init__(
        self,
        *,
        send: Callable[[dict], Awaitable[None]],
        direct: Callable[[bytes], bool] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.send = send
        self.direct = direct
        self.backlog: deque[dict] | None = None
        self.writer: asyncio.Task | None = None

    def _write(self, frame: Frame) -> None:
        if self.backlog is not None:  # a write is waiting: queue behind it
            if len(self.backlog) >= self.limit:
                self.drop("slow")
            else:
                self.backlog.append(frame.message)
            return
        if self.direct is not None and self.direct(frame.wire):
            return  # written: the usual case
        coro = self.send(frame.message)
        try:
            yielded = coro.send(None)
        except StopIteration:
            return  # written: the usual case
        except Exception:  # the socket is gone (the server raises on send)
            self.drop("gone")
            return
        self.backlog = deque()
        self.writer = asyncio.ensure_future(self._drain(_Continue(coro, yielded)))

    async def _drain(self, pending: Awaitable[None]) -> None:
        try:
            await pending
            while self.backlog:
                await self.send(self.backlog.popleft())
        except asyncio.CancelledError:
            raise
        except Exception:
            self.drop("gone")
        finally:
            self.backlog = None
            self.writer = None

    def _stop(self) -> None:
        if self.writer is not None:
            self.writer.cancel()


class StreamListener(Listener):
    """An SSE response: frames wait in a bounded queue its generator reads.

    A `None` in the queue ends the stream (the client was too slow: the browser
    reconnects by itself and resumes with Last-Event-ID)."""

    __slots__ = ("queue",)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.queue: asyncio.Queue[str | None] = asyncio.Queue()

    def _write(self, frame: Frame) -> None:
        if self.queue.qsize() >= self.limit:
            self.drop("slow")
        else:
            self.queue.put_nowait(frame.sse)

    def _stop(self) -> None:
        self.queue.put_nowait(None)


def socket_listener(
    *, send: Callable[[dict], Awaitable[None]], direct_writes: bool, **kwargs: Any
) -> SocketListener:
    """The listener for a WebSocket whose server's own send is `send`: with a direct
    writer when `direct_writes` (the LIVE_DIRECT_WRITES setting) and the server
    allows it (wire.py), with ASGI sends only otherwise."""
    direct = direct_writer(send) if direct_writes else None
    return SocketListener(send=send, direct=direct, **kwargs)
