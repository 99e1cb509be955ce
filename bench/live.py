"""Live rooms benchmark: N WebSocket clients in one room, Convene against a raw broadcast.

For each server (Convene, then bench/raw_broadcast.py): start it with uvicorn
pinned to one CPU (`taskset -c 0`), this load process on another, open-files
limits raised for both; connect N clients (Convene's signed in with session
cookies seeded straight into a throwaway SQLite database); then

1. idle memory: server RSS growth per connection;
2. one message at a time: time from send to delivery at the last client;
3. sustained load: messages at --rate for --duration seconds;
4. capacity: rising rates (--ramp) until p99 > 500 ms, loss or drops;

and print connect time, deliveries per second, p50/p95/p99 from send to
delivery, time to the last client, reach (clients that got every message, once,
in order), clients dropped as too slow, server RSS per connection, this process's
CPU, and the ratio of Convene's capacity to the raw broadcast's. See bench/README.md.

    make bench
    .venv/bin/python bench/live.py --clients 1000 --duration 10 --ramp 5,10
    .venv/bin/python bench/live.py --no-direct-writes --skip-raw
"""

import argparse
import asyncio
import contextlib
import json
import os
import re
import resource
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import uvloop
from websockets.client import ClientProtocol
from websockets.frames import Frame, Opcode
from websockets.http11 import Response
from websockets.protocol import State
from websockets.typing import Origin
from websockets.uri import parse_uri

sys.path.insert(0, str(Path(__file__).resolve().parent))
from programme import HOST, ROOT, Server, cpu_plan

# On top of bench/programme.py's: the chat's frame limit, a deep accept queue for
# thousands of connections arriving together, no log line per connection.
UVICORN_OPTIONS = ("--ws-max-size", "65536", "--backlog", "4096", "--log-level", "warning")
MARK = re.compile(rb"bench:(\d+)")
P99_LIMIT = 0.5


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def raise_open_files() -> int:
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


# --- Servers ------------------------------------------------------------------------------


def django_env(database_url: str, *, direct_writes: bool, backlog: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DJANGO_SETTINGS_MODULE"}}
    return env | {
        "DJANGO_SETTINGS_MODULE": "bench.live_settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "false",
        "EMAIL_URL": "console://",
        "DATABASE_URL": database_url,
        "LIVE_DIRECT_WRITES": "true" if direct_writes else "false",
        "LIVE_CLIENT_BACKLOG": str(backlog),
        "PYTHONPATH": str(ROOT),
    }


# --- Clients ------------------------------------------------------------------------------


class Client(asyncio.Protocol):
    """One WebSocket client: websockets' sans-I/O protocol on a plain asyncio transport.

    The same library and frame parser as `websockets.connect`, without its task,
    queue and futures per received message: with those, the load generator's core
    saturated before the server's did (bench/README.md, "the load generator").
    """

    def __init__(self, load: "Load", uri: str, origin: str, cookie: str | None) -> None:
        self.load = load
        self.conn = ClientProtocol(parse_uri(uri), origin=Origin(origin), max_size=2**22)
        self.cookie = cookie
        self.transport: asyncio.Transport | None = None
        loop = asyncio.get_running_loop()
        self.opened: asyncio.Future = loop.create_future()
        self.gone: asyncio.Future = loop.create_future()
        self.count = 0
        self.last_id = 0
        self.out_of_order = 0
        self.errors = 0
        self.seen: set[int] = set()
        self.closed_code: int | None = None

    def connection_made(self, transport) -> None:
        self.transport = transport
        request = self.conn.connect()
        if self.cookie:
            request.headers["Cookie"] = self.cookie
        self.conn.send_request(request)
        self._flush()

    def data_received(self, data: bytes) -> None:
        conn = self.conn
        conn.receive_data(data)
        for event in conn.events_received():
            if type(event) is Frame:
                if event.opcode is Opcode.TEXT:
                    self.load.on_text(self, event.data)
            elif isinstance(event, Response) and not self.opened.done():
                if conn.handshake_exc is None:
                    self.opened.set_result(None)
                else:
                    self.opened.set_exception(conn.handshake_exc)
        self._flush()

    def _flush(self) -> None:
        for chunk in self.conn.data_to_send():
            if chunk:
                self.transport.write(chunk)
            else:  # the protocol says: close the TCP connection
                self.transport.close()

    def send(self, text: str) -> None:
        if self.conn.state is State.OPEN:
            self.conn.send_text(text.encode())
            self._flush()

    async def close(self) -> None:
        if self.conn.state is State.OPEN:
            self.conn.send_close(1000)
            self._flush()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(self.gone), 10)
        self.transport.close()

    def connection_lost(self, exc: Exception | None) -> None:
        self.conn.receive_eof()
        code = self.conn.close_code
        self.closed_code = code if code is not None else -1
        if not self.opened.done():
            self.opened.set_exception(exc or ConnectionError("closed during the handshake"))
        if not self.gone.done():
            self.gone.set_result(None)


