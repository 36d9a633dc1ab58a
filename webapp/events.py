"""Live events: one small publish/subscribe interface over three backends.

crud calls `emit(session, event)`; the event is published only when that session commits
(a rolled-back post announces nothing). Every subscriber in every process gets every event;
webapp/live.py, one subscriber per event loop, routes them to the streams people hold.

Backends, chosen by the settings:
- Redis pub/sub when REDIS_URL is set;
- PostgreSQL LISTEN/NOTIFY when the database is PostgreSQL (one listening connection per
  process, fanned out to its local subscribers);
- in-process otherwise: the embedded SQLite default reaches only the subscribers of the one
  process that published. Run a single process on SQLite, or use PostgreSQL or Redis.
"""

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress
from typing import Any, Protocol

from sqlalchemy import event as sa_event
from sqlalchemy import make_url, text
from sqlalchemy.orm import Session

from webapp.config import settings
from webapp.db import SessionLocal, engine

log = logging.getLogger(__name__)

Event = dict[str, Any]
Deliver = Callable[[str], None]
CHANNEL = "chirp_events"
PENDING = "pending_events"  # Session.info key: events waiting for the commit
READY_SECONDS = 5.0  # how long a first subscriber waits for LISTEN/SUBSCRIBE to be in place
QUEUE_SIZE = 256  # a subscriber this far behind is cut off rather than growing memory


class Backend(Protocol):
    name: str

    def publish(self, payload: str) -> None:
        """Send to every process; called from any thread, never blocks long."""

    async def listen(self, deliver: Deliver, ready: asyncio.Event) -> None:
        """Call `deliver` on this loop for each payload, until cancelled; set `ready` once
        subscribed (what is published after that is delivered)."""


class InProcess:
    """Single process: payloads go straight to this process's listening loops."""

    name = "in-process"

    def __init__(self) -> None:
        self._loops: dict[asyncio.AbstractEventLoop, Deliver] = {}

    def publish(self, payload: str) -> None:
        for loop, deliver in list(self._loops.items()):
            with suppress(RuntimeError):  # that loop closed meanwhile
                loop.call_soon_threadsafe(deliver, payload)

    async def listen(self, deliver: Deliver, ready: asyncio.Event) -> None:
        loop = asyncio.get_running_loop()
        if not self._loops:
            log.warning("live events reach this process only (SQLite, no REDIS_URL)")
        self._loops[loop] = deliver
        ready.set()
        try:
            await asyncio.Event().wait()
        finally:
            self._loops.pop(loop, None)


class Postgres:
    """LISTEN/NOTIFY: one psycopg2 connection per process, read by the event loop itself."""

    name = "postgresql"

    def __init__(self, url: str) -> None:
        # libpq's own form of the URL, whichever driver the app's engine uses.
        self.dsn = make_url(url).set(drivername="postgresql").render_as_string(False)

    def publish(self, payload: str) -> None:
        """Outside a transaction (emit() sends NOTIFY inside the writer's own instead)."""
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_notify(:c, :p)"), {"c": CHANNEL, "p": payload})
            connection.commit()

    async def listen(self, deliver: Deliver, ready: asyncio.Event) -> None:
        while True:  # reconnect after the database restarts
            try:
                await self._listen_once(deliver, ready)
            except Exception:
                log.exception("LISTEN connection lost; reconnecting")
                await asyncio.sleep(1)

    async def _listen_once(self, deliver: Deliver, ready: asyncio.Event) -> None:
        import psycopg2  # type: ignore[import-untyped]

        connection = await asyncio.to_thread(psycopg2.connect, self.dsn, connect_timeout=5)
        connection.autocommit = True
        loop = asyncio.get_running_loop()
        lost: asyncio.Future[None] = loop.create_future()
        try:
            connection.cursor().execute(f"LISTEN {CHANNEL}")
            loop.add_reader(connection.fileno(), self._drain, connection, deliver, lost)
            ready.set()
            await lost
        finally:
            with suppress(Exception):
                loop.remove_reader(connection.fileno())
            connection.close()

    @staticmethod
    def _drain(connection: Any, deliver: Deliver, lost: asyncio.Future[None]) -> None:
        try:
            connection.poll()
        except Exception as error:
            if not lost.done():
                lost.set_exception(error)
            return
        while connection.notifies:
            deliver(connection.notifies.pop(0).payload)


