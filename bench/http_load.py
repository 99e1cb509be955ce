"""A small HTTP/1.1 keep-alive load generator on asyncio streams, for the benchmarks.

Closed loop: each connection sends its next request as soon as the previous one
is answered, so latencies are those of a saturated server at that concurrency.
Only requests that finish inside the measured window count.
"""

import asyncio
import math
import os
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HOST = "127.0.0.1"
REQUEST_TIMEOUT = 30.0


def request_bytes(port: int, path: str) -> bytes:
    return (
        f"GET {path} HTTP/1.1\r\n"
        f"Host: {HOST}:{port}\r\n"
        "User-Agent: convene-bench/1\r\n"
        "Accept: text/html,text/calendar,*/*\r\n"
        "Connection: keep-alive\r\n\r\n"
    ).encode("ascii")


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
    """(status, body, keep-alive) of one response: Content-Length, chunked or until close."""
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
    status = int(head[0].split(" ", 2)[1])
    headers = {}
    for line in head[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip().lower()
    keep_alive = headers.get("connection") != "close"
    if "content-length" in headers:
        return status, await reader.readexactly(int(headers["content-length"])), keep_alive
    if headers.get("transfer-encoding") == "chunked":
        chunks = []
        while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
            chunks.append((await reader.readexactly(size + 2))[:-2])
        while await reader.readuntil(b"\r\n") != b"\r\n":  # trailers
            pass
        return status, b"".join(chunks), keep_alive
    return status, await reader.read(), False


async def fetch(port: int, path: str) -> tuple[int, bytes]:
    """One request on a new connection (for probes, not for load)."""
    reader, writer = await asyncio.wait_for(asyncio.open_connection(HOST, port), 5)
    try:
        writer.write(request_bytes(port, path))
        status, body, _ = await asyncio.wait_for(read_response(reader), REQUEST_TIMEOUT)
        return status, body
    finally:
        writer.close()


@dataclass
class Tally:
    """What happened inside the measured window."""

    latencies: list[float] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)


async def connection_loop(
    *, port: int, request: bytes, min_length: int, window: tuple[float, float], tally: Tally
) -> None:
    """One keep-alive connection: next request as soon as the last one is answered.

    Requests that finish inside the window count; none starts after it ends.
    """
    measure_from, end = window
    reader = writer = None
    while time.perf_counter() < end:
        started = time.perf_counter()
        error = None
        try:
            if writer is None:
                reader, writer = await asyncio.wait_for(
                    asyncio.open_connection(HOST, port), REQUEST_TIMEOUT
                )
            writer.write(request)
            status, body, keep_alive = await asyncio.wait_for(
                read_response(reader), REQUEST_TIMEOUT
            )
            if status != 200:
                error = f"non-200 ({status})"
            elif len(body) < min_length:
                error = "short body"
        except TimeoutError:
            error, keep_alive = "timeout", False
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError):
            error, keep_alive = "connection", False
        finished = time.perf_counter()
        if measure_from <= finished < end:
            if error is None:
                tally.latencies.append(finished - started)
            else:
                tally.errors[error] += 1
        if not keep_alive and writer is not None:
            writer.close()
            reader = writer = None
    if writer is not None:
        writer.close()


@dataclass
class Result:
    endpoint: str
    connections: int
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: Counter
    # CPU used during the window, in cores (1.0 = one core all the time): by each
    # process group measured, by this load generator, and by everything else.
    cpu: dict[str, float]
    client_cpu: float
    other_cpu: float


def machine_busy_seconds() -> float:
    """CPU seconds all processes on the machine have used since boot (/proc/stat)."""
    ticks = [int(n) for n in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = ticks[3] + ticks[4]  # idle + iowait
    return (sum(ticks[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def percentile(sorted_values: list[float], share: float) -> float:
    """Nearest-rank percentile; NaN when nothing finished."""
    if not sorted_values:
        return math.nan
    return sorted_values[max(0, math.ceil(share * len(sorted_values)) - 1)]


async def load(
    *,
    port: int,
    cpu_meters: dict[str, Callable[[], float]],
    endpoint: str,
    path: str,
    connections: int,
    min_length: int,
    warmup: float,
    duration: float,
) -> Result:
    start = time.perf_counter()
    window = (start + warmup, start + warmup + duration)
    tally = Tally()
    request = request_bytes(port, path)
    loops = [
        asyncio.create_task(
            connection_loop(
                port=port,
                request=request,
                min_length=min_length,
                window=window,
                tally=tally,
            )
        )
        for _ in range(connections)
    ]
    meters = {**cpu_meters, "client": time.process_time, "machine": machine_busy_seconds}
    await asyncio.sleep(window[0] - time.perf_counter())
    before = {name: meter() for name, meter in meters.items()}
    await asyncio.sleep(window[1] - time.perf_counter())
    used = {name: (meter() - before[name]) / duration for name, meter in meters.items()}
    await asyncio.gather(*loops)
    machine_cpu, client_cpu = used.pop("machine"), used.pop("client")
    latencies = sorted(tally.latencies)
    return Result(
        endpoint=endpoint,
        connections=connections,
        requests_per_second=len(latencies) / duration,
        p50_ms=percentile(latencies, 0.50) * 1000,
        p99_ms=percentile(latencies, 0.99) * 1000,
        errors=tally.errors,
        cpu=used,
        client_cpu=client_cpu,
        other_cpu=max(0.0, machine_cpu - client_cpu - sum(used.values())),
    )
