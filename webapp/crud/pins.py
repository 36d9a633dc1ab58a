"""Pins: up to MAX_PINS of your own posts shown first on your profile (and Mastodon's
`pinned=true`). Only your own public, unlisted or followers-only posts, never a repost or a
direct message: a pin is for the people who visit your profile.
"""

from dataclasses import replace
from functools import cache
from typing import Any

from sqlalchemy import BindParameter, Select, bindparam, func, select, update
from sqlalchemy.orm import Session

from webapp.crud.conversations import visible_tweet
from webapp.crud.errors import DomainError
from webapp.crud.hydrate import Page, Viewer, cards, paged, viewer_param, with_viewer
from webapp.crud.visibility import visible_to
from webapp.models import Tweet, User, utcnow

MAX_PINS = 5
PINNABLE = ("public", "unlisted", "private")


class PinRefused(DomainError):
    message = "You can only pin your own posts"


def pin(session: Session, *, user_id: int, tweet_id: int) -> Tweet:
    """Pin one of your posts (pinning it again changes nothing)."""
    tweet = _own(session, user_id, tweet_id)
    if tweet.pinned_at is not None:
        return tweet
    if tweet.repost_of_id is not None or tweet.visibility not in PINNABLE:
        raise PinRefused("Only your own posts can be pinned, not reposts or direct messages")
    # Locks the author's row (PostgreSQL): two pins at once cannot both pass the count.
    session.execute(select(User.id).where(User.id == user_id).with_for_update())
    count = select(func.count()).where(Tweet.owner_id == user_id, Tweet.pinned_at.is_not(None))
    if (session.scalar(count) or 0) >= MAX_PINS:
        raise PinRefused(f"You can pin at most {MAX_PINS} posts; unpin one first")
    tweet.pinned_at = utcnow()
    session.commit()
    return tweet


def unpin(session: Session, *, user_id: int, tweet_id: int) -> Tweet:
    tweet = _own(session, user_id, tweet_id)
    session.execute(update(Tweet).where(Tweet.id == tweet.id).values(pinned_at=None))
    session.commit()
    session.refresh(tweet)
    return tweet


def _own(session: Session, user_id: int, tweet_id: int) -> Tweet:
    tweet = visible_tweet(session, tweet_id, user_id)  # NotFound for a post you may not see
    if tweet.owner_id != user_id:
        raise PinRefused("You can only pin your own posts")
    return tweet


def _pinned(user_id: int | BindParameter[int], viewer_id: Viewer) -> Select[Tweet]:
    return (
        select(Tweet)
        .where(Tweet.owner_id == user_id, Tweet.pinned_at.is_not(None), visible_to(viewer_id))
        .order_by(Tweet.pinned_at.desc())
        .limit(MAX_PINS)
    )


@cache
def _pinned_cards(signed_in: bool) -> Select[Any]:
    """Built once per shape, bound per call (user_id, viewer): building the cards' statement
    took half of a profile page's CPU."""
    viewer = viewer_param(signed_in)
    return cards(_pinned(bindparam("user_id", type_=Tweet.owner_id.type), viewer), viewer)


def pinned_page(session: Session, *, user_id: int, viewer_id: int | None) -> Page:
    """A profile's pinned posts as cards, newest pin first (those this viewer may see)."""
    values = with_viewer(viewer_id, user_id=user_id)
    page = paged(session.execute(_pinned_cards(viewer_id is not None), values), MAX_PINS)
    return replace(page, pinned=True)


def pinned_statuses(session: Session, *, user_id: int, viewer_id: int | None) -> list[Tweet]:
    return list(session.scalars(_pinned(user_id, viewer_id)))
