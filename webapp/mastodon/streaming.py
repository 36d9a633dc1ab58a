"""Mastodon's streaming API: GET /api/v1/streaming/health, the WebSocket at /api/v1/streaming,
and the older HTTP (server-sent events) streams at /api/v1/streaming/<stream>.

Streams: user, user:notification, public, public:local, hashtag (and hashtag:local, the same
here: every account is local). Events: update and notification (payload: the entity as a
JSON string), delete (payload: the id).
"""

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from typing import Any

from fastapi import APIRouter, Request, WebSocket, WebSocketDisconnect
from fastapi.responses import PlainTextResponse, StreamingResponse
from starlette.responses import Response

from webapp.crud import oauth
from webapp.db import SessionLocal
from webapp.live import Delivery, Listener, listen, next_delivery, shared
from webapp.mastodon.deps import allows
from webapp.mastodon.errors import MastodonError, error_response
from webapp.mastodon.notifications import entities
from webapp.mastodon.paging import context
from webapp.mastodon.serializers import status
from webapp.models import Notification, Tweet, User

log = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False)
PUBLIC_STREAMS = {"public", "public:local", "public:media", "public:local:media"}
USER_STREAMS = {"user", "user:notification"}


def _bearer(token: str | None) -> oauth.Bearer | None:
    if not token:
        return None
    with SessionLocal() as session:
        return oauth.bearer_for_token(session, token)


def stream_key(name: str, tag: str | None) -> str | None:
    """The listener's name for a stream a client asked for; None if we have no such stream."""
    if name in PUBLIC_STREAMS:
        return name.removesuffix(":media")  # no media here: the same posts
    if name in USER_STREAMS:
        return name
    if name in ("hashtag", "hashtag:local") and tag:
        return f"hashtag:{tag.lstrip('#').lower()}"
    return None


def _render_update(tweet_id: int, base: str) -> str | None:
    with SessionLocal() as session:
        tweet = session.get(Tweet, tweet_id)
        if tweet is None:  # deleted meanwhile
            return None
        return json.dumps(status(tweet, context(session, [tweet], None, base)))


def _render_notification(notification_id: int, user_id: int, base: str) -> str | None:
    with SessionLocal() as session:
        row, me = session.get(Notification, notification_id), session.get(User, user_id)
        if row is None or me is None:  # undone meanwhile
            return None
        return json.dumps(entities(session, [row], me, base)[0])


async def payload(delivery: Delivery, listener: Listener, base: str) -> tuple[str, str] | None:
    """(event name, payload string) for this delivery, read once per event and base URL.

    A failure to read one event is logged and skipped: the stream stays open."""
    try:
        return await _payload(delivery, listener, base)
    except Exception:
        log.exception("could not render %s", delivery.event.get("type"))
        return None


async def _payload(delivery: Delivery, listener: Listener, base: str) -> tuple[str, str] | None:
    event = delivery.event
    if event["type"] == "delete":
        return "delete", str(event["tweet_id"])
    if event["type"] == "update":
        body = await shared(delivery, base, lambda: _render_update(event["tweet_id"], base))
        name = "status.update" if event.get("edited") else "update"  # an edit: same id
        return (name, body) if body else None
    user_id = listener.user_id or 0
    work = lambda: _render_notification(event["id"], user_id, base)  # noqa: E731
    body = await shared(delivery, base, work)
    return ("notification", body) if body else None


@router.get("/api/v1/streaming/health")
def health() -> Response:
    return PlainTextResponse("OK")


# --- HTTP streams (what Mastodon.py's stream_user uses) ---


