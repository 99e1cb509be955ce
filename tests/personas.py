"""The persona matrix: who may do what, written as a table.

    @pytest.mark.parametrize(
        ("persona", "expected"), matrix({"organiser": 200, "anonymous": LOGIN}, refused=403)
    )
    def test_only_organisers_open_it(as_persona, session, persona, expected):
        assert outcome(as_persona(persona).get(url(session))) == expected

- `PERSONAS`: the people every matrix asks about, in this order; each is a
  fixture in tests/conftest.py (anonymous is a client without a login).
  `registered` is a persona too, for pages of registered people (the live
  rooms), but no default row: it is `attendee` after registering, so a table
  that names both asks about one person twice. `DRAFT_PERSONAS`: the rows of
  tables about a draft event (without `speaker`, see below).
- `as_persona(persona)` (a fixture in tests/conftest.py): a test client signed in
  as that persona; `persona_user(persona)`: the person (AnonymousUser for anonymous).
- `outcome(response)`: 200, `LOGIN`, 403, 404 or whatever else the status is.
  This is the one place that knows what a sign-in redirect looks like: a 302 to
  the sign-in page with a `next` on this site to come back to (decision 0018).
  Most refusals come back to the page asked for; a write that only takes POST
  comes back to the page it was on (voting sends people to the board). Where
  a test cares which, it compares `response["Location"]` with `sign_in_url(path)`.
- `matrix(expected, refused=403, personas=PERSONAS)`: (persona, expected) for
  every persona, those not named refused. A row that is no persona
  (`ALL_PERSONAS`), or an expectation for someone not among the rows, fails at
  collection: a typo cannot quietly leave a row to `refused`.
"""

from collections.abc import Mapping, Sequence
from urllib.parse import parse_qs, quote, urlsplit

from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client

ANONYMOUS = "anonymous"
LOGIN = "login"

PERSONAS = (
    "anonymous", "organiser", "host", "moderator", "speaker", "attendee", "outsider",
    "judge", "superuser",
)  # fmt: skip
SIGNED_IN = tuple(p for p in PERSONAS if p != ANONYMOUS)
# Personas that are fixtures but no default row of a matrix (see above).
OTHER_PERSONAS = ("registered",)
ALL_PERSONAS = (*PERSONAS, *OTHER_PERSONAS)
# Tables about a draft event (decision 0004) leave `speaker` out: the fixture is a
# host row without the event role events.services.host_add gives everyone it adds,
# so its answer (404) would describe the fixture, not the policy.
DRAFT_PERSONAS = tuple(p for p in PERSONAS if p != "speaker")

type Outcome = int | str


def client_for(user) -> Client:
    """A test client signed in as `user`."""
    client = Client()
    client.force_login(user)
    return client


def sign_in_url(next_path: str) -> str:
    """Where a person who must sign in first is sent, to come back to `next_path`."""
    return f"{resolve_url(settings.LOGIN_URL)}?next={quote(next_path, safe='/')}"


def is_sign_in_redirect(response) -> bool:
    """A 302 to the sign-in page, to come back to a page of this site."""
    if response.status_code != 302:
        return False
    location = urlsplit(response["Location"])
    back = parse_qs(location.query).get("next", [])
    return (
        not location.scheme
        and not location.netloc
        and location.path == resolve_url(settings.LOGIN_URL)
        and len(back) == 1
        and back[0].startswith("/")
        and not back[0].startswith("//")
    )


def outcome(response) -> Outcome:
    """`LOGIN` for a sign-in redirect (`is_sign_in_redirect`), else the status."""
    return LOGIN if is_sign_in_redirect(response) else response.status_code


def matrix(
    expected: Mapping[str, object],
    refused: object = 403,
    personas: Sequence[str] = PERSONAS,
) -> list[tuple[str, object]]:
    """(persona, expected) for every persona, in order: those not named are `refused`."""
    strangers = set(personas) - set(ALL_PERSONAS)
    unknown = set(expected) - set(personas)
    if strangers or unknown:
        raise ValueError(f"not personas of this matrix: {', '.join(sorted(strangers | unknown))}")
    return [(persona, expected.get(persona, refused)) for persona in personas]
