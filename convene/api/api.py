"""The documented REST API (django-ninja): /api/openapi.json and /api/docs.

Reads are open to anyone, with the same rules as the pages (a draft event or
an unpublished programme answers 404). Writes use the signed-in session (the
site's cookie) and need the CSRF token in the X-CSRFToken header, like the
pages' forms. Every refusal is a problem+json body (problems.py), never a 500.

The API only calls other apps' selectors and services; nothing imports it
(docs/architecture.md, checked by `lint-imports`).
"""

from datetime import datetime
from typing import TYPE_CHECKING, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Field, NinjaAPI, Query, Router, Schema, Status
from ninja.security import SessionAuth

from convene.api import problems
from convene.api.docs import ReferenceDocs
from convene.contributions import selectors, services
from convene.core.permissions import require_or_404
from convene.core.problem_details import JSON_ONLY_DETAIL
from convene.events import selectors as event_selectors
from convene.spread import selectors as spread_selectors

if TYPE_CHECKING:  # the API reaches apps only through their selectors and services
    from convene.contributions.models import Contribution

DESCRIPTION = """
Convene's data for other tools: the top tips, ideas and questions of an event's
sessions (the same data as the boards' CSV and Markdown downloads), and the
principles for spread and adoption they are tagged with.

- **Reading** needs no sign-in. Only what the public pages show is here:
  nothing hidden by moderators, nothing from unpublished programmes, and people
  who chose to be anonymous stay anonymous.
- **Writing** (sharing, voting) uses your signed-in session cookie and the
  CSRF token in an `X-CSRFToken` header, as the site's own pages do.
- **Errors** are `application/problem+json` (RFC 9457): `type`, `title`,
  `status`, `detail`, a stable `code`, and `errors` per field for bad input.
"""


class ConveneAPI(NinjaAPI):
    """The API, whose schema says what refusals really are: problem details."""

    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if int(status) >= 400 and "application/json" in content:
                        content[problems.CONTENT_TYPE] = content.pop("application/json")
        return schema


api = ConveneAPI(
    title="Convene API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    docs=ReferenceDocs(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
problems.install(api)


class SignedInSession(SessionAuth):
    """The site's session cookie, with the CSRF check (ninja's SessionAuth), but a
    visitor who is not signed in gets 401 "sign in first" rather than a CSRF 403,
    and a write that is not JSON gets 415."""

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None
        if request.method not in SAFE_METHODS and request.content_type != "application/json":
            # Before the CSRF check, which would try to parse a form body.
            raise problems.ProblemError(415, "unsupported_media_type", JSON_ONLY_DETAIL)
        return super()._get_key(request)


SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
signed_in = SignedInSession()

KindValue = Literal["tip", "idea", "question"]


class ProblemOut(Schema):
    type: str = "about:blank"
    title: str
    status: int
    detail: str
    code: str
    errors: list[dict] | None = None


class PrincipleOut(Schema):
    slug: str
    number: int
    name: str
    summary: str
    is_confirmed: bool
    sources: list[str]


class ContributionOut(Schema):
    id: int
    kind: KindValue
    kind_label: str
    text: str
    link: str = Field(description="Empty when there is none.")
    author: str = Field(description='The name, or "Anonymous".')
    session: str = Field(description="The session's title; empty for the event's own board.")
    session_slug: str
    principles: list[str] = Field(description="Slugs of the principles it is tagged with.")
    votes: int
    shared_at: datetime
    answer: str = Field(description="Questions: the hosts' published answer (Markdown), or empty.")
    answered_at: datetime | None
    chat_message_url: str = Field(description="The chat message it was saved from, if any.")
    url: str


class ContributionPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ContributionOut]


class BoardQuery(Schema):
    kind: KindValue | None = None
    principle: str | None = Field(None, description="A principle's slug.")
    sort: Literal["votes", "newest"] = "votes"
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=1_000_000)


class ContributionIn(Schema):
    kind: KindValue
    text: str = Field(description="1 to 1,000 characters.")
    link: str = ""
    principles: list[str] = Field(default_factory=list, description="Principles' slugs.")
    anonymous: bool = Field(False, description="Hide your name from the public.")
    session: str | None = Field(None, description="A session's slug; empty for the event board.")


class VoteIn(Schema):
    on: bool | None = Field(None, description="true votes, false takes it back, null flips.")


class VoteOut(Schema):
    voted: bool
    votes: int


