"""The demo gets example contributions when the events app loads its demo events.

A signal because events must not import contributions (docs/architecture.md).
"""

from django.dispatch import receiver

from convene.events.demo import demo_loaded


@receiver(demo_loaded)
def _demo_contributions(sender, events, **kwargs) -> None:
    from convene.contributions.demo import demo_contributions_load

    demo_contributions_load(events=events)
