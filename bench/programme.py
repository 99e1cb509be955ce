"""Programme benchmark: the public programme pages under load, served as in production.

Makes a throwaway database with one published 300-session event, starts uvicorn
with DEBUG off, sends keep-alive HTTP/1.1 traffic to 127.0.0.1 at a few
concurrency levels, and prints requests per second, latencies and server CPU per
request for the programme page, one session page, the event calendar and the
schedule exports (JSON, frab XML), each plain and with If-None-Match (304); then
the first requests of new workers, with and without the lifespan warm-up.
See bench/README.md.

    make bench
    .venv/bin/python bench/programme.py --duration 5 --concurrency 1,16
    .venv/bin/python bench/programme.py --database-url postgres://postgres@127.0.0.1:5432/postgres
"""

import argparse
import asyncio
import json
import math
import os
import platform
import secrets
import shlex
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from contextlib import ExitStack
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from http_load import HOST, Result, fetch, load

ROOT = Path(__file__).resolve().parent.parent
STEPS = ROOT / "bench" / "django_steps.py"
BENCH_DATABASE = "convene_bench"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
# A 200 whose body is shorter than this share of the first answer counts as short.
SHORT_BODY = 0.9
# Other processes busier than this (in cores) during a run make its figures suspect.
BUSY_MACHINE = 0.25


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- Database -----------------------------------------------------------------