class Redis:
    """Redis pub/sub, for several processes (or hosts) over any database."""

    name = "redis"

    def __init__(self, url: str) -> None:
        import redis

        self.url = url
        self._client = redis.Redis.from_url(url)

    def publish(self, payload: str) -> None:
        self._client.publish(CHANNEL, payload)

    async def listen(self, deliver: Deliver, ready: asyncio.Event) -> None:
        import redis.asyncio as aioredis

        while True:
            client = aioredis.Redis.from_url(self.url)
            try:
                async with client.pubsub() as pubsub:
                    await pubsub.subscribe(CHANNEL)
                    ready.set()
                    async for message in pubsub.listen():
                        if message["type"] == "message":
                            deliver(message["data"].decode())
            except (OSError, aioredis.ConnectionError):
                log.exception("Redis subscription lost; reconnecting")
                await asyncio.sleep(1)
            finally:
                await client.aclose()


def make_backend() -> Backend:
    if settings.redis_url:
        return Redis(settings.redis_url)
    if settings.database_url.startswith("postgresql"):
        return Postgres(settings.database_url)
    return InProcess()


class Bus:
    """Local fan-out: one backend listener per event loop, any number of queues on it."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self._queues: dict[asyncio.AbstractEventLoop, set[asyncio.Queue[Event]]] = {}
        self._listeners: dict[asyncio.AbstractEventLoop, asyncio.Task[None]] = {}
        self._ready: dict[asyncio.AbstractEventLoop, asyncio.Event] = {}

    def publish(self, event: Event) -> None:
        try:
            self.backend.publish(json.dumps(event, separators=(",", ":")))
        except Exception:
            log.exception("could not publish %s", event.get("type"))

    @asynccontextmanager
    async def subscribe(self) -> AsyncIterator[asyncio.Queue[Event]]:
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[Event] = asyncio.Queue(QUEUE_SIZE)
        self._queues.setdefault(loop, set()).add(queue)
        await self._ensure_listening(loop)
        try:
            yield queue
        finally:
            self._queues[loop].discard(queue)

    async def _ensure_listening(self, loop: asyncio.AbstractEventLoop) -> None:
        task = self._listeners.get(loop)
        if task is None or task.done():
            ready = self._ready[loop] = asyncio.Event()
            self._listeners[loop] = loop.create_task(self.backend.listen(self._deliver, ready))
        with suppress(TimeoutError):  # the backend is down: serve the stream, it catches up
            await asyncio.wait_for(self._ready[loop].wait(), READY_SECONDS)

    def _deliver(self, payload: str) -> None:
        event = json.loads(payload)
        for queue in list(self._queues.get(asyncio.get_running_loop(), ())):
            if queue.full():  # too slow: drop its oldest rather than grow without bound
                queue.get_nowait()
            queue.put_nowait(event)


bus = Bus(make_backend())


def emit(session: Session, event: Event) -> None:
    """Publish `event` once this session's transaction commits; never if it rolls back."""
    # NOTIFY is transactional: sent by the COMMIT itself. (A session on another engine, such
    # as a scratch SQLite database beside a PostgreSQL app, has no NOTIFY: it queues.)
    postgres = session.get_bind().dialect.name == "postgresql"
    if isinstance(bus.backend, Postgres) and postgres:
        payload = json.dumps(event, separators=(",", ":"))
        session.execute(text("SELECT pg_notify(:c, :p)"), {"c": CHANNEL, "p": payload})
        return
    session.info.setdefault(PENDING, []).append(event)


@sa_event.listens_for(SessionLocal, "after_commit")
def _publish_pending(session: Session) -> None:
    for pending in session.info.pop(PENDING, []):
        bus.publish(pending)


@sa_event.listens_for(SessionLocal, "after_soft_rollback")
def _drop_pending(session: Session, _previous: Any) -> None:
    session.info.pop(PENDING, None)
