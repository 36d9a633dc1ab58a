"""Statuses: post (form or JSON), read, delete, favourite and unfavourite."""

from typing import Any

from fastapi import APIRouter, Path, Request

from webapp import crud, ratelimit
from webapp.crud import media as crud_media
from webapp.crud import statuses
from webapp.deps import SessionDep
from webapp.mastodon import serializers
from webapp.mastodon.body import Params, text_param
from webapp.mastodon.deps import Viewer, WriteFavourites, WriteStatuses
from webapp.mastodon.errors import MastodonError, MastodonRoute
from webapp.mastodon.paging import base_url, context
from webapp.models import TWEET_MAX_CHARS, Tweet, User

router = APIRouter(prefix="/api/v1/statuses", route_class=MastodonRoute)
StatusId = Path(ge=1, le=2**62)


def _one(
    session: SessionDep, request: Request, tweet: Tweet, viewer: User | None
) -> dict[str, Any]:
    return serializers.status(tweet, context(session, [tweet], viewer, base_url(request)))


def _status_text(values: dict[str, Any], *, with_media: bool = False) -> str:
    if values.get("poll"):
        raise MastodonError(422, "Validation failed: polls are not supported")
    if values.get("in_reply_to_id"):
        raise MastodonError(422, "Validation failed: replies are not supported")
    text = text_param(values, "status", required=not with_media) or ""
    if len(text) > TWEET_MAX_CHARS:
        raise MastodonError(
            422, f"Validation failed: Text character limit of {TWEET_MAX_CHARS} exceeded"
        )
    return text


def _media_ids(values: dict[str, Any]) -> list[int]:
    """media_ids[] (a form) or media_ids (JSON): up to four ids of the caller's uploads."""
    raw = values.get("media_ids[]", values.get("media_ids")) or []
    raw = [raw] if isinstance(raw, str | int) else raw
    try:
        ids = [int(item) for item in raw]
    except (TypeError, ValueError) as error:
        raise MastodonError(422, "Validation failed: media_ids must be ids") from error
    if len(ids) > crud_media.MAX_PER_POST:
        raise MastodonError(422, "Validation failed: Media attachments limit of 4 exceeded")
    return ids


def _create(session: SessionDep, me: User, values: dict[str, Any]) -> Tweet:
    media_ids = _media_ids(values)
    text = _status_text(values, with_media=bool(media_ids))
    if not media_ids:
        return crud.create_tweet(session, owner_id=me.id, text=text)
    return crud_media.post_with_media(session, owner_id=me.id, text=text, media_ids=media_ids)


@router.post("")
def post_status(
    request: Request, session: SessionDep, me: WriteStatuses, values: Params
) -> dict[str, Any]:
    ratelimit.enforce("post", request, me.id)  # one budget with the page and the contract API
    tweet = _create(session, me, values)
    return _one(session, request, tweet, me)


@router.get("/{status_id}")
def get_status(
    request: Request, session: SessionDep, viewer: Viewer, status_id: int = StatusId
) -> dict[str, Any]:
    return _one(session, request, crud.get_tweet(session, status_id), viewer)


@router.delete("/{status_id}")
def delete_status(
    request: Request, session: SessionDep, me: WriteStatuses, status_id: int = StatusId
) -> dict[str, Any]:
    """Mastodon answers with the deleted status and its source `text`, for delete-and-redraft."""
    tweet = crud.get_tweet(session, status_id)
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
