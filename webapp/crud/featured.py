"""What a person shows on their profile: featured #tags and endorsed (pinned) accounts.

A featured tag's statuses_count and last_status_at are counted from the tag index
(tweet_tags) over the owner's public and unlisted posts, for all their tags in one statement.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, bindparam, delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from webapp.crud.errors import DomainError, NotFound
from webapp.crud.social import is_following
from webapp.crud.tags import TAG_MAX
from webapp.crud.users import get_user
from webapp.crud.visibility import open_to_all
from webapp.models import Endorsement, FeaturedTag, Tweet, TweetTag, User

MAX_FEATURED = 10  # Mastodon's limit
SUGGESTIONS = 10
_TAG = re.compile(r"^\w+$")


class BadFeature(DomainError):
    message = "That cannot be featured"


@dataclass(frozen=True)
class FeaturedStat:
    row: FeaturedTag
    statuses_count: int
    last_status_at: datetime | None


def _featured() -> Select[FeaturedTag, int, datetime]:
    """Someone's featured tags with their counts (bound per call by user_id)."""
    user_id = bindparam("user_id", type_=FeaturedTag.user_id.type)
    names = select(FeaturedTag.name).where(FeaturedTag.user_id == user_id)
    used = (
        select(
            TweetTag.tag, func.count().label("uses"), func.max(TweetTag.created_at).label("last")
        )
        .join(Tweet, Tweet.id == TweetTag.tweet_id)
        .where(TweetTag.owner_id == user_id, TweetTag.tag.in_(names), open_to_all())
        .group_by(TweetTag.tag)
        .subquery()
    )
    return (
        select(FeaturedTag, used.c.uses, used.c.last)
        .outerjoin(used, used.c.tag == FeaturedTag.name)
        .where(FeaturedTag.user_id == user_id)
        .order_by(FeaturedTag.id)
    )


# Built once: every profile page asks it.
_FEATURED = _featured()


def featured_tags(session: Session, *, user_id: int) -> list[FeaturedStat]:
    """Someone's featured tags in the order they chose them, counted: one statement."""
    rows = session.execute(_FEATURED, {"user_id": user_id})
    return [FeaturedStat(row, uses or 0, last) for row, uses, last in rows]


def tag_name(raw: str) -> str:
    """`#Cats` or `cats`: the tag as the index keeps it (lower case)."""
    name = raw.strip().removeprefix("#").lower()
    if not name or len(name) > TAG_MAX or not _TAG.match(name):
        raise BadFeature("A tag is letters, digits and underscores, up to 100 of them")
    return name


def feature_tag(session: Session, *, user_id: int, name: str) -> FeaturedStat:
    name = tag_name(name)
    shown = featured_tags(session, user_id=user_id)
    if any(stat.row.name == name for stat in shown):
        raise BadFeature(f"#{name} is already featured")
    if len(shown) >= MAX_FEATURED:
        raise BadFeature(f"You can feature at most {MAX_FEATURED} tags")
    session.add(FeaturedTag(user_id=user_id, name=name))
    try:
        session.commit()
    except IntegrityError as error:  # the same tag, featured at the same moment
        session.rollback()
        raise BadFeature(f"#{name} is already featured") from error
    return next(s for s in featured_tags(session, user_id=user_id) if s.row.name == name)


def unfeature_tag(session: Session, *, user_id: int, featured_id: int) -> None:
    gone = session.execute(
        delete(FeaturedTag).where(FeaturedTag.id == featured_id, FeaturedTag.user_id == user_id)
    )
    if not gone.rowcount:  # type: ignore[attr-defined]
        raise NotFound("Featured tag not found")
    session.commit()


def tag_suggestions(session: Session, *, user_id: int) -> list[str]:
    """The tags you use most and have not featured yet."""
    featured = select(FeaturedTag.name).where(FeaturedTag.user_id == user_id)
    uses = func.count().label("uses")
    query = (
        select(TweetTag.tag)
        .where(TweetTag.owner_id == user_id, TweetTag.tag.not_in(featured))
        .group_by(TweetTag.tag)
        .order_by(uses.desc(), TweetTag.tag)
        .limit(SUGGESTIONS)
    )
    return list(session.scalars(query))


# --- Endorsements: accounts you feature (Mastodon's account pin) ---


class NotFollowing(DomainError):
    message = "You can only feature people you follow"


def endorse(session: Session, *, user_id: int, target_id: int) -> None:
    """Feature someone you follow on your profile; twice is once."""
    get_user(session, target_id)
    if not is_following(session, follower_id=user_id, followee_id=target_id):
        raise NotFollowing()
    if target_id in endorsed_ids(session, user_id=user_id, other_ids=[target_id]):
        return
    session.add(Endorsement(user_id=user_id, target_id=target_id))
    try:
        session.commit()
    except IntegrityError:  # a concurrent identical pin won; the outcome is the same
        session.rollback()


def unendorse(session: Session, *, user_id: int, target_id: int) -> None:
    get_user(session, target_id)
    drop_endorsement(session, user_id=user_id, target_id=target_id)
    session.commit()


def drop_endorsement(session: Session, *, user_id: int, target_id: int) -> None:
    """The caller commits (an unfollow takes the endorsement with it)."""
    session.execute(
        delete(Endorsement).where(
            Endorsement.user_id == user_id, Endorsement.target_id == target_id
        )
    )


def endorsed(
    session: Session, *, user_id: int, before: int | None = None, limit: int = 40
) -> list[tuple[int, User]]:
    """Whom someone features, newest first: (endorsement id, account), keyset by that id."""
    query = (
        select(Endorsement.id, User)
        .join(User, User.id == Endorsement.target_id)
        .where(Endorsement.user_id == user_id, User.suspended_at.is_(None))
    )
    if before is not None:
        query = query.where(Endorsement.id < before)
    query = query.order_by(Endorsement.id.desc()).limit(limit)
    return list(session.execute(query).all())


def endorsed_ids(session: Session, *, user_id: int, other_ids: Iterable[int]) -> set[int]:
    ids = list(other_ids)
    if not ids:
        return set()
    query = select(Endorsement.target_id).where(
        Endorsement.user_id == user_id, Endorsement.target_id.in_(ids)
    )
    return set(session.scalars(query))
