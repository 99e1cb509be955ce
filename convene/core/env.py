"""Typed readers for environment variables that fail loudly.

Settings call these at start-up. A bad value stops the process with a message
naming the variable, instead of a confusing error later (healthchecks' habit).
"""

import os
from collections.abc import Callable
from typing import NoReturn

_MISSING = object()


class EnvError(Exception):
    """An environment variable is missing or has a value we cannot use."""


def _fail(name: str, problem: str) -> NoReturn:
    raise EnvError(f"Environment variable {name}: {problem}")


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return None
    return value.strip()


def env_str(name: str, default: object = _MISSING) -> str:
    value = _raw(name)
    if value is None:
        if default is _MISSING:
            _fail(name, "is required but not set")
        return str(default)
    return value


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    _fail(name, f"expected true/false (or 1/0, yes/no, on/off), got {value!r}")


def env_int(
    name: str, default: int, *, minimum: int | None = None, maximum: int | None = None
) -> int:
    value = _raw(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        _fail(name, f"expected a whole number, got {value!r}")
    if minimum is not None and number < minimum:
        _fail(name, f"must be at least {minimum}, got {number}")
    if maximum is not None and number > maximum:
        _fail(name, f"must be at most {maximum}, got {number}")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = _raw(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_parsed[T](name: str, default: str | None, parse: Callable[[str], T]) -> T | None:
    """Read a value and hand it to `parse`; any ValueError names the variable."""
    value = _raw(name) or default
    if value is None:
        return None
    try:
        return parse(value)
    except ValueError as exc:
        _fail(name, str(exc))
