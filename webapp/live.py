"""Routing live events to the streams people hold open in this process.

One Router per event loop is the bus's only subscriber there. It decides who gets each
event with at most two queries per event (which of the people listening here follow the
author, and which of them block, are blocked by or mute the author), however many
listeners it serves, then puts a Delivery on each listener's queue.
What a listener sends (an SSE fragment, a Mastodon JSON payload) is its own business;
entities are read once per event and shared through Delivery.memo.
"""

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import or_, select

from webapp.crud.visibility import blocked_between, muting
from webapp.db import SessionLocal
from webapp.events import QUEUE_SIZE, Event, bus
from webapp.models import Follow, User

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 15.0  # a comment this often keeps proxies open and finds dead clients


@dataclass
class Delivery:
    stream: list[str]  # Mastodon's name for the stream it matched, e.g. ["hashtag", "tea"]
    event: Event
    memo: dict[Any, Any]  # one per event, shared by every delivery of it


@dataclass(eq=False)
class Listener:
    user_id: int | None
    streams: set[str]  # "user", "user:notification", "public", "public:local", "hashtag:<tag>"
    queue: "asyncio.Queue[Delivery]" = field(default_factory=lambda: asyncio.Queue(QUEUE_SIZE))

    def put(self, delivery: Delivery) -> None:
        if self.queue.full():  # a client this far behind loses its oldest, not our memory
            self.queue.get_nowait()
        self.queue.put_nowait(delivery)


def _followers_among(owner_id: int, user_ids: set[int]) -> set[int]:
    query = select(Follow.follower_id).where(
        Follow.followee_id == owner_id, Follow.follower_id.in_(user_ids)
    )
    with SessionLocal() as session:
        return set(session.scalars(query))


def _kept_apart(owner_id: int, user_ids: set[int]) -> set[int]:
    """Those of these people the author's posts must not reach: either blocked the other,
    or they mute the author (issue 17)."""
    apart = or_(blocked_between(User.id, owner_id), muting(User.id, owner_id))
    query = select(User.id).where(User.id.in_(user_ids), apart)
    with SessionLocal() as session:
        return set(session.scalars(query))


class Router:
    def __init__(self) -> None:
        self.listeners: set[Listener] = set()
        self.task: asyncio.Task[None] | None = None
        self.ready = asyncio.Event()

    async def run(self) -> None:
        async with bus.subscribe() as queue:
            self.ready.set()
            while True:
                event = await queue.get()
                try:
                    await self.route(event)
                except Exception:
                    log.exception("could not route %s", event.get("type"))

    async def start(self) -> None:
        if self.task is None or self.task.done():
            self.ready = asyncio.Event()
            self.task = asyncio.get_running_loop().create_task(self.run())
            await self.ready.wait()

    async def route(self, event: Event) -> None:
        memo: dict[Any, Any] = {}
        kind = event.get("type")
        if kind == "update":
            await self._update(event, memo)
        elif kind == "notification":
            self._notification(event, memo)
        elif kind == "delete":  # every stream may show the post: tell them all
            for listener in list(self.listeners):
                name = next(iter(listener.streams), "user")
                listener.put(Delivery(name.split(":", 1)[:1], event, memo))

    async def _update(self, event: Event, memo: dict[Any, Any]) -> None:
        """Home streams of the author and, as the post's visibility allows, of its followers
        (or, for a direct post, of the people it mentions); public and hashtag streams only
        for a public post that is not a repost (crud/visibility.py says who sees what)."""
        owner, visibility = event["owner_id"], event.get("visibility", "public")
        listeners = list(self.listeners)  # who listened when it arrived, not who came since
        homes = {lst.user_id for lst in listeners if "user" in lst.streams and lst.user_id}
        readers = {owner} & homes
        if visibility == "direct":
            readers |= set(event.get("mentioned", ())) & homes
        elif homes - readers:
            readers |= await asyncio.to_thread(_followers_among, owner, homes - readers)
        listed = visibility == "public" and not event.get("repost")
        tags = set(event.get("tags", ())) if listed else set()
        signed_in = {lst.user_id for lst in listeners if lst.user_id and lst.user_id != owner}
        apart = await asyncio.to_thread(_kept_apart, owner, signed_in) if signed_in else set()
        for listener in listeners:
            if listener.user_id in apart:
                continue
            for name in _matching(listener, listener.user_id in readers, listed, tags):
                listener.put(Delivery(name, event, memo))

    def _notification(self, event: Event, memo: dict[Any, Any]) -> None:
        for listener in list(self.listeners):
            if listener.user_id != event["recipient_id"]:
                continue
            for name in ("user", "user:notification"):
                if name in listener.streams:
                    listener.put(Delivery([name], event, memo))


def _matching(
    listener: Listener, reads_home: bool, listed: bool, tags: set[str]
) -> list[list[str]]:
    names: list[list[str]] = []
    if reads_home and "user" in listener.streams:
        names.append(["user"])
    if listed:
        names += [[name] for name in ("public", "public:local") if name in listener.streams]
    names += [["hashtag", tag] for tag in sorted(tags) if f"hashtag:{tag}" in listener.streams]
    return names


_routers: dict[asyncio.AbstractEventLoop, Router] = {}


@asynccontextmanager
async def listen(user_id: int | None, streams: set[str]) -> AsyncIterator[Listener]:
    """Hold a stream open: deliveries arrive on listener.queue until the block exits."""
    router = _routers.setdefault(asyncio.get_running_loop(), Router())
    await router.start()
    listener = Listener(user_id, streams)
    router.listeners.add(listener)
    try:
        yield listener
    finally:
        router.listeners.discard(listener)


def shared(delivery: Delivery, key: Any, work: Callable[[], Any]) -> Awaitable[Any]:
    """Run `work` in a thread once per event and key, whoever asks first; others await it."""
    future = delivery.memo.get(key)
    if future is None:
        future = asyncio.ensure_future(asyncio.to_thread(work))
        delivery.memo[key] = future
    return asyncio.shield(future)


async def next_delivery(listener: Listener) -> Delivery | None:
    """The next delivery, or None after HEARTBEAT_SECONDS of quiet (time for a heartbeat)."""
    if not listener.queue.empty():  # in a burst: no timer, no task per delivery
        return listener.queue.get_nowait()
    with suppress(TimeoutError):
        return await asyncio.wait_for(listener.queue.get(), HEARTBEAT_SECONDS)
    return None
