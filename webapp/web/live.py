"""Notifications page and live updates for the web: /notifications, the "N new posts" button
and the nav badge, pushed by server-sent events (/events/...) through the htmx SSE extension.

Without JavaScript the page still works: the badge is rendered with every page, the button's
link reloads the home page, and /notifications is a plain paged list.
"""

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from markupsafe import escape
from starlette.responses import Response, StreamingResponse

from webapp import sessions
from webapp.crud import live as live_crud
from webapp.crud import markers, notifications
from webapp.crud.filter_rules import Rules
from webapp.crud.notifications import Filters
from webapp.crud.statuses import Window
from webapp.db import SessionLocal
from webapp.deps import SessionDep
from webapp.live import Listener, listen, next_delivery
from webapp.schemas import DB_INT_MAX
from webapp.web.accounts import Viewer, login_redirect
from webapp.web.filtering import filtered, rules
from webapp.web.templating import is_htmx, render, templates

router = APIRouter(include_in_schema=False)

Cursor = Annotated[int | None, Query(ge=0, le=DB_INT_MAX)]
PAGE_SIZE = 40
TABS = {"all": Filters(), "mentions": Filters(types=frozenset({"mention"}))}


@router.get("/notifications")
def notifications_page(
    request: Request, session: SessionDep, user: Viewer, before: Cursor = None, tab: str = "all"
) -> Response:
    if user is None:
        return login_redirect(request, "/notifications")
    filters = TABS.get(tab, TABS["all"])
    window = Window(max_id=before, limit=PAGE_SIZE)
    rows = notifications.list_notifications(
        session, recipient_id=user.id, window=window, filters=filters
    )
    unread = getattr(request.state, "unread", 0)
    last_read = (
        markers.last_read_id(session, user_id=user.id, timeline="notifications")
        if unread
        else DB_INT_MAX
    )
    related = notifications.related(session, rows)
    more = len(rows) == PAGE_SIZE
    groups, warned = notification_filters(
        rules(session, request, user), notifications.group(rows, last_read=last_read), related
    )
    context: dict[str, Any] = {
        "groups": groups,
        "warned": warned,
        "people": related.users,
        "tweets": related.tweets,
        "tab": "mentions" if tab == "mentions" else "all",
        "more_url": f"/notifications?tab={tab}&before={rows[-1].id}" if more else None,
    }
    if before is None and unread:  # opening the page reads them all, and clears the badge
        notifications.mark_read(session, user_id=user.id)
        request.state.unread = 0
    name = "partials/_notifications_page.html" if is_htmx(request) else "notifications.html"
    return render(request, name, context, user=user)


def notification_filters(
    found: Rules, groups: list[notifications.Group], related: notifications.Related
) -> tuple[list[notifications.Group], dict[int, str]]:
    """Keyword filters in the notifications context (issue 17): a notification about a post a
    `hide` filter catches is left out; one a `warn` filter catches shows the post collapsed."""
    if not found.rules:
        return groups, {}
    kept, warned = [], {}
    for group in groups:
        tweet = related.tweets.get(group.tweet_id) if group.tweet_id else None
        matches = found.matches(tweet, "notifications") if tweet is not None else []
        if any(m.filter.filter_action == "hide" for m in matches):
            continue
        kept.append(group)
        if tweet is not None and matches:
            warned[tweet.id] = ", ".join(m.filter.title for m in matches)
    return kept, warned


@router.get("/home/new")
def home_new(request: Request, session: SessionDep, user: Viewer, after: Cursor = 0) -> Response:
    """The posts the "N new posts" button announced; htmx puts them on top of the timeline."""
    if user is None:
        return login_redirect(request, "/")
    if not is_htmx(request):  # the button's plain link: the whole home page, fresh
        return Response(status_code=303, headers={"Location": "/"})
    page = live_crud.home_newer(session, user_id=user.id, after=after or 0)
    top = page.tweets[0].id if page.tweets else after or 0  # before filtering: seen is seen
    page = filtered(session, request, user, page, "home")
    context = {"page": page, "liked": page.liked, "after": top}
    return render(request, "partials/_new_posts.html", context, user=user)


