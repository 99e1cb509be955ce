"""factory_boy factories for the models tests need most."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import factory

from convene.accounts.models import User
from convene.events.models import Event, EventRole, Host, Room, Session, Track

LONDON = ZoneInfo("Europe/London")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805 - factory_boy hook
        if create:
            obj.save()


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    slug = factory.Sequence(lambda n: f"event-{n}")
    title = factory.Sequence(lambda n: f"Improvement event {n}")
    start_date = date(2030, 5, 11)
    end_date = date(2030, 5, 12)
    status = Event.Status.PUBLISHED
    programme_published = True


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Room {n}")


class TrackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Track

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Track {n}")


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    event = factory.SubFactory(EventFactory)
    title = factory.Sequence(lambda n: f"Session {n}")
    slug = factory.Sequence(lambda n: f"session-{n}")
    kind = Session.Kind.OPEN_CONVERSATION
    start = factory.LazyAttribute(
        lambda o: (
            datetime.combine(o.event.start_date, datetime.min.time(), LONDON) + timedelta(hours=10)
        )
    )
    end = factory.LazyAttribute(lambda o: o.start + timedelta(hours=1))


class HostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Host

    session = factory.SubFactory(SessionFactory)
    guest_name = factory.Sequence(lambda n: f"Guest host {n}")
    role = Host.Role.HOST


class EventRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventRole

    event = factory.SubFactory(EventFactory)
    user = factory.SubFactory(UserFactory)
    role = EventRole.Role.ORGANISER
