"""Scheduled posts (Mastodon's scheduled_at): kept as the client sent them, published later
through the same path as any post (crud.conversations.post, or crud.media.post_with_media
with images), so mentions, notifications, feeds and visibility happen at publish time.

Publishing claims a due row by deleting it (`DELETE ... RETURNING`, the row picked with
FOR UPDATE SKIP LOCKED on PostgreSQL), and the post commits in that same transaction: any
number of workers may run `publish_due` at once and each scheduled post is published once.
A post that can no longer be made (the replied-to post is gone, the author suspended) is
dropped: its row is deleted, nothing else happens.
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from webapp import jobs
from webapp.crud import conversations
from webapp.crud import media as crud_media
from webapp.crud.errors import BlankTweet, DomainError, InvalidPoll, InvalidVisibility, NotFound
from webapp.crud.polls import PollSpec, check
from webapp.crud.posting import PostOptions
from webapp.crud.statuses import Window
from webapp.media.errors import MediaError
from webapp.models import (
    TWEET_MAX_CHARS,
    VISIBILITIES,
    MediaAttachment,
    OAuthApp,
    ScheduledMedia,
    ScheduledStatus,
    Tweet,
    User,
    utcnow,
)
from webapp.text import has_visible_text

log = logging.getLogger(__name__)

MIN_OFFSET = timedelta(minutes=5)  # Mastodon's PostStatusService::MIN_SCHEDULE_OFFSET
MAX_AHEAD = timedelta(days=3653)  # Chirp's own bound: no year-9999 arithmetic overflows
TOTAL_LIMIT, DAILY_LIMIT = 300, 25  # Mastodon's ScheduledStatus limits, per person


class ScheduleError(DomainError):
    message = "That post can't be scheduled"


class TooSoon(ScheduleError):
    message = "The scheduled date must be at least 5 minutes in the future"


class TooFar(ScheduleError):
    message = "The scheduled date must be within 10 years"


class TooMany(ScheduleError):
    message = f"You have exceeded the limit of {TOTAL_LIMIT} scheduled posts"


@dataclass(frozen=True)
class Draft:
    """A post as it will be made: what conversations.post takes, and the uploads' ids."""

    text: str
    visibility: str = "public"
    in_reply_to_id: int | None = None
    poll: PollSpec | None = None
    media_ids: Sequence[int] = ()
    options: PostOptions = field(default_factory=PostOptions)