@dataclass
class Phase:
    name: str
    first_id: int = 0
    sent: dict[int, float] = field(default_factory=dict)
    last_at: dict[int, float] = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)


class Load:
    def __init__(self, *, kind: str, port: int, room: int | None, cookies: list[str]) -> None:
        self.kind, self.port, self.room, self.cookies = kind, port, room, cookies
        self.clients: list[Client] = []
        self.phase: Phase | None = None
        self.next_id = 1
        self.failures: dict[str, int] = {}

    def url(self) -> str:
        if self.kind == "convene":
            return f"ws://{HOST}:{self.port}/ws/live/rooms/{self.room}/"
        return f"ws://{HOST}:{self.port}/"

    async def connect(self, n: int, concurrency: int = 200) -> float:
        gate = asyncio.Semaphore(concurrency)
        loop = asyncio.get_running_loop()
        origin = f"http://{HOST}:{self.port}"

        async def one(index: int) -> None:
            cookie = self.cookies[index] if self.cookies else None
            async with gate:
                try:
                    _, client = await asyncio.wait_for(
                        loop.create_connection(
                            lambda: Client(self, self.url(), origin, cookie), HOST, self.port
                        ),
                        60,
                    )
                    await asyncio.wait_for(client.opened, 60)
                except Exception as exc:
                    key = type(exc).__name__
                    self.failures[key] = self.failures.get(key, 0) + 1
                    return
            self.clients.append(client)

        start = time.perf_counter()
        await asyncio.gather(*(one(i) for i in range(n)))
        return time.perf_counter() - start

    def on_text(self, client: Client, data: bytes) -> None:
        found = MARK.search(data)
        if found is None:
            if data.startswith(b'{"type":"error"'):
                client.errors += 1  # a refused send: never silent
            return
        now = time.perf_counter()
        message_id = int(found.group(1))
        phase = self.phase
        if phase is None or message_id < phase.first_id or message_id in client.seen:
            return
        if message_id < client.last_id:
            # Convene numbers messages in commit order; two senders' messages
            # may commit in another order than the load sent them. Not a loss.
            client.out_of_order += 1
        client.seen.add(message_id)
        client.last_id = max(client.last_id, message_id)
        client.count += 1
        phase.latencies.append(now - phase.sent[message_id])
        phase.last_at[message_id] = now

    def payload(self, message_id: int) -> str:
        if self.kind == "convene":
            return json.dumps(
                {
                    "type": "send",
                    "client_id": f"bench-{message_id:010d}",
                    "text": f"bench:{message_id}",
                }
            )
        return f"bench:{message_id}"

    async def run_phase(self, name: str, *, rate: float, count: int, senders: int) -> dict:
        alive = [c for c in self.clients if c.closed_code is None]
        for client in alive:
            client.count = 0
            client.errors = 0
            client.seen = set()
        phase = self.phase = Phase(name=name, first_id=self.next_id)
        speakers = alive[: max(1, min(senders, len(alive)))]
        cpu_before = resource.getrusage(resource.RUSAGE_SELF)
        start = time.perf_counter()
        for k in range(count):
            target = start + k / rate
            delay = target - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            message_id = self.next_id
            self.next_id += 1
            phase.sent[message_id] = time.perf_counter()
            # Turns across phases, so nobody hits the rate limit (5 per 10 s each).
            speakers[message_id % len(speakers)].send(self.payload(message_id))
        sent_done = time.perf_counter()
        expected = count * len(alive)
        # Late is not lost: wait while deliveries still arrive (up to a minute).
        progress, quiet_since = -1, time.perf_counter()
        while len(phase.latencies) < expected and time.perf_counter() - sent_done < 60:
            if len(phase.latencies) != progress:
                progress, quiet_since = len(phase.latencies), time.perf_counter()
            elif time.perf_counter() - quiet_since > 3:
                break
            await asyncio.sleep(0.05)
        cpu_after = resource.getrusage(resource.RUSAGE_SELF)
        wall = (max(phase.last_at.values()) if phase.last_at else sent_done) - start
        cpu = (cpu_after.ru_utime + cpu_after.ru_stime) - (
            cpu_before.ru_utime + cpu_before.ru_stime
        )
        self.phase = None
        to_last = [phase.last_at[i] - t for i, t in phase.sent.items() if i in phase.last_at]
        complete = sum(1 for c in alive if c.count == count and c.closed_code is None)
        return {
            "phase": name,
            "clients": len(alive),
            "messages": count,
            "rate": rate,
            "deliveries": len(phase.latencies),
            "expected": expected,
            "deliveries_per_s": len(phase.latencies) / wall if wall > 0 else 0.0,
            "p50_ms": 1000 * percentile(phase.latencies, 0.50),
            "p95_ms": 1000 * percentile(phase.latencies, 0.95),
            "p99_ms": 1000 * percentile(phase.latencies, 0.99),
            "to_last_p50_ms": 1000 * percentile(to_last, 0.50),
            "to_last_p99_ms": 1000 * percentile(to_last, 0.99),
            "to_last_max_ms": 1000 * max(to_last, default=float("nan")),
            "reach": complete / len(alive) if alive else 0.0,
            "dropped": sum(1 for c in alive if c.closed_code is not None),
            "drop_codes": sorted({c.closed_code for c in alive if c.closed_code is not None}),
            "out_of_send_order": sum(c.out_of_order for c in alive),
            "refused_sends": sum(c.errors for c in alive),
            "client_cpu_pct": 100 * cpu / wall if wall > 0 else 0.0,
        }

    async def close(self) -> None:
        await asyncio.gather(*(c.close() for c in self.clients), return_exceptions=True)


