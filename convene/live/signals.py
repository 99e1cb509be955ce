"""The demo gets example chat rooms when the events app loads its demo events.

A signal because events must not import live (docs/architecture.md).
"""

from django.dispatch import receiver

from convene.events.demo import demo_loaded


@receiver(demo_loaded)
def _demo_rooms(sender, events, **kwargs) -> None:
    from convene.live.demo import demo_rooms_load

    demo_rooms_load(events=events)
