"""The steps of bench/programme.py that run inside Django, each in its own process.

    python bench/django_steps.py seed --sessions 300
    python bench/django_steps.py queries --event SLUG --session SLUG [--profile]
    python bench/django_steps.py middleware --event SLUG --session SLUG

The environment (DATABASE_URL, DEBUG=false, ...) comes from bench/programme.py.
`seed` prints one JSON line naming what it made; `queries` prints one JSON line
with the SQL query counts of each benchmarked page, cold (empty cache) and warm.
"""

import argparse
import cProfile
import io
import json
import pstats
import random
import sys
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent

EVENT_SLUG = "bench-conversation-for-improvement"
ZONE = ZoneInfo("Europe/London")
DAYS = 3
TRACKS = 6
HOSTS_PER_SESSION = 2
DAY_STARTS = time(9, 0)

TOPICS = [
    "spreading virtual wards",
    "reducing waiting lists",
    "co-producing services with patients",
    "making quality improvement stick",
    "measurement for improvement",
    "joy in work",
    "digital inclusion",
    "improving discharge from hospital",
    "learning from excellence",
    "health inequalities in primary care",
    "sustainable healthcare",
    "lived experience in improvement teams",
]
OPENINGS = [
    "What would it take to start",
    "What we learnt from",
    "Open Conversation on",
    "Scaling up",
    "Ten questions about",
    "Your top tips for",
]
ORGANISATIONS = [
    "NHS Horizons",
    "NHS England",
    "Leeds Teaching Hospitals NHS Trust",
    "Q Community",
    "The Health Foundation",
    "Bristol Health Partners",
    "A patient and carer network",
]
FIRST_NAMES = ["Aisha", "Ben", "Chloe", "Dev", "Ellen", "Femi", "Grace", "Hari", "Iona", "Jo"]
SURNAMES = ["Adams", "Bhatt", "Clarke", "Davies", "Evans", "Fofana", "Green", "Hughes", "Khan"]
KINDS = ["open_conversation"] * 10 + ["workshop"] * 3 + ["award_showcase"] * 2 + ["tweet_chat"] * 1


