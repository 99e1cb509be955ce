"""Registration benchmark: a burst of people register and book at the same moment.

Makes a throwaway database (SQLite, or PostgreSQL with --database-url or
DATABASE_URL) with one published event, a session with limited places and
`--people` signed-in people; starts uvicorn with DEBUG off on 127.0.0.1; then
`--clients` concurrent clients each take the next person and, as that person,
open the registration page, register in one click (POST) and book the
session (POST). It prints successful registrations per second, p50/p99
latency of the POSTs, errors by kind (and "database is locked" lines in the
server log), then checks the database: one registration row per successful
response, none lost or duplicated, and never more bookings than places.
Exits non-zero if a check fails. Bounded: at most `--people` people, stops
after `--max-seconds` (default 75). Traffic goes only to 127.0.0.1.

    make bench
    .venv/bin/python bench/registration.py --people 300 --clients 32 --capacity 100
    .venv/bin/python bench/registration.py --database-url postgres://postgres@127.0.0.1:5432/postgres
"""

import argparse
import http.client
import json
import os
import re
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
from programme import (  # bench/ is not a package: its folder is on sys.path
    HOST,
    ROOT,
    Database,
    Server,
    cpu_plan,
    django_environment,
    last_json_line,
    run_python,
    say,
)

STEPS = ROOT / "bench" / "registration_steps.py"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


class Client:
    """One person's browser: cookies, keep-alive connection."""

    def __init__(self, port: int, session_key: str) -> None:
        self.port = port
        self.cookies = {"sessionid": session_key}
        self.connection = http.client.HTTPConnection(HOST, port, timeout=60)

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, str]:
        headers = {
            "Host": f"{HOST}:{self.port}",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.connection.request(method, path, body=data, headers=headers)
        response = self.connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, text

    def close(self) -> None:
        self.connection.close()


def run_burst(port: int, seed: dict, clients: int, max_seconds: float) -> dict:
    people = list(seed["people"])
    lock = threading.Lock()
    start_gate = threading.Barrier(clients)
    deadline = time.monotonic() + max_seconds
    results = {"registered": [], "booked": [], "latency": [], "errors": Counter()}
    register_path = f"/events/{seed['event']}/register/"
    book_path = f"/sessions/{seed['session']}/book/"

    def work() -> None:
        start_gate.wait()
        while time.monotonic() < deadline:
            with lock:
                if not people:
                    return
                person = people.pop()
            client = Client(port, person["session"])
            try:
                status, page = client.request("GET", register_path)
                token = CSRF_INPUT.search(page)
                if status != 200 or token is None:
                    with lock:
                        results["errors"][f"register page {status}"] += 1
                    continue
                form = {"csrfmiddlewaretoken": token.group(1), "email_consent": "on"}
                began = time.perf_counter()
                status, _ = client.request("POST", register_path, form)
                took = time.perf_counter() - began
                with lock:
                    results["latency"].append(took)
                    if status == 302:
                        results["registered"].append(person["user"])
                    else:
                        results["errors"][f"register {status}"] += 1
                        continue
                began = time.perf_counter()
                status, _ = client.request("POST", book_path, form)
                took = time.perf_counter() - began
                with lock:
                    results["latency"].append(took)
                    if status == 302:
                        results["booked"].append(person["user"])
                    else:
                        results["errors"][f"book {status}"] += 1
            except (OSError, http.client.HTTPException) as exc:
                with lock:
                    results["errors"][type(exc).__name__] += 1
            finally:
                client.close()

    threads = [threading.Thread(target=work) for _ in range(clients)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results["seconds"] = time.monotonic() - began
    return results


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=300, help="people in the burst (300)")
    parser.add_argument("--clients", type=int, default=32, help="concurrent clients (32)")
    parser.add_argument("--capacity", type=int, default=100, help="places in the session (100)")
    parser.add_argument("--max-seconds", type=float, default=75.0, help="stop after (75)")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL") or None,
        help="a postgres:// server URL (default: $DATABASE_URL, else SQLite)",
    )
    args = parser.parse_args()
    if not (1 <= args.people <= 5000 and 1 <= args.clients <= 256 and args.max_seconds <= 110):
        parser.error("keep it bounded: people 1-5000, clients 1-256, max-seconds <= 110")
    if args.database_url and not args.database_url.startswith(("postgres", "pgsql")):
        args.database_url = None  # a sqlite:// DATABASE_URL: use the benchmark's own file
    return args


