"""WebSocket routes of live rooms (convene/asgi.py mounts them)."""

from django.urls import path

from convene.live.consumers import RoomConsumer

websocket_urlpatterns = [
    path("ws/live/rooms/<int:room>/", RoomConsumer.as_asgi()),
]


def socket_path(room_id: int) -> str:
    """The room's WebSocket path (Django's reverse() does not know ASGI routes)."""
    return f"/ws/live/rooms/{room_id}/"
