"""The pages people read. An htmx request (the infinite-scroll trigger) gets only the next
page of the list, rendered by the same partial the full page includes."""

from functools import lru_cache
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from markupsafe import Markup, escape
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from webapp import crud
from webapp.crud import blocks, featured, follow_requests, pins, timelines
from webapp.crud.timelines import PAGE_SIZE, Page
from webapp.deps import SessionDep
from webapp.models import User
from webapp.schemas import DB_INT_MAX
from webapp.text import tag_spelling
from webapp.web import flash
from webapp.web.accounts import Viewer, viewer
from webapp.web.filtering import filtered
from webapp.web.forms import Handle, Tag
from webapp.web.templating import is_htmx, render, templates

router = APIRouter(include_in_schema=False)

Before = Annotated[int | None, Query(ge=1, le=DB_INT_MAX)]
# How many tweets sit above the cursor: the scroll trigger's count, so Back can show them all.
Shown = Annotated[int, Query(ge=0, le=DB_INT_MAX)]
MAX_SHOWN = 10 * PAGE_SIZE  # a page rebuilt for Back holds at most this many tweets


def page_size(before: int | None, shown: int) -> int:
    """A whole page (no cursor) asked with ?shown=N renders the N newest tweets, which is what
    the browser held when it left after scrolling; one statement still, at most MAX_SHOWN."""
    if before is not None or not shown:
        return PAGE_SIZE
    return min(max(shown, PAGE_SIZE), MAX_SHOWN)


def timeline_context(page: Page, base: str, shown: int = 0) -> dict[str, Any]:
    """What _timeline_page.html needs: the tweets, which ones the viewer liked, the next link.

    `shown` counts the tweets already above this page. The next link carries the new count,
    and `here` is the address that renders all of them again (see timeline_response)."""
    sep = "&" if "?" in base else "?"
    total = shown + len(page.tweets)
    more = f"{base}{sep}before={page.next_before}&shown={total}" if page.next_before else None
    here = f"{base}{sep}shown={total}"
    return {"page": page, "liked": page.liked, "more_url": more, "here": here}


def timeline_response(
    request: Request, user: User | None, template: str, context: dict[str, Any]
) -> Response:
    if not is_htmx(request):
        return render(request, template, context, user=user)
    response = render(request, "partials/_timeline_page.html", context, user=user)
    # The scroll trigger loaded more: the address becomes one that shows everything loaded,
    # so Back from a tweet comes back to a page as long as this one, at the same place.
    # Replace, not push: Back leaves the page rather than stepping through scroll positions.
    response.headers["HX-Replace-Url"] = context["here"]
    return response


@router.get("/")
async def home(
    request: Request,
    session: SessionDep,
    before: Before = None,
    feed: str = "",
    shown: Shown = 0,
) -> Response:
    """The most read page does its work in one worker-thread hop: the Viewer dependency would
    be a hop of its own before the route's (bench/cpu: 0.28 ms of a 3.4 ms page)."""
    return await run_in_threadpool(_home, request, session, before, feed, shown)


def _home(
    request: Request, session: Session, before: int | None, feed: str, shown: int
) -> Response:
    user = viewer(session, request)
    everyone = user is None or feed == "everyone"
    limit = page_size(before, shown)
    if user is None or everyone:
        page = timelines.public_timeline(
            session, before=before, limit=limit, viewer_id=user.id if user else None
        )
    else:
        page = timelines.home_timeline(session, user_id=user.id, before=before, limit=limit)
    page = filtered(session, request, user, page, "public" if everyone else "home")
    base = "/?feed=everyone" if everyone and user else "/"  # a visitor's / is everyone already
    context = timeline_context(page, base, shown if before else 0)
    context |= {"everyone": everyone, "compose": _compose(request)}
    return timeline_response(request, user, "home.html", context)


# Stands in for the CSRF token while the empty post box is rendered once (as in cards.py).
_HOLE = "\x00csrf\x00"


@lru_cache(maxsize=1)
def _empty_box_pieces() -> tuple[str, ...]:
    box = templates.env.get_template("partials/_compose.html")
    return tuple(box.render(compose={"values": {}, "errors": {}}, csrf=_HOLE).split(_HOLE))


def empty_compose_box(compose: dict[str, Any], csrf_token: str) -> Markup | None:
    """The home page's post box when it is empty, as every view of the page but one after
    a refused post has it: rendered once per worker, the token filled in per request. None
    when it holds a refused post (the template renders that one), or while templates
    reload."""
    if compose["values"] or compose["errors"] or compose.get("notice"):
        return None
    if templates.env.auto_reload:
        return None
    return Markup(str(escape(csrf_token)).join(_empty_box_pieces()))


templates.env.globals["empty_compose_box"] = empty_compose_box


