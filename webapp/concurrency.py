"""Cap how many requests each worker process works on at once; the rest wait their turn.

Sync (`def`) routes run in anyio's thread pool (40 threads). With CPU-bound work (rendering,
ORM rows) more busy threads than cores just take turns on the GIL: every request gets slower
and the slowest much slower. Letting only a few requests in at a time, first come first
served, gives more req/s and a p99 close to the p50 (BENCHMARKS.md).

The cap is on whole requests, not on threads: a request inside holds its database
connection until its response is sent, and capping threads instead lets requests that hold
connections wait for a thread while the threads wait for connections (a deadlock). Keep the
cap at or below the connection pool size.

A request takes its slot only once its body has arrived: a client trickling a body in a
byte at a time would otherwise hold a slot, and two of them stall a worker capped at 2. A
body that takes longer than BODY_TIMEOUT_SECONDS is answered 408.
"""

import anyio
from anyio.lowlevel import RunVar
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from webapp.bodysize import MAX_BODY_BYTES
from webapp.web.responses import error_response

# Long-lived responses (server-sent events, Mastodon streaming) would hold a slot for as
# long as a client listens: they are not capped. They do little work per second.
UNCAPPED_PREFIXES = ("/events", "/api/v1/streaming")
BODY_TIMEOUT_SECONDS = 30.0
TOO_SLOW = "The request body arrived too slowly; please send it again"

# One semaphore per event loop (a worker has one; each TestClient makes its own).
_slots: RunVar[anyio.Semaphore] = RunVar("request_slots")


class ConcurrencyLimit:
    def __init__(self, app: ASGIApp, *, limit: int | None) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self.limit or scope["type"] != "http" or _uncapped(scope):
            await self.app(scope, receive, send)
            return
        with anyio.move_on_after(BODY_TIMEOUT_SECONDS) as reading:
            receive = await read_body_first(scope, receive)
        if reading.cancelled_caught:
            response = error_response(Request(scope), 408, TOO_SLOW, {"Connection": "close"})
            await response(scope, receive, send)
            return
        async with _slots_for(self.limit):
            await self.app(scope, receive, send)


def _uncapped(scope: Scope) -> bool:
    path: str = scope["path"]
    return path.startswith(UNCAPPED_PREFIXES)


async def read_body_first(scope: Scope, receive: Receive) -> Receive:
    """Read the body (up to the size cap; BodySizeLimit refuses more), then hand the app
    the messages already read, followed by the connection's own."""
    length = dict(scope["headers"]).get(b"content-length", b"0")
    if length.isdigit() and int(length) > MAX_BODY_BYTES:
        return receive  # refused at once by BodySizeLimit, without reading it
    messages: list[Message] = []
    size, more = 0, True
    while more and size <= MAX_BODY_BYTES:
        message = await receive()
        messages.append(message)
        size += len(message.get("body", b""))
        more = message["type"] == "http.request" and message.get("more_body", False)
    return _replay(messages, receive)


def _replay(messages: list[Message], then: Receive) -> Receive:
    pending = list(messages)

    async def replayed() -> Message:
        return pending.pop(0) if pending else await then()

    return replayed


def _slots_for(limit: int) -> anyio.Semaphore:
    try:
        return _slots.get()
    except LookupError:
        slots = anyio.Semaphore(limit)
        _slots.set(slots)
        return slots
