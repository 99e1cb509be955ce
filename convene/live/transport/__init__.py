"""The live transport: room events to sockets, fast, behind one seam.

What goes in: frames already encoded as JSON text by `convene.live.protocol`
(built once per event, never per recipient), room and user ids, the sockets'
ASGI `send` (or an SSE response's queue), and a `hub.RoomStore` for what only
the database knows (the room's number, the batch a client resumes with) and
for what the room records (people entering, the peak presence).

What comes out: the same frame written to every socket of the room in this
process, in the room's order and with nothing missing, as WebSocket frame bytes
encoded once (`wire`) or through ASGI `send`; slow clients bounded and dropped
(`listeners`); events published to every process's hub through the channel
layer (`publish`); presence and reaction counts coalesced (`hub`).

It never touches the database: it imports no model, selector or service, and
nothing of Convene but the protocol's encoders (the "live-transport" contract
in pyproject.toml). Services call `publish` after their transaction commits;
consumers and views hand sockets to `hub` with `convene.live.handlers.store`,
which reads through selectors and writes through services.

Why it exists: a 5,000-person room is about the cost per socket, and that cost
is here (docs/decisions/0009-frames-encoded-once.md, 0021; bench/README.md,
"Live rooms"). Keeping it in one place, free of the ORM, keeps the fast path
measurable and the rest of the app ordinary.

- `wire`: `Frame` (text, SSE form, WebSocket bytes) and the direct writer.
- `listeners`: WebSocket and SSE clients, each with a bounded backlog.
- `hub`: `RoomHub`, one per room per process, and the process's hubs.
- `publish`: `publish_frame`, `publish_reactions`, `publish_to_user`,
  `publish_to_moderators` (any thread, after commit).
"""
