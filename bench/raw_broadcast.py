"""The raw-ASGI broadcast that bench/live.py measures Convene against.

No framework: every WebSocket joins one set; a text frame from any of them is
written to all of them with a plain loop, as measured for the ceiling in
bench/README.md ("The raw broadcast ceiling"). HTTP answers 200 so the
benchmark can tell the server is up.

    uvicorn bench.raw_broadcast:app --ws-per-message-deflate false --lifespan off
"""

import gc

clients: set = set()


async def app(scope, receive, send):
    if scope["type"] == "http":
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})
        return
    if scope["type"] != "websocket":
        return
    await receive()  # websocket.connect
    await send({"type": "websocket.accept"})
    clients.add(send)
    try:
        while True:
            message = await receive()
            if message["type"] == "websocket.disconnect":
                return
            text = message.get("text")
            if text is None:
                continue
            frame = {"type": "websocket.send", "text": text}
            for client in tuple(clients):
                try:
                    await client(frame)
                except Exception:
                    clients.discard(client)
    finally:
        clients.discard(send)


gc.freeze()
