"""Contributions' part of "download my data" and "delete my account"
(registered in ContributionsConfig.ready through accounts.extensions)."""

from typing import Any

from convene.accounts.extensions import PersonalData
from convene.accounts.models import User
from convene.contributions import notifications, selectors, services
from convene.contributions.models import Contribution, Vote
from convene.core.models import OutgoingEmail


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def export(user: User) -> dict[str, Any]:
    return {
        "shared": [
            {
                "kind": c.kind,
                "text": c.text,
                "link": c.link,
                "event_slug": c.event.slug,
                "session": c.session.title if c.session_id else None,
                "principles": [p.slug for p in c.principles.all()],
                "anonymous_to_the_public": c.is_anonymous,
                "status": c.status,
                "shared_at": _iso(c.created_at),
                "answer": c.answer if c.is_answered else None,
                "answered_at": _iso(c.answer_published_at),
            }
            for c in selectors.authored_by(user=user)
        ],
        "votes": [
            {"contribution": vote.contribution.text, "voted_at": _iso(vote.created_at)}
            for vote in Vote.objects.filter(user=user)
            .select_related("contribution")
            .order_by("created_at", "pk")
        ],
    }


def erase(user: User) -> None:
    """Keep what the person shared, anonymised: the text stays, the author goes.

    Their "your question was answered" emails (which hold their address) are
    deleted; nothing more is emailed about their questions. Their votes stay,
    pointing at the anonymised account, so the counts stay true. Who saved,
    hid or answered something is forgotten too."""
    questions = list(Contribution.objects.filter(author=user).values_list("pk", flat=True))
    OutgoingEmail.objects.filter(kind=notifications.KIND, payload__question__in=questions).delete()
    # An UPDATE sends no signal: the boards that showed their name change here.
    services.boards_stamped(
        event_ids=Contribution.objects.filter(author=user).values_list("event_id", flat=True),
        name="contributions",
    )
    Contribution.objects.filter(author=user).update(author=None, is_anonymous=True)
    Contribution.objects.filter(saved_by=user).update(saved_by=None)
    Contribution.objects.filter(hidden_by=user).update(hidden_by=None)
    Contribution.objects.filter(answered_by=user).update(answered_by=None)


PERSONAL_DATA = PersonalData(key="contributions", export=export, erase=erase)
