"""The pages people read. An htmx request (the infinite-scroll trigger) gets only the next
page of the list, rendered by the same partial the full page includes."""

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from webapp import crud
from webapp.crud import timelines
from webapp.crud.timelines import Page
from webapp.deps import SessionDep
from webapp.models import User
from webapp.schemas import DB_INT_MAX
from webapp.web.accounts import Viewer
from webapp.web.forms import Handle, Tag, TweetId
from webapp.web.templating import is_htmx, render

router = APIRouter(include_in_schema=False)

Before = Annotated[int | None, Query(ge=1, le=DB_INT_MAX)]


def timeline_context(page: Page, more_url: str) -> dict[str, Any]:
    """What _timeline_page.html needs: the tweets, which ones the viewer liked, the next link."""
    sep = "&" if "?" in more_url else "?"
    more = f"{more_url}{sep}before={page.next_before}" if page.next_before else None
    return {"page": page, "liked": page.liked, "more_url": more}


def timeline_response(
    request: Request, user: User | None, template: str, context: dict[str, Any]
) -> Response:
    name = "partials/_timeline_page.html" if is_htmx(request) else template
    return render(request, name, context, user=user)


@router.get("/")
def home(
    request: Request, session: SessionDep, user: Viewer, before: Before = None, feed: str = ""
) -> Response:
    everyone = user is None or feed == "everyone"
    if user is None or everyone:
        page = timelines.public_timeline(
            session, before=before, viewer_id=user.id if user else None
        )
    else:
        page = timelines.home_timeline(session, user_id=user.id, before=before)
    base = "/?feed=everyone" if everyone and user else "/"  # a visitor's / is everyone already
    context = timeline_context(page, base)
    context |= {"everyone": everyone, "compose": {"values": {}, "errors": {}}}
    return timeline_response(request, user, "home.html", context)


@router.get("/@{handle}")
def profile(
    request: Request, session: SessionDep, user: Viewer, handle: Handle, before: Before = None
) -> Response:
    owner = crud.get_user_by_username(session, handle)
    if owner.suspended_at is not None:
        raise crud.NotFound("This account is suspended.")
    page = timelines.user_timeline(
        session, user_id=owner.id, before=before, viewer_id=user.id if user else None
    )
    context = timeline_context(page, f"/@{owner.username}")
    if not is_htmx(request):  # the scroll fragment shows tweets only: skip the header's counts
        context |= {"owner": owner, **follow_context(session, user, owner)}
        context["following_count"] = crud.following_count(session, user_id=owner.id)
    return timeline_response(request, user, "profile.html", context)


def follow_context(session: Session, user: User | None, target: User) -> dict[str, Any]:
    """What _follow_button.html needs for one person."""
    counts = crud.follower_counts(session, user_ids=[target.id])
    following = user is not None and crud.is_following(
        session, follower_id=user.id, followee_id=target.id
    )
    return {"target": target, "following": following, "follower_count": counts[target.id]}


@router.get("/t/{tweet_id}")
def tweet_page(request: Request, session: SessionDep, user: Viewer, tweet_id: TweetId) -> Response:
    tweet = crud.get_tweet_with_owner(session, tweet_id)
    liked = timelines.liked_ids(session, user_id=user.id, tweet_ids=[tweet.id]) if user else set()
    return render(request, "tweet.html", {"tweet": tweet, "liked": liked}, user=user)


@router.get("/tags/{tag}")
def tag_page(
    request: Request, session: SessionDep, user: Viewer, tag: Tag, before: Before = None
) -> Response:
    page = crud.tag_timeline(session, tag=tag, before=before, viewer_id=user.id if user else None)
    context = timeline_context(page, f"/tags/{quote(tag.lower())}")
    context["tag"] = tag.lower()
    return timeline_response(request, user, "tag.html", context)


@router.get("/people")
def people_page(
    request: Request, session: SessionDep, user: Viewer, before: Before = None
) -> Response:
    listing = crud.people(session, before=before)
    ids = [person.id for person in listing.users]
    following = crud.following_ids(session, follower_id=user.id, user_ids=ids) if user else set()
    context = {
        "people": listing,
        "counts": crud.follower_counts(session, user_ids=ids),
        "following_ids": following,
        "more_url": f"/people?before={listing.next_before}" if listing.next_before else None,
    }
    name = "partials/_people_page.html" if is_htmx(request) else "people.html"
    return render(request, name, context, user=user)
