"""Refuse request bodies over a cap with a 413, before anything reads them into memory."""

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from webapp.config import settings
from webapp.web.responses import error_response

# The largest honest body is a sign-up or a tweet form: a few KiB. 256 KiB leaves room.
MAX_BODY_BYTES = 256 * 1024
TOO_LARGE = f"The request body is too large (the limit is {MAX_BODY_BYTES // 1024} KiB)"
# Where images are uploaded (issue 16): room for four of MEDIA_MAX_BYTES and the form.
UPLOAD_PATHS = frozenset(
    {
        "/t",
        "/settings/profile",
        "/api/v1/media",
        "/api/v2/media",
        "/api/v1/accounts/update_credentials",
    }
)


def too_large(limit: int) -> str:
    return f"The request body is too large (the limit is {limit // 1024} KiB)"


def upload_limit() -> int:
    return 4 * settings.media_max_bytes + 64 * 1024


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
        limit = upload_limit() if scope["path"] in UPLOAD_PATHS else self.max_bytes
        if length is not None and (not length.isdigit() or int(length) > limit):
            await self.refuse(scope, receive, send, limit)
            return
        if length is None and b"chunked" in headers.get(b"transfer-encoding", b""):
            body = await self.read_capped(receive, limit)  # no length given: count it ourselves
            if body is None:
                await self.refuse(scope, receive, send, limit)
                return
            receive = replay(body, receive)
        await self.app(scope, receive, send)

    async def read_capped(self, receive: Receive, limit: int) -> bytes | None:
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > limit:
                return None
            more = message.get("more_body", False)
        return b"".join(chunks)

    async def refuse(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        message = TOO_LARGE if limit == MAX_BODY_BYTES else too_large(limit)
        response = error_response(Request(scope), 413, message)
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
