"""Reads and writes the web pages need beyond the API's: counts, follow flags, profiles, tags.

Each answers a whole page in one query (counts for a list of users, flags for a list of ids),
so a template never needs to ask the database anything.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import Session, contains_eager

from webapp.crud.errors import NotFound
from webapp.crud.timelines import PAGE_SIZE
from webapp.crud.users import listed
from webapp.crud.visibility import visible_to
from webapp.models import Follow, Tweet, User

DISPLAY_NAME_MAX = 50
BIO_MAX = 160


@dataclass(frozen=True)
class UserPage:
    users: list[User]
    # Pass as `before` for the next page; None on the last page.
    next_before: int | None


def get_tweet_with_owner(session: Session, tweet_id: int, viewer_id: int | None = None) -> Tweet:
    """A post this viewer may see (else NotFound, never a hint that it exists)."""
    query = (
        select(Tweet)
        .join(User, User.id == Tweet.owner_id)
        .options(contains_eager(Tweet.owner))
        .where(Tweet.id == tweet_id, visible_to(viewer_id))
    )
    tweet = session.scalar(query)
    if tweet is None:
        raise NotFound("Tweet not found")
    return tweet


def follower_counts(session: Session, *, user_ids: Iterable[int]) -> dict[int, int]:
    """How many people follow each of these users (0 for none), in one query."""
    ids = list(user_ids)
    query = (
        select(Follow.followee_id, func.count())
        .where(Follow.followee_id.in_(ids))
        .group_by(Follow.followee_id)
    )
    counts: dict[int, int] = {user_id: 0 for user_id in ids}
    counts.update({row[0]: row[1] for row in session.execute(query)})
    return counts


def follow_counts(session: Session, *, user_id: int) -> tuple[int, int]:
    """(followers, following) of one person, in one statement (a profile's header)."""
    row = session.execute(_FOLLOW_COUNTS, {"user_id": user_id}).one()
    return int(row[0]), int(row[1])


def _follow_counts() -> Select[int, int]:
    user_id = bindparam("user_id", type_=Follow.followee_id.type)
    count = select(func.count()).select_from(Follow)
    followers = count.where(Follow.followee_id == user_id).scalar_subquery()
    following = count.where(Follow.follower_id == user_id).scalar_subquery()
    return select(followers, following)


_FOLLOW_COUNTS = _follow_counts()  # built once: every profile page asks it


def following_ids(session: Session, *, follower_id: int, user_ids: Iterable[int]) -> set[int]:
    """Which of these users the follower follows: one query for a whole list."""
    ids = list(user_ids)
    if not ids:
        return set()
    query = select(Follow.followee_id).where(
        Follow.follower_id == follower_id, Follow.followee_id.in_(ids)
    )
    return set(session.scalars(query))


def people(session: Session, *, before: int | None = None, limit: int = PAGE_SIZE) -> UserPage:
    """Everyone, newest first, keyset-paged by id."""
    query = select(User).where(listed()).order_by(User.id.desc()).limit(limit + 1)
    if before is not None:
        query = query.where(User.id < before)
    rows = list(session.scalars(query))
    users = rows[:limit]
    return UserPage(users, users[-1].id if len(rows) > limit and users else None)


def update_profile(session: Session, *, user_id: int, display_name: str, bio: str) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("User not found")
    user.display_name = display_name
    user.bio = bio
    session.commit()
    return user