def _setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def seed(*, sessions: int) -> dict:
    """A published 3-day, 6-track event with `sessions` sessions and 2 hosts each.

    Starts 30 days from now, so 'happening now' and 'next' stay the same for the
    whole run (during an event they change every half hour and so does the cache
    key of the programme HTML).
    """
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from convene.accounts.models import User
    from convene.events.cache import programme_changed
    from convene.events.models import Event, Host, Session, Track

    rng = random.Random(2022)
    first_day = datetime.now(UTC).astimezone(ZONE).date() + timedelta(days=30)
    per_day = -(-sessions // DAYS)
    slots_per_day = -(-per_day // TRACKS)
    # Half-hour slots from 09:00; shorter ones when a day would run past 21:00.
    slot = timedelta(minutes=max(1, min(30, (12 * 60) // slots_per_day)))

    with transaction.atomic():
        event = Event.objects.create(
            slug=EVENT_SLUG,
            title="Benchmark Conversation for Improvement",
            strapline="Three days of conversations about spreading what works.",
            description="A made-up event for the benchmark. " * 20,
            start_date=first_day,
            end_date=first_day + timedelta(days=DAYS - 1),
            time_zone="Europe/London",
            hashtags="#BenchConversation",
            status=Event.Status.PUBLISHED,
            programme_published=True,
        )
        tracks = Track.objects.bulk_create(
            Track(event=event, name=f"Open Conversations {chr(65 + i)}", position=i)
            for i in range(TRACKS)
        )
        # A third of the hosts have accounts (their name comes from the user row).
        users = User.objects.bulk_create(
            User(
                email=f"host{i}@bench.example.org",
                name=f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}",
                organisation=rng.choice(ORGANISATIONS),
                password=make_password(None),  # unusable: nobody signs in
            )
            for i in range(sessions * HOSTS_PER_SESSION // 3)
        )
        rows = []
        for n in range(sessions):
            day, rest = divmod(n, per_day)
            slot_index, track_index = divmod(rest, TRACKS)
            start = datetime.combine(first_day + timedelta(days=day), DAY_STARTS, ZONE)
            start += slot * slot_index
            topic = rng.choice(TOPICS)
            title = f"{rng.choice(OPENINGS)} {topic} ({n + 1})"
            rows.append(
                Session(
                    event=event,
                    title=title,
                    slug=f"session-{n + 1}",
                    kind=rng.choice(KINDS),
                    summary=f"Hosts share how their teams approached {topic}, then you answer "
                    "their questions in the chat box and share your own top tips.",
                    description=(
                        f"## About {topic}\n\nThis conversation starts with a few slides, "
                        "then it is over to you. **Bring your questions.**\n\n"
                        "- what worked\n- what did not\n- what you would do next time\n\n"
                        "The recording and slides are shared afterwards."
                    ),
                    start=start,
                    end=start + slot,
                    track=tracks[track_index],
                    join_url=f"https://teams.example.org/meet/bench-{n + 1}",
                    join_provider="Microsoft Teams",
                    hashtags="#BenchConversation",
                )
            )
        made = Session.objects.bulk_create(rows)
        users_left = iter(users)
        hosts = []
        for session in made:
            for position in range(HOSTS_PER_SESSION):
                user = next(users_left, None) if rng.random() < 1 / 3 else None
                hosts.append(
                    Host(
                        session=session,
                        user=user,
                        guest_name=""
                        if user
                        else f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}",
                        role=Host.Role.HOST if position == 0 else Host.Role.CO_HOST,
                        organisation="" if user else rng.choice(ORGANISATIONS),
                        bio="Improvement lead with ten years in community services.",
                        position=position,
                    )
                )
        Host.objects.bulk_create(hosts)
    # bulk_create sends no signals, so say the programme changed ourselves.
    programme_changed(event.pk)
    middle = made[len(made) // 2]
    return {
        "event": event.slug,
        "session": middle.slug,
        "other_session": made[len(made) // 2 + 1].slug,
        "session_title": middle.title,
        "last_title": made[-1].title,
        "sessions": len(made),
        "hosts": len(hosts),
    }


def _get(client, url: str):
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return response


def queries(*, event: str, session: str, profile: bool) -> dict:
    """SQL queries per page through Django's test client, same settings as the server.

    Cold: the cache is empty (the first visitor after a programme change).
    Warm: the same page again, built again (the test client has no response cache
    in front: these are the queries of a response cache miss; a hit runs one,
    the stamps, outside Django).
    """
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    pages = {
        "programme": f"/events/{event}/programme/",
        "session": f"/events/{event}/sessions/{session}/",
        "calendar": f"/events/{event}/calendar.ics",
        "json": f"/events/{event}/schedule.json",
        "xml": f"/events/{event}/schedule.xml",
    }
    counts = {}
    cache.clear()
    for name, url in pages.items():
        with CaptureQueriesContext(connection) as cold:
            _get(client, url)
        with CaptureQueriesContext(connection) as warm:
            _get(client, url)
        counts[name] = {"cold": len(cold), "warm": len(warm)}
    result: dict = {"queries": counts}
    if profile:
        result["profile"] = _profile(client, pages["programme"])
    return result


def _profile(client, url: str) -> dict:
    """cProfile of one cold and of 50 warm requests for the page, top functions."""
    from django.core.cache import cache

    texts = {}
    for label, repeat, clear in (("cold (1 request)", 1, True), ("warm (50 requests)", 50, False)):
        if clear:
            cache.clear()
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(repeat):
            _get(client, url)
        profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).strip_dirs()
        stats.sort_stats("tottime").print_stats(20)
        stats.sort_stats("cumulative").print_stats(40)
        texts[label] = out.getvalue()
    return texts


def middleware(*, event: str, session: str, requests: int = 300) -> dict:
    """Microseconds each middleware of settings.MIDDLEWARE spends on an anonymous request.

    A probe between every two middleware notes when the request passes it and when
    the response comes back; a middleware's own time is the time between its two
    probes on the way in plus on the way out (what the next one and the view took
    left out). Through the test client (Django's own handler, no ASGI), for the
    home page and a session page built each time (the response cache is not in
    front): what a request pays when it is not served from the cache.
    """
    import time as clock

    from django.conf import settings
    from django.test import Client, override_settings

    marks: list[tuple[str, int, float]] = []

    def probe_factory(position: int):
        def probe(get_response):
            def middleware(request):
                marks.append(("in", position, clock.perf_counter()))
                response = get_response(request)
                marks.append(("out", position, clock.perf_counter()))
                return response

            return middleware

        return probe

    names = list(settings.MIDDLEWARE)
    chain: list[str] = []
    probes = {}
    for position in range(len(names) + 1):
        probe_name = f"_bench_probe_{position}"
        probes[probe_name] = probe_factory(position)
        chain.append(f"{__name__}.{probe_name}")
        if position < len(names):
            chain.append(names[position])
    globals().update(probes)
    pages = {"home": "/", "session": f"/events/{event}/sessions/{session}/"}
    spent: dict[str, dict[str, float]] = {}
    with override_settings(MIDDLEWARE=chain):
        client = Client(HTTP_HOST="127.0.0.1")
        for label, url in pages.items():
            _get(client, url)  # warm
            totals = [0.0] * (len(names) + 1)
            for _ in range(requests):
                marks.clear()
                _get(client, url)
                inward = {p: t for kind, p, t in marks if kind == "in"}
                outward = {p: t for kind, p, t in marks if kind == "out"}
                for p in range(len(names)):
                    totals[p] += (inward[p + 1] - inward[p]) + (outward[p] - outward[p + 1])
                totals[-1] += outward[len(names)] - inward[len(names)]  # the view
            spent[label] = {
                name: totals[p] / requests * 1e6 for p, name in enumerate([*names, "the view"])
            }
    return {"middleware": spent}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    steps = parser.add_subparsers(dest="step", required=True)
    seed_parser = steps.add_parser("seed")
    seed_parser.add_argument("--sessions", type=int, default=300)
    queries_parser = steps.add_parser("queries")
    queries_parser.add_argument("--event", required=True)
    queries_parser.add_argument("--session", required=True)
    queries_parser.add_argument("--profile", action="store_true")
    middleware_parser = steps.add_parser("middleware")
    middleware_parser.add_argument("--event", required=True)
    middleware_parser.add_argument("--session", required=True)
    args = parser.parse_args()

    _setup_django()
    if args.step == "seed":
        result = seed(sessions=args.sessions)
    elif args.step == "middleware":
        result = middleware(event=args.event, session=args.session)
    else:
        result = queries(event=args.event, session=args.session, profile=args.profile)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