# --- Server-sent events. No session is held while a stream is open: it reads in short
# sessions of its own, in a worker thread. ---


def _signed_in_user(request: Request) -> tuple[int, int] | None:
    token = sessions.session_token(request)
    if token is None:
        return None
    with SessionLocal() as session:
        found = live_crud.user_and_unread_for_token(session, token, kind=sessions.KIND)
    return (found[0].id, found[1]) if found else None


def _event_stream(chunks: AsyncIterator[str]) -> Response:
    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(chunks, media_type="text/event-stream", headers=headers)


def sse(event: str, html: str) -> str:
    return f"event: {event}\ndata: {html}\n\n"  # one line of HTML: no newline inside


@router.get("/events/home")
async def home_events(request: Request, after: Cursor = 0) -> Response:
    who = await asyncio.to_thread(_signed_in_user, request)
    if who is None:
        return Response(status_code=204)  # EventSource stops retrying on a 204
    stack = AsyncExitStack()
    listener = await stack.enter_async_context(listen(who[0], {"user"}))
    return _event_stream(_new_posts(stack, listener, after or 0))


async def _new_posts(stack: AsyncExitStack, listener: Listener, after: int) -> AsyncIterator[str]:
    async with stack:
        user_id = listener.user_id or 0
        # Posts made between the page's render and this connection count too.
        seen = await asyncio.to_thread(_newer_ids, user_id, after)
        yield sse("newposts", new_posts_button(len(seen), after)) if seen else ":)\n\n"
        while True:
            delivery = await next_delivery(listener)
            if delivery is None:
                yield ":thump\n\n"
                continue
            if _is_new_post(delivery.event, user_id, after, seen):
                seen.add(delivery.event["tweet_id"])
                yield sse("newposts", new_posts_button(len(seen), after))


def _is_new_post(event: dict[str, Any], user_id: int, after: int, seen: set[int]) -> bool:
    """Someone else's post, newer than the page, not counted yet (your own you have seen;
    an edited one is not new)."""
    if event["type"] != "update" or event["owner_id"] == user_id or event.get("edited"):
        return False
    return bool(event["tweet_id"] > after and event["tweet_id"] not in seen)


def _newer_ids(user_id: int, after: int) -> set[int]:
    with SessionLocal() as session:
        return live_crud.home_newer_ids(session, user_id=user_id, after=after)


def new_posts_button(count: int, after: int) -> str:
    label = "1 new post" if count == 1 else f"{count} new posts"
    return (
        f'<a class="button small primary new-posts-button" href="/" '
        f'hx-get="/home/new?after={after}" hx-target="#timeline" hx-swap="afterbegin">'
        f"{escape(label)}</a>"
    )


@router.get("/events/badge")
async def badge_events(request: Request) -> Response:
    who = await asyncio.to_thread(_signed_in_user, request)
    if who is None:
        return Response(status_code=204)
    stack = AsyncExitStack()
    listener = await stack.enter_async_context(listen(who[0], {"user:notification"}))
    return _event_stream(_badges(stack, listener))


async def _badges(stack: AsyncExitStack, listener: Listener) -> AsyncIterator[str]:
    async with stack:
        # Counted once listening, so nothing falls between this count and the next event.
        unread = await asyncio.to_thread(_unread, listener.user_id or 0)
        yield sse("badge", badge_text(unread))
        while True:
            delivery = await next_delivery(listener)
            if delivery is None:
                yield ":thump\n\n"
                continue
            count = await asyncio.to_thread(_unread, listener.user_id or 0)
            yield sse("badge", badge_text(count))


def _unread(user_id: int) -> int:
    with SessionLocal() as session:
        return notifications.unread_count(session, user_id=user_id, limit=live_crud.BADGE_CAP)


def badge_text(count: int) -> str:
    """The badge element, never an empty string: htmx's SSE swap cannot take empty data."""
    return templates.get_template("partials/_badge.html").render(unread=count)