def aware(moment: datetime) -> datetime:
    """UTC, with its zone (SQLite gives naive UTC back; a client may send any offset)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def is_future(moment: datetime, now: datetime | None = None) -> bool:
    """Whether Mastodon would schedule it: a time already past is posted at once instead."""
    return aware(moment) > aware(now or utcnow())


def check_time(moment: datetime, now: datetime | None = None) -> datetime:
    """The time in UTC, or TooSoon unless it is more than five minutes away (TooFar past
    ten years)."""
    when, current = aware(moment), aware(now or utcnow())
    if when <= current + MIN_OFFSET:
        raise TooSoon()
    if when > current + MAX_AHEAD:
        raise TooFar()
    return when


# --- Scheduling, reading, changing the time, cancelling: the owner's only.


def schedule(
    session: Session,
    *,
    owner_id: int,
    draft: Draft,
    scheduled_at: datetime,
    now: datetime | None = None,
) -> ScheduledStatus:
    """Keep a post for later, checked now as it will be made then; its uploads are reserved."""
    when = check_time(scheduled_at, now)
    _check_draft(session, owner_id, draft)
    _check_limits(session, owner_id, when)
    if draft.media_ids:
        crud_media.free_uploads(session, owner_id=owner_id, media_ids=draft.media_ids)
    row = ScheduledStatus(user_id=owner_id, scheduled_at=when, params=params_of(draft))
    session.add(row)
    session.flush()
    if draft.media_ids:
        taken = [{"media_id": i, "scheduled_status_id": row.id} for i in set(draft.media_ids)]
        try:
            session.execute(insert(ScheduledMedia), taken)
        except IntegrityError:  # another schedule took one of them meanwhile
            session.rollback()
            raise MediaError(crud_media.TAKEN) from None
    jobs.defer_publish(session, when)
    session.commit()
    return row


def _check_draft(session: Session, owner_id: int, draft: Draft) -> None:
    """What conversations.post would refuse, refused now (nothing is written yet)."""
    if draft.poll is not None:
        check(draft.poll)
        if draft.media_ids:
            raise InvalidPoll("A post can have images or a poll, not both")
    if not draft.media_ids and not has_visible_text(draft.text):
        raise BlankTweet()
    if len(draft.text) > TWEET_MAX_CHARS:
        raise ScheduleError(f"A post can have at most {TWEET_MAX_CHARS} characters")
    if len(draft.media_ids) > crud_media.MAX_PER_POST:
        raise MediaError(f"A post can have at most {crud_media.MAX_PER_POST} images")
    if draft.visibility not in VISIBILITIES:
        raise InvalidVisibility()
    if draft.in_reply_to_id is not None:
        conversations.visible_tweet(session, draft.in_reply_to_id, owner_id)


def _check_limits(
    session: Session, owner_id: int, when: datetime, *, moving: int | None = None
) -> None:
    """At most TOTAL_LIMIT waiting, and DAILY_LIMIT on one (UTC) day, as Mastodon allows."""
    mine = ScheduledStatus.user_id == owner_id
    others = ScheduledStatus.id != (moving or 0)
    if (session.scalar(select(func.count()).where(mine, others)) or 0) >= TOTAL_LIMIT:
        raise TooMany()
    day = when.replace(hour=0, minute=0, second=0, microsecond=0)
    same_day = ScheduledStatus.scheduled_at.between(day, day + timedelta(days=1, microseconds=-1))
    if (session.scalar(select(func.count()).where(mine, others, same_day)) or 0) >= DAILY_LIMIT:
        raise TooMany(f"You have exceeded the limit of {DAILY_LIMIT} scheduled posts for today")


def params_of(draft: Draft) -> dict[str, Any]:
    """Mastodon's `params` of a ScheduledStatus: the post's parameters, as it keeps them."""
    poll = draft.poll
    chosen = draft.options
    return {
        "text": draft.text,
        "poll": None
        if poll is None
        else {
            "options": list(poll.options),
            "expires_in": poll.expires_in,
            "multiple": poll.multiple,
            "hide_totals": poll.hide_totals,
        },
        "media_ids": [str(i) for i in dict.fromkeys(draft.media_ids)] or None,
        "sensitive": chosen.sensitive,
        "spoiler_text": chosen.spoiler_text or None,
        "visibility": draft.visibility,
        "in_reply_to_id": draft.in_reply_to_id,
        "language": chosen.language,
        "application_id": chosen.app_id,
        "scheduled_at": None,
        "idempotency": None,
        "with_rate_limit": False,
    }


def draft_of(params: dict[str, Any]) -> Draft:
    poll = params.get("poll")
    spec = None
    if poll:
        spec = PollSpec(poll["options"], poll["expires_in"], poll["multiple"], poll["hide_totals"])
    options = PostOptions(
        spoiler_text=params.get("spoiler_text") or "",
        sensitive=bool(params.get("sensitive")),
        language=params.get("language"),
        app_id=params.get("application_id"),
    )
    return Draft(
        text=params.get("text") or "",
        visibility=params.get("visibility") or "public",
        in_reply_to_id=params.get("in_reply_to_id"),
        poll=spec,
        media_ids=[int(i) for i in params.get("media_ids") or ()],
        options=options,
    )


def scheduled_page(session: Session, *, user_id: int, window: Window) -> list[ScheduledStatus]:
    """Your scheduled posts, newest scheduling first (by id, as Mastodon pages them)."""
    query = select(ScheduledStatus).where(ScheduledStatus.user_id == user_id)
    if window.max_id is not None:
        query = query.where(ScheduledStatus.id < window.max_id)
    if window.since_id is not None:
        query = query.where(ScheduledStatus.id > window.since_id)
    if window.min_id is not None:
        query = query.where(ScheduledStatus.id > window.min_id).order_by(ScheduledStatus.id)
        return list(reversed(session.scalars(query.limit(window.limit)).all()))
    query = query.order_by(ScheduledStatus.id.desc()).limit(window.limit)
    return list(session.scalars(query))


def by_time(session: Session, *, user_id: int) -> list[ScheduledStatus]:
    """All of your scheduled posts, soonest first (the web page; at most TOTAL_LIMIT)."""
    query = select(ScheduledStatus).where(ScheduledStatus.user_id == user_id)
    order = (ScheduledStatus.scheduled_at, ScheduledStatus.id)
    return list(session.scalars(query.order_by(*order).limit(TOTAL_LIMIT)))


def get_scheduled(session: Session, *, user_id: int, scheduled_id: int) -> ScheduledStatus:
    """One of yours; anyone else's is NotFound, so its existence is never confirmed."""
    row = session.get(ScheduledStatus, scheduled_id)
    if row is None or row.user_id != user_id:
        raise NotFound("Scheduled post not found")
    return row


def reschedule(
    session: Session,
    *,
    user_id: int,
    scheduled_id: int,
    scheduled_at: datetime,
    now: datetime | None = None,
) -> ScheduledStatus:
    """Change the time (only the time, as Mastodon's PUT)."""
    row = get_scheduled(session, user_id=user_id, scheduled_id=scheduled_id)
    when = check_time(scheduled_at, now)
    _check_limits(session, user_id, when, moving=row.id)
    row.scheduled_at = when
    jobs.defer_publish(session, when)
    session.commit()
    return row


def cancel(session: Session, *, user_id: int, scheduled_id: int) -> None:
    """Delete one of yours; its uploads are free again (the reservations cascade)."""
    get_scheduled(session, user_id=user_id, scheduled_id=scheduled_id)
    session.execute(delete(ScheduledStatus).where(ScheduledStatus.id == scheduled_id))
    session.commit()


def media_of(session: Session, rows: Sequence[ScheduledStatus]) -> dict[int, list[MediaAttachment]]:
    """The uploads of a page of scheduled posts, in the order given: one query."""
    ids = {int(i): row.id for row in rows for i in row.params.get("media_ids") or ()}
    if not ids:
        return {}
    found = session.scalars(select(MediaAttachment).where(MediaAttachment.id.in_(ids)))
    by_id = {media.id: media for media in found}
    shown: dict[int, list[MediaAttachment]] = {}
    for media_id, row_id in ids.items():
        if media_id in by_id:
            shown.setdefault(row_id, []).append(by_id[media_id])
    return shown


# --- Publishing.


@dataclass(frozen=True)
class Claimed:
    id: int
    user_id: int
    params: dict[str, Any]


def publish_due(session: Session, *, now: datetime | None = None) -> list[int]:
    """Publish every scheduled post due by `now` (default: the clock), each exactly once
    however many callers run at once. Returns the ids of the posts made."""
    moment = aware(now or utcnow())
    made: list[int] = []
    while (claimed := _claim(session, moment)) is not None:
        tweet_id = _publish(session, claimed)
        if tweet_id is not None:
            made.append(tweet_id)
    return made


def _claim(session: Session, now: datetime) -> Claimed | None:
    """Delete one due row and return it; the caller's transaction stays open. Rows another
    worker holds are skipped (PostgreSQL); SQLite serialises writers anyway."""
    due = (
        select(ScheduledStatus.id)
        .where(ScheduledStatus.scheduled_at <= now)
        .order_by(ScheduledStatus.scheduled_at, ScheduledStatus.id)
        .limit(1)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    gone = session.execute(
        delete(ScheduledStatus)
        .where(ScheduledStatus.id == due)
        .returning(ScheduledStatus.id, ScheduledStatus.user_id, ScheduledStatus.params)
    ).first()
    if gone is None:
        session.rollback()
        return None
    # Explicitly, not by the cascade alone: the uploads must be free, in this transaction,
    # before the post checks them.
    session.execute(delete(ScheduledMedia).where(ScheduledMedia.scheduled_status_id == gone.id))
    return Claimed(gone.id, gone.user_id, gone.params)


def _publish(session: Session, claimed: Claimed) -> int | None:
    """The post, committed with the claim; if it can no longer be made, only the claim
    commits (the scheduled post is dropped)."""
    savepoint = session.begin_nested()
    try:
        tweet = _post(session, claimed)
    except DomainError as error:
        savepoint.rollback()
        session.commit()
        log.info("scheduled post %s dropped: %s", claimed.id, error.message)
        return None
    return tweet.id


def _post(session: Session, claimed: Claimed) -> Tweet:
    author = session.get(User, claimed.user_id)
    if author is None or author.suspended_at is not None or author.pending:
        raise NotFound("The author can no longer post")
    draft = draft_of(claimed.params)
    options = draft.options
    if options.app_id is not None and session.get(OAuthApp, options.app_id) is None:
        options = PostOptions(options.spoiler_text, options.sensitive, options.language)
    post: dict[str, Any] = {
        "visibility": draft.visibility,
        "in_reply_to_id": draft.in_reply_to_id,
        "poll": draft.poll,
        "options": options,
    }
    if draft.media_ids:
        return crud_media.post_with_media(
            session, owner_id=author.id, text=draft.text, media_ids=draft.media_ids, **post
        )
    return conversations.post(session, owner_id=author.id, text=draft.text, **post)
