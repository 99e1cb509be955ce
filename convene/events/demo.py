"""The demo events loaded by `manage.py load_demo` (and so by `make run`).

Facts come from public pages: NHS Horizons' published programme and blog posts
of the Big Conversation for Improvement (11–12 May 2022) and of the Next
Conversation (28 June 2022), and NHS England's spread and adoption pages.
Where the sources are silent — most session times, the other sessions'
titles, the Teams call — rows are marked `is_example_data`, and the pages say
so. Loading is idempotent: everything is keyed by slug and updated
in place, so running it twice changes nothing the second time.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from convene.accounts.models import User
from convene.events.extensions import DEMO_DATA
from convene.events.models import Event, EventRole, Host, Room, Session, Track

LONDON = ZoneInfo("Europe/London")
K = Session.Kind
R = Host.Role


@dataclass
class DemoHost:
    name: str
    role: str = R.HOST
    organisation: str = ""
    social_handle: str = ""
    bio: str = ""


@dataclass
class DemoSession:
    slug: str
    title: str
    kind: str
    day: date
    start: time
    end: time
    summary: str = ""
    description: str = ""
    track: str = ""
    hosts: list[DemoHost] = field(default_factory=list)
    join_provider: str = ""
    join_url: str = ""
    hashtags: str = ""
    example: bool = True


BIG_DAY_1 = date(2022, 5, 11)
BIG_DAY_2 = date(2022, 5, 12)

SPREAD_CONVERSATION = DemoSession(
    slug="what-is-needed-to-help-people-spread-innovation-and-improvement",
    title="What is needed to help people spread innovation and improvement?",
    kind=K.OPEN_CONVERSATION,
    day=BIG_DAY_2,
    start=time(11, 30),
    end=time(12, 30),
    track="Open Conversations A",
    summary=(
        "Background on spread, complexity and the seven interconnected principles, "
        "then your answers in the chat box."
    ),
    description=(
        "This Open Conversation opens with a few background slides on spread, on complexity, "
        "and on the **seven interconnected principles for spread and adoption** from "
        "*Leading the Spread and Adoption of Innovation and Improvement: A Practical Guide*.\n\n"
        "Then it is over to you: the hosts pose questions and everyone answers in the chat "
        "box. The recording and slides are shared afterwards.\n\n"
        "*The time shown is example data: the sources do not give it.*"
    ),
    hosts=[
        DemoHost(
            "Diane Ketley",
            R.HOST,
            "NHS Horizons",
            bio="Leads the Horizons work on spread and adoption that produced the practical guide.",
        ),
        DemoHost(
            "Carol Munt",
            R.LIVED_EXPERIENCE_PARTNER,
            "Patient leader",
            "@muntma",
        ),
        DemoHost("Joe Sladen", R.CO_HOST, "Wessex AHSN", "@SladenJoe"),
    ],
    join_provider="Microsoft Teams",
    join_url="https://teams.microsoft.com/l/meetup-join/example-spread-conversation",
    hashtags="#ImprovingTogether #NHSSpread",
)

BIG_CONVERSATION_SESSIONS = [
    DemoSession(
        "welcome-and-opening-plenary",
        "Welcome and opening plenary",
        K.PLENARY,
        BIG_DAY_1,
        time(10, 0),
        time(11, 0),
        track="Main stage",
        summary="Unlocking everyone's power to improve health and care.",
        join_provider="Microsoft Teams",
        join_url="https://teams.microsoft.com/l/meetup-join/example-opening-plenary",
    ),
    DemoSession(
        "national-improvement-awards-spreading-change",
        "National Improvement Awards: Spreading change and improvement across systems",
        K.AWARD_SHOWCASE,
        BIG_DAY_1,
        time(11, 30),
        time(12, 30),
        track="Main stage",
        summary="The shortlisted teams present their work and the winner is announced.",
        description=(
            "One of the six themes of the National Improvement Awards 2022.\n\n"
            "**Shortlist**\n\n"
            '- The Royal College of Paediatrics and Child Health with "Us"\n'
            "- the #StayandThrive team\n"
            "- FutureNHS Team with FutureNHS Communities\n"
            "- NHS South, Central and West CSU (did not present)\n\n"
            "**Winner:** FutureNHS Team and FutureNHS Communities.\n\n"
            "*The time shown is example data.*"
        ),
        join_provider="Microsoft Teams",
        join_url="https://teams.microsoft.com/l/meetup-join/example-awards-spread",
    ),
    DemoSession(
        "lunch-day-1",
        "Lunch break",
        K.BREAK,
        BIG_DAY_1,
        time(12, 30),
        time(13, 30),
    ),
    DemoSession(
        "national-improvement-awards-showcase",
        "National Improvement Awards showcase: more themes",
        K.AWARD_SHOWCASE,
        BIG_DAY_1,
        time(13, 30),
        time(14, 30),
        track="Main stage",
        summary=(
            "Shortlisted teams from the other award themes "
            "(example data: their titles are not in the sources)."
        ),
        join_provider="Microsoft Teams",
        join_url="https://teams.microsoft.com/l/meetup-join/example-awards-showcase",
    ),
    DemoSession(
        "closing-plenary-day-1",
        "Day 1 closing plenary",
        K.PLENARY,
        BIG_DAY_1,
        time(15, 0),
        time(16, 0),
        track="Main stage",
        summary="Reflections on the awards and an invitation to tomorrow's Open Conversations.",
        join_provider="Microsoft Teams",
        join_url="https://teams.microsoft.com/l/meetup-join/example-closing-day-1",
    ),
    DemoSession(
        "open-conversations-welcome",
        "Open Conversations: welcome",
        K.PLENARY,
        BIG_DAY_2,
        time(10, 0),
        time(10, 45),
        track="Main stage",
        summary="How the Open Conversations work: join one, or pop in and out of several.",
        join_provider="Microsoft Teams",
        join_url="https://teams.microsoft.com/l/meetup-join/example-oc-welcome",
    ),
    SPREAD_CONVERSATION,
    DemoSession(
        "co-producing-improvement-with-lived-experience-partners",
        "Co-producing improvement with lived-experience partners",
        K.OPEN_CONVERSATION,
        BIG_DAY_2,
        time(11, 30),
        time(12, 30),
        track="Open Conversations B",
        summary="Example data: a conversation on sharing power with patients and carers.",
        hosts=[DemoHost("Example host A", R.HOST, "Example NHS Trust")],
        join_provider="Microsoft Teams",
        join_url="https://teams.microsoft.com/l/meetup-join/example-coproduction",
    ),
    DemoSession(
        "lunch-day-2",
        "Lunch break",
        K.BREAK,
        BIG_DAY_2,
        time(12, 30),
        time(13, 30),
    ),
    DemoSession(
        "improving-health-equity-together",
        "Improving health equity together",
        K.OPEN_CONVERSATION,
        BIG_DAY_2,
        time(13, 30),
        time(14, 30),
        track="Open Conversations A",
        summary="Example data: what helps improvement work reach everyone.",
        hosts=[DemoHost("Example host B", R.HOST, "Example Integrated Care Board")],
        join_provider="Microsoft Teams",
        join_url="https://teams.microsoft.com/l/meetup-join/example-equity",
    ),
    DemoSession(
        "digitally-enabled-transformation",
        "Digitally-enabled transformation",
        K.WORKSHOP,
        BIG_DAY_2,
        time(13, 30),
        time(14, 30),
        track="Open Conversations B",
        summary="Example data: a hands-on workshop on spreading digital change.",
        hosts=[DemoHost("Example host C", R.HOST, "Example AHSN")],
        join_provider="Microsoft Teams",
        join_url="https://teams.microsoft.com/l/meetup-join/example-digital",
    ),
    DemoSession(
        "closing-plenary",
        "Closing plenary: what we will do next",
        K.PLENARY,
        BIG_DAY_2,
        time(15, 0),
        time(16, 0),
        track="Main stage",
        summary="What we heard, and the follow-up conversation on social media.",
        join_provider="Microsoft Teams",
        join_url="https://teams.microsoft.com/l/meetup-join/example-closing",
    ),
]

NEXT_DAY = date(2022, 6, 28)
NEXT_CONVERSATION_SESSIONS = [
    DemoSession(
        "takeover-digitally-enabled-transformation",
        "Takeover: Digitally-Enabled Transformation",
        K.TWEET_CHAT,
        NEXT_DAY,
        time(9, 0),
        time(10, 0),
        track="@HorizonsNHS",
        summary=(
            "A Big Conversation speaker takes over the @HorizonsNHS account and poses questions."
        ),
        hashtags="#ImprovingTogether",
        example=True,
    ),
    DemoSession(
        "scale-and-spread-call",
        "Scale and spread: a conversation on Teams",
        K.OPEN_CONVERSATION,
        NEXT_DAY,
        time(10, 20),
        time(10, 55),
        track="Teams call",
        summary="A short call on what helps scale and spread, following the Big Conversation.",
        description=(
            "*Example data: the sources describe the Twitter takeovers but not a Teams call; "
            "this session shows how a call sits beside a social-media event.*"
        ),
        hosts=[
            DemoHost("Diane Ketley", R.HOST, "NHS Horizons"),
            DemoHost("Carol Munt", R.LIVED_EXPERIENCE_PARTNER, "Patient leader", "@muntma"),
        ],
        join_provider="Microsoft Teams",
        join_url="https://teams.microsoft.com/l/meetup-join/example-scale-and-spread",
    ),
    DemoSession(
        "takeover-improving-health-equity",
        "Takeover: Improving Health Equity",
        K.TWEET_CHAT,
        NEXT_DAY,
        time(12, 0),
        time(13, 0),
        track="@HorizonsNHS",
        summary="Questions and replies on health equity, with people with lived experience.",
        hashtags="#ImprovingTogether",
    ),
    DemoSession(
        "takeover-overcoming-challenges-together",
        "Takeover: Overcoming Challenges Together",
        K.TWEET_CHAT,
        NEXT_DAY,
        time(14, 0),
        time(15, 0),
        track="@HorizonsNHS",
        summary="How people are using what they learnt in May.",
        hashtags="#ImprovingTogether",
    ),
]


def _upcoming_sessions(day: date) -> list[DemoSession]:
    return [
        DemoSession(
            "systems-convening-opening",
            "Systems convening: what it asks of leaders",
            K.PLENARY,
            day,
            time(14, 0),
            time(14, 45),
            track="Main stage",
            summary="Example data: an introduction to systems convening and adaptive spaces.",
            hosts=[DemoHost("Example host D", R.HOST, "Example NHS Trust")],
            join_provider="Microsoft Teams",
            join_url="https://teams.microsoft.com/l/meetup-join/example-convening",
        ),
        DemoSession(
            "top-tips-to-enable-spread",
            "Your top tips to enable spread",
            K.OPEN_CONVERSATION,
            day,
            time(15, 0),
            time(16, 0),
            track="Main stage",
            summary="Example data: share a top tip in the chat box and vote for others.",
            hosts=[
                DemoHost("Example host D", R.HOST, "Example NHS Trust"),
                DemoHost("Example partner E", R.LIVED_EXPERIENCE_PARTNER),
            ],
            join_provider="Microsoft Teams",
            join_url="https://teams.microsoft.com/l/meetup-join/example-top-tips",
        ),
    ]


def _aware(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=LONDON)


def _load_sessions(event: Event, sessions: list[DemoSession]) -> None:
    tracks: dict[str, Track] = {}
    for position, name in enumerate(dict.fromkeys(s.track for s in sessions if s.track)):
        tracks[name], _ = Track.objects.update_or_create(
            event=event, name=name, defaults={"position": position}
        )
    event.tracks.exclude(name__in=tracks).delete()
    # The demo's tracks are the stages and channels sessions run in: rooms too
    # (as migration 0007 made of every track; docs/decisions/0015).
    rooms: dict[str, Room] = {}
    for name, track in tracks.items():
        rooms[name], _ = Room.objects.update_or_create(
            event=event, name=name, defaults={"position": track.position}
        )
    event.rooms.exclude(name__in=rooms).delete()
    for demo in sessions:
        session, _ = Session.objects.update_or_create(
            event=event,
            slug=demo.slug,
            defaults={
                "title": demo.title,
                "kind": demo.kind,
                "summary": demo.summary,
                "description": demo.description,
                "start": _aware(demo.day, demo.start),
                "end": _aware(demo.day, demo.end),
                "room": rooms.get(demo.track),
                "track": tracks.get(demo.track),
                "join_url": demo.join_url,
                "join_provider": demo.join_provider,
                "hashtags": demo.hashtags,
                "status": Session.Status.SCHEDULED,
                "is_example_data": demo.example,
            },
        )
        session.hosts.all().delete()
        Host.objects.bulk_create(
            Host(
                session=session,
                guest_name=h.name,
                role=h.role,
                organisation=h.organisation,
                social_handle=h.social_handle,
                bio=h.bio,
                position=i,
            )
            for i, h in enumerate(demo.hosts)
        )
    event.sessions.exclude(slug__in=[s.slug for s in sessions]).delete()


@transaction.atomic
def demo_load(*, today: date | None = None, organiser_password: str | None = None) -> list[Event]:
    """Create or refresh the demo events. Side effects, in order:

    1. "The Big Conversation for Improvement 2022", "The Next Conversation" and
       an upcoming example event (four weeks from `today`) are created or updated;
    2. their rooms, tracks, sessions and hosts are replaced by the demo set;
    3. with `organiser_password`, organiser@example.org (a superuser, organiser
       of all three events) is created or its password reset;
    4. every `events.extensions.DEMO_DATA` loader runs (feature apps add their
       example data, in INSTALLED_APPS order).
    """
    today = today or timezone.localdate()
    big, _ = Event.objects.update_or_create(
        slug="big-conversation-2022",
        defaults={
            "title": "The Big Conversation for Improvement 2022",
            "strapline": "Unlocking everyone's power to improve health and care",
            "description": (
                "A free, fully virtual two-day event bringing together people from across the "
                "NHS, health and care, and lived-experience partners. Everyone is and can be an "
                "improver: join for one session or the whole time.\n\n"
                "**Day 1** presents the **National Improvement Awards**. **Day 2** is given to "
                "**Open Conversations** that anyone could apply to lead or co-lead on a health "
                "and care improvement topic that matters to them.\n\n"
                "Afterwards the session recordings, slides and resources, a digital goody "
                "bag, are published for everyone."
            ),
            "start_date": BIG_DAY_1,
            "end_date": BIG_DAY_2,
            "time_zone": "Europe/London",
            "format": Event.Format.ONLINE,
            "hashtags": "#ImprovingTogether #SolvingTogether",
            "status": Event.Status.PUBLISHED,
            "programme_published": True,
            "resources_intro": (
                "Recordings of the sessions, their slides and resources: a digital goody bag "
                "for everyone, whether or not they came."
            ),
            "is_example_data": True,
        },
    )
    _load_sessions(big, BIG_CONVERSATION_SESSIONS)

    following, _ = Event.objects.update_or_create(
        slug="the-next-conversation-2022",
        defaults={
            "title": "The Next Conversation",
            "strapline": "Continuing the improvement conversations from May",
            "description": (
                "Speakers from the Big Conversation each hosted a mini takeover of the "
                "@HorizonsNHS Twitter account, posing questions; participants, including people "
                "with lived experience, replied with their thoughts and with how they were using "
                "what they had learnt. The wrap-up drew out three C's: **Coproduction, "
                "Conversation, Candour**."
            ),
            "start_date": NEXT_DAY,
            "end_date": NEXT_DAY,
            "time_zone": "Europe/London",
            "format": Event.Format.SOCIAL,
            "hashtags": "#ImprovingTogether",
            "status": Event.Status.PUBLISHED,
            "programme_published": True,
            "is_example_data": True,
        },
    )
    _load_sessions(following, NEXT_CONVERSATION_SESSIONS)

    upcoming_day = today + timedelta(days=28)
    upcoming, _ = Event.objects.update_or_create(
        slug="spread-and-adoption-conversation",
        defaults={
            "title": "Spread and adoption: an afternoon conversation",
            "strapline": "Example data: a small upcoming event so the site has something ahead",
            "description": (
                "An example upcoming event. It shows how an afternoon of conversations about "
                "the seven interconnected principles for spread and adoption looks in Convene."
            ),
            "start_date": upcoming_day,
            "end_date": upcoming_day,
            "time_zone": "Europe/London",
            "format": Event.Format.ONLINE,
            "hashtags": "#NHSSpread",
            "status": Event.Status.PUBLISHED,
            "programme_published": True,
            "is_example_data": True,
        },
    )
    _load_sessions(upcoming, _upcoming_sessions(upcoming_day))

    events = [big, following, upcoming]
    if organiser_password:
        organiser = User.objects.filter(email="organiser@example.org").first()
        if organiser is None:
            organiser = User.objects.create_superuser(
                "organiser@example.org", organiser_password, name="Demo Organiser"
            )
        else:
            organiser.set_password(organiser_password)
            organiser.save(update_fields=["password"])
        from allauth.account.models import EmailAddress

        EmailAddress.objects.update_or_create(
            user=organiser,
            email=organiser.email,
            defaults={"verified": True, "primary": True},
        )
        for event in events:
            EventRole.objects.get_or_create(
                event=event, user=organiser, role=EventRole.Role.ORGANISER
            )
    for load in DEMO_DATA.all():
        load(events=events)
    return events