async def measure(server: Server, load: Load, args, say_prefix: str) -> dict:
    result: dict = {"server": server.name}
    rss_before = server.rss_kib()
    seconds = await load.connect(args.clients)
    result["connect_s"] = seconds
    result["connected"] = len(load.clients)
    result["connect_failures"] = dict(load.failures)
    say(f"{say_prefix}: {len(load.clients)} connected in {seconds:.1f} s, failures {load.failures}")
    await asyncio.sleep(3)  # let the server settle (presence, gc.freeze)
    result["rss_per_connection_kib"] = (server.rss_kib() - rss_before) / max(1, len(load.clients))
    senders = max(1, min(len(load.clients), args.senders))
    singles = []
    for index in range(args.single):
        singles.append(
            await load.run_phase(f"single {index + 1}", rate=1, count=1, senders=senders)
        )
        await asyncio.sleep(0.5)
    result["single"] = {
        "to_last_ms": [s["to_last_max_ms"] for s in singles],
        "to_last_p99_ms": percentile([s["to_last_max_ms"] for s in singles], 0.99),
        "p99_ms": percentile([s["p99_ms"] for s in singles], 0.99),
        "reach": min(s["reach"] for s in singles),
    }
    say(f"{say_prefix}: one message, time to last client {result['single']['to_last_ms']}")
    sustained = await load.run_phase(
        "sustained", rate=args.rate, count=int(args.rate * args.duration), senders=senders
    )
    result["sustained"] = sustained
    rate, p99 = sustained["deliveries_per_s"], sustained["p99_ms"]
    say(f"{say_prefix}: sustained {rate:.0f}/s p99 {p99:.0f} ms")
    ramp = []
    for rate in args.ramp:
        await asyncio.sleep(1)
        step = await load.run_phase(
            f"ramp {rate}/s", rate=rate, count=int(rate * args.ramp_seconds), senders=senders
        )
        ramp.append(step)
        say(
            f"{say_prefix}: {rate} msg/s -> {step['deliveries_per_s']:.0f}/s, p99 "
            f"{step['p99_ms']:.0f} ms, reach {step['reach']:.1%}, dropped {step['dropped']}"
        )
        if not passes(step):
            break
    result["ramp"] = ramp
    passing = [s["deliveries_per_s"] for s in [sustained, *ramp] if passes(s)]
    result["capacity_per_s"] = max(passing, default=0.0)
    result["rss_end_kib"] = server.rss_kib()
    await load.close()
    return result


