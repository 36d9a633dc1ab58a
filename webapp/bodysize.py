"""Refuse request bodies over a cap with a 413, before anything reads them into memory."""

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from webapp.web.responses import error_response

# The largest honest body is a sign-up or a tweet form: a few KiB. 256 KiB leaves room.
MAX_BODY_BYTES = 256 * 1024
TOO_LARGE = f"The request body is too large (the limit is {MAX_BODY_BYTES // 1024} KiB)"


class BodySizeLimit:
    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        length = headers.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_bytes):
            await self.refuse(scope, receive, send)
            return
        if length is None and b"chunked" in headers.get(b"transfer-encoding", b""):
            body = await self.read_capped(receive)  # no length given: count it ourselves
            if body is None:
                await self.refuse(scope, receive, send)
                return
            receive = replay(body, receive)
        await self.app(scope, receive, send)

    async def read_capped(self, receive: Receive) -> bytes | None:
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > self.max_bytes:
                return None
            more = message.get("more_body", False)
        return b"".join(chunks)

    async def refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = error_response(Request(scope), 413, TOO_LARGE)
        await response(scope, receive, send)


def replay(body: bytes, then: Receive) -> Receive:
    """Hand the app the body already read, then the connection's own messages (disconnect)."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return await then()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive
