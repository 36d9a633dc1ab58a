"""Scheduled statuses: `scheduled_at` on POST /api/v1/statuses, and
/api/v1/scheduled_statuses (list, read, change the time, cancel). The owner's only: anyone
else's is Mastodon's 404."""

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response

from webapp.crud import scheduled
from webapp.deps import SessionDep
from webapp.mastodon.body import Params
from webapp.mastodon.deps import ReadStatuses, WriteStatuses
from webapp.mastodon.errors import MastodonError, MastodonRoute
from webapp.mastodon.media import attachment
from webapp.mastodon.paging import WindowDep, base_url, link_header_ids
from webapp.mastodon.serializers import rfc3339
from webapp.media.summary import summary
from webapp.models import MediaAttachment, ScheduledStatus, User

router = APIRouter(prefix="/api/v1/scheduled_statuses", route_class=MastodonRoute)
ScheduledId = Annotated[int, Path(ge=1, le=2**62)]
# Mastodon's words (ScheduledStatusValidator), for a time less than five minutes away.
TOO_SOON = "Validation failed: Scheduled at The scheduled date must be in the future"


def when(values: dict[str, Any], *, required: bool = False) -> datetime | None:
    """`scheduled_at` as ISO 8601 (Mastodon.py sends `2026-12-05T12:33:01+00:00`, others
    `...Z`); without a zone it is UTC, as Rails reads it."""
    raw = values.get("scheduled_at")
    if raw is None or raw == "":
        if required:
            raise MastodonError(422, "Validation failed: Scheduled at can't be blank")
        return None
    try:
        if not isinstance(raw, str):
            raise ValueError(raw)
        return scheduled.aware(datetime.fromisoformat(raw.strip()))
    except (ValueError, OverflowError):  # year 1 at UTC+14:00 is before datetime.min in UTC
        raise MastodonError(
            422, "Validation failed: scheduled_at must be an ISO 8601 date and time"
        ) from None


def create(
    session: SessionDep, request: Request, me: User, draft: scheduled.Draft, at: datetime
) -> dict[str, Any]:
    try:
        row = scheduled.schedule(session, owner_id=me.id, draft=draft, scheduled_at=at)
    except scheduled.TooSoon:
        raise MastodonError(422, TOO_SOON) from None
    return _one(session, request, row)


def entity(row: ScheduledStatus, media: list[MediaAttachment], base: str) -> dict[str, Any]:
    return {
        "id": str(row.id),
        "scheduled_at": rfc3339(row.scheduled_at),
        "params": dict(row.params),
        "media_attachments": [attachment(summary(m), base) for m in media],
    }


def _one(session: SessionDep, request: Request, row: ScheduledStatus) -> dict[str, Any]:
    media = scheduled.media_of(session, [row]).get(row.id, [])
    return entity(row, media, base_url(request))


@router.get("")
def list_scheduled(
    request: Request, response: Response, session: SessionDep, me: ReadStatuses, window: WindowDep
) -> list[dict[str, Any]]:
    rows = scheduled.scheduled_page(session, user_id=me.id, window=window)
    link_header_ids(request, [row.id for row in rows], response)
    media = scheduled.media_of(session, rows)
    return [entity(row, media.get(row.id, []), base_url(request)) for row in rows]


@router.get("/{scheduled_id}")
def get_scheduled(
    request: Request, session: SessionDep, me: ReadStatuses, scheduled_id: ScheduledId
) -> dict[str, Any]:
    row = scheduled.get_scheduled(session, user_id=me.id, scheduled_id=scheduled_id)
    return _one(session, request, row)


@router.put("/{scheduled_id}")
def update_scheduled(
    request: Request,
    session: SessionDep,
    me: WriteStatuses,
    values: Params,
    scheduled_id: ScheduledId,
) -> dict[str, Any]:
    """Only the time changes; a time in the past or within five minutes is refused."""
    at = when(values, required=True)
    assert at is not None
    try:
        row = scheduled.reschedule(
            session, user_id=me.id, scheduled_id=scheduled_id, scheduled_at=at
        )
    except scheduled.TooSoon:
        raise MastodonError(422, TOO_SOON) from None
    return _one(session, request, row)


@router.delete("/{scheduled_id}")
def cancel_scheduled(
    session: SessionDep, me: WriteStatuses, scheduled_id: ScheduledId
) -> dict[str, Any]:
    scheduled.cancel(session, user_id=me.id, scheduled_id=scheduled_id)
    return {}
