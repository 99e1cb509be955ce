"""Changes to the principles lens."""

from django.db import transaction

from convene.accounts.models import User
from convene.spread.models import Principle

EDITABLE = ("name", "heading", "summary", "sources", "is_confirmed")


@transaction.atomic
def principle_update(*, principle: Principle, by: User, **fields: object) -> Principle:
    """Change a principle's wording (never its slug or number).

    Side effects: the row is validated and saved, which changes the site's
    "principles" stamp (Principle.save: cached pages that name it are rebuilt);
    nothing else changes (tags point at the row, so tagged items show the new
    name at once).
    """
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"not editable: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(principle, name, value)
    principle.full_clean()
    principle.save(update_fields=[*fields, "updated_at"])
    return principle
