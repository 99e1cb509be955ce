"""The wire format of live rooms (docs/live-protocol.md): frames the server sends,
built once per event as JSON text, and the commands clients send, checked here
before anything touches the database.

Pure functions: no database, no I/O. Models are only read (what selectors and
services hand in), never imported, so the transport (convene/live/transport/)
can encode its own counts without reaching the ORM.
"""

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # read, not imported: the transport uses this module (docstring)
    from convene.live.models import Message, Room

# Compact and UTF-8: every byte is multiplied by the number of people in the room.
_encoder = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
encode = _encoder.encode

CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
# C0/C1 control characters except tab and newline never reach the room.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


class InvalidCommandError(ValueError):
    """A command that cannot be understood; `code` says which rule it broke."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def text_length(text: str) -> int:
    """Length in UTF-16 code units: what a browser's maxlength and counter count."""
    return len(text.encode("utf-16-le")) // 2


def clean_text(value: Any, *, max_length: int) -> str:
    if not isinstance(value, str):
        raise InvalidCommandError("bad_request", "A message must be text.")
    text = _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n")).strip()
    if not text:
        raise InvalidCommandError("empty", "Write something before sending.")
    if text_length(text) > max_length:
        raise InvalidCommandError(
            "too_long", f"Messages can be up to {max_length:,} characters. Please shorten it."
        )
    return text


# --- Server to client ----------------------------------------------------------------


def message_payload(message: "Message") -> dict[str, Any]:
    """A message as clients see it. A hidden message carries no text or author."""
    if message.hidden_at is not None:
        return {"id": message.pk, "seq": message.seq, "hidden": True}
    return {
        "id": message.pk,
        "seq": message.seq,
        "kind": message.kind,
        "author": message.author_name,
        "badge": message.badge,
        "badge_label": message.get_badge_display(),
        "text": message.text,
        "reply_to": message.reply_to_id,
        "question": message.is_question,
        "plus_ones": message.plus_ones,
        "at": message.created_at.isoformat(timespec="seconds"),
    }


def room_payload(room: "Room", pinned: "Message | None") -> dict[str, Any]:
    return {
        "open": room.is_open,
        "slow_mode": room.slow_mode_seconds,
        "prompt": message_payload(pinned) if pinned and pinned.hidden_at is None else None,
    }


def message_frame(message: "Message") -> str:
    return encode({"type": "message", "seq": message.seq, "message": message_payload(message)})


def update_frame(seq: int, message: "Message") -> str:
    return encode({"type": "update", "seq": seq, "message": message_payload(message)})


def room_frame(seq: int, room: "Room", pinned: "Message | None") -> str:
    return encode({"type": "room", "seq": seq, "room": room_payload(room, pinned)})


def batch_frame(
    *,
    first: int,
    last: int,
    messages: "list[Message]",
    room: "Room | None" = None,
    reset: bool = False,
) -> str:
    """Everything from `first` to `last` (inclusive) in one frame.

    `messages` are new messages and earlier ones that changed, in their current
    state; `room` (with its pinned prompt) its state now, `{}` without one;
    `reset` tells the client to replace its list (it was too far behind).
    """
    return encode(
        {
            "type": "batch",
            "from": first,
            "to": last,
            "reset": reset,
            "messages": [message_payload(m) for m in messages],
            "room": room_payload(room, room.pinned_prompt) if room is not None else {},
        }
    )


def presence_frame(count: int, readers: int) -> str:
    """`count` signed-in people here; `readers` reading without signing in."""
    return encode({"type": "presence", "count": count, "readers": readers})


def reactions_frame(counts: dict[int, int]) -> str:
    return encode({"type": "reactions", "counts": {str(k): v for k, v in counts.items()}})


def error_frame(code: str, message: str, **extra: Any) -> str:
    return encode({"type": "error", "code": code, "message": message, **extra})


# --- Client to server ------------------------------------------------------------------


@dataclass(frozen=True)
class Command:
    type: str
    client_id: str = ""
    text: str = ""
    message: int | None = None
    reply_to: int | None = None
    seconds: int = 0
    on: bool = True
    name: str = ""
    reason: str = ""


# type -> fields it needs. "client_id" and "text" are checked more closely below.
COMMANDS: dict[str, tuple[str, ...]] = {
    "send": ("client_id", "text"),
    "prompt": ("client_id", "text"),
    "react": ("message",),
    "hide": ("message",),
    "question": ("message", "on"),
    "report": ("message",),
    "mute": ("message", "on"),
    "unpin": (),
    "slow_mode": ("seconds",),
    "chat": ("on",),
    "action": ("message", "name"),
    "ping": (),
}
MAX_SLOW_MODE = 600


def _int(data: dict, key: str, *, optional: bool = False) -> int | None:
    value = data.get(key)
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**53:
        raise InvalidCommandError("bad_request", f"'{key}' must be a whole number.")
    return value


def parse_command(raw: str | bytes | dict, *, max_length: int) -> Command:
    """One client command, validated; InvalidCommandError says what is wrong with it."""
    if isinstance(raw, dict):
        data = raw
    else:
        try:
            data = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            raise InvalidCommandError("bad_json", "That was not valid JSON.") from None
    if not isinstance(data, dict):
        raise InvalidCommandError("bad_request", "A command is a JSON object.")
    kind = data.get("type")
    if kind not in COMMANDS:
        raise InvalidCommandError("unknown_type", "Unknown command type.")
    fields = COMMANDS[kind]
    values: dict[str, Any] = {"type": kind}
    if "client_id" in fields:
        client_id = data.get("client_id")
        if not isinstance(client_id, str) or not CLIENT_ID.match(client_id):
            raise InvalidCommandError(
                "bad_request", "'client_id' must be 8 to 64 letters, digits, - or _."
            )
        values["client_id"] = client_id
    if "text" in fields:
        values["text"] = clean_text(data.get("text"), max_length=max_length)
        values["reply_to"] = _int(data, "reply_to", optional=True)
    if "message" in fields:
        values["message"] = _int(data, "message")
    if "seconds" in fields:
        seconds = _int(data, "seconds")
        if seconds > MAX_SLOW_MODE:
            raise InvalidCommandError(
                "bad_request", f"Slow mode can be up to {MAX_SLOW_MODE} seconds."
            )
        values["seconds"] = seconds
    if "on" in fields:
        if not isinstance(data.get("on"), bool):
            raise InvalidCommandError("bad_request", "'on' must be true or false.")
        values["on"] = data["on"]
    if "name" in fields:
        name = data.get("name")
        if not isinstance(name, str) or not re.fullmatch(r"[a-z0-9_-]{1,40}", name):
            raise InvalidCommandError("bad_request", "'name' must name an action.")
        values["name"] = name
    if kind == "report":
        reason = data.get("reason", "")
        if not isinstance(reason, str):
            raise InvalidCommandError("bad_request", "'reason' must be text.")
        values["reason"] = _CONTROL.sub("", reason).strip()[:500]
    return Command(**values)