class Database:
    """The benchmark's own database, made at start and removed at the end.

    SQLite: a file in the work folder. PostgreSQL: the database `convene_bench`
    on the server that `server_url` names (dropped first if a killed run left it).
    """

    def __init__(self, *, server_url: str | None, workdir: Path) -> None:
        self.server_url = server_url
        if server_url is None:
            self.url = f"sqlite:///{workdir / 'bench.sqlite3'}"
        else:
            parts = urlsplit(server_url)
            if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
                raise SystemExit(f"--database-url must be a postgres:// URL, got {parts.scheme}://")
            self.url = urlunsplit(parts._replace(path=f"/{BENCH_DATABASE}"))
        self.created = False

    def _admin(self, statement: str) -> str | None:
        """Run one statement on the server's own database; its first value, if any."""
        import psycopg
        from psycopg import sql

        with psycopg.connect(self.server_url, autocommit=True) as connection:
            cursor = connection.execute(
                sql.SQL(statement).format(name=sql.Identifier(BENCH_DATABASE))
            )
            row = cursor.fetchone() if cursor.description else None
        return row[0] if row else None

    def create(self) -> None:
        if self.server_url is not None:
            self._admin("DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            self._admin("CREATE DATABASE {name}")
        self.created = True

    def drop(self) -> None:
        if self.server_url is not None and self.created:
            self._admin("DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def cpu_seconds(self) -> float | None:
        """CPU seconds the local PostgreSQL server's processes have used, or None.

        Counts live `postgres` processes and, through the postmaster's children
        times, the backends that have exited (one per request: CONN_MAX_AGE=0).
        """
        if self.server_url is None or urlsplit(self.server_url).hostname not in LOCAL_HOSTS:
            return None
        total = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                text = stat.read_text()
            except OSError:  # the process has gone
                continue
            name, _, rest = text.partition(" (")[2].rpartition(") ")
            if name == "postgres":
                fields = rest.split()
                total += sum(int(n) for n in fields[11:15])  # utime stime cutime cstime
        return total / os.sysconf("SC_CLK_TCK")

    def describe(self) -> str:
        if self.server_url is None:
            return f"SQLite {sqlite3.sqlite_version} (WAL), a file in a temporary folder"
        server_version = self._admin("SELECT current_setting('server_version')")
        where = urlsplit(self.server_url).hostname
        return f"PostgreSQL {server_version} on {where}, database {BENCH_DATABASE}"


# --- Django subprocesses ----------------------------------------------------------


def django_environment(database_url: str) -> dict[str, str]:
    """Production settings (DEBUG off) pointed at the benchmark database."""
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DJANGO_SETTINGS_MODULE"}}
    return env | {
        "DJANGO_SETTINGS_MODULE": "convene.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "false",
        # Production requires a mail destination; the benchmark sends no mail.
        "EMAIL_URL": "console://",
        "DATABASE_URL": database_url,
    }


def run_python(args: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(  # noqa: S603 - our own interpreter and fixed arguments
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise SystemExit(f"`python {' '.join(args)}` failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def last_json_line(output: str) -> dict:
    return json.loads(output.strip().splitlines()[-1])


# --- Server -------------------------------------------------------------------


def cpu_plan() -> tuple[int | None, int | None]:
    """(server CPU, load generator CPU), or Nones when there is only one CPU to use."""
    allowed = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    if len(allowed) < 2:
        return None, None
    return allowed[0], allowed[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class Server:
    """uvicorn as production runs it, on one CPU, logging to a file in the work folder.

    `app`: the ASGI application (bench/live.py also starts bench/raw_broadcast.py);
    `open_files`: raise the server's open-files limit (`ulimit -n`) to this first;
    `lifespan`: uvicorn's --lifespan (on: Convene warms the worker at start-up; off for
    bench/raw_broadcast.py, which has none);
    `extra`: more uvicorn options."""

    def __init__(
        self,
        *,
        env: dict[str, str],
        workdir: Path,
        cpu: int | None,
        app: str = "convene.asgi:application",
        name: str = "server",
        open_files: int | None = None,
        lifespan: str = "off",
        extra: tuple[str, ...] = (),
    ) -> None:
        self.env, self.cpu, self.app, self.name = env, cpu, app, name
        self.open_files, self.extra, self.lifespan = open_files, extra, lifespan
        self.log_path = workdir / f"{name}.log"
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.pinned = False

    def start(self, *, probe: bool = True) -> None:
        """Start, and wait until it answers / (`probe`) or only accepts connections
        (so its first request is still to come: the cold start measurement)."""
        command = [
            str(Path(sys.executable).with_name("uvicorn")),
            self.app,
            "--host", HOST,
            "--port", str(self.port),
            "--workers", "1",
            "--no-access-log",
            "--ws-per-message-deflate", "false",
            "--lifespan", self.lifespan,
            *self.extra,
        ]  # fmt: skip
        taskset = shutil.which("taskset")
        if taskset and self.cpu is not None:
            command = [taskset, "-c", str(self.cpu), *command]
            self.pinned = True
        if self.open_files:
            # `ulimit -n` for the server, then exec: the pid we hold is the server's.
            command = [
                "/bin/bash",
                "-c",
                f"ulimit -n {self.open_files} && exec {shlex.join(command)}",
            ]
        with self.log_path.open("wb") as log:
            # Its own session, so Ctrl+C reaches only us and we stop it in order.
            self.process = subprocess.Popen(  # noqa: S603 - fixed arguments
                command,
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"{self.name} stopped at start-up:\n{self.log_tail()}")
            if not probe:
                try:
                    socket.create_connection((HOST, self.port), timeout=1).close()
                except OSError:
                    time.sleep(0.02)
                    continue
                return
            try:
                status, _, _ = asyncio.run(fetch(self.port, "/"))
            except (OSError, TimeoutError, asyncio.IncompleteReadError):
                time.sleep(0.2)
                continue
            if status != 200:
                raise SystemExit(f"{self.name} answered / with {status}:\n{self.log_tail()}")
            return
        raise SystemExit(f"{self.name} did not answer within 60 s:\n{self.log_tail()}")

    def rss_kib(self) -> int:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        return 0

    def cpu_seconds(self) -> float:
        """User + system CPU time the server process has used so far."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def log_tail(self, lines: int = 30) -> str:
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


# --- Report -------------------------------------------------------------------


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def code_version() -> str:
    """The commit measured, and whether the working tree differed from it."""
    git_path = shutil.which("git")

    def git(*args: str) -> str:
        if git_path is None:
            return ""
        return subprocess.run(  # noqa: S603 - fixed arguments
            [git_path, *args], cwd=ROOT, capture_output=True, text=True, check=False
        ).stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    changed = git("status", "--porcelain", "--untracked-files=no", "--", "convene")
    if changed:
        return f"commit {commit} with {len(changed.splitlines())} changed files in convene/"
    return f"commit {commit}"


def rate(requests_per_second: float) -> str:
    return (
        f"{requests_per_second:.1f}" if requests_per_second < 10 else f"{requests_per_second:.0f}"
    )


def milliseconds(value: float) -> str:
    return "–" if math.isnan(value) else f"{value:.1f}"


def per_request_ms(cores: float, requests_per_second: float) -> str:
    """CPU milliseconds per answered request: steadier than requests/s on a busy machine."""
    if not requests_per_second:
        return "–"
    value = cores / requests_per_second * 1000
    return f"{value:.3f}" if value < 1 else f"{value:.1f}"


def format_errors(errors: Counter) -> str:
    if not errors:
        return "0"
    return ", ".join(f"{count} {kind}" for kind, count in sorted(errors.items()))


def print_report(
    *,
    facts: list[tuple[str, str]],
    pages: dict,
    queries: dict,
    results: list[tuple[str, Result]],
    cold: list[dict],
    costs: dict[str, dict[str, float]],
    duration: float,
) -> None:
    print()
    for name, value in facts:
        print(f"- {name}: {value}")
    print()
    print("| page | size | sent (brotli) | SQL queries cold | SQL queries, a miss when warm |")
    print("|---|--:|--:|--:|--:|")
    for name, page in pages.items():
        counts = queries[name]
        size = f"{page['size'] / 1024:.0f} KiB"
        sent = f"{page['sent'] / 1024:.1f} KiB ({page['encoding'] or 'none'})"
        print(f"| {page['label']} | {size} | {sent} | {counts['cold']} | {counts['warm']} |")
    print()
    measured = list(results[0][1].cpu) if results else []
    headings = " | ".join(f"{name} CPU | {name} ms/request" for name in measured)
    print(
        f"| endpoint | request | concurrency | requests/s | p50 ms | p99 ms | errors | {headings} "
        "| other CPU |"
    )
    print("|---|---|--:|--:|--:|--:|---|" + "--:|--:|" * len(measured) + "--:|")
    for variant, r in results:
        cpu = " | ".join(
            f"{r.cpu[name]:.2f} | {per_request_ms(r.cpu[name], r.requests_per_second)}"
            for name in measured
        )
        coarse = " †" if not r.p50_ms <= duration * 1000 / 4 else ""
        print(
            f"| {pages[r.endpoint]['label']} | {variant} | {r.connections} | "
            f"{rate(r.requests_per_second)}{coarse} | "
            f"{milliseconds(r.p50_ms)} | {milliseconds(r.p99_ms)} | {format_errors(r.errors)} | "
            f"{cpu} | {r.other_cpu:.2f} |"
        )
    if cold:
        print()
        print(
            "| new worker | first request (session page, a miss) | next: another session page "
            "(a miss) | the first page again (a hit) | start-up until listening |"
        )
        print("|---|--:|--:|--:|--:|")
        for run in cold:
            print(
                f"| --lifespan {run['lifespan']} | {run['first']:.1f} ms | {run['miss']:.1f} ms "
                f"| {run['hit']:.1f} ms | {run['startup']:.2f} s |"
            )
    if costs:
        labels = list(costs)
        print()
        print(
            "| middleware (a request Django builds) | "
            + " | ".join(f"{label} page µs" for label in labels)
            + " |"
        )
        print("|---|" + "--:|" * len(labels))
        for name in costs[labels[0]]:
            row = " | ".join(f"{costs[label][name]:.0f}" for label in labels)
            print(f"| {name.rsplit('.', 1)[-1]} | {row} |")
        totals = " | ".join(f"{sum(costs[label].values()):.0f}" for label in labels)
        print(f"| all of them and the view | {totals} |")
    busiest = max((r.client_cpu for _, r in results), default=0)
    if any(not r.p50_ms <= duration * 1000 / 4 for _, r in results):
        print()
        print(
            "† The median request took more than a quarter of the measured window (or none "
            "finished), so only a few rounds of requests finished in it: a coarse figure "
            "(raise --duration)."
        )
    disturbed = [r for _, r in results if r.other_cpu > BUSY_MACHINE]
    if disturbed:
        print()
        print(
            f"Warning: other processes used more than {BUSY_MACHINE:.2f} of a core during "
            f"{len(disturbed)} of {len(results)} runs; those figures understate this machine."
        )
    print()
    print(
        "CPU columns in cores (1.00 = one core busy all the time): the uvicorn process, "
        "the PostgreSQL server's processes when it runs here, and everything else on the "
        f"machine except the load generator, which used at most {busiest:.2f}. "
        "ms/request: CPU milliseconds per answered request."
    )


def cold_starts(
    *, env: dict[str, str], workdir: Path, cpu: int | None, paths: tuple[str, str], runs: int
) -> list[dict]:
    """First requests of new workers: with the lifespan warm-up and without.

    Each run starts a new uvicorn, waits only until it accepts connections, then
    times one request for a session page (the worker's very first), one for
    another session page (a miss on a worker that has served once) and the
    first page again (a hit)."""
    found = []
    for lifespan in ("on", "off"):
        for _ in range(runs):
            server = Server(env=env, workdir=workdir, cpu=cpu, name="cold", lifespan=lifespan)
            started = time.perf_counter()
            server.start(probe=False)
            listening = time.perf_counter() - started
            times = []
            try:
                for path in (paths[0], paths[1], paths[0]):
                    began = time.perf_counter()
                    status, _, _ = asyncio.run(fetch(server.port, path))
                    times.append((time.perf_counter() - began) * 1000)
                    if status != 200:
                        raise SystemExit(f"{path} answered {status}:\n{server.log_tail()}")
            finally:
                server.stop()
            found.append(
                {
                    "lifespan": lifespan,
                    "first": times[0],
                    "miss": times[1],
                    "hit": times[2],
                    "startup": listening,
                }
            )
    return found


# --- Main ---------------------------------------------------------------------


def concurrency_list(value: str) -> list[int]:
    try:
        levels = [int(part) for part in value.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"use numbers separated by commas, got {value!r}"
        ) from None
    if not levels or min(levels) < 1:
        raise argparse.ArgumentTypeError("each concurrency must be 1 or more")
    return levels


def positive(value: str) -> float:
    number = float(value)
    if number <= 0:
        raise argparse.ArgumentTypeError("must be more than 0")
    return number


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=positive, default=5.0, help="seconds measured per run")
    parser.add_argument("--warmup", type=float, default=1.0, help="seconds before measuring")
    parser.add_argument(
        "--concurrency",
        type=concurrency_list,
        default=[1, 16, 64],
        help="keep-alive connections per run, e.g. 1,16,64",
    )
    parser.add_argument("--sessions", type=int, default=300, help="sessions in the event")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL") or None,
        help="a PostgreSQL server to use (default: BENCH_DATABASE_URL, else SQLite); "
        f"the benchmark creates and drops the database {BENCH_DATABASE} there",
    )
    parser.add_argument(
        "--accept-encoding",
        default="br, gzip",
        help="the Accept-Encoding the clients send, as browsers do ('' for none)",
    )
    parser.add_argument(
        "--cold-runs", type=int, default=3, help="new workers started for the cold start"
    )
    parser.add_argument(
        "--profile", action="store_true", help="also print a cProfile of the programme page"
    )
    return parser.parse_args()


def stop_on_sigterm(signum, frame) -> None:
    raise KeyboardInterrupt


def main() -> int:
    args = parse_args()
    if not (ROOT / "convene" / "static" / "dist").is_dir():
        raise SystemExit("Static files are not built: run `make setup` (or `make bench`) first.")
    signal.signal(signal.SIGTERM, stop_on_sigterm)

    with ExitStack() as cleanup:
        workdir = Path(tempfile.mkdtemp(prefix="convene-bench-"))
        cleanup.callback(shutil.rmtree, workdir, ignore_errors=True)
        database = Database(server_url=args.database_url, workdir=workdir)
        cleanup.callback(database.drop)
        database.create()
        env = django_environment(database.url)

        say(f"Database: {database.url}")
        say("Migrating, collecting static files, making the event ...")
        run_python(["manage.py", "migrate", "--noinput", "-v", "0"], env)
        run_python(["manage.py", "collectstatic", "--noinput", "-v", "0"], env)
        made = last_json_line(
            run_python([str(STEPS), "seed", "--sessions", str(args.sessions)], env)
        )
        say("Counting SQL queries per page (Django test client) ...")
        steps_args = [str(STEPS), "queries", "--event", made["event"], "--session", made["session"]]
        measured = last_json_line(run_python(steps_args + ["--profile"] * args.profile, env))
        say("Timing each middleware (Django test client) ...")
        steps_args[1] = "middleware"
        costs = last_json_line(run_python(steps_args, env))["middleware"]

        server_cpu, client_cpu = cpu_plan()
        server = Server(env=env, workdir=workdir, cpu=server_cpu, lifespan="on")
        cleanup.callback(server.stop)
        say(f"Starting uvicorn on {HOST}:{server.port} ...")
        server.start()
        if client_cpu is not None:
            os.sched_setaffinity(0, {client_cpu})

        event_path = f"/events/{made['event']}"
        pages = {
            "programme": {
                "label": "programme page",
                "path": f"{event_path}/programme/",
                "marker": made["last_title"],
            },
            "session": {
                "label": "session page",
                "path": f"{event_path}/sessions/{made['session']}/",
                "marker": made["session_title"],
            },
            "calendar": {
                "label": "event calendar (.ics)",
                "path": f"{event_path}/calendar.ics",
                "marker": "END:VCALENDAR",
            },
            "json": {
                "label": "schedule JSON",
                "path": f"{event_path}/schedule.json",
                "marker": made["last_title"],
            },
            "xml": {
                "label": "frab XML",
                "path": f"{event_path}/schedule.xml",
                "marker": "</schedule>",
            },
        }
        encoding = {"Accept-Encoding": args.accept_encoding} if args.accept_encoding else {}
        for page in pages.values():
            status, body, _ = asyncio.run(fetch(server.port, page["path"]))
            text = body.decode("utf-8", errors="replace")
            if status != 200 or page["marker"] not in text:
                raise SystemExit(f"{page['path']} answered {status} without {page['marker']!r}")
            page["size"] = len(body)
            status, sent, headers = asyncio.run(fetch(server.port, page["path"], encoding))
            page["sent"], page["encoding"] = len(sent), headers.get("content-encoding", "")
            page["etag"] = headers.get("etag", "")
            if not page["etag"]:
                raise SystemExit(f"{page['path']} has no ETag: is it public?")

        meters = {"server": server.cpu_seconds}
        if database.cpu_seconds() is not None:
            meters["database"] = database.cpu_seconds
        load_before = Path("/proc/loadavg").read_text().split()[0]
        results = []
        for name, page in pages.items():
            variants = [
                ("200", encoding, 200, int(page["sent"] * SHORT_BODY)),
                ("304 (If-None-Match)", {**encoding, "If-None-Match": page["etag"]}, 304, 0),
            ]
            for variant, headers, expect, min_length in variants:
                for connections in args.concurrency:
                    say(f"{page['label']}, {variant}, {connections} connections ...")
                    result = asyncio.run(
                        load(
                            port=server.port,
                            cpu_meters=meters,
                            endpoint=name,
                            path=page["path"],
                            connections=connections,
                            min_length=min_length,
                            warmup=args.warmup,
                            duration=args.duration,
                            headers=headers,
                            expect=expect,
                        )
                    )
                    results.append((variant, result))
                    say(
                        f"  {result.requests_per_second:.0f} requests/s, p50 {result.p50_ms:.1f} ms"
                    )
        load_after = Path("/proc/loadavg").read_text().split()[0]
        server.stop()
        say("First requests of new workers ...")
        cold = cold_starts(
            env=env,
            workdir=workdir,
            cpu=server_cpu,
            paths=(pages["session"]["path"], f"{event_path}/sessions/{made['other_session']}/"),
            runs=args.cold_runs,
        )

        pinning = (
            f"server pinned to CPU {server_cpu}, load generator to CPU {client_cpu}"
            if server.pinned
            else "server and load generator not pinned"
        )
        facts = [
            ("date", datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")),
            ("code", code_version()),
            ("load average (1 minute) before and after the runs", f"{load_before}, {load_after}"),
            ("machine", f"{cpu_model()}, {os.cpu_count()} CPUs ({pinning})"),
            (
                "software",
                f"Python {platform.python_version()}, Django {version('django')}, "
                f"uvicorn {version('uvicorn')} (1 worker, --lifespan on), cache in process "
                f"memory; clients send Accept-Encoding: {args.accept_encoding or '(none)'}",
            ),
            ("database", database.describe()),
            ("event", f"{made['sessions']} sessions, {made['hosts']} hosts, 3 days, 6 tracks"),
            (
                "runs",
                f"{args.duration:g} s measured after {args.warmup:g} s warm-up, closed loop "
                "(each connection sends its next request when answered)",
            ),
        ]
        print_report(
            facts=facts,
            pages=pages,
            queries=measured["queries"],
            results=results,
            cold=cold,
            costs=costs,
            duration=args.duration,
        )
        for label, text in measured.get("profile", {}).items():
            print(f"\ncProfile of the programme page, {label}:\n{text}")
        failed = sum(sum(r.errors.values()) for _, r in results)
        if failed:
            say(f"{failed} requests failed; the server log said:\n{server.log_tail()}")
        return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        say("Interrupted; the server is stopped and the benchmark database removed.")
        sys.exit(130)
