"""Count the SQL statements each request runs, for the benchmark and the cost tests.

An engine event bumps a counter held in a context variable. The middleware sets a fresh
counter per request; sync routes run in a worker thread that copies the context, so they
bump the same counter object. The count goes out as the `X-SQL-Statements` header when
the SQL_COUNT_HEADER setting is on; otherwise the middleware does nothing.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from starlette.types import ASGIApp, Message, Receive, Scope, Send

HEADER = "X-SQL-Statements"


class Counter:
    def __init__(self) -> None:
        self.statements = 0


_current: ContextVar[Counter | None] = ContextVar("sql_counter", default=None)


def _count(*_args: Any) -> None:
    counter = _current.get()
    if counter is not None:
        counter.statements += 1


def count_one() -> None:
    """Count a statement sent around the engine (on its raw DBAPI connection)."""
    _count()


def listen(engine: Engine) -> None:
    """Count every statement this engine sends (idempotent)."""
    if not event.contains(engine, "before_cursor_execute", _count):
        event.listen(engine, "before_cursor_execute", _count)


@contextmanager
def counting() -> Iterator[Counter]:
    """Count the statements run inside the block (in this context and threads copying it)."""
    counter = Counter()
    reset = _current.set(counter)
    try:
        yield counter
    finally:
        _current.reset(reset)


class SQLCountMiddleware:
    """Adds X-SQL-Statements to each HTTP response when `enabled()` says so."""

    def __init__(self, app: ASGIApp, *, enabled: Any) -> None:
        self.app = app
        self.enabled = enabled

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.enabled():
            await self.app(scope, receive, send)
            return
        with counting() as counter:

            async def send_with_count(message: Message) -> None:
                if message["type"] == "http.response.start":
                    headers = list(message.get("headers", []))
                    headers.append((HEADER.lower().encode(), str(counter.statements).encode()))
                    message = {**message, "headers": headers}
                await send(message)

            await self.app(scope, receive, send_with_count)
