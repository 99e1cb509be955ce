"""The API's tests use the contributions items (tip, question); the moderator persona
comes from tests/conftest.py."""

from tests.contributions.conftest import (  # noqa: F401 - fixtures
    _tasks_run_at_once,
    question,
    tip,
)