def passes(step: dict) -> bool:
    return (
        step["p99_ms"] <= P99_LIMIT * 1000
        and step["reach"] == 1.0
        and step["dropped"] == 0
        and step["deliveries"] == step["expected"]
    )


# --- Report -------------------------------------------------------------------------------


def report(convene: dict, raw: dict | None, args) -> None:
    def row(label: str, value: str, target: str = "") -> None:
        print(f"  {label:<46} {value:>18}  {target}")

    s = convene["sustained"]
    print()
    writes = "direct writes" if args.direct_writes else "ASGI sends (LIVE_DIRECT_WRITES=false)"
    print(f"Live rooms: {args.clients} clients, one room, {writes}")
    # Other work on the machine skews every figure: say how busy it was.
    print(f"  machine load average (1, 5, 15 min) at the end: {os.getloadavg()}")
    row("connect time for all", f"{convene['connect_s']:.1f} s", "target <= 25 s, no failure")
    row("connection failures", str(sum(convene["connect_failures"].values())))
    row(
        "server memory per idle connection",
        f"{convene['rss_per_connection_kib']:.1f} KiB",
        "target <= 50 KiB",
    )
    row(
        "one message: time to last client (p99)",
        f"{convene['single']['to_last_p99_ms']:.0f} ms",
        "target <= 250 ms",
    )
    row("one message: reach", f"{convene['single']['reach']:.1%}", "target 100 %")
    row(
        f"sustained {args.rate:g} msg/s: deliveries/s",
        f"{s['deliveries_per_s']:,.0f}",
        "target >= 25,000",
    )
    row(
        "sustained: p50 / p95 / p99 send to delivery",
        f"{s['p50_ms']:.0f} / {s['p95_ms']:.0f} / {s['p99_ms']:.0f} ms",
        "target p99 <= 500 ms",
    )
    row("sustained: time to last client p99", f"{s['to_last_p99_ms']:.0f} ms")
    row("sustained: reach", f"{s['reach']:.1%}", "target 100 %")
    row("sustained: clients dropped as too slow", str(s["dropped"]))
    row("sustained: deliveries / expected", f"{s['deliveries']:,} / {s['expected']:,}")
    row("sustained: sends refused (error frames)", str(s["refused_sends"]))
    row("sustained: load process CPU", f"{s['client_cpu_pct']:.0f} %")
    row("capacity (highest passing deliveries/s)", f"{convene['capacity_per_s']:,.0f}")
    if raw:
        print("Raw ASGI broadcast (bench/raw_broadcast.py), same load")
        rs = raw["sustained"]
        row("connect time for all", f"{raw['connect_s']:.1f} s")
        row("server memory per idle connection", f"{raw['rss_per_connection_kib']:.1f} KiB")
        row("one message: time to last client (p99)", f"{raw['single']['to_last_p99_ms']:.0f} ms")
        row(f"sustained {args.rate:g} msg/s: deliveries/s", f"{rs['deliveries_per_s']:,.0f}")
        row(
            "sustained: p50 / p95 / p99",
            f"{rs['p50_ms']:.0f} / {rs['p95_ms']:.0f} / {rs['p99_ms']:.0f} ms",
        )
        row("capacity (highest passing deliveries/s)", f"{raw['capacity_per_s']:,.0f}")
        if raw["capacity_per_s"]:
            row(
                "ratio Convene / raw (capacity)",
                f"{convene['capacity_per_s'] / raw['capacity_per_s']:.2f}",
                "target >= 0.5",
            )
        if rs["deliveries_per_s"]:
            row(
                "ratio Convene / raw (sustained)",
                f"{s['deliveries_per_s'] / rs['deliveries_per_s']:.2f}",
            )
    print()


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=5000)
    parser.add_argument("--rate", type=float, default=5.0, help="messages per second (sustained)")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of sustained load")
    parser.add_argument("--single", type=int, default=5, help="one-at-a-time messages")
    parser.add_argument(
        "--ramp",
        type=lambda v: [float(x) for x in v.split(",") if x],
        default=[8.0, 12.0, 16.0, 24.0, 32.0],
    )
    parser.add_argument("--ramp-seconds", type=float, default=8.0)
    parser.add_argument("--senders", type=int, default=100, help="clients that take turns sending")
    parser.add_argument(
        "--no-direct-writes",
        dest="direct_writes",
        action="store_false",
        help="LIVE_DIRECT_WRITES=false: an ASGI send per socket (decision 0009)",
    )
    parser.add_argument("--backlog", type=int, default=100, help="LIVE_CLIENT_BACKLOG")
    parser.add_argument("--skip-raw", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the results here")
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    open_files = raise_open_files()
    if open_files < args.clients + 200:
        raise SystemExit(
            f"The open-files limit ({open_files}) is too low for {args.clients} clients."
        )
    server_cpu, load_cpu = cpu_plan()
    workdir = Path(tempfile.mkdtemp(prefix="convene-live-bench-"))
    servers: list[Server] = []
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        database_url = f"sqlite:///{workdir / 'bench.sqlite3'}"
        env = django_env(database_url, direct_writes=args.direct_writes, backlog=args.backlog)
        say("Preparing the database …")
        for command in (["migrate", "--no-input"], ["collectstatic", "--no-input"]):
            subprocess.run(  # noqa: S603 - fixed arguments
                [sys.executable, "manage.py", *command, "-v", "0"], cwd=ROOT, env=env, check=True
            )
        seed_path = workdir / "seed.json"
        subprocess.run(  # noqa: S603
            [
                sys.executable,
                "bench/live_seed.py",
                "--clients",
                str(args.clients),
                "--out",
                str(seed_path),
            ],
            cwd=ROOT,
            env=env,
            check=True,
        )
        seed = json.loads(seed_path.read_text())
        cookies = [f"{seed['cookie_name']}={key}" for key in seed["sessions"]]
        if load_cpu is not None:
            os.sched_setaffinity(0, {load_cpu})

        server_options = {
            "env": env,
            "cpu": server_cpu,
            "workdir": workdir,
            "open_files": open_files,
            "extra": UVICORN_OPTIONS,
        }
        convene = Server(app="convene.asgi:application", name="convene", **server_options)
        servers.append(convene)
        convene.start()
        say(f"Convene is up (pid {convene.process.pid}, CPU {server_cpu}); load on CPU {load_cpu}")
        load = Load(kind="convene", port=convene.port, room=seed["room"], cookies=cookies)
        convene_result = asyncio.run(
            measure(convene, load, args, "convene"), loop_factory=uvloop.new_event_loop
        )
        convene.stop()

        raw_result = None
        if not args.skip_raw:
            raw = Server(app="bench.raw_broadcast:app", name="raw", **server_options)
            servers.append(raw)
            raw.start()
            raw_load = Load(kind="raw", port=raw.port, room=None, cookies=[])
            raw_result = asyncio.run(
                measure(raw, raw_load, args, "raw"), loop_factory=uvloop.new_event_loop
            )
            raw.stop()
        report(convene_result, raw_result, args)
        if args.json:
            args.json.write_text(
                json.dumps(
                    {
                        "args": vars(args) | {"json": str(args.json)},
                        "convene": convene_result,
                        "raw": raw_result,
                    },
                    indent=2,
                    default=str,
                )
            )
        return 0
    finally:
        for server in servers:
            server.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
