"""The caller's bookmarks and favourites (Mastodon's GET /api/v1/bookmarks and
/api/v1/favourites): newest saved first, paged by the bookmark's or like's id in Link."""

from fastapi import APIRouter, Request, Response

from webapp.crud import saved
from webapp.deps import SessionDep
from webapp.mastodon import serializers
from webapp.mastodon.deps import ReadBookmarks, ReadFavourites
from webapp.mastodon.errors import MastodonRoute
from webapp.mastodon.paging import WindowDep, base_url, context, link_ids
from webapp.models import Tweet, User

router = APIRouter(prefix="/api/v1", route_class=MastodonRoute)


@router.get("/bookmarks")
def bookmarks(
    request: Request, response: Response, session: SessionDep, me: ReadBookmarks, window: WindowDep
) -> list[dict[str, object]]:
    rows = saved.bookmarked_statuses(session, user_id=me.id, window=window)
    return _page(session, request, response, rows, me)


@router.get("/favourites")
def favourites(
    request: Request, response: Response, session: SessionDep, me: ReadFavourites, window: WindowDep
) -> list[dict[str, object]]:
    rows = saved.favourited_statuses(session, user_id=me.id, window=window)
    return _page(session, request, response, rows, me)


def _page(
    session: SessionDep,
    request: Request,
    response: Response,
    rows: list[tuple[Tweet, int]],
    me: User,
) -> list[dict[str, object]]:
    if rows:
        link_ids(request, response, newest=rows[0][1], oldest=rows[-1][1])
    tweets = [tweet for tweet, _ in rows]
    ctx = context(session, tweets, me, base_url(request))
    return [serializers.status(tweet, ctx) for tweet in tweets]