def _compose(request: Request) -> dict[str, dict[str, str]]:
    """The post box: empty, or a refused post's text and message (a flash note after a plain
    POST /t redirected here)."""
    note = flash.read(request)
    if note is None or "text" not in note.values:
        return {"values": {}, "errors": {}}
    return {"values": note.values, "errors": note.errors}


@router.get("/@{handle}")
def profile(
    request: Request,
    session: SessionDep,
    user: Viewer,
    handle: Handle,
    before: Before = None,
    shown: Shown = 0,
) -> Response:
    return _profile(request, session, user, handle, before, shown, replies=False)


@router.get("/@{handle}/replies")
def profile_replies(
    request: Request,
    session: SessionDep,
    user: Viewer,
    handle: Handle,
    before: Before = None,
    shown: Shown = 0,
) -> Response:
    """The Replies tab: posts and replies, as Twitter shows them."""
    return _profile(request, session, user, handle, before, shown, replies=True)


def _profile(
    request: Request,
    session: Session,
    user: User | None,
    handle: str,
    before: int | None,
    shown: int,
    *,
    replies: bool,
) -> Response:
    owner = crud.get_user_by_username(session, handle)
    if owner.suspended_at is not None:
        raise crud.NotFound("This account is suspended.")
    viewer_id, limit = user.id if user else None, page_size(before, shown)
    page = timelines.user_timeline(
        session, user_id=owner.id, before=before, limit=limit, viewer_id=viewer_id, replies=replies
    )
    page = filtered(session, request, user, page, "account")
    path = f"/@{owner.username}" + ("/replies" if replies else "")
    context = timeline_context(page, path, shown if before else 0) | {"replies_tab": replies}
    if not is_htmx(request):  # the scroll fragment shows tweets only: skip the header's counts
        context |= {"owner": owner, **follow_context(session, user, owner)}
        context["featured_tags"] = featured.featured_tags(session, user_id=owner.id)
        if not replies and before is None:  # pinned posts head the Posts tab's first page
            context["pinned"] = pins.pinned_page(session, user_id=owner.id, viewer_id=viewer_id)
    return timeline_response(request, user, "profile.html", context)


def requested_among(session: Session, user: User | None, people: list[User]) -> set[int]:
    """Which of these locked accounts the viewer asked to follow: no query when none is locked."""
    locked = [person.id for person in people if person.locked]
    if user is None or not locked:
        return set()
    return follow_requests.requested_ids(session, follower_id=user.id, user_ids=locked)


def follow_context(session: Session, user: User | None, target: User) -> dict[str, Any]:
    """What _follow_button.html (and the profile's _block_controls.html) need for one
    person: whether you follow, block or mute them, or they block you, in one statement;
    and how many people they follow and are followed by, in another."""
    followers, following = crud.follow_counts(session, user_id=target.id)
    relation = blocks.relation(session, user_id=user.id if user else None, other_id=target.id)
    requested = (  # only a locked account has requests: no probe for the others
        user is not None
        and target.locked
        and not relation.following
        and follow_requests.is_requested(session, follower_id=user.id, followee_id=target.id)
    )
    return {
        "target": target,
        "following": relation.following,
        "relation": relation,
        "requested": requested,
        "follower_count": followers,
        "following_count": following,
    }


@router.get("/tags/{tag}")
def tag_page(
    request: Request,
    session: SessionDep,
    user: Viewer,
    tag: Tag,
    before: Before = None,
    shown: Shown = 0,
) -> Response:
    viewer_id, limit = user.id if user else None, page_size(before, shown)
    page = crud.tag_timeline(session, tag=tag, before=before, limit=limit, viewer_id=viewer_id)
    page = filtered(session, request, user, page, "public")
    context = timeline_context(page, f"/tags/{quote(tag.lower())}", shown if before else 0)
    # The heading keeps the tag's case: as typed in the address, else as the tweets write it.
    texts = [tweet.text for tweet in page.tweets]
    context["tag"] = tag if tag != tag.lower() else tag_spelling(texts, tag)
    return timeline_response(request, user, "tag.html", context)


@router.get("/people")
def people_page(
    request: Request, session: SessionDep, user: Viewer, before: Before = None
) -> Response:
    listing = crud.people(session, before=before)
    ids = [person.id for person in listing.users]
    following = crud.following_ids(session, follower_id=user.id, user_ids=ids) if user else set()
    asked = requested_among(session, user, listing.users)
    context = {
        "people": listing,
        "requested_ids": asked,
        "counts": crud.follower_counts(session, user_ids=ids),
        "following_ids": following,
        "more_url": f"/people?before={listing.next_before}" if listing.next_before else None,
    }
    name = "partials/_people_page.html" if is_htmx(request) else "people.html"
    return render(request, name, context, user=user)
