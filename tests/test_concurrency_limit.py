"""MAX_CONCURRENT_REQUESTS: a worker works on that many requests at once; the rest queue."""

import anyio
import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from webapp.concurrency import ConcurrencyLimit


def busiest(limit: int | None, requests: int, path: str = "/") -> tuple[int, list[int]]:
    """Serve `requests` at once; return the most handled at the same time, and the statuses."""
    inside = peak = 0

    async def slow(_request: Request) -> PlainTextResponse:
        nonlocal inside, peak
        inside += 1
        peak = max(peak, inside)
        await anyio.sleep(0.02)
        inside -= 1
        return PlainTextResponse("ok")

    app = ConcurrencyLimit(Starlette(routes=[Route(path, slow)]), limit=limit)
    statuses: list[int] = []

    async def one(client: httpx.AsyncClient) -> None:
        statuses.append((await client.get(path)).status_code)

    async def run() -> None:
        transport = httpx.ASGITransport(app=app)
        client = httpx.AsyncClient(transport=transport, base_url="http://t")
        async with client, anyio.create_task_group() as group:
            for _ in range(requests):
                group.start_soon(one, client)

    anyio.run(run)
    return peak, statuses


def test_requests_beyond_the_cap_wait_and_all_get_answered():
    peak, statuses = busiest(2, 8)
    assert peak == 2
    assert statuses == [200] * 8


def test_no_cap_when_unset():
    peak, _ = busiest(None, 8)
    assert peak == 8


@pytest.mark.parametrize("path", ["/events/home", "/api/v1/streaming/user"])
def test_long_lived_streams_do_not_take_a_slot(path: str):
    """SSE and Mastodon streaming stay open for minutes: under the cap they would starve it."""
    peak, statuses = busiest(2, 8, path)
    assert peak == 8
    assert statuses == [200] * 8