def _http_token(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return request.query_params.get("access_token")


async def _http_stream(request: Request, name: str) -> Response:
    bearer = await asyncio.to_thread(_bearer, _http_token(request))
    key = stream_key(name, request.query_params.get("tag"))
    sent_token = _http_token(request) is not None
    problem = _refusal(bearer, key, sent_token)
    if problem:
        return error_response(problem)
    assert key is not None
    user_id = bearer.user.id if bearer else None
    # Listening before the response starts: what happens once the client sees 200 is heard.
    stack = AsyncExitStack()
    listener = await stack.enter_async_context(listen(user_id, {key}))
    return StreamingResponse(
        _sse(stack, listener, str(request.base_url)),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


def _refusal(
    bearer: oauth.Bearer | None, key: str | None, sent_token: bool
) -> MastodonError | None:
    if key is None:
        return MastodonError(400, "Unknown stream type")
    if bearer is None and (sent_token or key in USER_STREAMS):
        return MastodonError(401, "Error 401: Unauthorized")
    if bearer is not None and not allows(bearer.scopes, "read:statuses"):
        return MastodonError(403, "This action is outside the authorized scopes")
    return None


async def _sse(stack: AsyncExitStack, listener: Listener, base: str) -> AsyncIterator[str]:
    async with stack:
        yield ":)\n\n"  # sent at once: the client knows it is connected
        while True:
            delivery = await next_delivery(listener)
            if delivery is None:
                yield ":thump\n\n"
                continue
            found = await payload(delivery, listener, base)
            if found:
                yield f"event: {found[0]}\ndata: {found[1]}\n\n"


def _http_endpoint(name: str) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        return await _http_stream(request, name)

    return endpoint


for _path, _name in (
    ("user", "user"),
    ("user/notification", "user:notification"),
    ("public", "public"),
    ("public/local", "public:local"),
    ("hashtag", "hashtag"),
    ("hashtag/local", "hashtag:local"),
):
    router.add_api_route(f"/api/v1/streaming/{_path}", _http_endpoint(_name), methods=["GET"])


# --- The WebSocket ---


def _ws_token(websocket: WebSocket) -> tuple[str | None, str | None]:
    """The token and, if it came as the subprotocol, that subprotocol to accept."""
    protocol = websocket.headers.get("sec-websocket-protocol", "").split(",")[0].strip()
    if protocol:
        return protocol, protocol
    scheme, _, token = websocket.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip(), None
    return websocket.query_params.get("access_token"), None


@router.websocket("/api/v1/streaming")
@router.websocket("/api/v1/streaming/")
async def websocket_stream(websocket: WebSocket) -> None:
    token, subprotocol = _ws_token(websocket)
    bearer = await asyncio.to_thread(_bearer, token)
    if token and bearer is None:  # refused at the upgrade, a 401 as Mastodon's server does
        error = MastodonError(401, "The access token is invalid")
        await websocket.send_denial_response(error_response(error))
        return
    base = f"{'https' if websocket.url.scheme == 'wss' else 'http'}://{websocket.url.netloc}/"
    async with listen(bearer.user.id if bearer else None, set()) as listener:
        # Accepted once listening: whatever the client does after connecting is heard.
        await websocket.accept(subprotocol=subprotocol)
        first = websocket.query_params.get("stream")
        if first:
            await _subscribe(websocket, listener, bearer, first, websocket.query_params.get("tag"))
        sender = asyncio.create_task(_send_loop(websocket, listener, base))
        try:
            await _receive_loop(websocket, listener, bearer)
        finally:
            sender.cancel()


async def _subscribe(
    websocket: WebSocket,
    listener: Listener,
    bearer: oauth.Bearer | None,
    name: str,
    tag: str | None,
    *,
    add: bool = True,
) -> None:
    key = stream_key(name, tag)
    problem = _refusal(bearer, key, False)
    if problem or key is None:
        message = problem.error if problem else "Unknown stream type"
        await websocket.send_json({"error": message, "status": problem.status if problem else 400})
        return
    if add:
        listener.streams.add(key)
    else:
        listener.streams.discard(key)


async def _receive_loop(
    websocket: WebSocket, listener: Listener, bearer: oauth.Bearer | None
) -> None:
    """Clients send {"type": "subscribe"|"unsubscribe", "stream": ..., "tag": ...}."""
    while True:
        try:
            message: Any = await websocket.receive_json()
        except WebSocketDisconnect:
            return
        except (ValueError, KeyError):  # not JSON: ignore it, as Mastodon does
            continue
        if not isinstance(message, dict) or message.get("type") not in ("subscribe", "unsubscribe"):
            continue
        await _subscribe(
            websocket,
            listener,
            bearer,
            str(message.get("stream", "")),
            message.get("tag") if isinstance(message.get("tag"), str) else None,
            add=message["type"] == "subscribe",
        )


async def _send_loop(websocket: WebSocket, listener: Listener, base: str) -> None:
    while True:
        delivery = await next_delivery(listener)
        if delivery is None:
            continue  # the WebSocket protocol's own pings keep it alive (uvicorn sends them)
        found = await payload(delivery, listener, base)
        if found:
            await websocket.send_text(_message(delivery, found))


def _message(delivery: Delivery, found: tuple[str, str]) -> str:
    """The frame, built once per event, stream and payload: a post to 1,000 listeners is one
    json.dumps, not 1,000."""
    key = ("frame", tuple(delivery.stream), found[1])
    frame = delivery.memo.get(key)
    if frame is None:
        frame = json.dumps({"stream": delivery.stream, "event": found[0], "payload": found[1]})
        delivery.memo[key] = frame
    return str(frame)
