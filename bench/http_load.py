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


def request_bytes(port: int, path: str, headers: dict[str, str] | None = None) -> bytes:
    extra = "".join(f"{name}: {value}\r\n" for name, value in (headers or {}).items())
    return (
        f"GET {path} HTTP/1.1\r\n"
        f"Host: {HOST}:{port}\r\n"
        "User-Agent: convene-bench/1\r\n"
        "Accept: text/html,text/calendar,*/*\r\n"
        f"{extra}"
        "Connection: keep-alive\r\n\r\n"
    ).encode("ascii")


async def read_head(reader: asyncio.StreamReader) -> tuple[int, dict[str, str]]:
    """The status and headers (names and values lower-cased) of one response."""
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
    status = int(head[0].split(" ", 2)[1])
    headers = {}
    for line in head[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip().lower()
    return status, headers


async def read_body(reader: asyncio.StreamReader, status: int, headers: dict[str, str]) -> bytes:
    """The body after the head: none (304), Content-Length, chunked or until close."""
    if status == 304:
        return b""
    if "content-length" in headers:
        return await reader.readexactly(int(headers["content-length"]))
    if headers.get("transfer-encoding") == "chunked":
        chunks = []
        while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
            chunks.append((await reader.readexactly(size + 2))[:-2])
        while await reader.readuntil(b"\r\n") != b"\r\n":  # trailers
            pass
        return b"".join(chunks)
    return await reader.read()


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
    """(status, body, keep-alive) of one response."""
    status, headers = await read_head(reader)
    body = await read_body(reader, status, headers)
    keep_alive = headers.get("connection") != "close" and (
        status == 304 or "content-length" in headers or "transfer-encoding" in headers
    )
    return status, body, keep_alive


async def fetch(
    port: int, path: str, headers: dict[str, str] | None = None
) -> tuple[int, bytes, dict[str, str]]:
    """One request on a new connection (for probes, not for load): status, body, headers."""
    reader, writer = await asyncio.wait_for(asyncio.open_connection(HOST, port), 5)
    try:
        writer.write(request_bytes(port, path, headers))
        status, answer = await asyncio.wait_for(read_head(reader), REQUEST_TIMEOUT)
        body = await asyncio.wait_for(read_body(reader, status, answer), REQUEST_TIMEOUT)
        return status, body, answer
    finally:
        writer.close()


@dataclass
class Tally:
    """What happened inside the measured window."""

    latencies: list[float] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)


async def connection_loop(
    *,
    port: int,
    request: bytes,
    min_length: int,
    window: tuple[float, float],
    tally: Tally,
    expect: int = 200,
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
            if status != expect:
                error = f"not {expect} ({status})"
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
    headers: dict[str, str] | None = None,
    expect: int = 200,
) -> Result:
    start = time.perf_counter()
    window = (start + warmup, start + warmup + duration)
    tally = Tally()
    request = request_bytes(port, path, headers)
    loops = [
        asyncio.create_task(
            connection_loop(
                port=port,
                request=request,
                min_length=min_length,
                window=window,
                tally=tally,
                expect=expect,
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
