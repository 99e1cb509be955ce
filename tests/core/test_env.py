"""The typed environment readers: good values come back typed, bad ones stop
start-up with a message that names the variable."""

import pytest

from convene.core.env import EnvError, env_bool, env_int, env_list, env_parsed, env_str

NAME = "CONVENE_TEST_VALUE"


@pytest.fixture
def setenv(monkeypatch):
    monkeypatch.delenv(NAME, raising=False)
    return lambda value: monkeypatch.setenv(NAME, value)


# --- env_str ---------------------------------------------------------------


def test_env_str_returns_the_value_without_surrounding_space(setenv):
    setenv("  hello world  ")

    assert env_str(NAME) == "hello world"


def test_env_str_falls_back_to_the_default_when_unset(setenv):
    assert env_str(NAME, "fallback") == "fallback"


@pytest.mark.parametrize("blank", ["", "   ", "\t\n"])
def test_env_str_treats_a_blank_value_as_unset(setenv, blank):
    setenv(blank)

    assert env_str(NAME, "fallback") == "fallback"


def test_env_str_without_default_refuses_a_missing_value_naming_the_variable(setenv):
    with pytest.raises(EnvError) as refused:
        env_str(NAME)

    assert str(refused.value) == f"Environment variable {NAME}: is required but not set"


def test_env_str_without_default_refuses_a_blank_value(setenv):
    setenv("  ")

    with pytest.raises(EnvError, match=f"^Environment variable {NAME}: is required"):
        env_str(NAME)


# --- env_bool --------------------------------------------------------------


@pytest.mark.parametrize("value", ["1", "true", "True", "YES", "on", " true "])
def test_env_bool_reads_true_words(setenv, value):
    setenv(value)

    assert env_bool(NAME, False) is True


@pytest.mark.parametrize("value", ["0", "false", "FALSE", "no", "Off"])
def test_env_bool_reads_false_words(setenv, value):
    setenv(value)

    assert env_bool(NAME, True) is False


@pytest.mark.parametrize("default", [True, False])
def test_env_bool_falls_back_to_the_default_when_unset_or_blank(setenv, default):
    assert env_bool(NAME, default) is default
    setenv("")
    assert env_bool(NAME, default) is default


@pytest.mark.parametrize("value", ["maybe", "2", "y", "enabled"])
def test_env_bool_refuses_other_words_naming_the_variable_and_value(setenv, value):
    setenv(value)

    with pytest.raises(EnvError) as refused:
        env_bool(NAME, False)

    assert str(refused.value) == (
        f"Environment variable {NAME}: expected true/false (or 1/0, yes/no, on/off), got {value!r}"
    )


# --- env_int ---------------------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [("0", 0), ("42", 42), (" 7 ", 7), ("-3", -3)])
def test_env_int_reads_whole_numbers(setenv, value, expected):
    setenv(value)

    assert env_int(NAME, 1) == expected


def test_env_int_falls_back_to_the_default_when_unset(setenv):
    assert env_int(NAME, 31_536_000) == 31_536_000


@pytest.mark.parametrize("value", ["soon", "1.5", "1e3", "10s"])
def test_env_int_refuses_what_is_not_a_whole_number(setenv, value):
    setenv(value)

    with pytest.raises(EnvError) as refused:
        env_int(NAME, 1)

    assert str(refused.value) == (
        f"Environment variable {NAME}: expected a whole number, got {value!r}"
    )


def test_env_int_accepts_the_minimum_itself(setenv):
    setenv("0")

    assert env_int(NAME, 5, minimum=0) == 0


def test_env_int_refuses_a_value_below_the_minimum(setenv):
    setenv("-1")

    with pytest.raises(EnvError) as refused:
        env_int(NAME, 5, minimum=0)

    assert str(refused.value) == f"Environment variable {NAME}: must be at least 0, got -1"


def test_env_int_does_not_check_the_minimum_against_the_default(setenv):
    assert env_int(NAME, -5, minimum=0) == -5


# --- env_list --------------------------------------------------------------


def test_env_list_splits_on_commas_and_drops_blanks(setenv):
    setenv(" convene.example.org , ,www.convene.example.org,")

    assert env_list(NAME, []) == ["convene.example.org", "www.convene.example.org"]


def test_env_list_returns_a_copy_of_the_default_when_unset(setenv):
    default = ["localhost"]

    result = env_list(NAME, default)

    assert result == ["localhost"]
    assert result is not default


def test_env_list_of_only_commas_is_empty(setenv):
    setenv(",,")

    assert env_list(NAME, ["localhost"]) == []


# --- env_parsed ------------------------------------------------------------


def _even(text: str) -> int:
    number = int(text)
    if number % 2:
        raise ValueError(f"{number} is odd")
    return number


def test_env_parsed_hands_the_value_to_the_parser(setenv):
    setenv("42")

    assert env_parsed(NAME, "2", _even) == 42


def test_env_parsed_parses_the_default_when_unset(setenv):
    assert env_parsed(NAME, "2", _even) == 2


def test_env_parsed_returns_none_without_value_or_default(setenv):
    assert env_parsed(NAME, None, _even) is None


def test_env_parsed_turns_the_parsers_value_error_into_a_message_naming_the_variable(setenv):
    setenv("3")

    with pytest.raises(EnvError) as refused:
        env_parsed(NAME, "2", _even)

    assert str(refused.value) == f"Environment variable {NAME}: 3 is odd"


def test_env_parsed_lets_other_errors_through(setenv):
    setenv("x")

    def broken(text: str) -> str:
        raise TypeError("a bug in the parser, not a bad value")

    with pytest.raises(TypeError):
        env_parsed(NAME, None, broken)