def main() -> int:
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="convene-bench-") as folder:
        workdir = Path(folder)
        database = Database(server_url=args.database_url, workdir=workdir)
        database.create()
        server = None
        try:
            env = django_environment(database.url)
            say(f"Database: {database.describe()}")
            run_python(["manage.py", "migrate", "--no-input", "-v", "0"], env)
            seed = last_json_line(
                run_python(
                    [str(STEPS), "seed", "--people", str(args.people),
                     "--capacity", str(args.capacity)],
                    env,
                )
            )  # fmt: skip
            server_cpu, _ = cpu_plan()
            server = Server(env=env, workdir=workdir, cpu=server_cpu)
            server.start()
            say(f"Burst: {args.people} people, {args.clients} clients, {args.capacity} places")
            results = run_burst(server.port, seed, args.clients, args.max_seconds)
            server.stop()
            log = server.log_path.read_text(errors="replace")
            locked = log.count("database is locked")
            results_path = workdir / "results.json"
            results_path.write_text(
                json.dumps(
                    {
                        "registered": results["registered"],
                        "booked": results["booked"],
                        "session": seed["session"],
                        "capacity": seed["capacity"],
                    }
                )
            )
            check = last_json_line(
                run_python([str(STEPS), "verify", "--results", str(results_path)], env)
            )
        finally:
            if server is not None:
                server.stop()
            database.drop()

    registered = len(results["registered"])
    latency = results["latency"]
    print(f"Database: {database.describe() if args.database_url else 'SQLite (WAL)'}")
    print(
        f"People: {args.people}, concurrent clients: {args.clients}, "
        f"places in the session: {args.capacity}"
    )
    print(f"Successful registrations: {registered} in {results['seconds']:.1f} s "
          f"= {registered / results['seconds']:.1f} per second")  # fmt: skip
    print(f"Successful bookings (place or waiting list): {len(results['booked'])}")
    print(
        f"POST latency (register and book, {len(latency)} requests): "
        f"p50 {percentile(latency, 0.50) * 1000:.0f} ms, "
        f"p99 {percentile(latency, 0.99) * 1000:.0f} ms"
    )
    errors = dict(results["errors"])
    print(f"Errors by kind: {errors or 'none'}")
    print(f'"database is locked" in the server log: {locked}')
    print(
        f"Database check: {check['registration_rows']} registration rows; "
        f"lost {len(check['lost_registrations'])}, duplicated "
        f"{len(check['duplicated_registrations'])}, without a success "
        f"{len(check['rows_without_success'])}; bookings lost {len(check['lost_bookings'])}, "
        f"duplicated {len(check['duplicated_bookings'])}; booked {check['booked']} of "
        f"{check['capacity']} places, waiting {check['waiting']}"
    )
    failures = [
        name
        for name, bad in [
            ("lost registrations", check["lost_registrations"]),
            ("duplicated registrations", check["duplicated_registrations"]),
            ("registrations without a successful response", check["rows_without_success"]),
            ("lost bookings", check["lost_bookings"]),
            ("duplicated bookings", check["duplicated_bookings"]),
            ("capacity exceeded", check["booked"] > check["capacity"]),
            ("database is locked", locked),
        ]
        if bad
    ]
    if failures:
        print("FAILED: " + ", ".join(failures))
        return 1
    print("All checks passed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
