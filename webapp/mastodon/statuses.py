"""Statuses: post (form or JSON; replies and visibility), read, delete, context, favourite,
reblog, and who favourited or reblogged."""

from typing import Any

from fastapi import APIRouter, Path, Request

from webapp import crud, ratelimit
from webapp.crud import conversations, pins, posting, saved, statuses, threads
from webapp.crud import media as crud_media
from webapp.crud import scheduled as crud_scheduled
from webapp.deps import SessionDep
from webapp.mastodon import scheduled, serializers
from webapp.mastodon.body import Params, flag, id_list, text_param
from webapp.mastodon.deps import (
    OptionalBearer,
    Viewer,
    WriteAccounts,
    WriteBookmarks,
    WriteFavourites,
    WriteStatuses,
)
from webapp.mastodon.errors import MastodonError, MastodonRoute
from webapp.mastodon.paging import MAX_LIMIT, base_url, context, unhidden
from webapp.mastodon.polls import poll_spec
from webapp.models import TWEET_MAX_CHARS, VISIBILITIES, Tweet, User
from webapp.schemas import DB_INT_MAX

router = APIRouter(prefix="/api/v1/statuses", route_class=MastodonRoute)
# How many media ids are read before "more than four" is said (a bound on absurd input).
MAX_IDS_READ = 1000
StatusId = Path(ge=1, le=2**62)


def _one(
    session: SessionDep, request: Request, tweet: Tweet, viewer: User | None
) -> dict[str, Any]:
    return serializers.status(tweet, context(session, [tweet], viewer, base_url(request)))


def _status_text(values: dict[str, Any], *, with_media: bool = False) -> str:
    text = text_param(values, "status", required=not with_media) or ""
    if len(text) > TWEET_MAX_CHARS:
        raise MastodonError(
            422, f"Validation failed: Text character limit of {TWEET_MAX_CHARS} exceeded"
        )
    return text


def _media_ids(values: dict[str, Any]) -> list[int]:
    """media_ids[] (a form) or media_ids (JSON): up to four ids of the caller's uploads."""
    ids = id_list(values, "media_ids", most=MAX_IDS_READ)
    if len(ids) > crud_media.MAX_PER_POST:
        raise MastodonError(422, "Validation failed: Media attachments limit of 4 exceeded")
    return ids


def _create(
    session: SessionDep, me: User, values: dict[str, Any], chosen: posting.PostOptions
) -> Tweet:
    """A status, a reply (in_reply_to_id), with a visibility, with or without images."""
    media_ids = _media_ids(values)
    text = _status_text(values, with_media=bool(media_ids))
    post: dict[str, Any] = {
        "visibility": _visibility(values),
        "in_reply_to_id": _status_id(values, "in_reply_to_id"),
        "poll": poll_spec(values),
        "options": chosen,
    }
    if not media_ids:
        return crud.create_tweet(session, owner_id=me.id, text=text, **post)
    return crud_media.post_with_media(
        session, owner_id=me.id, text=text, media_ids=media_ids, **post
    )


def _draft(values: dict[str, Any], chosen: posting.PostOptions) -> crud_scheduled.Draft:
    """A status to publish later: checked as _create checks it, kept for then."""
    media_ids = _media_ids(values)
    return crud_scheduled.Draft(
        text=_status_text(values, with_media=bool(media_ids)),
        visibility=_visibility(values),
        in_reply_to_id=_status_id(values, "in_reply_to_id"),
        poll=poll_spec(values),
        media_ids=media_ids,
        options=chosen,
    )


def _options(request: Request, values: dict[str, Any], app_id: int | None) -> posting.PostOptions:
    """spoiler_text, sensitive, language and the Idempotency-Key header, checked."""
    return posting.options(
        spoiler_text=text_param(values, "spoiler_text") or "",
        sensitive=flag(values, "sensitive"),
        language=text_param(values, "language"),
        app_id=app_id,
        idempotency_key=request.headers.get("idempotency-key"),
    )


@router.post("")
def post_status(
    request: Request,
    session: SessionDep,
    me: WriteStatuses,
    bearer: OptionalBearer,
    values: Params,
) -> dict[str, Any]:
    ratelimit.enforce("post", request, me.id)  # one budget with the page and the contract API
    chosen = _options(request, values, bearer.app_id if bearer else None)
    at = scheduled.when(values)
    if at is not None and crud_scheduled.is_future(at):  # a past time posts now, as Mastodon
        return scheduled.create(session, request, me, _draft(values, chosen), at)
    tweet = posting.post_once(
        session,
        lambda: _create(session, me, values, chosen),
        user_id=me.id,
        key=chosen.idempotency_key,
    )
    return _one(session, request, tweet, me)


def _visibility(values: dict[str, Any]) -> str:
    visibility = text_param(values, "visibility") or "public"
    if visibility not in VISIBILITIES:
        raise MastodonError(422, "Validation failed: Visibility is not included in the list")
    return visibility


def _status_id(values: dict[str, Any], name: str) -> int | None:
    raw = values.get(name)
    if raw is None or raw == "":
        return None
    try:
        value = int(str(raw))
    except ValueError:
        raise MastodonError(404, "Record not found") from None
    if not 1 <= value <= DB_INT_MAX:
        raise MastodonError(404, "Record not found")
    return value


