"""Locked accounts: a follow becomes a request the account's owner approves or rejects.

Approving makes the Follow through crud.social.follow, the one place a follow is made (the
home feed and anything else that hangs on a follow stays right). Until then the requester
is no follower, so followers-only posts stay hidden from them (visible_to reads Follow).
"""

from collections.abc import Iterable
from typing import Literal

from sqlalchemy import delete, exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from webapp.crud import featured, social
from webapp.crud.errors import Blocked, CannotFollowSelf, NotFound
from webapp.crud.notifications import notify, unnotify
from webapp.crud.statuses import Window
from webapp.crud.users import get_user
from webapp.crud.visibility import blocked_between
from webapp.models import FollowRequest, User

FollowState = Literal["following", "requested"]


def follow_or_request(session: Session, *, follower_id: int, followee_id: int) -> FollowState:
    """Follow an open account; ask a locked one (asking twice is one request)."""
    if follower_id == followee_id:
        raise CannotFollowSelf()
    target = get_user(session, followee_id)
    if not target.locked or social.is_following(
        session, follower_id=follower_id, followee_id=followee_id
    ):
        social.follow(session, follower_id=follower_id, followee_id=followee_id)
        return "following"
    if session.scalar(select(blocked_between(follower_id, followee_id))):
        raise Blocked()  # as crud.social.follow refuses: no request either
    if not is_requested(session, follower_id=follower_id, followee_id=followee_id):
        session.add(FollowRequest(follower_id=follower_id, followee_id=followee_id))
        try:
            session.flush()  # the unique key decides a concurrent double request
        except IntegrityError:
            session.rollback()
            return "requested"
        notify(session, recipient_id=followee_id, actor_id=follower_id, kind="follow_request")
        session.commit()
    return "requested"


def unfollow_or_cancel(session: Session, *, follower_id: int, followee_id: int) -> None:
    """Stop following (and featuring), or take back a request not yet answered."""
    _drop(session, follower_id=follower_id, followee_id=followee_id)
    featured.drop_endorsement(session, user_id=follower_id, target_id=followee_id)
    session.commit()
    social.unfollow(session, follower_id=follower_id, followee_id=followee_id)


def _drop(session: Session, *, follower_id: int, followee_id: int) -> bool:
    """Delete the request and its notification; the caller commits. Whether there was one."""
    gone = session.execute(
        delete(FollowRequest).where(
            FollowRequest.follower_id == follower_id, FollowRequest.followee_id == followee_id
        )
    )
    unnotify(session, recipient_id=followee_id, actor_id=follower_id, kind="follow_request")
    return bool(gone.rowcount)  # type: ignore[attr-defined]


def authorize(session: Session, *, user_id: int, requester_id: int) -> None:
    """Accept a request: the requester follows you from now on."""
    if not _drop(session, follower_id=requester_id, followee_id=user_id):
        session.rollback()
        raise NotFound("Follow request not found")
    social.follow(session, follower_id=requester_id, followee_id=user_id)
    session.commit()  # follow() returns early, uncommitted, for one who already follows


def reject(session: Session, *, user_id: int, requester_id: int) -> None:
    if not _drop(session, follower_id=requester_id, followee_id=user_id):
        session.rollback()
        raise NotFound("Follow request not found")
    session.commit()


def authorize_all(session: Session, *, user_id: int) -> None:
    """Unlocking an account lets everyone waiting in (as Mastodon does)."""
    waiting = select(FollowRequest.follower_id).where(FollowRequest.followee_id == user_id)
    for requester_id in list(session.scalars(waiting)):
        authorize(session, user_id=user_id, requester_id=requester_id)


def is_requested(session: Session, *, follower_id: int, followee_id: int) -> bool:
    query = exists().where(
        FollowRequest.follower_id == follower_id, FollowRequest.followee_id == followee_id
    )
    return bool(session.scalar(select(query)))


def requested_ids(session: Session, *, follower_id: int, user_ids: Iterable[int]) -> set[int]:
    """Which of these accounts the follower has asked to follow: one query for a list."""
    ids = list(user_ids)
    if not ids:
        return set()
    query = select(FollowRequest.followee_id).where(
        FollowRequest.follower_id == follower_id, FollowRequest.followee_id.in_(ids)
    )
    return set(session.scalars(query))


def requesters_of(session: Session, *, user_id: int, other_ids: Iterable[int]) -> set[int]:
    """Which of these accounts ask to follow `user_id` (Mastodon's requested_by)."""
    ids = list(other_ids)
    if not ids:
        return set()
    query = select(FollowRequest.follower_id).where(
        FollowRequest.followee_id == user_id, FollowRequest.follower_id.in_(ids)
    )
    return set(session.scalars(query))


def pending(session: Session, *, user_id: int, window: Window) -> list[tuple[int, User]]:
    """Who asks to follow you, newest first: (request id, requester), keyset by request id."""
    query = (
        select(FollowRequest.id, User)
        .join(User, User.id == FollowRequest.follower_id)
        .where(FollowRequest.followee_id == user_id)
    )
    if window.max_id is not None:
        query = query.where(FollowRequest.id < window.max_id)
    if window.since_id is not None:
        query = query.where(FollowRequest.id > window.since_id)
    if window.min_id is not None:
        query = query.where(FollowRequest.id > window.min_id).order_by(FollowRequest.id.asc())
        rows = session.execute(query.limit(window.limit)).all()
        return list(reversed(rows))
    query = query.order_by(FollowRequest.id.desc()).limit(window.limit)
    return list(session.execute(query).all())


def pending_count(session: Session, *, user_id: int) -> int:
    query = select(func.count()).where(FollowRequest.followee_id == user_id)
    return session.scalar(query) or 0


def set_locked(session: Session, *, user_id: int, locked: bool) -> None:
    """Lock or unlock; unlocking accepts whoever is waiting."""
    user = get_user(session, user_id)
    was_locked, user.locked = user.locked, locked
    session.commit()
    if was_locked and not locked:
        authorize_all(session, user_id=user_id)
