"""Numbers from query strings, headers and paths that people (and scripts) can edit.

One rule everywhere: ASCII digits only, at most 15 of them (so the value fits a
database integer), else "absent". `int()` alone accepts `²`-like digits it then
cannot convert, Unicode digits, signs, spaces and underscores, and numbers too
big for SQLite: each of those was a 500 somewhere before (tests/core/test_odd_query_strings.py).
"""

MAX_DIGITS = 15


def whole_number(raw: str | None) -> int | None:
    """`raw` as a non-negative whole number, or None when it is anything else."""
    if raw and raw.isascii() and raw.isdigit() and len(raw) <= MAX_DIGITS:
        return int(raw)
    return None
