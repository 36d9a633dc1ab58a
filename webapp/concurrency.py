"""Cap how many requests each worker process works on at once; the rest wait their turn.

Sync (`def`) routes run in anyio's thread pool (40 threads). With CPU-bound work (rendering,
ORM rows) more busy threads than cores just take turns on the GIL: every request gets slower
and the slowest much slower. Letting only a few requests in at a time, first come first
served, gives more req/s and a p99 close to the p50 (BENCHMARKS.md).

The cap is on whole requests, not on threads: a request inside holds its database
connection until its response is sent, and capping threads instead lets requests that hold
connections wait for a thread while the threads wait for connections (a deadlock). Keep the
cap at or below the connection pool size.
"""

import anyio
from anyio.lowlevel import RunVar
from starlette.types import ASGIApp, Receive, Scope, Send

# One semaphore per event loop (a worker has one; each TestClient makes its own).
_slots: RunVar[anyio.Semaphore] = RunVar("request_slots")


class ConcurrencyLimit:
    def __init__(self, app: ASGIApp, *, limit: int | None) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self.limit or scope["type"] != "http" or _long_lived(scope["path"]):
            await self.app(scope, receive, send)
            return
        async with _slots_for(self.limit):
            await self.app(scope, receive, send)


# Live streams stay open for hours and wait, not work: they never hold a slot.
LONG_LIVED_PREFIXES = ("/events", "/api/v1/streaming")


def _long_lived(path: str) -> bool:
    return path.startswith(LONG_LIVED_PREFIXES)


def _slots_for(limit: int) -> anyio.Semaphore:
    try:
        return _slots.get()
    except LookupError:
        slots = anyio.Semaphore(limit)
        _slots.set(slots)
        return slots
