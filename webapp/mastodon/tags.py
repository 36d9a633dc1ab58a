"""Hashtags: GET /api/v1/tags/:name, follow and unfollow, followed_tags, trends/tags, and
the tag timeline /api/v1/timelines/tag/:hashtag."""

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.crud import discovery, tags
from webapp.deps import SessionDep
from webapp.mastodon.deps import Viewer, user_with_scope
from webapp.mastodon.errors import MastodonRoute, not_found
from webapp.mastodon.paging import WindowDep, base_url, statuses_page
from webapp.models import Tag, TweetTag, User, utcnow

router = APIRouter(route_class=MastodonRoute)
TagName = Annotated[str, Path(max_length=100, pattern=r"^\w+$")]
WriteFollows = Annotated[User, Depends(user_with_scope("write:follows"))]
ReadFollows = Annotated[User, Depends(user_with_scope("read:follows"))]
HISTORY_DAYS = 7


def history(session: Session, names: list[str]) -> dict[str, list[dict[str, str]]]:
    """Mastodon's per-day uses and accounts for the last week, newest day first: one read of
    the recent tag rows (ix_tweet_tags_recent), counted here."""
    today = utcnow().replace(hour=0, minute=0, second=0, microsecond=0)
    since = today - timedelta(days=HISTORY_DAYS - 1)
    rows = session.execute(
        select(TweetTag.tag, TweetTag.owner_id, TweetTag.created_at).where(
            TweetTag.created_at >= since, TweetTag.tag.in_(names)
        )
    )
    uses: dict[tuple[str, int], int] = {}
    people: dict[tuple[str, int], set[int]] = {}
    for tag, owner, created in rows:
        day = (created.replace(tzinfo=created.tzinfo or UTC) - since).days
        uses[(tag, day)] = uses.get((tag, day), 0) + 1
        people.setdefault((tag, day), set()).add(owner)
    return {name: _days(name, since, uses, people) for name in names}


def _days(
    name: str,
    since: datetime,
    uses: dict[tuple[str, int], int],
    people: dict[tuple[str, int], set[int]],
) -> list[dict[str, str]]:
    return [
        {
            "day": str(int((since + timedelta(days=day)).timestamp())),
            "uses": str(uses.get((name, day), 0)),
            "accounts": str(len(people.get((name, day), ()))),
        }
        for day in reversed(range(HISTORY_DAYS))
    ]


def tag_json(
    session: Session,
    request: Request,
    name: str,
    viewer: User | None,
    *,
    week: list[dict[str, str]] | None = None,
    following: bool | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": name,
        "name": name,
        "url": f"{base_url(request)}tags/{name}",
        "history": week if week is not None else history(session, [name])[name],
    }
    if viewer is not None:  # Mastodon sends `following` only to a signed-in caller
        if following is None:
            following = bool(tags.follows_tags(session, user_id=viewer.id, names=[name]))
        body["following"] = following
    return body


@router.get("/api/v1/tags/{name}")
def get_tag(request: Request, session: SessionDep, viewer: Viewer, name: TagName) -> dict[str, Any]:
    if session.get(Tag, name.lower()) is None:
        raise not_found()
    return tag_json(session, request, name.lower(), viewer)


@router.post("/api/v1/tags/{name}/follow")
def follow(
    request: Request, session: SessionDep, me: WriteFollows, name: TagName
) -> dict[str, Any]:
    tags.follow_tag(session, user_id=me.id, tag=name)
    return tag_json(session, request, name.lower(), me, following=True)


@router.post("/api/v1/tags/{name}/unfollow")
def unfollow(
    request: Request, session: SessionDep, me: WriteFollows, name: TagName
) -> dict[str, Any]:
    tags.unfollow_tag(session, user_id=me.id, tag=name)
    return tag_json(session, request, name.lower(), me, following=False)


@router.get("/api/v1/followed_tags")
def followed_tags(
    request: Request, session: SessionDep, me: ReadFollows, limit: int = 100
) -> list[dict[str, Any]]:
    names = list(tags.followed_tags(session, user_id=me.id, limit=max(1, min(limit, 200))))
    weeks = history(session, names)
    return [tag_json(session, request, n, me, week=weeks[n], following=True) for n in names]


@router.get("/api/v1/trends/tags")
@router.get("/api/v1/trends")  # the older name, still asked for by some apps
def trends(
    request: Request, session: SessionDep, viewer: Viewer, limit: int = 10, offset: int = 0
) -> list[dict[str, Any]]:
    """Trending: most distinct people in the last 24 hours (crud.tags.trending)."""
    limit, offset = max(1, min(limit, 20)), max(0, min(offset, 20))
    names = [t.name for t in tags.trending(session, limit=limit + offset)][offset:]
    weeks = history(session, names)
    followed = tags.follows_tags(session, user_id=viewer.id, names=names) if viewer else set()
    return [
        tag_json(session, request, n, viewer, week=weeks[n], following=n in followed) for n in names
    ]


@router.get("/api/v1/timelines/tag/{hashtag}")
def tag_timeline(
    request: Request,
    response: Response,
    session: SessionDep,
    viewer: Viewer,
    window: WindowDep,
    hashtag: TagName,
    local: Annotated[bool, Query()] = False,
    remote: Annotated[bool, Query()] = False,
    only_media: Annotated[bool, Query()] = False,
) -> list[dict[str, object]]:
    """Every Chirp post is local, so `local` changes nothing and `remote` finds nothing; the
    any[] / all[] / none[] filters are not supported and are ignored."""
    if remote:
        return []
    viewer_id = viewer.id if viewer else None
    page = discovery.tag_statuses(
        session, tag=hashtag, window=window, viewer_id=viewer_id, only_media=only_media
    )
    return statuses_page(session, request, response, page, viewer, "public")