def _out(contribution: "Contribution") -> dict:
    row = selectors.row_for(contribution)
    return {
        "id": row.id,
        "kind": row.kind,
        "kind_label": row.kind_label,
        "text": row.text,
        "link": row.link,
        "author": row.author,
        "session": row.session,
        "session_slug": row.session_slug,
        "principles": row.principle_slugs,
        "votes": row.votes,
        "shared_at": row.created_at,
        "answer": row.answer,
        "answered_at": row.answered_at,
        "chat_message_url": row.chat_message_url,
        "url": row.url,
    }


def _principles(slugs: list[str], field: str) -> list:
    """The principles, or a 422 naming the field when a slug is unknown."""
    try:
        return spread_selectors.principles_from_slugs(slugs)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from None


def _page(board: selectors.Board, query: BoardQuery) -> dict:
    principle = _principles([query.principle], "principle")[0] if query.principle else None
    filters = selectors.BoardFilter(kind=query.kind or "", principle=principle, sort=query.sort)
    contributions = board.contributions(filters)
    window = list(contributions[query.offset : query.offset + query.limit])
    return {
        "count": contributions.count(),
        "limit": query.limit,
        "offset": query.offset,
        "items": [_out(c) for c in window],
    }


def _board(request: HttpRequest, event: str, session: str | None = None) -> selectors.Board:
    event_obj = event_selectors.event_by_slug(event)
    session_obj = (
        event_selectors.session_by_slug(event=event_obj, slug=session) if session else None
    )
    board = selectors.Board(event=event_obj, session=session_obj)
    require_or_404(request.user, board.view_perm, board.target)
    return board


contributions_router = Router(tags=["Top tips, ideas and questions"])
principles_router = Router(tags=["Principles for spread and adoption"])
ERRORS = {frozenset({400, 401, 403, 404, 409, 415, 422, 429}): ProblemOut}


@contributions_router.get(
    "/events/{event}/contributions",
    response={200: ContributionPage, frozenset({404, 422}): ProblemOut},
    summary="An event's board: everything shared at the event and its sessions",
)
def event_contributions(request: HttpRequest, event: str, query: Query[BoardQuery]):
    return _page(_board(request, event), query)


@contributions_router.get(
    "/events/{event}/sessions/{session}/contributions",
    response={200: ContributionPage, frozenset({404, 422}): ProblemOut},
    summary="A session's board",
)
def session_contributions(request: HttpRequest, event: str, session: str, query: Query[BoardQuery]):
    return _page(_board(request, event, session), query)


@contributions_router.post(
    "/events/{event}/contributions",
    auth=signed_in,
    response={201: ContributionOut, **ERRORS},
    summary="Share a top tip, idea or question",
)
def contribution_create(request: HttpRequest, event: str, payload: ContributionIn):
    board = _board(request, event, payload.session)
    if not request.user.has_perm(board.add_perm, board.target):
        raise PermissionDenied("You cannot add to this board.")
    contribution = services.contribution_create(
        author=request.user,
        event=board.event,
        session=board.session,
        kind=payload.kind,
        text=payload.text,
        link=payload.link,
        principles=_principles(payload.principles, "principles"),
        is_anonymous=payload.anonymous,
    )
    contribution = selectors.contribution_with_details(contribution.pk)
    return Status(201, _out(contribution))


@contributions_router.post(
    "/contributions/{contribution_id}/vote",
    auth=signed_in,
    response={200: VoteOut, **ERRORS},
    summary="Vote for a contribution, or take the vote back",
)
def contribution_vote(request: HttpRequest, contribution_id: int, payload: VoteIn):
    contribution = selectors.contribution_by_id(contribution_id)
    board = selectors.board_of(contribution)
    require_or_404(request.user, board.view_perm, board.target)
    if contribution.is_hidden:
        raise problems.ProblemError(
            409, "hidden", "A moderator has hidden this, so it cannot be voted on."
        )
    if not request.user.has_perm("contributions.vote", contribution):
        raise PermissionDenied("You cannot vote here.")
    voted, count = services.contribution_vote_toggle(
        contribution=contribution, user=request.user, on=payload.on
    )
    return {"voted": voted, "votes": count}


@principles_router.get("/principles", response=list[PrincipleOut], summary="The principles")
def principles(request: HttpRequest):
    return [
        {
            "slug": p.slug,
            "number": p.number,
            "name": p.name,
            "summary": p.summary,
            "is_confirmed": p.is_confirmed,
            "sources": p.source_list,
        }
        for p in spread_selectors.principles_all()
    ]


api.add_router("", contributions_router)
api.add_router("", principles_router)
