"""An organiser invites a reviewer and a judge from the team page; each accepts from
the link in the email a real SMTP server captured: the reviewer signs in with the
account they have, the judge creates one on the way (issue 14, point 3)."""

from datetime import date

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from convene.events.models import Event, EventRole, TeamInvitation
from tests.browser.conftest import sign_in
from tests.browser.test_axe import BLOCKING, describe, run_axe
from tests.conftest import IMMEDIATE_TASKS
from tests.factories import UserFactory

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery"


@pytest.fixture
def democon(transactional_db, browser, settings, smtp_mailer, live_server):
    """A published event with one organiser, and a reviewer-to-be with an account.
    Emails go out as the pages send them (tasks at once), with links to the live server."""
    settings.TASKS = IMMEDIATE_TASKS
    settings.SITE_URL = live_server.url
    event = Event.objects.create(
        slug="democon",
        title="DemoCon",
        start_date=date(2030, 5, 11),
        end_date=date(2030, 5, 12),
        status=Event.Status.PUBLISHED,
    )
    organiser = UserFactory(email="orga@example.org", name="Olu Organiser")
    EventRole.objects.create(event=event, user=organiser, role=EventRole.Role.ORGANISER)
    ravi = UserFactory(email="ravi@example.org", name="Ravi Reviewer")
    EmailAddress.objects.create(user=ravi, email=ravi.email, verified=True, primary=True)
    return event, organiser


def _no_blocking_violations(page, axe_source: str) -> None:
    blocking = [v for v in run_axe(page, axe_source) if v["impact"] in BLOCKING]
    assert not blocking, describe(blocking)


def _invite(page, email: str, role: str) -> None:
    page.get_by_label("Email address").fill(email)
    page.get_by_label(role, exact=True).check()
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text(
        f"Invitation sent to {email} to be a {role.lower()}."
    )


def _email_to(mailer, address: str):
    [message] = [m for m in mailer.messages if m.to == [address]]
    return message


def test_organiser_invites_a_reviewer_and_a_judge_and_each_accepts_from_the_email(
    democon, browser, live_server, smtp_mailer, axe_source
):
    event, organiser = democon
    organising = browser.new_context(base_url=live_server.url)
    sign_in(organising, organiser, live_server.url)
    team = organising.new_page()

    # 1. The organiser invites two people from the team page.
    team.goto("/orga/democon/team/")
    _invite(team, "ravi@example.org", "Reviewer")
    _invite(team, "jo@example.org", "Judge")
    waiting = team.locator("#invitations ~ div table tbody tr")
    expect(waiting).to_have_count(2)
    _no_blocking_violations(team, axe_source)
    assert len(smtp_mailer.messages) == 2

    # 2. Ravi has an account: the link sends him to sign in, then back to accept.
    to_ravi = _email_to(smtp_mailer, "ravi@example.org")
    assert to_ravi.subject == "You are invited to be a reviewer of DemoCon"
    ravi = browser.new_context(base_url=live_server.url).new_page()
    ravi.goto(to_ravi.links[0])
    expect(ravi.get_by_role("heading", level=1)).to_have_text("Sign in")
    ravi.get_by_label("Email", exact=True).fill("ravi@example.org")
    ravi.get_by_label("Password", exact=True).fill(PASSWORD)
    ravi.get_by_role("button", name="Sign in").click()
    expect(ravi.get_by_role("heading", level=1)).to_have_text("Join the team of DemoCon")
    _no_blocking_violations(ravi, axe_source)
    ravi.get_by_role("button", name="Accept and become a reviewer").click()
    expect(ravi.locator(".nhsuk-notification-banner")).to_contain_text(
        "You are now a reviewer of DemoCon."
    )
    assert ravi.url == f"{live_server.url}/events/democon/"

    # 3. Jo has no account: she creates one with the invited address on the way,
    # confirms it from allauth's email, and comes back to accept.
    to_jo = _email_to(smtp_mailer, "jo@example.org")
    jo = browser.new_context(base_url=live_server.url).new_page()
    jo.goto(to_jo.links[0])
    # The sign-in page's own link, which keeps the way back (the header's does not).
    jo.locator("#maincontent").get_by_role("link", name="create an account").click()
    jo.get_by_label("Email", exact=True).fill("jo@example.org")
    jo.get_by_label("Password", exact=True).fill("a long enough passphrase")
    jo.get_by_label("Password (again)").fill("a long enough passphrase")
    jo.get_by_role("button", name="Create account").click()
    expect(jo.get_by_role("heading", level=1)).to_have_text("Check your email")
    confirm = [m for m in smtp_mailer.messages if m.to == ["jo@example.org"]][-1]
    jo.goto(next(link for link in confirm.links if "/confirm-email/" in link))
    jo.get_by_role("button", name="Confirm email address").click()
    expect(jo.get_by_role("heading", level=1)).to_have_text("Join the team of DemoCon")
    jo.get_by_role("button", name="Accept and become a judge").click()
    expect(jo.locator(".nhsuk-notification-banner")).to_contain_text(
        "You are now a judge of DemoCon."
    )

    # 4. The team page lists both with their roles; nothing waits; the log has it all.
    team.goto("/orga/democon/team/")
    expect(waiting).to_have_count(0)
    people = team.locator("#people ~ div table tbody tr")
    expect(people).to_have_count(3)
    expect(people.filter(has_text="ravi@example.org")).to_contain_text("Reviewer")
    expect(people.filter(has_text="jo@example.org")).to_contain_text("Judge")
    assert set(EventRole.objects.filter(event=event).values_list("user__email", "role")) == {
        ("orga@example.org", "organiser"),
        ("ravi@example.org", "reviewer"),
        ("jo@example.org", "judge"),
    }
    assert TeamInvitation.objects.filter(accepted_at__isnull=True).count() == 0
    team.goto("/orga/democon/log/")
    log = team.locator("table tbody")
    expect(log).to_contain_text("Invited someone to the team: ravi@example.org as reviewer")
    expect(log).to_contain_text("Invited someone to the team: jo@example.org as judge")
    expect(log.locator("tr", has_text="Accepted a team invitation")).to_have_count(2)
