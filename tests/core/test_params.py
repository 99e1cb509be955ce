"""core/params.whole_number: the one rule for numbers people can edit in URLs."""

import pytest

from convene.core.params import whole_number


@pytest.mark.parametrize(("raw", "expected"), [("0", 0), ("42", 42), ("9" * 15, 10**15 - 1)])
def test_plain_digits_are_numbers(raw, expected):
    assert whole_number(raw) == expected


@pytest.mark.parametrize(
    "raw", [None, "", "-1", "+1", " 1", "1_000", "1e3", "²", "١٢", "9" * 16, "0x10", "1.0"]
)
def test_anything_else_is_absent(raw):
    assert whole_number(raw) is None
