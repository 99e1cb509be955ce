"""Convene's join address: what calendars and emails carry instead of the join link.

The raw link (a Teams or Zoom URL) is for registrants from the join window
until the end (rules.may_join). Calendar files and emails are read weeks ahead
and forwarded, so they carry `/sessions/<id>/join/`, which checks the rule
each time and then sends the person on (decision 0014).
"""

from django.urls import reverse

from convene.core.links import absolute_url
from convene.events.models import Session


def join_address(session: Session) -> str:
    return absolute_url(reverse("attendance:join", kwargs={"session": session.pk}))