@router.get("/{status_id}")
def get_status(
    request: Request, session: SessionDep, viewer: Viewer, status_id: int = StatusId
) -> dict[str, Any]:
    tweet = crud.get_tweet(session, status_id, viewer.id if viewer else None)
    return _one(session, request, tweet, viewer)


@router.delete("/{status_id}")
def delete_status(
    request: Request, session: SessionDep, me: WriteStatuses, status_id: int = StatusId
) -> dict[str, Any]:
    """Mastodon answers with the deleted status and its source `text`, for delete-and-redraft."""
    tweet = crud.get_tweet(session, status_id, me.id)
    body = _one(session, request, tweet, me) | {"text": tweet.text}
    crud.delete_tweet(session, tweet_id=status_id, user_id=me.id)
    return body


@router.post("/{status_id}/favourite")
def favourite(
    request: Request, session: SessionDep, me: WriteFavourites, status_id: int = StatusId
) -> dict[str, Any]:
    tweet = statuses.favourite(session, user_id=me.id, tweet_id=status_id)
    return _one(session, request, tweet, me)


@router.post("/{status_id}/unfavourite")
def unfavourite(
    request: Request, session: SessionDep, me: WriteFavourites, status_id: int = StatusId
) -> dict[str, Any]:
    tweet = statuses.unfavourite(session, user_id=me.id, tweet_id=status_id)
    return _one(session, request, tweet, me)


@router.get("/{status_id}/context")
def status_context(
    request: Request, session: SessionDep, viewer: Viewer, status_id: int = StatusId
) -> dict[str, Any]:
    """The conversation around a status: ancestors and descendants the viewer may see."""
    viewer_id = viewer.id if viewer else None
    tweet = crud.get_tweet(session, status_id, viewer_id)
    above = threads.ancestor_tweets(session, tweet, viewer_id)
    below = threads.descendants(session, tweet, viewer_id)
    ctx = context(session, [*above, *below], viewer, str(request.base_url), "thread")
    return {
        "ancestors": [serializers.status(t, ctx) for t in unhidden(above, ctx)],
        "descendants": [serializers.status(t, ctx) for t in unhidden(below, ctx)],
    }


@router.post("/{status_id}/reblog")
def reblog(
    request: Request, session: SessionDep, me: WriteStatuses, status_id: int = StatusId
) -> dict[str, Any]:
    """Mastodon answers with the reblog: a status wrapping the original."""
    original = conversations.repost(session, user_id=me.id, tweet_id=status_id)
    row = conversations.repost_of(session, user_id=me.id, tweet_id=original.id)
    return _one(session, request, row or original, me)


@router.post("/{status_id}/unreblog")
def unreblog(
    request: Request, session: SessionDep, me: WriteStatuses, status_id: int = StatusId
) -> dict[str, Any]:
    original = conversations.unrepost(session, user_id=me.id, tweet_id=status_id)
    return _one(session, request, original, me)


@router.get("/{status_id}/reblogged_by")
def reblogged_by(
    request: Request, session: SessionDep, viewer: Viewer, status_id: int = StatusId
) -> list[dict[str, Any]]:
    users = conversations.reposters(
        session, tweet_id=status_id, viewer_id=viewer.id if viewer else None, limit=MAX_LIMIT
    )
    return _accounts(session, request, users)


@router.get("/{status_id}/favourited_by")
def favourited_by(
    request: Request, session: SessionDep, viewer: Viewer, status_id: int = StatusId
) -> list[dict[str, Any]]:
    users = conversations.likers(
        session, tweet_id=status_id, viewer_id=viewer.id if viewer else None, limit=MAX_LIMIT
    )
    return _accounts(session, request, users)


def _accounts(session: SessionDep, request: Request, users: list[User]) -> list[dict[str, Any]]:
    stats = statuses.account_stats(session, (u.id for u in users))
    return [serializers.account(u, stats[u.id], str(request.base_url)) for u in users]


# --- Bookmarks and pins (extras): each answers the status as the caller now sees it.


@router.post("/{status_id}/bookmark")
def bookmark(
    request: Request, session: SessionDep, me: WriteBookmarks, status_id: int = StatusId
) -> dict[str, Any]:
    tweet = saved.bookmark(session, user_id=me.id, tweet_id=status_id)
    return _one(session, request, tweet, me)


@router.post("/{status_id}/unbookmark")
def unbookmark(
    request: Request, session: SessionDep, me: WriteBookmarks, status_id: int = StatusId
) -> dict[str, Any]:
    tweet = saved.unbookmark(session, user_id=me.id, tweet_id=status_id)
    return _one(session, request, tweet, me)


@router.post("/{status_id}/pin")
def pin(
    request: Request, session: SessionDep, me: WriteAccounts, status_id: int = StatusId
) -> dict[str, Any]:
    tweet = pins.pin(session, user_id=me.id, tweet_id=status_id)
    return _one(session, request, tweet, me)


@router.post("/{status_id}/unpin")
def unpin(
    request: Request, session: SessionDep, me: WriteAccounts, status_id: int = StatusId
) -> dict[str, Any]:
    tweet = pins.unpin(session, user_id=me.id, tweet_id=status_id)
    return _one(session, request, tweet, me)
