"""Commands are checked before anything touches the database; frames are compact JSON."""

import json

import pytest

from convene.live import protocol
from convene.live.protocol import InvalidCommandError, parse_command

MAX = 1000


def _code(raw) -> str:
    with pytest.raises(InvalidCommandError) as refused:
        parse_command(raw, max_length=MAX)
    return refused.value.code


def test_send_command_is_parsed_with_its_reply_link():
    command = parse_command(
        json.dumps(
            {"type": "send", "client_id": "abc-123_XYZ", "text": "  Hi\r\nall ", "reply_to": 7}
        ),
        max_length=MAX,
    )

    assert (command.type, command.client_id, command.text, command.reply_to) == (
        "send",
        "abc-123_XYZ",
        "Hi\nall",
        7,
    )


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("{not json", "bad_json"),
        (b"\xff\xfe", "bad_json"),
        ("[1, 2]", "bad_request"),
        ('{"type": "dance"}', "unknown_type"),
        ('{"no": "type"}', "unknown_type"),
        ('{"type": "send", "client_id": "short", "text": "x"}', "bad_request"),
        ('{"type": "send", "client_id": "has spaces in it", "text": "x"}', "bad_request"),
        ('{"type": "send", "client_id": "abcdefgh", "text": 5}', "bad_request"),
        ('{"type": "send", "client_id": "abcdefgh", "text": "  \\u0000 "}', "empty"),
        ('{"type": "react", "message": "7"}', "bad_request"),
        ('{"type": "react", "message": true}', "bad_request"),
        ('{"type": "react", "message": -1}', "bad_request"),
        ('{"type": "question", "message": 1, "on": "yes"}', "bad_request"),
        ('{"type": "slow_mode", "seconds": 601}', "bad_request"),
        ('{"type": "action", "message": 1, "name": "<script>"}', "bad_request"),
    ],
)
def test_malformed_commands_are_refused_with_a_code(raw, code):
    assert _code(raw) == code


def test_text_longer_than_the_limit_in_browser_characters_is_refused():
    # An emoji is two UTF-16 code units, as a browser's counter counts it.
    assert protocol.text_length("😀") == 2
    assert _code({"type": "send", "client_id": "abcdefgh", "text": "😀" * 501}) == "too_long"
    assert parse_command(
        {"type": "send", "client_id": "abcdefgh", "text": "😀" * 500}, max_length=MAX
    )


def test_control_characters_are_removed_but_newlines_and_tabs_stay():
    assert protocol.clean_text("a\x07b\tc\nd\u2028e", max_length=MAX) == "ab\tc\nde"


def test_frames_are_compact_utf8_json():
    assert protocol.error_frame("x", "Café") == '{"type":"error","code":"x","message":"Café"}'
    assert protocol.reactions_frame({3: 2}) == '{"type":"reactions","counts":{"3":2}}'
