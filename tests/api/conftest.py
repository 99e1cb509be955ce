"""The API's tests use the contributions personas and items (tip, question, moderator)."""

from tests.contributions.conftest import (  # noqa: F401 - fixtures
    _tasks_run_at_once,
    moderator,
    question,
    tip,
)
