"""Editing statuses: PUT /api/v1/statuses/:id, and its /history and /source.

As on Mastodon: a status you may not see is 404, someone else's is 403.
"""

from typing import Any

from fastapi import APIRouter, Request

from webapp.crud import edits
from webapp.deps import SessionDep
from webapp.mastodon import serializers
from webapp.mastodon.body import Params, flag, text_param
from webapp.mastodon.deps import Viewer, WriteStatuses
from webapp.mastodon.errors import MastodonError, MastodonRoute
from webapp.mastodon.paging import base_url, context
from webapp.mastodon.statuses import StatusId
from webapp.models import TWEET_MAX_CHARS

router = APIRouter(prefix="/api/v1/statuses", route_class=MastodonRoute)


@router.put("/{status_id}")
def edit_status(
    request: Request, session: SessionDep, me: WriteStatuses, values: Params,
    status_id: int = StatusId,
) -> dict[str, Any]:  # fmt: skip
    """The new text in `status`, the content warning in `spoiler_text` and `sensitive`; each
    left out stays as it is. Visibility, media and polls stay as they were posted."""
    if values.get("poll") or any(key.startswith("poll[") for key in values):
        raise MastodonError(422, "Validation failed: polls cannot be edited")
    text = text_param(values, "status") or ""
    if len(text) > TWEET_MAX_CHARS:
        raise MastodonError(
            422, f"Validation failed: Text character limit of {TWEET_MAX_CHARS} exceeded"
        )
    tweet = edits.edit_post(
        session,
        tweet_id=status_id,
        user_id=me.id,
        text=text,
        spoiler_text=_warning(values),
        sensitive=flag(values, "sensitive") if "sensitive" in values else None,
    )
    return serializers.status(tweet, context(session, [tweet], me, base_url(request)))


def _warning(values: dict[str, Any]) -> str | None:
    """The new content warning: sent empty (or null) it goes; left out it stays, since apps
    that do not know the warning leave it out (Mastodon would drop it then)."""
    if "spoiler_text" not in values:
        return None
    return text_param(values, "spoiler_text") or ""


@router.get("/{status_id}/history")
def status_history(
    request: Request, session: SessionDep, viewer: Viewer, status_id: int = StatusId
) -> list[dict[str, Any]]:
    """Every version, the original first and the current one last."""
    viewer_id = viewer.id if viewer else None
    tweet, versions = edits.history(session, tweet_id=status_id, viewer_id=viewer_id)
    ctx = context(session, [tweet], viewer, base_url(request))
    return serializers.status_edits(tweet, versions, ctx)


@router.get("/{status_id}/source")
def status_source(
    session: SessionDep, me: WriteStatuses, status_id: int = StatusId
) -> dict[str, Any]:
    """The plain text and the current warning to put back in the composer (your own
    statuses only)."""
    tweet = edits.own_post(session, tweet_id=status_id, user_id=me.id)
    return {"id": str(tweet.id), "text": tweet.text, "spoiler_text": tweet.spoiler_text}
